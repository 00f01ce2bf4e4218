"""/healthz: what a load balancer asks before sending readers here."""

import logging
import secrets

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

PROBE_KEY = "healthz:probe"


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache():
    # A cache that swallows its errors (articles.cache) still answers None
    # when it is down, so the probe writes and reads back. It tries twice:
    # after Redis restarts, each connection the pool kept fails its first
    # command only, and that is no outage.
    for _attempt in range(2):
        cache.set(PROBE_KEY, "ok", 10)
        if cache.get(PROBE_KEY) == "ok":
            return
    raise ConnectionError("the cache did not keep a value")


def _media():
    # Uploads need a storage that takes files, not one that only answers:
    # write a probe and delete it again.
    name = default_storage.save(
        f"healthz/probe-{secrets.token_hex(8)}.txt", ContentFile(b"ok")
    )
    default_storage.delete(name)


CHECKS = {"database": _database, "cache": _cache, "media": _media}


@never_cache
def healthz(request):
    """Report each dependency; 503 when the database is down, as nothing works then."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:
            logger.warning("Health check %s failed: %s", name, error)
            results[name] = "unavailable"
        else:
            results[name] = "ok"
    healthy = results["database"] == "ok"
    return JsonResponse(
        {
            "status": "ok"
            if all(value == "ok" for value in results.values())
            else "degraded",
            "checks": results,
        },
        status=200 if healthy else 503,
    )
