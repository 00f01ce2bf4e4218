"""
The content version: one number that moves, once, after every committed
change to content (articles/publishing's content_changed signal). Cached
sitemaps, feeds and pages put it in their keys, so that a change makes
every one of them fresh on the next request without a list of keys to
delete. This module is the one place that invalidates.
"""

import time

from django.core.cache import cache

KEY = "content-version"


def current():
    version = cache.get(KEY)
    if version is None:
        # A fresh value, never one an older cache entry could carry.
        version = time.time_ns()
        cache.add(KEY, version, timeout=None)
        version = cache.get(KEY, version)
    return version


def bump(**kwargs):
    """Receive content_changed: make every cached response of older content unreachable."""
    try:
        cache.incr(KEY)
    except ValueError:
        cache.set(KEY, time.time_ns(), timeout=None)
