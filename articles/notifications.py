"""
The e-mails of the review workflow: an Author's submission tells the
editors, an editor's decision tells the author. Sent by articles/publishing
after the change is committed.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from articles.models import PublicationStatus as Status


def status_changed(article, *, old_status, user, comment=""):
    """Tell the people concerned that a committed change moved the article's status."""
    new_status = article.effective_status
    if old_status == new_status:
        return
    if new_status == Status.PENDING:
        notify_editors_of_submission(article, user=user)
    elif old_status == Status.PENDING and new_status in Status.live():
        notify_author_of_approval(article)
    elif old_status == Status.PENDING and new_status == Status.DRAFT:
        notify_author_of_send_back(article, comment=comment)


def editors():
    """Active users who may publish and have an e-mail address."""
    perm = Q(codename="publish_article", content_type__app_label="articles")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__in=_permissions(perm))
            | Q(groups__permissions__in=_permissions(perm))
        )
        .distinct()
    )


def _permissions(condition):
    return Permission.objects.filter(condition)


def author_email(obj):
    """The e-mail of the writer behind content; pages have none."""
    author = getattr(obj, "author", None)
    user = author.user if author is not None else None
    return user.email if user is not None and user.is_active else ""


def admin_link(obj):
    path = reverse(
        f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]
    )
    return settings.SITE_URL.rstrip("/") + path


def notify_editors_of_submission(article, *, user):
    recipients = [e.email for e in editors() if user is None or e.pk != user.pk]
    if not recipients:
        return
    who = user.get_full_name() or user.get_username() if user else "An author"
    send_mail(
        f"Review requested: {article.title}",
        f"{who} submitted “{article.title}” for review.\n\n"
        f"Review it here: {admin_link(article)}\n",
        None,
        recipients,
    )


def notify_author_of_approval(article):
    recipient = author_email(article)
    if not recipient:
        return
    when = (
        "It is live now."
        if article.is_published
        else "It goes live on "
        + timezone.localtime(article.published_at).strftime("%d %B %Y at %H:%M")
        + "."
    )
    send_mail(
        f"Approved: {article.title}",
        f"Your article “{article.title}” was approved. {when}\n\n{admin_link(article)}\n",
        None,
        [recipient],
    )


def notify_author_of_send_back(article, *, comment):
    recipient = author_email(article)
    if not recipient:
        return
    note = f"The editor's comment:\n\n{comment}\n\n" if comment else ""
    send_mail(
        f"Changes requested: {article.title}",
        f"Your article “{article.title}” was sent back to draft.\n\n{note}"
        f"Edit it here: {admin_link(article)}\n",
        None,
        [recipient],
    )
