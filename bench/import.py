#!/usr/bin/env python
"""
Benchmark the WordPress importer: generate realistic REST API posts (the
seed post's content with its FAQ block, figures, takeaways and references,
spread over 20 categories and 200 tags), import them into a throw-away
database, and report posts per second: for the import, for the SEO scores
that import_wordpress stores next, and for importing them again unchanged.

    .venv/bin/python bench/import.py                       # 10,000 posts, SQLite
    .venv/bin/python bench/import.py --database-url postgres://postgres@127.0.0.1:5432/hp_wp_bench

The database is created for the run and dropped afterwards (Django's test
database machinery: for PostgreSQL the database named in the URL is created
and dropped, so name one that holds nothing). Nothing listens on a port.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "demo" / "back-spasm-remedy.json"
SITE = "https://goldcitymedicalcenter.nl"
POSTS_PER_FILE = 500


def generate(count: int, directory: Path) -> None:
    """Write count posts as JSON arrays of POSTS_PER_FILE posts each."""
    seed = json.loads(SEED.read_text())
    content = seed["content"]["rendered"]
    batch = []
    for n in range(count):
        post = copy.deepcopy(seed)
        post_id = 100_000 + n
        category = n % 20
        tags = [(n * 7 + k) % 200 for k in range(3)]
        slug = f"{seed['slug']}-{n}"
        post["id"] = post_id
        post["slug"] = slug
        post["title"]["rendered"] = f"{seed['title']['rendered']} ({n})"
        post["link"] = f"{SITE}/en/topic-{category}/{slug}/"
        post["categories"] = [1000 + category]
        post["tags"] = [2000 + tag for tag in tags]
        post["featured_media"] = 500_000 + n * 10
        post["class_list"] = [
            f"post-{post_id}",
            "post",
            "hentry",
            f"category-topic-{category}",
            *(f"tag-subject-{tag}" for tag in tags),
        ]
        # Each post has figures of its own, as on a real site.
        post["content"]["rendered"] = (
            content.replace("wp-image-10882", f"wp-image-{500_000 + n * 10}")
            .replace("wp-image-1088", f"wp-image-{500_000 + n * 10 + 1}")
            .replace("bty-1377_image", f"bty-{n}_image")
        )
        batch.append(post)
        if len(batch) == POSTS_PER_FILE or n == count - 1:
            (directory / f"posts-{n // POSTS_PER_FILE:04}.json").write_text(
                json.dumps(batch)
            )
            batch = []


def cpu_seconds() -> tuple[float, float]:
    """
    CPU time of this process and of the import's workers (counted once they
    have exited): on a shared machine it shows what the code costs, whatever
    the load.
    """
    times = os.times()
    return times.user + times.system, times.children_user + times.children_system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument(
        "--database-url",
        default="",
        help="postgres://... to bench PostgreSQL; SQLite (a temporary file) otherwise.",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="Processes converting HTML (default: one per CPU; 1: no worker processes).",
    )
    parser.add_argument(
        "--changed",
        action="store_true",
        help="Also import every post again with its title changed (updates go one by one: slow).",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="wp-bench-") as temp:
        temp_dir = Path(temp)
        os.environ["DATABASE_URL"] = (
            args.database_url or f"sqlite:///{temp_dir / 'unused.sqlite3'}"
        )
        os.environ.setdefault("SECRET_KEY", "bench-only")
        os.environ.setdefault("CACHE_URL", "locmemcache://")
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
        # The project root instead of this folder, whose http.py would
        # shadow the standard library's http package (which Django imports).
        sys.path[0] = str(ROOT)

        import django
        from django.conf import settings

        django.setup()
        from django.db import connection

        database = settings.DATABASES["default"]
        if connection.vendor == "sqlite":
            database["TEST"]["NAME"] = str(temp_dir / "bench.sqlite3")
        else:
            database["TEST"]["NAME"] = database["NAME"]
        settings.WORDPRESS_SITE_URL = SITE

        posts_dir = temp_dir / "posts"
        posts_dir.mkdir()
        generate(args.posts, posts_dir)

        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            from articles.importers.wordpress.load import import_items
            from articles.importers.wordpress.sources import read_posts
            from articles.models import Article
            from articles.seo_scoring import update_scores

            def timed(label, run):
                started, cpu_started = time.perf_counter(), cpu_seconds()
                detail = run()
                elapsed = time.perf_counter() - started
                own, workers = (
                    now - then
                    for now, then in zip(cpu_seconds(), cpu_started, strict=True)
                )
                print(
                    f"{connection.vendor:<10} {label:<23} {args.posts} posts in "
                    f"{elapsed:6.1f} s = {args.posts / elapsed:7.0f} posts/s "
                    f"(CPU {own:6.1f} s + workers {workers:5.1f} s)  {detail}"
                )

            def run_import():
                actions: dict[str, int] = {}
                for outcome in import_items(
                    read_posts([posts_dir]), workers=args.workers
                ):
                    actions[outcome.action] = actions.get(outcome.action, 0) + 1
                return actions

            timed("first import", run_import)
            # What import_wordpress does next: the admin's SEO column is stored.
            timed(
                "SEO scores",
                lambda: {
                    "scored": update_scores(
                        Article.objects.values_list("pk", flat=True)
                    )
                },
            )
            timed("re-import (unchanged)", run_import)
            if args.changed:
                for path in posts_dir.glob("*.json"):
                    posts = json.loads(path.read_text())
                    for post in posts:
                        post["title"]["rendered"] += " (revised)"
                    path.write_text(json.dumps(posts))
                timed("re-import (all changed)", run_import)
            assert Article.objects.count() == args.posts
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
