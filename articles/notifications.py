"""
The e-mails of the review workflow: an Author's submission tells the
editors, an editor's decision tells the author. Sent by the tasks of
articles/tasks.py, which articles/publishing enqueues once the change is
committed, never inside the request.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from articles.models import PublicationStatus as Status
from articles.roles import users_with_perm


def status_changed(article, *, old_status, new_status, user, comment=""):
    """Tell the people concerned that a committed change moved the article's status."""
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
    return users_with_perm("articles.publish_article").exclude(email="")


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


def sign_off_requested(request):
    """Ask the reviewer, with the link to the sign-off page."""
    user = request.reviewer.user
    if user is None or not user.is_active or not user.email:
        return
    asker = request.requested_by
    who = (asker.get_full_name() or asker.get_username()) if asker else "An editor"
    path = reverse("admin:articles_article_sign_off", args=[request.article_id])
    note = f"\n\nTheir note:\n\n{request.note}" if request.note else ""
    send_mail(
        f"Sign-off requested: {request.article.title}",
        f"{who} asks you to sign off “{request.article.title}”.{note}\n\n"
        f"Read it and decide here: {settings.SITE_URL.rstrip('/')}{path}\n",
        None,
        [user.email],
    )


def sign_off_decided(request):
    """Tell whoever asked what the reviewer decided."""
    asker = request.requested_by
    if asker is None or not asker.is_active or not asker.email:
        return
    verdict = (
        "signed off"
        if request.decision == request.Decision.APPROVED
        else "sent back with a comment"
    )
    comment = (
        f"\n\nThe reviewer's comment:\n\n{request.comment}" if request.comment else ""
    )
    send_mail(
        f"{verdict.capitalize()}: {request.article.title}",
        f"{request.reviewer} {verdict} “{request.article.title}”.{comment}\n\n"
        f"{admin_link(request.article)}\n",
        None,
        [asker.email],
    )
