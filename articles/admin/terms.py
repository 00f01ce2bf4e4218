"""
Categories and tags.
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import JsonResponse
from django.urls import path
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag as TaggitTag

from articles.admin.content import ContentChangeAdminMixin
from articles.admin.widgets import SafeAutocompleteAdminMixin
from articles.models import (
    Category,
    Tag,
)

# taggit registers its own Tag model's admin: this site's tags are its Tag.
admin.site.unregister(TaggitTag)


def other_languages():
    """The languages of the site but the default one, whose name and slug are the category's own."""
    return [
        (code, name)
        for code, name in settings.LANGUAGES
        if code != settings.LANGUAGE_CODE
    ]


CATEGORY_FIELDS = ["name", "slug", "description", "parent", "requires_sign_off"]


class CategoryAdminForm(forms.ModelForm):
    """
    The category with its name and slug in each other language of the
    site as fields of their own (category_form() adds them).
    """

    class Meta:
        model = Category
        fields = CATEGORY_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, _name in other_languages():
            known = (self.instance.translations or {}).get(code, {})
            self.initial.setdefault(f"name_{code}", known.get("name", ""))
            self.initial.setdefault(f"slug_{code}", known.get("slug", ""))

    def clean(self):
        cleaned = super().clean()
        translations = {}
        for code, _name in other_languages():
            name = (cleaned.get(f"name_{code}") or "").strip()
            slug = cleaned.get(f"slug_{code}") or slugify(name, allow_unicode=True)
            if name or slug:
                translations[code] = {"name": name, "slug": slug}
        # Checked by the model's clean(), which runs next.
        self.instance.translations = translations
        return cleaned


def language_fields():
    """The form fields of each other language: a language added to settings.LANGUAGES appears by itself."""
    fields = {}
    for code, name in other_languages():
        fields[f"name_{code}"] = forms.CharField(
            label=_("Name in %s") % name, max_length=200, required=False
        )
        fields[f"slug_{code}"] = forms.SlugField(
            label=_("Slug in %s") % name,
            max_length=200,
            allow_unicode=True,
            required=False,
            help_text=_(
                "E.g. “gezondheid” in /nl/gezondheid/. Made from the name when left empty."
            ),
        )
    return fields


def category_form():
    return type("CategoryAdminForm", (CategoryAdminForm,), language_fields())


@admin.register(Category)
class CategoryAdmin(
    ContentChangeAdminMixin, SafeAutocompleteAdminMixin, admin.ModelAdmin
):
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

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": [*CATEGORY_FIELDS, "wordpress_id"]}),
            (_("Other languages"), {"fields": list(language_fields())}),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        return super().get_form(request, obj, change, form=category_form(), **kwargs)


@admin.register(Tag)
class TagAdmin(ContentChangeAdminMixin, admin.ModelAdmin):
    suggestions = 10

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

    def get_urls(self):
        suggest = path(
            "suggest/",
            self.admin_site.admin_view(self.suggest_view),
            name="articles_tag_suggest",
        )
        return [suggest, *super().get_urls()]

    def suggest_view(self, request):
        """Existing tags whose name starts with what is typed, most used first."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        typed = request.GET.get("q", "").strip()[:100]
        names = (
            Tag.objects.filter(name__istartswith=typed)
            .annotate(uses=Count("tagged_articles"))
            .order_by("-uses", "name")
            .values_list("name", flat=True)[: self.suggestions]
            if typed
            else []
        )
        return JsonResponse({"tags": list(names)})
