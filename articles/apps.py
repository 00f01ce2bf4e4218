from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Publishing"

    def ready(self):
        # The 404 log's signal, the audit log's role-change signal and the
        # removal of control characters.
        from articles import (  # noqa: F401
            audit,
            content_version,
            control_characters,
            purge,
            redirects,
        )
        from articles.publishing import content_changed
        from articles.roles import sync_roles
        from articles.search import index as search_index

        content_changed.connect(
            content_version.bump, dispatch_uid="articles.content_version"
        )
        content_changed.connect(purge.purge_changed, dispatch_uid="articles.purge")
        content_changed.connect(
            search_index.reindex_changed, dispatch_uid="articles.search_index"
        )
        # After each app's post_migrate, following auth's handler that creates
        # that app's permissions: the roles then cover every app, whatever
        # its place in INSTALLED_APPS.
        post_migrate.connect(sync_roles, dispatch_uid="articles.sync_roles")
