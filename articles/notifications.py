"""
The e-mails of the review workflow: an Author's submission tells the
editors, an editor's decision tells the author. Sent by the tasks of
articles/tasks.py, which articles/publishing enqueues once the change is
committed, never inside the request.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from articles import languages
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
    return (
        users_with_perm("articles.publish_article")
        .exclude(email="")
        .select_related("preferences")
    )


def admin_link(obj):
    path = reverse(
        f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]
    )
    return settings.SITE_URL.rstrip("/") + path


def send(users, compose):
    """
    E-mail people what compose() writes, each in their preferred language
    (else the site's): one e-mail per language.
    """
    by_language = {}
    for person in users:
        language = languages.preferred_language(person) or settings.LANGUAGE_CODE
        by_language.setdefault(language, []).append(person.email)
    for language, recipients in by_language.items():
        with translation.override(language):
            subject, message = compose()
        send_mail(subject, message, None, recipients)


def author_user(obj):
    """The active writer with an e-mail behind content, or None; pages have none."""
    author = getattr(obj, "author", None)
    user = author.user if author is not None else None
    return user if user is not None and user.is_active and user.email else None


def notify_editors_of_submission(article, *, user):
    recipients = [e for e in editors() if user is None or e.pk != user.pk]

    def compose():
        who = (user.get_full_name() or user.get_username()) if user else _("An author")
        return (
            _("Review requested: %(title)s") % {"title": article.title},
            _("%(who)s submitted “%(title)s” for review.")
            % {"who": who, "title": article.title}
            + "\n\n"
            + _("Review it here: %(link)s") % {"link": admin_link(article)}
            + "\n",
        )

    send(recipients, compose)


def notify_author_of_approval(article):
    recipient = author_user(article)

    def compose():
        if article.is_published:
            when = _("It is live now.")
        else:
            when = _("It goes live on %(moment)s.") % {
                "moment": formats.date_format(
                    timezone.localtime(article.published_at), "DATETIME_FORMAT"
                )
            }
        return (
            _("Approved: %(title)s") % {"title": article.title},
            _("Your article “%(title)s” was approved.") % {"title": article.title}
            + f" {when}\n\n{admin_link(article)}\n",
        )

    send([recipient] if recipient else [], compose)


def notify_author_of_send_back(article, *, comment):
    recipient = author_user(article)

    def compose():
        note = _("The editor's comment:") + f"\n\n{comment}\n\n" if comment else ""
        return (
            _("Changes requested: %(title)s") % {"title": article.title},
            _("Your article “%(title)s” was sent back to draft.")
            % {"title": article.title}
            + f"\n\n{note}"
            + _("Edit it here: %(link)s") % {"link": admin_link(article)}
            + "\n",
        )

    send([recipient] if recipient else [], compose)


def sign_off_requested(request):
    """Ask the reviewer, with the link to the sign-off page."""
    user = request.reviewer.user
    if user is None or not user.is_active or not user.email:
        return
    asker = request.requested_by
    path = reverse("admin:articles_article_sign_off", args=[request.article_id])
    title = request.article.title

    def compose():
        who = (
            (asker.get_full_name() or asker.get_username()) if asker else _("An editor")
        )
        note = "\n\n" + _("Their note:") + f"\n\n{request.note}" if request.note else ""
        return (
            _("Sign-off requested: %(title)s") % {"title": title},
            _("%(who)s asks you to sign off “%(title)s”.")
            % {"who": who, "title": title}
            + f"{note}\n\n"
            + _("Read it and decide here: %(link)s")
            % {"link": f"{settings.SITE_URL.rstrip('/')}{path}"}
            + "\n",
        )

    send([user], compose)


def sign_off_decided(request):
    """Tell whoever asked what the reviewer decided."""
    asker = request.requested_by
    if asker is None or not asker.is_active or not asker.email:
        return
    approved = request.decision == request.Decision.APPROVED
    title = request.article.title

    def compose():
        comment = (
            "\n\n" + _("The reviewer's comment:") + f"\n\n{request.comment}"
            if request.comment
            else ""
        )
        if approved:
            subject = _("Signed off: %(title)s") % {"title": title}
            verdict = _("%(reviewer)s signed off “%(title)s”.")
        else:
            subject = _("Sent back with a comment: %(title)s") % {"title": title}
            verdict = _("%(reviewer)s sent back “%(title)s” with a comment.")
        return (
            subject,
            verdict % {"reviewer": request.reviewer, "title": title}
            + f"{comment}\n\n{admin_link(request.article)}\n",
        )

    send([asker], compose)
