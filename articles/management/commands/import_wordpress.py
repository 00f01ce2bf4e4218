import argparse
import sys
import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from articles.importers.wordpress import media
from articles.importers.wordpress.load import ACTIONS, import_items
from articles.importers.wordpress.load.menus import is_named
from articles.importers.wordpress.sources import read_posts
from articles.seo_scoring import update_scores

PROGRESS_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Import from WordPress: REST API JSON (files with one post or page or a "
        "list of them, with or without _embed), WXR export files (Tools → Export: "
        "posts, pages, menus and the site's name), or directories of them. "
        "Importing again updates what changed and leaves the rest."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="+",
            metavar="PATH",
            help="A .json or .xml (WXR) file, or a directory of them.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would change, and save nothing.",
        )
        parser.add_argument(
            "--progress",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="Draw a progress bar on stderr (the default when stderr is a terminal).",
        )
        parser.add_argument(
            "--header-menu",
            metavar="NAME",
            help=(
                "The WordPress menu (its name or slug) to make the header menu of "
                "its language. WXR files do not say which menu the theme showed "
                "where; by default it is the first named like Header, Main, Primary, "
                "Top or Hoofdmenu, else the first."
            ),
        )
        parser.add_argument(
            "--fetch-media",
            action="store_true",
            help=(
                "Download images that still live on the old site into the library "
                "and make their renditions. Offline, they stay remote and keep working."
            ),
        )

    def handle(
        self,
        *args,
        paths,
        dry_run,
        verbosity,
        progress,
        fetch_media=False,
        header_menu=None,
        **options,
    ):
        items = list(read_posts(paths))
        menus = [item.menu for item in items if item.menu is not None]
        if header_menu and not any(is_named(menu, header_menu) for menu in menus):
            names = ", ".join(f"“{menu.name}”" for menu in menus) or "none"
            raise CommandError(
                f"No menu is named “{header_menu}”. The export's menus: {names}."
            )
        if progress is None:
            progress = sys.stderr.isatty() and len(items) > 1
        counts = Counter()
        started = time.monotonic()
        changed = []
        for outcome in import_items(items, dry_run=dry_run, header_menu=header_menu):
            counts[outcome.action] += 1
            if outcome.action in ("created", "updated") and outcome.article_id:
                changed.append(outcome.article_id)
            if progress:
                self.draw_progress(counts.total(), len(items), started=started)
            # With a bar, only what needs attention is listed line by line.
            if verbosity >= 2 or (
                verbosity >= 1
                and (
                    not progress
                    or outcome.action in ("skipped", "failed")
                    or outcome.notice
                )
            ):
                self.stdout.write(self.format_outcome(outcome))
        if progress:
            self.stderr.write("")
        summary = ", ".join(f"{action} {counts[action]}" for action in ACTIONS)
        self.stdout.write(
            f"{summary} (dry run: nothing was saved)" if dry_run else summary
        )
        if fetch_media and not dry_run:
            self.fetch_media()
        if changed and not dry_run:
            # The admin's SEO column is sortable because scores are stored.
            update_scores(changed)
        if counts["failed"]:
            raise CommandError(
                f"{counts['failed']} of {counts.total()} items failed to import."
            )

    def draw_progress(self, done, total, *, started):
        filled = PROGRESS_WIDTH * done // max(total, 1)
        rate = done / max(time.monotonic() - started, 1e-6)
        bar = "#" * filled + " " * (PROGRESS_WIDTH - filled)
        self.stderr.write(
            f"\r[{bar}] {done}/{total} {100 * done // max(total, 1)}% {rate:.0f}/s",
            ending="",
        )
        self.stderr.flush()

    def format_outcome(self, outcome):
        style = {
            "created": self.style.SUCCESS,
            "updated": self.style.SUCCESS,
            "skipped": self.style.WARNING,
            "failed": self.style.ERROR,
        }.get(outcome.action, str)
        line = f"{style(f'{outcome.action:<9}')} {outcome.title}"
        if outcome.reason:
            line = f"{line}: {outcome.reason}"
        if outcome.notice:
            line = f"{line}\n          {self.style.WARNING('Note:')} {outcome.notice}"
        return line

    def fetch_media(self):
        report = media.fetch_remote_images()
        for image, reason in report.failed:
            self.stderr.write(f"Not downloaded: {image.source_url}: {reason}")
        if report.offline:
            self.stdout.write(
                self.style.WARNING(
                    f"Offline: {len(report.failed)} images were not downloaded. They keep "
                    "rendering from their remote URLs; run again with --fetch-media later."
                )
            )
        else:
            self.stdout.write(
                f"Media: downloaded {len(report.downloaded)}, failed {len(report.failed)}."
            )
