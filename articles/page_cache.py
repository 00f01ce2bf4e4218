"""
Readers' pages at cache speed, and every edit visible on the next request.

A page an anonymous reader asks for (GET, no session cookie, no query
string but ?page= / ?p= and tracking tags) is kept whole, as it was sent
(compressed, per encoding), under the content version: any committed
change to content moves the version (articles/content_version.py), and so
does the moment scheduled content goes live, so a kept page is never
older than the content it shows. Staff, previews, search and anything else
that depends on the person or the query pass by.

Every such page also says how others may keep it: an ETag and Last-Modified
(answered with 304 by Django's own get_conditional_response()), no
max-age for browsers (they ask again, cheaply), and s-maxage with
stale-while-revalidate for a shared cache in front, which
articles/purge.py empties on change. PAGE_CACHE=off keeps the headers and
turns the kept pages off, for measuring and debugging.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    set_response_etag,
)
from django.utils.http import http_date, parse_http_date_safe

from articles import content_version, request_limits
from articles.compression import preferred_encoding

# Query parameters that choose what a page shows: part of its key.
KEYED_PARAMETERS = ("page", "p")
# Query parameters that change nothing on the page: left out of its key.
IGNORED_PARAMETERS = ("fbclid", "gclid", "msclkid", "mc_cid", "mc_eid", "ref")
IGNORED_PREFIXES = ("utm_",)
KEPT_HEADERS = ("Content-Type", "Content-Encoding", "Content-Language", "Vary")
NOT_FOR_OTHERS = ("private", "no-store", "no-cache")


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with content_version.pinned() as version:
            keyed = reader_query(request)
            if keyed is None:
                return self.get_response(request)
            key = page_key(request, version=version, query=keyed)
            kept = kept_answer(request, key)
            if kept is not None:
                return kept
            response = self.get_response(request)
            if not shareable(response):
                return response
            described = describe(response)
            if settings.PAGE_CACHE:
                keep_entry(key, to_entry(described))
            described["X-Page-Cache"] = "miss" if settings.PAGE_CACHE else "off"
            return answer(request, described)


class KeptPagesFirst:
    """
    The WSGI application in front of Django's, which answers a kept page
    before Django's handler runs: a hit then costs no request signals, no
    middleware chain and no response closing, a third of what it costs
    inside. What would have run before PageCacheMiddleware runs here too,
    in the same order: the request limits, and the security middleware's
    HTTPS redirect and headers (tests/test_page_cache.py holds MIDDLEWARE
    to that order). Anything else, a miss included, goes to Django.
    """

    def __init__(self, application):
        self.application = application
        self.security = SecurityMiddleware(application)

    def __call__(self, environ, start_response):
        response = self.kept(WSGIRequest(environ))
        if response is None:
            return self.application(environ, start_response)
        start_response(
            f"{response.status_code} {response.reason_phrase}", list(response.items())
        )
        # The bytes, not the response: closing it would announce the end of a
        # Django request that never began (request_finished).
        return [response.content]

    def kept(self, request) -> HttpResponse | None:
        if not settings.PAGE_CACHE or request_limits.refusal(request) is not None:
            return None
        try:
            if self.security.process_request(request) is not None:
                return None  # Django redirects it to HTTPS.
            keyed = reader_query(request)
            if keyed is None:
                return None  # Not a reader's page: no need to read the version.
            with content_version.pinned() as version:
                response = kept_answer(
                    request, page_key(request, version=version, query=keyed)
                )
        except SuspiciousOperation:
            return None  # Django answers it (a host not allowed, too many fields).
        if response is not None:
            self.security.process_response(request, response)
        return response


def kept_answer(request, key: str) -> HttpResponse | None:
    """The kept page under key, answered (a 304 when the client holds it), or None."""
    entry = kept_entry(key) if settings.PAGE_CACHE else None
    if entry is None:
        return None
    response = from_entry(entry)
    response["X-Page-Cache"] = "hit"
    return answer(request, response)


class _RecentPages:
    """
    The pages this process served last, in front of the shared cache. A
    page's key holds the content version, which every request reads from
    the shared cache, so a copy here is exactly as fresh as the shared one;
    entries of older versions are simply never asked for again and fall out.
    """

    def __init__(self):
        self._entries: OrderedDict[str, tuple] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: tuple) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > settings.PAGE_CACHE_RECENT_PAGES:
                self._entries.popitem(last=False)


_recent = _RecentPages()


def kept_entry(key: str) -> tuple | None:
    entry = _recent.get(key)
    if entry is None:
        entry = cache.get(key)
        if entry is not None:
            _recent.put(key, entry)
    return entry


def keep_entry(key: str, entry: tuple) -> None:
    cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
    _recent.put(key, entry)


def reader_query(request) -> str | None:
    """
    The part of the query string that a reader's page is kept by, or None
    when the request is not an anonymous reader's plain GET of a page.
    """
    if request.method not in ("GET", "HEAD"):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    path = request.path
    if path.startswith(
        (
            f"/{settings.ADMIN_URL}",
            f"/{settings.STATIC_URL.strip('/')}/",
            f"{settings.MEDIA_URL.rstrip('/')}/",
            "/healthz",
        )
    ):
        return None
    keyed = []
    for name, value in request.GET.items():
        if name in KEYED_PARAMETERS:
            keyed.append((name, value))
        elif name not in IGNORED_PARAMETERS and not name.startswith(IGNORED_PREFIXES):
            return None
    return urlencode(sorted(keyed))


def page_key(request, *, version: int, query: str) -> str:
    encoding = preferred_encoding(request.headers.get("Accept-Encoding", "")) or "-"
    # Hashed: a path may be long or hold anything; a key may not (memcached).
    address = hashlib.sha256(
        f"{request.scheme}://{request.get_host()}{request.path}?{query}".encode(
            errors="surrogatepass"
        )
    ).hexdigest()
    return f"page:{version}:{encoding}:{address}"


def shareable(response) -> bool:
    """Whether the response is the same for every reader: kept, and said to be so."""
    if response.status_code != 200 or response.streaming:
        return False
    if response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in NOT_FOR_OTHERS)


def describe(response):
    """Give a shareable response its validators and its caching rules."""
    if not response.has_header("ETag"):
        # Of the bytes sent (compressed, when they are): one copy, one tag.
        set_response_etag(response)
    if not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date(time.time())
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=settings.SHARED_CACHE_SECONDS,
        stale_while_revalidate=settings.SHARED_CACHE_STALE_SECONDS,
    )
    return response


def answer(request, response):
    """The response, or 304 Not Modified when the client holds this very copy."""
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
        response=response,
    )


def to_entry(response) -> tuple:
    headers = {
        name: response[name]
        for name in (*KEPT_HEADERS, "ETag", "Last-Modified", "Cache-Control")
        if response.has_header(name)
    }
    kept = {
        name: value
        for name, value in response.items()
        if name.lower().startswith(("x-", "content-security-policy", "link"))
        or name
        in ("Permissions-Policy", "Referrer-Policy", "Cross-Origin-Opener-Policy")
    }
    return (response.content, {**kept, **headers})


def from_entry(entry) -> HttpResponse:
    content, headers = entry
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    return response
