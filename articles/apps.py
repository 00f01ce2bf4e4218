from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Publishing"

    def ready(self):
        # Connect the signals of the sitemap cache and of the 404 log, the
        # audit log's role-change signal and the removal of control characters.
        from articles import audit, control_characters, redirects, sitemaps  # noqa: F401
        from articles.roles import sync_roles

        # After each app's post_migrate, following auth's handler that creates
        # that app's permissions: the roles then cover every app, whatever
        # its place in INSTALLED_APPS.
        post_migrate.connect(sync_roles, dispatch_uid="articles.sync_roles")
