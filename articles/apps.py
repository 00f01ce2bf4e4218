from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Publishing"

    def ready(self):
        # Connect the signals of the sitemap cache and of the 404 log.
        from articles import redirects, sitemaps  # noqa: F401
