"""
The site's identity and its menus. Both show on every page, so their saves
go through the publishing service like content (audited, and every page is
fresh on the next request).
"""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles import site_settings
from articles.admin.content import ContentChangeAdminMixin
from articles.admin.widgets import SafeAutocompleteAdminMixin
from articles.models import Menu, MenuItem, SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(
    ContentChangeAdminMixin, SafeAutocompleteAdminMixin, admin.ModelAdmin
):
    """One row per site: the list opens it, and it is made from the environment's defaults."""

    autocomplete_fields = ["logo", "share_image"]
    fieldsets = [
        (None, {"fields": ["name", "tagline", "logo", "share_image"]}),
        (
            _("The organization"),
            {
                "description": _(
                    "Search engines show these as who publishes the site "
                    "(schema.org Organization in every page)."
                ),
                "fields": [
                    ("organization_type", "legal_name"),
                    "street_address",
                    ("postal_code", "locality", "country"),
                    ("telephone", "email"),
                    "medical_specialty",
                    "social_profiles",
                ],
            },
        ),
        (_("Footer"), {"fields": ["footer_disclaimer"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        identity = SiteSettings.objects.filter(site_id=settings.SITE_ID).first()
        if identity is None:
            identity = site_settings.from_environment()
            identity.save()
        return redirect(
            reverse("admin:articles_sitesettings_change", args=[identity.pk])
        )


class MenuItemInline(admin.TabularInline):
    model = MenuItem
    fields = ["label", "page", "category", "article", "url", "nested", "order"]
    autocomplete_fields = ["page", "category", "article"]
    extra = 0
    classes = ["sortable-rows"]


@admin.register(Menu)
class MenuAdmin(ContentChangeAdminMixin, admin.ModelAdmin):
    list_display = ["title", "location", "language", "order"]
    list_filter = ["location", "language"]
    inlines = [MenuItemInline]

    class Media:
        js = ["articles/admin/sortable-rows.js"]
        css = {"all": ["articles/admin/sortable-rows.css"]}
