"""
The site's identity as editors set it (SiteSettings), read once per
content version: every page shows it, and a change to it is a content
change (saved through the publishing service), which moves the version.
Until the row is saved, the environment's SITE_NAME and SEO_LOGO_URL stand in.
"""

from django.conf import settings
from django.core.cache import cache

from articles import content_version
from articles.models import SiteSettings

CACHE_SECONDS = 24 * 60 * 60


def from_environment() -> SiteSettings:
    """The settings of a site whose editors have not saved any yet (unsaved)."""
    return SiteSettings(site_id=settings.SITE_ID, name=settings.SITE_NAME)


def current() -> SiteSettings:
    key = f"site-settings:{content_version.current()}:{settings.SITE_ID}"
    found = cache.get(key)
    if found is None:
        found = (
            SiteSettings.objects.select_related("logo", "share_image")
            .prefetch_related("logo__renditions", "share_image__renditions")
            .filter(site_id=settings.SITE_ID)
            .first()
        ) or from_environment()
        cache.set(key, found, CACHE_SECONDS)
    return found
