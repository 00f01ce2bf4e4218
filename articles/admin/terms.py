"""
Categories and tags.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import JsonResponse
from django.urls import path
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
