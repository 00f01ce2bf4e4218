from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.models import (
    Article,
    Author,
    Category,
    FAQItem,
    Image,
    KeyTakeaway,
    NotFound,
    Redirect,
    Reference,
    Tag,
)
from articles.roles import can_edit_others, can_publish, profile_for
from articles.seo_scoring import analyse_article, update_score

THUMBNAIL_WIDTH = 80

PUBLISHING_STATUSES = {
    Article.Status.PUBLISHED,
    Article.Status.SCHEDULED,
    Article.Status.PRIVATE,
}
# What an Author may still change: once an editor publishes or schedules an
# article, an Author's edit would go live unreviewed.
AUTHOR_EDITABLE_STATUSES = {Article.Status.DRAFT, Article.Status.PENDING}


def thumbnail(image, width=THUMBNAIL_WIDTH):
    if image is None or not image.url:
        return "—"
    height = (
        round(width * image.height / image.width)
        if image.width and image.height
        else width
    )
    return format_html(
        '<img src="{}" alt="" width="{}" height="{}" loading="lazy" style="object-fit:cover">',
        image.url,
        width,
        height,
    )


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


class FAQItemInline(admin.StackedInline):
    model = FAQItem
    fields = ["question", "answer", ("order", "anchor")]
    extra = 0


class ReferenceInline(admin.StackedInline):
    model = Reference
    fields = [
        ("title", "order"),
        ("authors", "publisher", "year"),
        "url",
        ("doi", "pubmed_id", "accessed_on"),
    ]
    extra = 0


