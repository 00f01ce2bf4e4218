"""
What follows a committed change: the one ``content_changed`` signal, on
which caches are invalidated and nowhere else, and the slow work, enqueued
as background tasks (articles/tasks.py) so that no request waits for it:
the review and sign-off e-mails, the SEO re-score and an image's
renditions. Nothing is enqueued for a change that rolls back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Model
from django.dispatch import Signal

from articles import tasks
from articles.models import Article, AuditEntry, Image, SignOff

# Sent once per committed change (or batch of changes) with
# instances=[the objects that changed]. Anything a reader sees may differ.
content_changed = Signal()


@dataclass(frozen=True)
class ImageChange:
    """An image saved with a file: its renditions are due, the crops again when the focal point moved."""

    image: Image
    focal_point_moved: bool = False


def after_commit(
    instances: Iterable[Model],
    *,
    status_changes: Iterable[AuditEntry] = (),
    sign_offs: Iterable[SignOff] = (),
    images: Iterable[ImageChange] = (),
    rescore: bool = True,
) -> None:
    """
    Run the effects of a change once its transaction commits (never if it
    rolls back). status_changes are the audit entries of status changes
    to tell people of; sign_offs the sign-off requests just asked for or
    decided; images the images whose renditions are due.
    """
    instances = list(instances)
    work = [
        *(
            (tasks.send_status_mail, entry.pk)
            for entry in status_changes
            if entry.details.get("new")
        ),
        *((tasks.send_sign_off_mail, request.pk) for request in sign_offs),
        *(
            (tasks.make_renditions, change.image.pk, change.focal_point_moved)
            for change in images
            if change.image.file
        ),
    ]
    articles = [obj.pk for obj in instances if isinstance(obj, Article) and obj.pk]
    if rescore and articles:
        work.append((tasks.rescore, articles))
    transaction.on_commit(lambda: _announce(instances, work=work))


def _announce(instances, *, work) -> None:
    for task, *args in work:
        task.enqueue(*args)
    content_changed.send(sender=Model, instances=instances)
