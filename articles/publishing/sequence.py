"""
The sequence every change runs, in one transaction: lock, check the
version, apply the role rules, save, derive, check what goes live, follow a
moved address, record the revision and the audit entry, and hand the rest
to events.after_commit(). See the package's docstring for the why of each
step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from articles import audit, autosave, preview, redirects, revisions
from articles.models import Revision, new_preview_key
from articles.publishing import events, gates
from articles.publishing.kinds import kind_of
from articles.publishing.refusals import EditConflict


@dataclass(frozen=True)
class Stored:
    """What content was before a change: its status as readers saw it, and its address."""

    status: str
    path: str
    live: bool

    @classmethod
    def of(cls, obj: Model) -> Stored:
        return cls(
            status=obj.effective_status,
            path=obj.get_absolute_url(),
            live=obj.is_live_at(timezone.now()),
        )


@dataclass(frozen=True)
class Outcome:
    """What a change stored: the object as saved and its new revision."""

    obj: Model
    revision: Revision
    warnings: list[str] = field(default_factory=list)
    # The status readers saw before the change (None for new content).
    old_status: str | None = None


def commit(
    target: Model,
    *,
    user,
    action: str,
    apply: Callable[[Model | None], Model] | None = None,
    write_parts: Callable[[Model], None] | None = None,
    base_version: int | None = None,
    summary: str = "",
    comment: str = "",
    snapshot: Callable[[], dict[str, Any]] | None = None,
    clears_autosave: bool = False,
    rescore: bool = True,
    minor: bool = False,
    permission: Callable[[Any, Model | None], bool] | None = None,
) -> Outcome:
    """
    Change target on user's behalf (None: the system, e.g. an import).

    apply(locked) sets the change in memory on the object to save and
    returns it: the stored row freshly read under the lock (None for new
    content), or target itself when the change was made on it (a form).
    write_parts(obj) saves what belongs to it once it is saved (inlines,
    tags). base_version is the revision the change was made from; a later
    revision refuses it. action is the audit action when the status stays
    as it was.
    """
    kind = kind_of(target)
    apply = apply or (lambda locked: target)
    with transaction.atomic():
        locked = kind.load_locked(target.pk) if target.pk is not None else None
        stored = Stored.of(locked) if locked is not None else None
        latest = revisions.latest_revision(locked) if locked is not None else None
        if base_version is not None and locked is not None:
            _check_version(latest, base_version=base_version)
        gates.check_may_change(user, locked, kind=kind, permission=permission)
        old_status = locked.status if locked is not None else None
        obj = apply(locked)
        gates.check_status(user, old_status=old_status, obj=obj, kind=kind)
        if stored is not None and preview.links_outlived(stored, obj):
            obj.preview_key = new_preview_key()
        obj.save()
        if write_parts is not None:
            write_parts(obj)
        kind.write_derived(obj)
        data = snapshot() if snapshot is not None else kind.snapshot(obj)
        substantive = not minor and kind.says_something_new(
            latest.snapshot if latest else None, data
        )
        if substantive and stored is not None and stored.live:
            # Readers are told of a change to what they could read.
            obj.content_updated_at = timezone.now().replace(microsecond=0)
            type(obj).objects.filter(pk=obj.pk).update(
                content_updated_at=obj.content_updated_at
            )
        gates.check_publishable(user, obj, kind=kind, substantive=substantive)
        if stored is not None and stored.live and stored.path != obj.get_absolute_url():
            redirects.record_moves([(obj, [stored.path])])
        revision = _record_revision(
            obj,
            user=user,
            data=data,
            substantive=substantive,
            summary=summary
            or revisions.change_summary(
                latest.snapshot if latest else None, data, model=type(obj)
            ),
        )
        entry = audit.record_change(
            user,
            obj,
            old_status=stored.status if stored is not None else None,
            action=action,
            revision=revision.pk,
            summary=revision.summary,
            **({"comment": comment} if comment else {}),
        )
        if clears_autosave and user is not None:
            autosave.discard(obj, user=user)
        events.after_commit([obj], status_changes=[entry], rescore=rescore)
    return Outcome(
        obj=obj,
        revision=revision,
        old_status=stored.status if stored is not None else None,
    )


def _check_version(latest: Revision | None, *, base_version: int) -> None:
    # A form opened before the first revision carries 0: any revision now
    # means someone saved since.
    if latest is None or latest.pk == base_version:
        return
    base = Revision.objects.filter(
        pk=base_version,
        content_type_id=latest.content_type_id,
        object_id=latest.object_id,
    ).first()
    raise EditConflict(
        latest=latest,
        changes=revisions.diff(
            base.snapshot, latest.snapshot, model=latest.content_type.model_class()
        )
        if base
        else [],
    )


def _record_revision(
    obj: Model, *, user, data: dict, summary: str, substantive: bool
) -> Revision:
    return Revision.objects.create(
        content_object=obj,
        author=user if user is not None and user.is_authenticated else None,
        snapshot=data,
        summary=summary[:500],
        substantive=substantive,
    )
