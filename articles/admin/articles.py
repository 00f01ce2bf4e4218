"""
The article admin: its list, its form with the inlines, the SEO analysis
and the medical review fields. What all published content shares (saving
through the service, revisions, autosave, previews, review, trash) is
admin/publishable.py.
"""

from django.contrib import admin
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles import article_page
from articles.admin.images import thumbnail
from articles.admin.publishable import PublishableAdmin, PublishableAdminForm
from articles.models import Article, FAQItem, KeyTakeaway, Reference
from articles.roles import can_edit_others
from articles.seo_scoring import analyse_article


class ReviewOverdueFilter(admin.SimpleListFilter):
    title = _("medical review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", _("Review overdue")), ("never", _("Never reviewed"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(next_review_due__lt=timezone.localdate())
        if self.value() == "never":
            return queryset.filter(last_reviewed_on__isnull=True)
        return queryset


class KeyTakeawayInline(admin.TabularInline):
    model = KeyTakeaway
    fields = ["text", "order"]
    extra = 0
    classes = ["sortable-rows"]


class FAQItemInline(admin.StackedInline):
    model = FAQItem
    fields = ["question", "answer", ("order", "anchor")]
    extra = 0
    classes = ["sortable-rows"]


class ReferenceInline(admin.StackedInline):
    model = Reference
    fields = [
        ("title", "order"),
        ("authors", "publisher", "year"),
        "url",
        ("doi", "pubmed_id", "accessed_on"),
    ]
    extra = 0
    classes = ["sortable-rows"]


class ArticleAdminForm(PublishableAdminForm):
    def clean(self):
        cleaned = super().clean()
        due, reviewed = cleaned.get("next_review_due"), cleaned.get("last_reviewed_on")
        if due and reviewed and due < reviewed:
            self.add_error(
                "next_review_due", _("The next review cannot come before the last one.")
            )
        return cleaned


@admin.register(Article)
class ArticleAdmin(PublishableAdmin):
    form = ArticleAdminForm
    list_display = [
        "title",
        "status_display",
        "primary_category",
        "author",
        "published_at",
        "updated_at",
        "seo_score_display",
        "featured_thumbnail",
    ]
    list_filter = [
        "status",
        "language",
        "sticky",
        ReviewOverdueFilter,
        "primary_category",
        "author",
    ]
    list_select_related = ["primary_category", "author", "featured_image"]
    search_fields = ["title", "slug", "excerpt", "focus_keyphrases"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = [
        "primary_category",
        "categories",
        "author",
        "reviewer",
        "featured_image",
        "decorative_body_images",
    ]
    readonly_fields = [
        "wordpress_id",
        "wordpress_guid",
        "wordpress_link",
        "wordpress_extra",
        "created_at",
        "updated_at",
        "seo_panel",
        "review_panel",
    ]
    inlines = [KeyTakeawayInline, FAQItemInline, ReferenceInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "language", "excerpt", "body"]}),
        (
            _("Publishing"),
            {
                "fields": [
                    ("status", "published_at"),
                    "author",
                    "sticky",
                    "review_panel",
                ]
            },
        ),
        (
            _("Categories and tags"),
            {"fields": ["primary_category", "categories", "tags"]},
        ),
        (
            _("Images"),
            {
                "fields": [
                    "featured_image",
                    "featured_image_alt",
                    "featured_image_decorative",
                    "decorative_body_images",
                ]
            },
        ),
        (
            _("Medical review"),
            {"fields": ["reviewer", ("last_reviewed_on", "next_review_due")]},
        ),
        (
            _("Search engines"),
            {
                # Open, not collapsed: the analysis is what editors act on.
                "fields": [
                    "seo_panel",
                    "seo_title",
                    "meta_description",
                    "focus_keyphrases",
                    "canonical_url",
                    ("robots_noindex", "robots_nofollow"),
                ],
            },
        ),
        (
            _("WordPress origin"),
            {
                "classes": ["collapse"],
                "fields": [
                    "wordpress_id",
                    "wordpress_guid",
                    "wordpress_link",
                    "wordpress_extra",
                    ("created_at", "updated_at"),
                ],
            },
        ),
    ]

    class Media:
        css = {
            "all": [
                "articles/admin/seo-preview.css",
                "articles/admin/sortable-rows.css",
            ]
        }
        js = ["articles/admin/seo-preview.js", "articles/admin/sortable-rows.js"]

    @admin.display(description=_("SEO"), ordering="seo_score")
    def seo_score_display(self, obj):
        return "—" if obj.seo_score is None else obj.seo_score

    @admin.display(description=_("SEO analysis"))
    def seo_panel(self, obj):
        """The analysis of the article as last saved; saving runs it again."""
        if obj is None or obj.pk is None:
            return _("Save the article to see its SEO analysis.")
        return render_to_string(
            "admin/articles/article/seo_panel.html",
            {"analysis": analyse_article(obj), "article": obj},
        )

    @admin.display(description=_("image"))
    def featured_thumbnail(self, obj):
        return thumbnail(obj.featured_image)

    def get_queryset(self, request):
        queryset = (
            super().get_queryset(request).prefetch_related("featured_image__renditions")
        )
        if can_edit_others(request.user):
            return queryset
        return queryset.owned_by(request.user)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not can_edit_others(request.user):
            readonly.append("author")
        return readonly

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        profile = getattr(request.user, "author_profile", None)
        if profile is not None:
            initial.setdefault("author", profile.pk)
        return initial

    def render_preview(self, request, obj):
        return article_page.render_preview(
            request, Article.objects.for_detail().get(pk=obj.pk)
        )

    def review_done_url(self):
        return reverse("admin:articles_pendingarticle_changelist")
