from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Publishing"

    def ready(self):
        # Connects the signals that keep cached sitemaps current.
        from articles import sitemaps  # noqa: F401
