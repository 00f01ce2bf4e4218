from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Publishing"

    def ready(self):
        # Connect the signals of the sitemap cache and of the 404 log.
        # Connect the audit log's role-change signal too.
        from articles import audit, redirects, sitemaps  # noqa: F401
        from articles.roles import sync_roles

        # After every migrate (and auth's own post_migrate, which creates the
        # permissions: it runs first, as auth comes before articles).
        post_migrate.connect(
            sync_roles, sender=self, dispatch_uid="articles.sync_roles"
        )
