"""
Purging pages from the reverse proxy's cache (deploy/nginx.conf) when
content changes: one PURGE request per page to PURGE_URL, carrying the
public host name, so that the proxy computes the cache key a reader's
request for that page has ($host$request_uri) and drops the stored copy.

Nothing here decides which pages an edit touches; the caller names them.
"""

from __future__ import annotations

import http.client
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)

# What ngx_cache_purge answers: the page was stored and is gone, or was not stored.
PURGED, NOT_CACHED = 200, 404


@dataclass
class PurgeResult:
    purged: list[str] = field(default_factory=list)
    not_cached: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def purge(paths: Iterable[str]) -> PurgeResult:
    """
    Remove these pages (site-relative paths with their query strings, e.g.
    "/en/" and "/en/?page=2") from the proxy's cache. Does nothing without
    PURGE_URL. Never raises: a proxy that cannot be reached is logged, and
    its pages age out within the proxy's own cache time.
    """
    result = PurgeResult()
    if not settings.PURGE_URL:
        return result
    target = urlsplit(settings.PURGE_URL)
    host = urlsplit(settings.SITE_URL).hostname
    connection = None
    for path in dict.fromkeys(paths):
        try:
            connection = connection or _connect(target)
            connection.request("PURGE", path, headers={"Host": host})
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as error:
            logger.warning("Could not purge %s at %s: %s", path, target.netloc, error)
            result.failed.append(path)
            connection = None
            continue
        if response.status == PURGED:
            result.purged.append(path)
        elif response.status == NOT_CACHED:
            result.not_cached.append(path)
        else:
            logger.warning(
                "The proxy at %s answered %s to PURGE %s",
                target.netloc,
                response.status,
                path,
            )
            result.failed.append(path)
        if response.will_close:
            connection = None
    return result


def _connect(target) -> http.client.HTTPConnection:
    connection_class = (
        http.client.HTTPSConnection
        if target.scheme == "https"
        else http.client.HTTPConnection
    )
    return connection_class(
        target.hostname, target.port, timeout=settings.PURGE_TIMEOUT_SECONDS
    )


def pages_shown_by(instances) -> list[str]:
    """
    The first pages a change to these objects shows on: their own, the home
    pages, their archives, the feeds, the sitemaps and the API's lists.
    Deeper pages, and pages showing a changed menu or setting, age out
    within SHARED_CACHE_SECONDS.
    """
    from articles.models import Article, Page

    paths = ["/sitemap.xml"]
    for language, _name in settings.LANGUAGES:
        paths += [f"/{language}/", f"/{language}/feed/", f"/{language}/feed/atom/"]
    for obj in instances:
        if isinstance(obj, Article) and obj.pk:
            category = obj.primary_category.get_absolute_url(obj.language)
            paths += [
                obj.get_absolute_url(),
                category,
                f"{category}feed/",
                "/sitemap-articles.xml",
                "/wp-json/wp/v2/posts",
                f"/wp-json/wp/v2/posts/{obj.wordpress_id or obj.pk}",
            ]
        elif isinstance(obj, Page) and obj.pk:
            paths += [
                obj.get_absolute_url(),
                "/sitemap-pages.xml",
                "/wp-json/wp/v2/pages",
                f"/wp-json/wp/v2/pages/{obj.wordpress_id or obj.pk}",
            ]
        elif hasattr(obj, "get_absolute_url") and obj.pk:
            paths.append(obj.get_absolute_url())
    return paths


def purge_changed(instances, **kwargs) -> None:
    """Receive content_changed: purge what the proxy in front keeps of it."""
    if settings.PURGE_URL:
        purge(pages_shown_by(instances))
