"""
The people shown on the site: bylines and medical reviewers.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.admin.content import ContentChangeAdminMixin
from articles.admin.images import thumbnail
from articles.admin.widgets import SafeAutocompleteAdminMixin
from articles.models import (
    Author,
)


@admin.register(Author)
class AuthorAdmin(
    ContentChangeAdminMixin, SafeAutocompleteAdminMixin, admin.ModelAdmin
):
    list_display = ["display_name", "credentials", "user", "photo_thumbnail"]
    search_fields = ["display_name", "credentials"]
    prepopulated_fields = {"slug": ["display_name"]}
    autocomplete_fields = ["photo"]
    list_select_related = ["user", "photo"]
    readonly_fields = ["wordpress_id"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("photo__renditions")

    @admin.display(description=_("photo"))
    def photo_thumbnail(self, obj):
        return thumbnail(obj.photo, width=48)
