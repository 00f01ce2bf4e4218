"""
Checks run when the WSGI or ASGI application loads, so that a server with a
broken setup refuses to start instead of answering every request with a 500.
"""

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.exceptions import ImproperlyConfigured


def check_static_manifest() -> None:
    """
    With DEBUG off, a manifest storage names every static file by its hash
    from STATIC_ROOT/staticfiles.json; without that file each {% static %}
    raises, so every page would fail.
    """
    if settings.DEBUG or not isinstance(staticfiles_storage, ManifestFilesMixin):
        return
    name = staticfiles_storage.manifest_name
    if not staticfiles_storage.manifest_storage.exists(name):
        raise ImproperlyConfigured(
            f"The static files manifest ({name} in STATIC_ROOT, {settings.STATIC_ROOT}) "
            "is missing: run `manage.py collectstatic` before starting the server "
            "(`make serve` does), or every page would answer 500."
        )


def check_cache_is_shared(*, workers: int) -> None:
    """
    Kept pages are dropped by moving the content version in the cache: a
    cache of each process's own memory would leave the other workers showing
    pages from before a change.
    """
    backend = settings.CACHES["default"]["BACKEND"]
    # getattr: the benchmarks' yardstick project is served with this config too.
    page_cache = getattr(settings, "PAGE_CACHE", False)
    if workers > 1 and page_cache and backend.endswith(".LocMemCache"):
        raise ImproperlyConfigured(
            f"CACHE_URL is a local-memory cache, which each of the {workers} workers "
            "would keep apart: a change made through one would not reach the others' "
            "pages. Use the default file cache (unset CACHE_URL), Redis "
            "(CACHE_URL=redis://…), WEB_CONCURRENCY=1, or PAGE_CACHE=off."
        )
