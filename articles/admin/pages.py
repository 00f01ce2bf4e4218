"""
The site's pages (About, Contact, the policies): the same change form,
revisions, previews, review and trash as articles, without bylines.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles import site_page
from articles.admin.publishable import PublishableAdmin, PublishableAdminForm
from articles.models import Page
from articles.search import results as search_results


@admin.register(Page)
class PageAdmin(PublishableAdmin):
    form = PublishableAdminForm
    list_display = [
        "title",
        "address",
        "page_type",
        "status_display",
        "language",
        "updated_at",
    ]
    list_filter = ["status", "language", "page_type"]
    list_select_related = ["parent"]
    search_fields = ["title", "slug", "excerpt", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["parent", "featured_image", "decorative_body_images"]
    readonly_fields = [
        "review_panel",
        "wordpress_id",
        "wordpress_link",
        "created_at",
        "updated_at",
    ]
    # As the article form: the text first, then the settings.
    fieldsets = [
        (_("Content"), {"fields": ["title", "body", "excerpt"]}),
        (
            _("Publishing"),
            {
                "fields": [
                    ("status", "published_at"),
                    ("minor_change", "change_note"),
                    ("slug", "language"),
                    "parent",
                    ("page_type", "menu_order"),
                    "review_panel",
                ]
            },
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
            _("Search engines"),
            {"fields": ["seo_title", "meta_description"]},
        ),
        (
            _("Search engines: canonical address and robots"),
            {
                "classes": ["collapse"],
                "fields": ["canonical_url", ("robots_noindex", "robots_nofollow")],
            },
        ),
        (
            _("WordPress origin"),
            {
                "classes": ["collapse"],
                "fields": [
                    "wordpress_id",
                    "wordpress_link",
                    ("created_at", "updated_at"),
                ],
            },
        ),
    ]

    @admin.display(description=_("address"), ordering="path")
    def address(self, obj):
        return obj.get_absolute_url()

    def get_search_results(self, request, queryset, search_term):
        """The list's search also finds words anywhere in a page's text, through the reader search's index."""
        found, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        if not search_term.strip():
            return found, may_have_duplicates
        return found | search_results.matching(
            queryset, search_term
        ), may_have_duplicates

    def render_preview(self, request, obj):
        return site_page.render_preview(
            request, Page.objects.for_detail().get(pk=obj.pk)
        )
