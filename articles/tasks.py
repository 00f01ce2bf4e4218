"""
The work done outside the request, as tasks of Django's Tasks framework
(django-tasks until Django 6): an image's renditions, the review,
sign-off and invitation e-mails, and SEO re-scores. articles/publishing/events.py
enqueues them once a change commits; `manage.py db_worker` runs them
(`make run` and `make serve` start it beside the server).

Each task takes ids, never objects, and reads what it needs when it runs,
so that it acts on what is stored then: a task whose object was deleted
meanwhile does nothing. A task that runs twice does no harm: renditions
fill in what is missing, a score is computed again, and an e-mail is sent
once for what it tells of (SentMail).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from articles import access, notifications, renditions
from articles.models import Article, AuditEntry, Image, SentMail, SignOff
from articles.seo_scoring import update_score, update_scores

# People wait for the e-mails; a rendition takes seconds and readers have
# the original meanwhile.
MAIL_PRIORITY = 10


@task()
def make_renditions(image_id: int, remake_crops: bool = False) -> int:
    """
    Make the renditions an image lacks, or its crops again after the focal
    point moved, and let readers' pages draw them. Return how many were made.
    """
    image = Image.objects.filter(pk=image_id).first()
    if image is None or not image.file:
        return 0
    made = (
        renditions.remake_crops(image)
        if remake_crops
        else renditions.make_renditions(image)
    )
    if made:
        # Imported here: events imports this module to enqueue its tasks.
        from articles.publishing import events

        # Pages cached with the original now have renditions to draw.
        events.after_commit([image], rescore=False)
    return made


@task()
def rescore(article_ids: list[int]) -> int:
    """Analyse these articles again and store their SEO scores; return how many."""
    ids = list(Article.objects.filter(pk__in=article_ids).values_list("pk", flat=True))
    if len(ids) == 1:
        update_score(Article.objects.get(pk=ids[0]))
        return 1
    return update_scores(ids) if ids else 0


@task(priority=MAIL_PRIORITY)
def send_status_mail(audit_entry_id: int) -> bool:
    """
    Tell the people concerned of the status change an audit entry records
    (a submission, an approval, a send-back). Return whether it was sent now.
    """
    entry = (
        AuditEntry.objects.select_related("user", "content_type")
        .filter(pk=audit_entry_id)
        .first()
    )
    model = entry.content_type.model_class() if entry and entry.content_type else None
    obj = model.objects.filter(pk=entry.object_id).first() if model else None
    if obj is None or "new" not in entry.details:
        return False
    return _send_once(
        f"audit:{entry.pk}",
        lambda: notifications.status_changed(
            obj,
            old_status=entry.details.get("old"),
            new_status=entry.details["new"],
            user=entry.user,
            comment=entry.details.get("comment", ""),
        ),
    )


@task(priority=MAIL_PRIORITY)
def send_sign_off_mail(sign_off_id: int) -> bool:
    """
    Ask the reviewer of a sign-off request, or, once it is decided, tell
    whoever asked. Return whether it was sent now.
    """
    request = (
        SignOff.objects.select_related(
            "article", "reviewer__user", "requested_by", "decided_by"
        )
        .filter(pk=sign_off_id)
        .first()
    )
    if request is None:
        return False
    if request.decision == SignOff.Decision.REQUESTED:
        return _send_once(
            f"sign-off:{request.pk}:requested",
            lambda: notifications.sign_off_requested(request),
        )
    return _send_once(
        f"sign-off:{request.pk}:decided",
        lambda: notifications.sign_off_decided(request),
    )


@task(priority=MAIL_PRIORITY)
def send_invitation_mail(user_id: int, *, invited_by_id: int, site_url: str) -> bool:
    """E-mail an invited person their link, once. Return whether it was sent now."""
    User = get_user_model()
    user = User.objects.filter(pk=user_id, is_active=False).first()
    if user is None:
        return False  # Gone, or already accepted.
    return _send_once(
        f"invitation:{user.pk}:{user.date_joined.isoformat()}",
        lambda: access.send_invitation(
            user,
            invited_by=User.objects.filter(pk=invited_by_id).first(),
            site_url=site_url,
        ),
    )


def _send_once(key: str, send) -> bool:
    """
    Send unless an e-mail under this key was sent. The key is taken before
    sending, so that no database lock is held while the mail server
    answers, and given back if sending fails, so that a retry sends it.
    """
    _row, created = SentMail.objects.get_or_create(key=key)
    if not created:
        return False
    try:
        send()
    except BaseException:
        SentMail.objects.filter(key=key).delete()
        raise
    return True
