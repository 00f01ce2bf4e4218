"""
Render once: HTML that only changes when content changes, kept under the
content version (articles/content_version.py). A change makes every kept
fragment unreachable at once, so nothing here is ever deleted by hand.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

from articles import content_version

T = TypeVar("T")
_MISSING = object()


def once(key: str, render: Callable[[], T]) -> T:
    """
    The kept result of render() for key at the current content version,
    made on first use; None is a result too (nothing at that address).
    """
    # Hashed: a key may hold a slug in any script; a cache key may not (memcached).
    digest = hashlib.sha256(key.encode(errors="surrogatepass")).hexdigest()
    full_key = f"rendered:{content_version.current()}:{digest}"
    kept = cache.get(full_key, _MISSING)
    if kept is _MISSING:
        kept = render()
        cache.set(full_key, kept, settings.PAGE_CACHE_SECONDS)
    return kept
