import sys
import time

from django.core.management.base import BaseCommand, CommandError

from articles import demo_site


class Command(BaseCommand):
    help = (
        "Grow the demo site to a number of generated articles, cloned from the "
        "seed article (run load_demo first). Running it again adds only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles",
            type=int,
            default=10_000,
            help="How many generated articles the site should have (default 10,000).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the generated articles first (editors' articles are kept).",
        )

    def handle(self, *args, articles, reset, verbosity, **options):
        seed = demo_site.seed_article()
        if seed is None:
            raise CommandError(
                "The seed article is missing: run `manage.py load_demo` first."
            )
        if reset:
            removed = demo_site.remove_generated()
            self.stdout.write(f"Removed {removed:,} generated articles.")
        started = time.monotonic()

        def progress(done):
            if verbosity and sys.stderr.isatty():
                sys.stderr.write(f"\r{done:,} / {articles:,} articles")
                sys.stderr.flush()

        result = demo_site.generate(articles, seed=seed, progress=progress)
        if verbosity and sys.stderr.isatty():
            sys.stderr.write("\n")
        self.stdout.write(
            f"Generated {result.articles:,} articles in "
            f"{time.monotonic() - started:.1f} s; {result.total:,} generated in all."
        )
