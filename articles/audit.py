"""
The audit log: who created, changed, published, unpublished, scheduled,
trashed, restored or deleted content, and whose roles changed. Content
changes are recorded by articles/publishing, the one way content changes;
role changes by a signal, so that every way of changing a user's groups is
covered.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed

from articles.models import AuditEntry, PublicationStatus

Action = AuditEntry.Action
Status = PublicationStatus

# The request being served, so that signals know who acted.
_request = ContextVar("audit_request", default=None)
# Set while data is replayed rather than changed, e.g. a backup being restored.
_paused = ContextVar("audit_paused", default=False)


@contextmanager
def paused():
    """Record nothing inside the block: it restores past changes, it makes none."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


class ActingUserMiddleware:
    """Let signal handlers (role changes) record who made the change."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def acting_user():
    request = _request.get()
    return getattr(request, "user", None) if request is not None else None


def entry(user, action, obj, **details):
    """One audit entry, unsaved; user may be None (a command, a signal without a request)."""
    if user is not None and not user.is_authenticated:
        user = None
    return AuditEntry(
        user=user,
        user_repr=user.get_username() if user is not None else "",
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj else None,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        details=details,
    )


def record(user, action, obj, **details):
    """Write one audit entry."""
    row = entry(user, action, obj, **details)
    row.save()
    return row


def change_entry(user, obj, *, old_status, action, **details):
    """
    The entry for a change to content: its status action when the status
    readers see moved (published, trashed...), else action (changed...).
    """
    status_action_taken = status_action(old_status, obj.effective_status)
    if status_action_taken is not None:
        details = {"old": old_status, "new": obj.status, **details}
        if status_action_taken == Action.SCHEDULE:
            details.setdefault("published_at", obj.published_at)
    return entry(user, status_action_taken or action, obj, **details)


def record_change(user, obj, *, old_status, action, **details):
    row = change_entry(user, obj, old_status=old_status, action=action, **details)
    row.save()
    return row


def record_imported(changes):
    """One entry per imported object, as (obj, old_status, revision), in one query."""
    AuditEntry.objects.bulk_create(
        change_entry(
            None,
            obj,
            old_status=old_status,
            action=Action.IMPORT,
            revision=revision.pk,
            summary=revision.summary,
        )
        for obj, old_status, revision in changes
    )


def status_action(old, new):
    """The audit action for content's (effective) status going from old to new, or None."""
    if old == new:
        return None
    if new == Status.TRASH:
        return Action.TRASH
    if old == Status.TRASH:
        return Action.RESTORE
    if new == Status.PUBLISHED:
        return Action.PUBLISH
    if new == Status.SCHEDULED:
        return Action.SCHEDULE
    if old in Status.live():
        return Action.UNPUBLISH
    if new == Status.PENDING:
        return Action.SUBMIT
    if old == Status.PENDING and new == Status.DRAFT:
        return Action.SEND_BACK
    return None


# Role changes: the groups of a user, changed from either side of the relation.

_CLEARED = "_audit_cleared_groups"


def groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if _paused.get():
        return
    User = get_user_model()
    if action == "pre_clear":
        users = [instance] if not reverse else list(instance.user_set.all())
        setattr(
            instance,
            _CLEARED,
            {
                user.pk: list(user.groups.values_list("name", flat=True))
                for user in users
            },
        )
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    key = "added" if action == "post_add" else "removed"
    if action == "post_clear":
        for user_pk, names in getattr(instance, _CLEARED, {}).items():
            if not reverse:
                user = instance
            else:
                user = User.objects.filter(pk=user_pk).first()
                names = [instance.name]
            if names and user is not None:
                record(acting_user(), Action.ROLE_CHANGE, user, removed=names)
        return
    if not pk_set:
        return
    if reverse:
        for user in User.objects.filter(pk__in=pk_set):
            record(acting_user(), Action.ROLE_CHANGE, user, **{key: [instance.name]})
    else:
        names = sorted(
            model.objects.filter(pk__in=pk_set).values_list("name", flat=True)
        )
        record(acting_user(), Action.ROLE_CHANGE, instance, **{key: names})


m2m_changed.connect(
    groups_changed,
    sender=get_user_model().groups.through,
    dispatch_uid="articles.audit.groups_changed",
)
