"""
The editors' admin site: Django's, with a dashboard on its index (see
admin/dashboard.py) and plain names for the apps it shows.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.urls import path


class HealthpressAdminSite(admin.AdminSite):
    index_template = "admin/dashboard.html"

    def get_urls(self):
        from articles.admin import editor, users

        preferences = self.admin_view(users.preferences_view)
        return [
            path("preferences/", preferences, name="preferences"),
            path(
                "editor/video/",
                self.admin_view(editor.video_markup_view),
                name="editor_video",
            ),
            *super().get_urls(),
        ]

    def index(self, request, extra_context=None):
        from articles.admin import dashboard

        return super().index(
            request, {**dashboard.panels(request), **(extra_context or {})}
        )


class HealthpressAdminConfig(AdminConfig):
    default_site = "articles.admin_site.HealthpressAdminSite"