class ArticleAdminForm(forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None and not can_publish(user) and "status" in self.fields:
            self.fields["status"].choices = [
                c for c in Article.Status.choices if c[0] in AUTHOR_EDITABLE_STATUSES
            ]

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status not in AUTHOR_EDITABLE_STATUSES and not can_publish(self.user):
            raise forms.ValidationError(
                _("Only editors can publish. Submit the article for review instead.")
            )
        return status

    def clean(self):
        cleaned = super().clean()
        due, reviewed = cleaned.get("next_review_due"), cleaned.get("last_reviewed_on")
        if due and reviewed and due < reviewed:
            self.add_error(
                "next_review_due", _("The next review cannot come before the last one.")
            )
        return cleaned


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
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
    ]
    readonly_fields = [
        "wordpress_id",
        "wordpress_guid",
        "wordpress_link",
        "wordpress_extra",
        "created_at",
        "updated_at",
        "seo_panel",
    ]
    inlines = [KeyTakeawayInline, FAQItemInline, ReferenceInline]
    actions = ["publish", "move_to_draft", "move_to_trash"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "language", "excerpt", "body"]}),
        (_("Publishing"), {"fields": [("status", "published_at"), "author", "sticky"]}),
        (
            _("Categories and tags"),
            {"fields": ["primary_category", "categories", "tags"]},
        ),
        (_("Featured image"), {"fields": ["featured_image", "featured_image_alt"]}),
        (
            _("Medical review"),
            {"fields": ["reviewer", ("last_reviewed_on", "next_review_due")]},
        ),
        (
            _("Search engines"),
            {
                "classes": ["collapse"],
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
        css = {"all": ["articles/admin/seo-preview.css"]}
        js = ["articles/admin/seo-preview.js"]

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

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, obj):
        return obj.effective_status.label

    @admin.display(description=_("image"))
    def featured_thumbnail(self, obj):
        return thumbnail(obj.featured_image)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if can_edit_others(request.user):
            return queryset
        return queryset.owned_by(request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)

        class RequestForm(form_class):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, user=request.user, **form_kwargs)

        return RequestForm

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

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or can_edit_others(request.user):
            return True
        return self._owns(request.user, obj) and (
            can_publish(request.user) or obj.status in AUTHOR_EDITABLE_STATUSES
        )

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return (
            obj is None
            or can_edit_others(request.user)
            or self._owns(request.user, obj)
        )

    @staticmethod
    def _owns(user, obj):
        return obj.author is not None and obj.author.user_id == user.pk

    def save_model(self, request, obj, form, change):
        # Authors always write under their own name; editors may credit anyone.
        if obj.author_id is None or not can_edit_others(request.user):
            obj.author = profile_for(request.user)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The form replaces the categories; the primary one always belongs to them.
        form.instance.categories.add(form.instance.primary_category_id)
        # After the inlines, so that references count.
        update_score(form.instance)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not can_publish(request.user):
            actions.pop("publish", None)
        return actions

    @admin.action(description=_("Publish selected articles"))
    def publish(self, request, queryset):
        if not can_publish(request.user):
            raise PermissionDenied
        articles = list(queryset.exclude(status=Article.Status.PUBLISHED))
        for article in articles:
            article.status = Article.Status.PUBLISHED
            article.save()
        self._report(request, len(articles), _("published or scheduled"))

    @admin.action(description=_("Move selected articles to draft"))
    def move_to_draft(self, request, queryset):
        self._set_status(request, queryset, Article.Status.DRAFT, _("moved to draft"))

    @admin.action(description=_("Move selected articles to the trash"))
    def move_to_trash(self, request, queryset):
        self._set_status(
            request, queryset, Article.Status.TRASH, _("moved to the trash")
        )

    def _set_status(self, request, queryset, status, done):
        articles = [a for a in queryset if a.status != status]
        for article in articles:
            if not self.has_change_permission(request, article):
                raise PermissionDenied
            article.status = status
            article.save()
        self._report(request, len(articles), done)

    def _report(self, request, count, done):
        message = ngettext(
            "%(count)d article %(done)s.", "%(count)d articles %(done)s.", count
        )
        self.message_user(
            request, message % {"count": count, "done": done}, messages.SUCCESS
        )


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "article_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    readonly_fields = ["wordpress_id"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("parent")
            .annotate(article_count=Count("articles"))
            # Aggregation drops Meta.ordering; pages and autocomplete need one.
            .order_by("name")
        )

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, obj):
        return obj.article_count


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["wordpress_id"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(article_count=Count("tagged_articles"))
            .order_by("name")
        )

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, obj):
        return obj.article_count


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["display_name", "credentials", "user", "photo_thumbnail"]
    search_fields = ["display_name", "credentials"]
    prepopulated_fields = {"slug": ["display_name"]}
    autocomplete_fields = ["photo"]
    list_select_related = ["user", "photo"]
    readonly_fields = ["wordpress_id"]

    @admin.display(description=_("photo"))
    def photo_thumbnail(self, obj):
        return thumbnail(obj.photo, width=48)


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "__str__", "alt_text", "dimensions", "created_at"]
    list_display_links = ["thumbnail", "__str__"]
    search_fields = ["title", "alt_text", "caption", "source_url"]
    readonly_fields = [
        "preview",
        "width",
        "height",
        "wordpress_id",
        "uploaded_by",
        "created_at",
    ]
    fields = [
        "preview",
        "file",
        "source_url",
        "title",
        "alt_text",
        "caption",
        "credit",
        ("width", "height"),
        "wordpress_id",
        ("uploaded_by", "created_at"),
    ]

    @admin.display(description=_("image"))
    def thumbnail(self, obj):
        return thumbnail(obj)

    @admin.display(description=_("preview"))
    def preview(self, obj):
        return thumbnail(obj, width=320) if obj.pk else "—"

    @admin.display(description=_("size"))
    def dimensions(self, obj):
        return f"{obj.width} × {obj.height}" if obj.width and obj.height else "—"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        picker = path(
            "picker/",
            self.admin_site.admin_view(self.picker_view),
            name="articles_image_picker",
        )
        return [picker, *super().get_urls()]

    def picker_view(self, request):
        """The image browser the body editor opens to place a library image."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        queryset = self.get_queryset(request)
        query = request.GET.get("q", "").strip()
        if query:
            queryset = queryset.filter(title__icontains=query) | queryset.filter(
                alt_text__icontains=query
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Choose an image"),
            "images": queryset[:60],
            "query": query,
            "callback": request.GET.get("CKEditorFuncNum", ""),
            "opts": self.model._meta,
            "is_popup": True,
        }
        return TemplateResponse(request, "admin/articles/image/picker.html", context)


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    list_display = [
        "old_path",
        "new_path",
        "status_code",
        "is_prefix",
        "hits",
        "last_hit_at",
        "article",
    ]
    list_filter = ["status_code", "is_prefix"]
    search_fields = ["old_path", "new_path"]
    autocomplete_fields = ["article"]
    readonly_fields = ["hits", "last_hit_at", "created_at"]
    fields = [
        "old_path",
        ("status_code", "is_prefix"),
        "new_path",
        "article",
        ("hits", "last_hit_at", "created_at"),
    ]


@admin.register(NotFound)
class NotFoundAdmin(admin.ModelAdmin):
    list_display = ["path", "hits", "last_seen_at", "referrer", "create_redirect"]
    search_fields = ["path", "referrer"]
    readonly_fields = ["path", "hits", "referrer", "first_seen_at", "last_seen_at"]
    date_hierarchy = "last_seen_at"

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("fix"))
    def create_redirect(self, obj):
        url = reverse("admin:articles_redirect_add")
        return format_html(
            '<a class="button" href="{}?{}">{}</a>',
            url,
            urlencode({"old_path": obj.path}, safe="/"),
            _("Create redirect"),
        )
