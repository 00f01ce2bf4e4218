"""
The trash: deleting an article moves it here, with the status it had, so
that an editor can bring it back. Only people with articles.empty_trash
(Administrators) delete for good.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import audit
from articles.models import Article, AuditEntry
from articles.revisions import record_revision


def can_empty_trash(user) -> bool:
    return user.has_perm("articles.empty_trash")


def move_to_trash(article: Article, *, user) -> None:
    if article.status == Article.Status.TRASH:
        return
    with transaction.atomic():
        article.status_before_trash = article.status
        article.status = Article.Status.TRASH
        article.trashed_at = timezone.now()
        article.save()
        record_revision(article, user=user, summary=_("Moved to the trash"))
        audit.record(user, AuditEntry.Action.TRASH, article)


def restore_from_trash(article: Article, *, user) -> None:
    if article.status != Article.Status.TRASH:
        return
    with transaction.atomic():
        article.status = article.status_before_trash or Article.Status.DRAFT
        article.status_before_trash = ""
        article.trashed_at = None
        article.save()
        record_revision(article, user=user, summary=_("Restored from the trash"))
        audit.record(user, AuditEntry.Action.RESTORE, article)


def delete_for_good(articles) -> int:
    """Delete trashed articles and their revisions; others are left alone."""
    count = 0
    for article in articles:
        if article.status == Article.Status.TRASH:
            article.delete()
            count += 1
    return count
