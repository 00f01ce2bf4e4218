"""
The admin's index as a dashboard: what waits for this person (drafts,
reviews, sign-offs), what is coming (scheduled), what needs care (reviews
overdue, 404s worth a redirect) and what went live lately. Each panel is
one query of at most PANEL_ROWS rows, and shows only what the person may see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article, NotFound, SignOff
from articles.roles import can_edit_others, can_publish, can_sign_off

PANEL_ROWS = 8


@dataclass
class Row:
    label: str
    url: str
    detail: str = ""


@dataclass
class Panel:
    title: str
    rows: list[Row]
    more_url: str = ""
    empty: str = field(default_factory=lambda: _("Nothing here."))


def panels(request) -> dict:
    user = request.user
    found = [
        _my_drafts(user),
        _awaiting_review(user),
        _awaiting_sign_off(user),
        _scheduled(user),
        _review_overdue(user),
        _recently_published(user),
        _not_found(user),
    ]
    return {"dashboard": [panel for panel in found if panel is not None]}


def _article_rows(articles, detail):
    return [
        Row(
            str(article),
            reverse("admin:articles_article_change", args=[article.pk]),
            detail(article),
        )
        for article in articles[:PANEL_ROWS]
    ]


def _changelist(**filters):
    return f"{reverse('admin:articles_article_changelist')}?{urlencode(filters)}"


def _date(value):
    return timezone.localtime(value).strftime("%d %b %Y %H:%M") if value else ""


def _my_drafts(user):
    if not user.has_perm("articles.change_article"):
        return None
    drafts = Article.objects.owned_by(user).filter(status=Article.Status.DRAFT)
    return Panel(
        _("My drafts"),
        _article_rows(drafts.order_by("-updated_at"), lambda a: _date(a.updated_at)),
        _changelist(status="draft"),
        _("No drafts: a new article starts under Articles › Add."),
    )


def _awaiting_review(user):
    if not can_publish(user):
        return None
    pending = Article.objects.filter(status=Article.Status.PENDING).select_related(
        "author"
    )
    return Panel(
        _("Waiting for your review"),
        [
            Row(
                str(article),
                reverse("admin:articles_article_review", args=[article.pk]),
                str(article.author or ""),
            )
            for article in pending.order_by("updated_at")[:PANEL_ROWS]
        ],
        reverse("admin:articles_pendingarticle_changelist"),
    )


def _awaiting_sign_off(user):
    if not (can_sign_off(user) or can_edit_others(user)):
        return None
    requests = SignOff.objects.filter(
        decision=SignOff.Decision.REQUESTED
    ).select_related("article", "reviewer")
    mine = not can_edit_others(user)
    if mine:
        requests = requests.filter(reviewer__user=user)
    return Panel(
        _("Waiting for your sign-off") if mine else _("Waiting for a medical sign-off"),
        [
            Row(
                str(request.article),
                reverse("admin:articles_article_sign_off", args=[request.article_id])
                if request.reviewer.user_id == user.pk
                else reverse(
                    "admin:articles_article_change", args=[request.article_id]
                ),
                f"{request.reviewer} · {_date(request.requested_at)}",
            )
            for request in requests.order_by("requested_at")[:PANEL_ROWS]
        ],
        reverse("admin:articles_signoff_changelist"),
    )


def _scheduled(user):
    if not can_publish(user):
        return None
    coming = Article.objects.scheduled_after(timezone.now()).order_by("published_at")
    return Panel(
        _("Scheduled"),
        _article_rows(coming, lambda a: _date(a.published_at)),
        _changelist(status="scheduled"),
    )


def _review_overdue(user):
    if not (can_publish(user) or can_sign_off(user)):
        return None
    overdue = (
        Article.objects.published()
        .filter(next_review_due__lt=timezone.localdate())
        .order_by("next_review_due")
    )
    return Panel(
        _("Medical review overdue"),
        _article_rows(overdue, lambda a: a.next_review_due.strftime("%d %b %Y")),
        _changelist(review="overdue"),
    )


def _recently_published(user):
    if not user.has_perm("articles.view_article"):
        return None
    recent = Article.objects.published().order_by("-published_at")
    if not can_edit_others(user):
        recent = recent.owned_by(user)
    return Panel(
        _("Recently published"),
        _article_rows(recent, lambda a: _date(a.published_at)),
        _changelist(status="published"),
    )


def _not_found(user):
    if not user.has_perm("articles.add_redirect"):
        return None
    missing = NotFound.objects.order_by("-hits")[:PANEL_ROWS]
    return Panel(
        _("Broken links worth a redirect"),
        [
            Row(
                entry.path,
                f"{reverse('admin:articles_redirect_add')}?{urlencode({'old_path': entry.path}, safe='/')}",
                _("%(hits)d visits") % {"hits": entry.hits},
            )
            for entry in missing
        ],
        reverse("admin:articles_notfound_changelist"),
        _("No broken links were followed."),
    )
