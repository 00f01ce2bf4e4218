"""
WordPress's post lock, server-side: opening an article's change form records
who opened it, so that the next person to open it is warned. Correctness does
not depend on it (ArticleAdminForm refuses a stale save); it only warns early.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

# How long an opened form counts as "being edited", like WordPress's 150 s
# heartbeat window, widened because there is no heartbeat without JavaScript.
LOCK_SECONDS = 5 * 60


@dataclass(frozen=True)
class OpenedBy:
    user_id: int
    name: str
    at: datetime


def _key(article_id) -> str:
    return f"articles:edit-lock:{article_id}"


def opened_by_others(article_id, *, user) -> list[OpenedBy]:
    """The other people who opened the article for editing in the last minutes."""
    now = timezone.now()
    entries = cache.get(_key(article_id)) or {}
    return [
        OpenedBy(user_id=user_id, name=name, at=at)
        for user_id, (name, at) in entries.items()
        if user_id != user.pk and (now - at).total_seconds() < LOCK_SECONDS
    ]


def note_opened(article_id, *, user) -> None:
    now = timezone.now()
    entries = {
        user_id: (name, at)
        for user_id, (name, at) in (cache.get(_key(article_id)) or {}).items()
        if (now - at).total_seconds() < LOCK_SECONDS
    }
    entries[user.pk] = (user.get_full_name() or user.get_username(), now)
    cache.set(_key(article_id), entries, LOCK_SECONDS)
