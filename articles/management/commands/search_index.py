import time

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand

from articles.models import SearchDocument
from articles.search import index
from articles.search.kinds import registered


class Command(BaseCommand):
    help = (
        "Report on the reader search index, or rebuild it with --rebuild "
        "(after an import made without the publishing service, or a change "
        "of what is indexed)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="Write every document and the lexicon afresh.",
        )

    def handle(self, *args, rebuild, **options):
        if rebuild:
            started = time.perf_counter()
            written = index.rebuild(
                progress=lambda count: self.stderr.write(
                    f"\r{count} indexed", ending=""
                )
            )
            self.stderr.write("")
            self.stdout.write(
                f"Indexed {written} documents in {time.perf_counter() - started:.1f} s."
            )
            return
        for kind in registered():
            model = kind.model
            documents = SearchDocument.objects.filter(
                content_type=ContentType.objects.get_for_model(model)
            ).count()
            self.stdout.write(
                f"{model._meta.verbose_name_plural}: {documents} documents for "
                f"{model._default_manager.count()} objects."
            )
