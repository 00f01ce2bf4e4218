"""
The content version: one number that every cached page, fragment, feed and
sitemap puts in its key. It moves, once, after every committed change to
content (articles/publishing's content_changed signal), and at the moment
the next scheduled article or page goes live, which no write announces:
the first request after that moment moves it. A change thus makes every
cached copy of older content unreachable on the next request, without a
list of keys to delete. This module is the one place that invalidates.

A request reads the version once, before it reads any content (pinned()),
so that nothing read before a change is kept under the version after it.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.utils import timezone

# (the version, the timestamp the next scheduled content goes live or None):
# one entry, so that a request reads both in one cache read.
KEY = "content-version"

_pinned: ContextVar[int | None] = ContextVar("content_version", default=None)


def current() -> int:
    pinned = _pinned.get()
    return pinned if pinned is not None else _read()


@contextmanager
def pinned():
    """Read the version once for the block (a request) and keep it throughout."""
    token = _pinned.set(_read())
    try:
        yield _pinned.get()
    finally:
        _pinned.reset(token)


def bump(**kwargs) -> None:
    """
    Receive content_changed: make every cached copy of older content
    unreachable, and note when the next scheduled content goes live (the
    change may have scheduled some), so that reading the version asks the
    database nothing.
    """
    # A value never used before rather than incr(): two processes moving it
    # at once through a cache without an atomic incr (files) could both
    # write the same next number, and the second change would not move it.
    cache.set(KEY, (time.time_ns(), _next_scheduled_moment()), timeout=None)


def _read() -> int:
    found = cache.get(KEY)
    if found is None:
        # A cache that lost it (a restart): a fresh value, never one an older
        # cache entry could carry, and the database asked once.
        cache.add(KEY, (time.time_ns(), _next_scheduled_moment()), timeout=None)
        found = cache.get(KEY) or (time.time_ns(), None)
    version, next_live = found
    if next_live is not None and timezone.now().timestamp() >= next_live:
        # Scheduled content has gone live since the version was read.
        bump()
        return _read()
    return version


def _next_scheduled_moment() -> float | None:
    """The next moment scheduled content (an article or a page) goes live, in one query."""
    from articles.models import Article, Page

    now = timezone.now()
    first = (
        Article.objects.scheduled_after(now)
        .order_by()
        .values_list("published_at", flat=True)
        .union(
            Page.objects.scheduled_after(now)
            .order_by()
            .values_list("published_at", flat=True)
        )
        .order_by("published_at")
        .first()
    )
    return first.timestamp() if first is not None else None
