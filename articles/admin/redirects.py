"""
Redirects and the 404 log they are made from.
"""

from urllib.parse import urlencode

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.admin.content import ContentChangeAdminMixin
from articles.models import (
    NotFound,
    Redirect,
)


@admin.register(Redirect)
class RedirectAdmin(ContentChangeAdminMixin, admin.ModelAdmin):
    list_display = [
        "old_path",
        "new_path",
        "status_code",
        "is_prefix",
        "hits",
        "last_hit_at",
        "target_link",
    ]
    list_filter = ["status_code", "is_prefix"]
    list_select_related = ["content_type"]
    search_fields = ["old_path", "new_path"]
    readonly_fields = ["target_link", "hits", "last_hit_at", "created_at"]
    fields = [
        "old_path",
        ("status_code", "is_prefix"),
        "new_path",
        "target_link",
        ("hits", "last_hit_at", "created_at"),
    ]

    @admin.display(description=_("follows"))
    def target_link(self, obj):
        """The content an automatic redirect follows when its URL changes again."""
        if obj.content_type_id is None:
            return "—"
        url = reverse(
            f"admin:{obj.content_type.app_label}_{obj.content_type.model}_change",
            args=[obj.object_id],
        )
        return format_html('<a href="{}">{}</a>', url, obj.target or obj.object_id)


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
