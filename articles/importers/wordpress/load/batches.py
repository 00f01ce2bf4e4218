"""
An import run in batches: the posts of a batch are told apart (unchanged,
written together, one by one) with one query, converted a batch ahead in
worker processes, and committed together.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import nullcontext
from itertools import islice

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q

from articles.importers.wordpress import blocks
from articles.importers.wordpress.load.identity import import_site_identity
from articles.importers.wordpress.load.media_library import import_library_images
from articles.importers.wordpress.load.menus import import_menus
from articles.importers.wordpress.load.outcomes import Outcome
from articles.importers.wordpress.load.pages import import_pages
from articles.importers.wordpress.load.plan import (
    address,
    fingerprint,
    language_of,
    refusal,
    title_of,
)
from articles.importers.wordpress.load.terms import Lookups
from articles.importers.wordpress.load.write import import_post, write_together
from articles.importers.wordpress.sources import (
    SourceItem,
    WordPressMenu,
    WordPressPage,
    WordPressPost,
)
from articles.models import (
    Article,
)
from articles.seo_workers import usable_cpu_count

logger = logging.getLogger(__name__)


# Posts per commit in import_items(): a commit waits for the disk, a savepoint does not.
BATCH_SIZE = 100


# Converting HTML is pure and takes about half of the import's CPU time, so
# with more than one core worker processes convert the next batch while this
# one writes. Starting them costs about a second: small imports stay serial.
PARALLEL_MIN_POSTS = 50


WORKER_NICENESS = 10


def import_items(
    items: Iterable[SourceItem],
    *,
    dry_run: bool = False,
    site_url: str | None = None,
    workers: int | None = None,
    header_menu: str | None = None,
) -> Iterator[Outcome]:
    """
    Import what sources.read_posts() yields, one Outcome per item, an
    unreadable item being a failure. Posts and images come in item order,
    in batches of BATCH_SIZE items that commit together, and outcomes are
    yielded once committed: a stopped import loses at most the batch in
    progress, which the next run imports again. Within a batch a failing
    post rolls back alone (see import_batch()).

    The exported site's settings are imported before the posts of their
    batch, in a transaction of their own: the site's name is the
    %sitename% of the posts' SEO titles. Pages are imported after all the
    posts, so that a page finds the categories it shares the site's top
    level with, and then the menus, which link to all of them (header_menu
    names the header's, see menus.py); their outcomes come last.

    The publishing service announces each batch's changes once, after its
    commit, rather than with every row saved. workers processes (by default one per
    CPU) convert the HTML of large imports.
    """
    if site_url is None:
        site_url = settings.WORDPRESS_SITE_URL
    if workers is None:
        workers = usable_cpu_count()
    later = SetAside()
    iterator = later.sort(iter(items))
    lookups = Lookups()
    with Converter(workers, site_url=site_url) as converter:
        batch = Batch(islice(iterator, BATCH_SIZE), site_url=site_url)
        converter.submit(batch)
        while batch.items:
            next_batch = Batch(islice(iterator, BATCH_SIZE), site_url=site_url)
            converter.submit(next_batch)
            sites = {
                index: import_site_identity(item.site, dry_run=dry_run)
                for index, item in enumerate(batch.items)
                if item.site is not None
            }
            with transaction.atomic():
                outcomes = import_batch(
                    batch,
                    dry_run=dry_run,
                    site_url=site_url,
                    lookups=lookups,
                    settled=sites,
                )
            yield from outcomes
            batch = next_batch
    # In a dry run the menus still find the pages, rolled back with them.
    with transaction.atomic() if dry_run else nullcontext():
        outcomes = import_pages(later.pages, site_url=site_url) + import_menus(
            later.menus, site_url=site_url, header_menu=header_menu
        )
        if dry_run:
            transaction.set_rollback(True)
    if dry_run:
        outcomes = [
            dataclasses.replace(outcome, reason="dry run, nothing saved")
            if outcome.action in ("created", "updated")
            else outcome
            for outcome in outcomes
        ]
    yield from outcomes


class SetAside:
    """The pages and menus of a run, kept for after the posts."""

    def __init__(self) -> None:
        self.pages: list[WordPressPage] = []
        self.menus: list[WordPressMenu] = []

    def sort(self, items: Iterator[SourceItem]) -> Iterator[SourceItem]:
        """Yield the items that go in batches, setting the pages and menus aside."""
        for item in items:
            if isinstance(item.post, WordPressPage):
                self.pages.append(item.post)
            elif item.menu is not None:
                self.menus.append(item.menu)
            else:
                yield item


class Batch:
    """
    BATCH_SIZE items read, with the fingerprint of each post (by index) and,
    once submitted to the converter, the future content of those that changed.
    """

    def __init__(self, items: Iterable[SourceItem], *, site_url: str) -> None:
        self.items = list(items)
        self.posts = {
            index: item.post
            for index, item in enumerate(self.items)
            if item.post is not None
        }
        self.hashes = {
            index: fingerprint(post, site_url=site_url)
            for index, post in self.posts.items()
        }
        self.converted: dict[int, Future] = {}


def import_batch(
    batch: Batch,
    *,
    dry_run: bool,
    site_url: str,
    lookups: Lookups,
    settled: dict[int, Outcome] | None = None,
) -> list[Outcome]:
    """
    Import a batch. The posts new to the site are written together, with a
    query per table for all of them, inside one savepoint: most of an
    import's time would otherwise go to round trips. Unchanged posts are
    told apart by the same query. The other posts (and, should writing the
    new ones together fail, those too) are imported one by one, each in a
    savepoint of its own, so that a bad post fails alone. settled holds
    the outcomes of items imported before the batch (the site's settings).
    """
    outcomes: dict[int, Outcome] = dict(settled or {})
    outcomes.update(
        (
            index,
            Outcome(
                action="skipped" if item.skipped else "failed",
                title=item.source,
                reason=item.error,
            ),
        )
        for index, item in enumerate(batch.items)
        if item.post is None and item.image is None and index not in outcomes
    )
    # Before the posts, which may show them.
    outcomes.update(
        import_library_images(
            {
                index: item.image
                for index, item in enumerate(batch.items)
                if item.image is not None
            },
            dry_run=dry_run,
        )
    )
    together, unchanged = triage(batch.posts, hashes=batch.hashes)
    outcomes.update(unchanged)
    if (
        together
        and not dry_run
        and connection.features.can_return_rows_from_bulk_insert
    ):
        try:
            with transaction.atomic():
                outcomes.update(
                    write_together(
                        together,
                        hashes=batch.hashes,
                        converted=batch.converted,
                        site_url=site_url,
                        lookups=lookups,
                    )
                )
        except Exception:
            lookups.forget()
            logger.warning(
                "Writing %s WordPress posts together failed; importing them one by one",
                len(together),
                exc_info=True,
            )
    for index, post in batch.posts.items():
        if index not in outcomes:
            outcomes[index] = import_post(
                post,
                dry_run=dry_run,
                site_url=site_url,
                lookups=lookups,
                converted=batch.converted.get(index),
                import_hash=batch.hashes[index],
            )
    return [outcomes[index] for index in range(len(batch.items))]


def triage(
    posts: dict[int, WordPressPost], *, hashes: dict[int, str]
) -> tuple[dict[int, WordPressPost], dict[int, Outcome]]:
    """
    Sort out, with one query, the posts of a batch that are unchanged since
    they were last imported and those that can be written together: first
    of their WordPress id in the batch, asking for an address that no other
    article and no earlier post has, and before any post that must take the
    one-by-one path (which finds a free slug). Written first, they are
    written in item order all the same.
    """
    candidates = {
        index: post for index, post in posts.items() if refusal(post, label="") is None
    }
    addresses = {index: address(post) for index, post in candidates.items()}
    imported: dict[int, tuple[int, str]] = {}
    # Who has each address: a WordPress id, or None for an article made here.
    holders: dict[tuple[str, str], int | None] = {}
    for pk, wordpress_id, language, slug, import_hash in Article.objects.filter(
        Q(wordpress_id__in=[post.wordpress_id for post in candidates.values()])
        | Q(slug__in=[slug for _language, slug in addresses.values()])
    ).values_list(
        "pk", "wordpress_id", "language", "slug", "wordpress_extra__import_hash"
    ):
        if wordpress_id is not None:
            imported[wordpress_id] = (pk, import_hash)
        holders[(language, slug)] = wordpress_id
    together, unchanged = {}, {}
    ids_in_batch: set[int] = set()
    one_by_one_from_here = False
    for index, post in candidates.items():
        repeated = post.wordpress_id in ids_in_batch
        ids_in_batch.add(post.wordpress_id)
        pk, import_hash = imported.get(post.wordpress_id, (None, None))
        if import_hash == hashes[index] and not repeated:
            unchanged[index] = Outcome(
                action="unchanged", title=title_of(post), article_id=pk
            )
            continue
        holder = holders.get(addresses[index], post.wordpress_id)
        if repeated or one_by_one_from_here or holder != post.wordpress_id:
            one_by_one_from_here = True
            continue
        holders[addresses[index]] = post.wordpress_id
        together[index] = post
    return together, unchanged


class Converter:
    """
    Converts the content of the posts of a batch in worker processes, those
    whose import hash shows a change only. Spawned, not forked: a worker
    must not inherit this process's database connection.
    """

    def __init__(self, workers: int, *, site_url: str) -> None:
        self.workers = workers
        self.site_url = site_url
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Converter:
        return self

    def __exit__(self, *exc_info) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def submit(self, batch: Batch) -> None:
        """Start converting the batch's posts that changed since they were imported."""
        if self.workers < 2 or (
            self.pool is None and len(batch.posts) < PARALLEL_MIN_POSTS
        ):
            return
        hashes = dict(
            Article.objects.filter(
                wordpress_id__in=[post.wordpress_id for post in batch.posts.values()]
            ).values_list("wordpress_id", "wordpress_extra__import_hash")
        )
        changed = {
            index: post
            for index, post in batch.posts.items()
            if hashes.get(post.wordpress_id) != batch.hashes[index]
        }
        if not changed:
            return
        if self.pool is None:
            # Workers yield the CPU to this process: they work a batch
            # ahead, and every post waits for the writer, never for them.
            self.pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=os.nice,
                initargs=(WORKER_NICENESS,),
            )
        batch.converted = {
            index: self.pool.submit(
                blocks.convert_post,
                post,
                site_url=self.site_url,
                language=language_of(post),
            )
            for index, post in changed.items()
        }
