"""
The review workflow: an Author submits an article for review, an editor
approves it (publish now or at a date) or sends it back to draft with a
comment. Every status change made in the admin goes through
status_changed(), which writes the audit log and sends the e-mails.
"""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles import audit
from articles.models import Article, ReviewComment

Status = Article.Status
LIVE = {Status.PUBLISHED, Status.SCHEDULED}


def previous_status(article):
    """The effective status the article had when it was loaded (None if new)."""
    loaded = getattr(article, "_loaded_url_parts", None)
    if article.pk is None or not loaded:
        return None
    status, published_at = loaded["status"], loaded["published_at"]
    if status in LIVE:
        return Status.SCHEDULED if published_at > timezone.now() else Status.PUBLISHED
    return Status(status)


def status_changed(article, *, old_status, user, comment=""):
    """Record a saved article's status change and tell the people concerned."""
    new_status = article.effective_status
    if old_status == new_status:
        return
    audit.record_status_change(user, article, old_status)
    if new_status == Status.PENDING:
        notify_editors_of_submission(article, user=user)
    elif old_status == Status.PENDING and new_status in LIVE:
        notify_author_of_approval(article)
    elif old_status == Status.PENDING and new_status == Status.DRAFT:
        notify_author_of_send_back(article, comment=comment)


def approve(article, *, user, publish_at=None):
    """Publish a pending article now, or schedule it for publish_at."""
    old_status = previous_status(article)
    article.status = Status.PUBLISHED
    article.published_at = publish_at or timezone.now()
    article.save()
    status_changed(article, old_status=old_status, user=user)


def send_back(article, *, user, comment):
    """Return an article to its author as a draft, with the editor's comment."""
    old_status = previous_status(article)
    ReviewComment.objects.create(article=article, user=user, text=comment)
    article.status = Status.DRAFT
    article.save()
    status_changed(article, old_status=old_status, user=user, comment=comment)


class ReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[
            ("approve", _("Approve: publish now, or at the date below")),
            ("send_back", _("Send back to the author as a draft")),
        ],
        widget=forms.RadioSelect,
    )
    publish_at = forms.DateTimeField(
        label=_("publish at"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty to publish now; a future date schedules it."),
    )
    comment = forms.CharField(
        label=_("comment for the author"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Required when sending back, e.g. “Cite a source for the dosage.”"),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("decision") == "send_back"
            and not cleaned.get("comment", "").strip()
        ):
            self.add_error("comment", _("Tell the author what to change."))
        return cleaned


# E-mail


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
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(condition)


def author_email(article):
    user = article.author.user if article.author_id else None
    return user.email if user is not None and user.is_active else ""


def admin_link(article):
    path = reverse("admin:articles_article_change", args=[article.pk])
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
