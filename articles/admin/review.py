"""
The editors' review queue and the comments sent to authors.
"""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.models import Article, PendingArticle, ReviewComment, SignOff
from articles.roles import can_publish


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


class SignOffDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[
            ("approve", _("Sign off: what it says is accurate and safe")),
            ("send_back", _("Send back with what to change")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("comment for the writer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Required when sending back, e.g. “The dose in step 2 is too high.”"
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("decision") == "send_back"
            and not cleaned.get("comment", "").strip()
        ):
            self.add_error("comment", _("Tell the writer what to change."))
        return cleaned


@admin.register(SignOff)
class SignOffAdmin(admin.ModelAdmin):
    """
    The medical sign-offs, read-only: they are asked for and decided
    through the publishing service, never typed. A reviewer sees theirs.
    """

    list_display = [
        "article",
        "reviewer",
        "decision",
        "requested_at",
        "decided_at",
        "decide",
    ]
    list_filter = ["decision"]
    list_select_related = ["article", "reviewer"]
    search_fields = ["article__title", "reviewer__display_name"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.has_perm("articles.edit_others_articles"):
            return queryset
        return queryset.filter(reviewer__user=request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("decide"))
    def decide(self, obj):
        if obj.decision != SignOff.Decision.REQUESTED:
            return "—"
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("admin:articles_article_sign_off", args=[obj.article_id]),
            _("Read and decide"),
        )


@admin.register(PendingArticle)
class ReviewQueueAdmin(admin.ModelAdmin):
    """The editors' queue: articles submitted for review, oldest first."""

    list_display = ["title", "author", "primary_category", "updated_at", "review"]
    list_display_links = None
    list_select_related = ["author", "primary_category"]
    search_fields = ["title"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(status=Article.Status.PENDING)
            .order_by("updated_at")
        )

    def has_view_permission(self, request, obj=None):
        return can_publish(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("decision"))
    def review(self, obj):
        return format_html(
            '<a class="button" href="{}">{}</a> <a href="{}">{}</a>',
            reverse("admin:articles_article_review", args=[obj.pk]),
            _("Review"),
            reverse("admin:articles_article_change", args=[obj.pk]),
            _("Edit"),
        )


@admin.register(ReviewComment)
class ReviewCommentAdmin(admin.ModelAdmin):
    list_display = ["content_object", "user", "created_at", "__str__"]
    list_select_related = ["user", "content_type"]
    readonly_fields = ["content_object", "user", "created_at"]
    fields = ["content_object", "user", "created_at", "text"]

    def has_add_permission(self, request):
        return False
