"""
Medical sign-off: what a reviewer's approval covers. An approval is given
for a version of an article (a revision) and covers the changes after it
that change no meaning (minor changes, status and settings); the first
substantive change ends it, and the article needs a new one to go or stay
live. The publishing service asks covers() in its publish gate.
"""

from __future__ import annotations

from django.conf import settings

from articles import revisions
from articles.models import Article, Revision, SignOff


def required(article: Article) -> bool:
    """Whether the article needs a sign-off to be live: its primary category says so."""
    return settings.MEDICAL_SIGN_OFF and article.primary_category.requires_sign_off


def last_approval(article: Article) -> SignOff | None:
    return (
        article.sign_offs.filter(decision=SignOff.Decision.APPROVED)
        .exclude(revision=None)
        .order_by("-decided_at", "-pk")
        .first()
    )


def covers(article: Article, *, substantive: bool) -> bool:
    """Whether the last approval covers the article with the change being made."""
    approval = last_approval(article)
    if approval is None or substantive:
        return False
    return not (
        revisions.history(article)
        .filter(pk__gt=approval.revision_id, substantive=True)
        .exists()
    )


def waiting(article: Article) -> SignOff | None:
    """The request the reviewer has not decided yet, if any."""
    return article.sign_offs.filter(decision=SignOff.Decision.REQUESTED).first()


def changes_since_approval(article: Article) -> tuple[Revision | None, list]:
    """The last approved version and what differs from it now (all of it when none)."""
    approval = last_approval(article)
    latest = revisions.latest_revision(article)
    if latest is None:
        return None, []
    before = approval.revision.snapshot if approval is not None else {"fields": {}}
    return (
        approval.revision if approval is not None else None,
        revisions.diff(before, latest.snapshot, model=Article),
    )
