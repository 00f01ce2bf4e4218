from django.core.management.base import BaseCommand

from articles.models import Article
from articles.seo_scoring import update_scores


class Command(BaseCommand):
    help = "Run the SEO analysis on articles and store their scores (the sortable column in the admin)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing-only",
            action="store_true",
            help="Only articles that have no score yet.",
        )

    def handle(self, *args, missing_only, **options):
        articles = Article.objects.exclude(status=Article.Status.TRASH)
        if missing_only:
            articles = articles.filter(seo_score__isnull=True)
        count = update_scores(articles.values_list("pk", flat=True))
        self.stdout.write(f"Scored {count} articles.")
