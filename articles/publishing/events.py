"""
What follows a committed change: the review e-mails, the SEO re-score and
the one ``content_changed`` signal. Caches listen to that signal, and
nothing else invalidates them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Model
from django.dispatch import Signal

from articles import notifications
from articles.models import Article
from articles.seo_scoring import update_score, update_scores

# Sent once per committed change (or batch of changes) with
# instances=[the objects that changed]. Anything a reader sees may differ.
content_changed = Signal()


@dataclass(frozen=True)
class StatusChange:
    obj: Article
    old_status: str | None
    user: object
    comment: str = ""


def after_commit(
    instances: Iterable[Model],
    *,
    status_changes: Iterable[StatusChange] = (),
    rescore: bool = True,
) -> None:
    """Run the effects of a change once its transaction commits (never if it rolls back)."""
    instances = list(instances)
    status_changes = list(status_changes)
    transaction.on_commit(
        lambda: _announce(instances, status_changes=status_changes, rescore=rescore)
    )


def _announce(instances, *, status_changes, rescore) -> None:
    for change in status_changes:
        notifications.status_changed(
            change.obj,
            old_status=change.old_status,
            user=change.user,
            comment=change.comment,
        )
    articles = [obj for obj in instances if isinstance(obj, Article) and obj.pk]
    if rescore and len(articles) == 1:
        update_score(articles[0])
    elif rescore and articles:
        update_scores([article.pk for article in articles])
    content_changed.send(sender=Model, instances=instances)
