"""
Categories and tags.
"""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from articles.admin.content import ContentChangeAdminMixin
from articles.admin.widgets import SafeAutocompleteAdminMixin
from articles.models import (
    Category,
    Tag,
)


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


@admin.register(Tag)
class TagAdmin(ContentChangeAdminMixin, admin.ModelAdmin):
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
