"""
Write WordPress posts into the site's tables, one transaction per post and
keyed on the WordPress id: importing again updates what changed in WordPress
and leaves everything else alone.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import multiprocessing
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from articles import redirects, sitemaps
from articles.importers.wordpress import blocks, seo
from articles.importers.wordpress.blocks import Figure
from articles.importers.wordpress.sources import (
    SourceItem,
    Term,
    WordPressAuthor,
    WordPressPost,
)
from articles.models import (
    RESERVED_CATEGORY_SLUGS,
    Article,
    Author,
    Category,
    FAQItem,
    Image,
    KeyTakeaway,
    NotFound,
    Redirect,
    Reference,
    Revision,
    Tag,
    TaggedArticle,
    faq_anchor,
)
from articles.revisions import (
    change_summary,
    latest_snapshots,
    record_revision,
    snapshot_of,
)
from articles.sanitize import sanitize_rich_text
from articles.seo_workers import usable_cpu_count

logger = logging.getLogger(__name__)

# Part of every post's fingerprint: raise it when the mapping changes, so
# that the next import rewrites the posts imported the old way.
IMPORTER_VERSION = 3
# The summary of the revision an import creates an article with.
IMPORTED = "Imported from WordPress"
# What saving an article writes, for the updates of a batch.
UPDATED_FIELDS = [
    field.name
    for field in Article._meta.concrete_fields
    if not field.primary_key and field.name != "created_at"
]

STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.SCHEDULED,
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.PENDING,
    "private": Article.Status.PRIVATE,
    "trash": Article.Status.TRASH,
}
IMAGE_FIELDS = [
    "source_url",
    "source_renditions",
    "alt_text",
    "caption",
    "width",
    "height",
]
ACTIONS = ("created", "updated", "unchanged", "skipped", "failed")
# Posts per commit in import_items(): a commit waits for the disk, a savepoint does not.
BATCH_SIZE = 100
# Converting HTML is pure and takes about half of the import's CPU time, so
# with more than one core worker processes convert the next batch while this
# one writes. Starting them costs about a second: small imports stay serial.
PARALLEL_MIN_POSTS = 50
WORKER_NICENESS = 10


@dataclass
class Lookups:
    """
    The authors, categories and tags of one import run, by WordPress id:
    thousands of posts share a few dozen, so each is looked up once. Rows
    made by a post that rolls back go with it, so forget() clears all.
    """

    authors: dict[int, Author] = dataclasses.field(default_factory=dict)
    categories: dict[int, Category] = dataclasses.field(default_factory=dict)
    tags: dict[int, Tag] = dataclasses.field(default_factory=dict)

    def forget(self) -> None:
        self.authors.clear()
        self.categories.clear()
        self.tags.clear()


@dataclass(frozen=True)
class Outcome:
    """What importing one post did (or, in a dry run, would do)."""

    action: str
    title: str
    reason: str = ""
    article_id: int | None = None


def import_items(
    items: Iterable[SourceItem],
    *,
    dry_run: bool = False,
    site_url: str | None = None,
    workers: int | None = None,
) -> Iterator[Outcome]:
    """
    Import what sources.read_posts() yields, one Outcome per item in item
    order, an unreadable item being a failure. Batches of BATCH_SIZE items
    commit together, and outcomes are yielded once committed: a stopped
    import loses at most the batch in progress, which the next run imports
    again. Within a batch a failing post rolls back alone (see
    _import_batch()).

    The sitemaps' content version moves once per batch, after its commit,
    rather than with every row saved. workers processes (by default one per
    CPU) convert the HTML of large imports.
    """
    if site_url is None:
        site_url = settings.WORDPRESS_SITE_URL
    if workers is None:
        workers = usable_cpu_count()
    iterator = iter(items)
    lookups = Lookups()
    with _Converter(workers, site_url=site_url) as converter:
        batch = _Batch(islice(iterator, BATCH_SIZE), site_url=site_url)
        converter.submit(batch)
        while batch.items:
            next_batch = _Batch(islice(iterator, BATCH_SIZE), site_url=site_url)
            converter.submit(next_batch)
            with sitemaps.one_content_version_bump(), transaction.atomic():
                outcomes = _import_batch(
                    batch, dry_run=dry_run, site_url=site_url, lookups=lookups
                )
            yield from outcomes
            batch = next_batch


class _Batch:
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


def _import_batch(
    batch: _Batch, *, dry_run: bool, site_url: str, lookups: Lookups
) -> list[Outcome]:
    """
    Import a batch. The posts new to the site are written together, with a
    query per table for all of them, inside one savepoint: most of an
    import's time would otherwise go to round trips. Unchanged posts are
    told apart by the same query. The other posts (and, should writing the
    new ones together fail, those too) are imported one by one, each in a
    savepoint of its own, so that a bad post fails alone.
    """
    outcomes: dict[int, Outcome] = {
        index: Outcome(
            action="skipped" if item.skipped else "failed",
            title=item.source,
            reason=item.error,
        )
        for index, item in enumerate(batch.items)
        if item.post is None and item.image is None
    }
    # Before the posts, which may show them.
    outcomes.update(
        _import_images(
            {
                index: item.image
                for index, item in enumerate(batch.items)
                if item.image is not None
            },
            dry_run=dry_run,
        )
    )
    together, unchanged = _triage(batch.posts, hashes=batch.hashes)
    outcomes.update(unchanged)
    if (
        together
        and not dry_run
        and connection.features.can_return_rows_from_bulk_insert
    ):
        try:
            with transaction.atomic():
                outcomes.update(
                    _write_together(
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


def _import_images(figures: dict[int, Figure], *, dry_run: bool) -> dict[int, Outcome]:
    """
    Bring the images of WordPress's media library into ours, remote until
    --fetch-media downloads them, in one savepoint: a failure fails them all
    and nothing else.
    """
    if not figures:
        return {}
    titles = {
        index: f"image {urlsplit(figure.url).path.rsplit('/', 1)[-1] or figure.url}"
        for index, figure in figures.items()
    }
    try:
        with transaction.atomic():
            changes = _images([], library_figures=figures.values())
            if dry_run:
                transaction.set_rollback(True)
    except Exception as exc:
        logger.exception("WordPress media failed to import")
        return {
            index: Outcome(
                action="failed", title=title, reason=f"{type(exc).__name__}: {exc}"
            )
            for index, title in titles.items()
        }
    outcomes = {}
    for index, figure in figures.items():
        key = _image_key(figure)
        if key in changes.created or key in changes.updated:
            outcomes[index] = Outcome(
                action="created" if key in changes.created else "updated",
                title=titles[index],
                reason="dry run, nothing saved" if dry_run else "",
            )
        else:
            outcomes[index] = Outcome(action="unchanged", title=titles[index])
    return outcomes


def _triage(
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
        index: post for index, post in posts.items() if _refusal(post, label="") is None
    }
    addresses = {index: _address(post) for index, post in candidates.items()}
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
                action="unchanged", title=_title(post), article_id=pk
            )
            continue
        holder = holders.get(addresses[index], post.wordpress_id)
        if repeated or one_by_one_from_here or holder != post.wordpress_id:
            one_by_one_from_here = True
            continue
        holders[addresses[index]] = post.wordpress_id
        together[index] = post
    return together, unchanged


def _write_together(
    posts: dict[int, WordPressPost],
    *,
    hashes: dict[int, str],
    converted: dict[int, Future],
    site_url: str,
    lookups: Lookups,
) -> dict[int, Outcome]:
    """
    Create or update the articles of posts, each table in one query: what
    import_post() does for one post, for a batch.
    """
    existing = {
        article.wordpress_id: article
        for article in Article.objects.select_related("primary_category").filter(
            wordpress_id__in=[post.wordpress_id for post in posts.values()]
        )
    }
    contents = {
        index: _content(post, converted=converted.get(index), site_url=site_url)
        for index, post in posts.items()
    }
    images = _images(
        [figure for content in contents.values() for figure in content.figures],
        library_figures=[
            post.featured_image for post in posts.values() if post.featured_image
        ],
        featured_ids=[post.featured_media for post in posts.values()],
    ).images
    plans, previous_paths = {}, {}
    for index, post in posts.items():
        article = existing.get(post.wordpress_id)
        if article is not None:
            previous_paths[index] = article.get_absolute_url()
        language, slug = _address(post)
        plans[index] = _plan(
            post,
            article=article or Article(wordpress_id=post.wordpress_id),
            title=_title(post),
            language=language,
            slug=slug,
            content=contents[index],
            images=images,
            lookups=lookups,
            site_url=site_url,
            import_hash=hashes[index],
        )
    created = {i: plan for i, plan in plans.items() if i not in previous_paths}
    updated = {i: plan for i, plan in plans.items() if i in previous_paths}
    now = timezone.now()
    for plan in plans.values():
        plan.article.prepare_for_save()
        plan.article.updated_at = now  # What auto_now does in save().
    Article.objects.bulk_create(plan.article for plan in created.values())
    if updated:
        Article.objects.bulk_update(
            [plan.article for plan in updated.values()], UPDATED_FIELDS
        )
        for plan in updated.values():
            redirects.follow_moved_article(plan.article)
    _write_related(created.values(), replace=False)
    _write_related(updated.values(), replace=True)
    previous = latest_snapshots([plan.article.pk for plan in updated.values()])
    new_revisions = []
    for index, plan in plans.items():
        data = plan.snapshot()
        summary = (
            change_summary(previous.get(plan.article.pk), data)
            if index in updated
            else IMPORTED
        )
        new_revisions.append(
            Revision(article=plan.article, snapshot=data, summary=summary[:500])
        )
    Revision.objects.bulk_create(new_revisions)
    _keep_modified_dates(plans.values())
    record_redirects(
        [(plan.article, plan.old_paths) for plan in created.values()], created=True
    )
    record_redirects(
        [
            (plan.article, [*plan.old_paths, previous_paths[index]])
            for index, plan in updated.items()
        ],
        created=False,
    )
    return {
        index: Outcome(
            action="updated" if index in updated else "created",
            title=plan.article.title,
            article_id=plan.article.pk,
        )
        for index, plan in plans.items()
    }


class _Converter:
    """
    Converts the content of the posts of a batch in worker processes, those
    whose import hash shows a change only. Spawned, not forked: a worker
    must not inherit this process's database connection.
    """

    def __init__(self, workers: int, *, site_url: str) -> None:
        self.workers = workers
        self.site_url = site_url
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> _Converter:
        return self

    def __exit__(self, *exc_info) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def submit(self, batch: _Batch) -> None:
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
                blocks.convert,
                post.content,
                site_url=self.site_url,
                featured_media=post.featured_media,
            )
            for index, post in changed.items()
        }


def _refusal(post: WordPressPost, *, label: str) -> Outcome | None:
    """The outcome of a post that is not imported, or None."""
    if post.type != "post":
        return Outcome(
            action="skipped",
            title=label,
            reason=f"a {post.type or 'item'} of WordPress, not a post",
        )
    if post.status not in STATUSES:
        return Outcome(
            action="skipped",
            title=label,
            reason=f"the status “{post.status}” is not imported",
        )
    if post.protected:
        # The site has no passwords for articles: importing would publish it.
        return Outcome(
            action="skipped", title=label, reason="password-protected in WordPress"
        )
    if not post.categories:
        return Outcome(action="failed", title=label, reason="the post has no category")
    return None


def import_post(
    post: WordPressPost,
    *,
    dry_run: bool = False,
    site_url: str | None = None,
    lookups: Lookups | None = None,
    converted: Future | None = None,
    import_hash: str | None = None,
) -> Outcome:
    """
    Create or update the article for a WordPress post, with its author,
    terms, images, takeaways, FAQ and references, in one transaction.

    site_url is the WordPress site whose links become site-relative; it
    defaults to settings.WORDPRESS_SITE_URL. A dry run rolls everything back
    and reports what would have happened.
    """
    label = _title(post)
    refusal = _refusal(post, label=label)
    if refusal is not None:
        return refusal
    if site_url is None:
        site_url = settings.WORDPRESS_SITE_URL
    if lookups is None:
        lookups = Lookups()
    if import_hash is None:
        import_hash = fingerprint(post, site_url=site_url)
    try:
        with transaction.atomic():
            outcome = _save(
                post,
                site_url=site_url,
                lookups=lookups,
                converted=converted,
                import_hash=import_hash,
            )
            if dry_run:
                transaction.set_rollback(True)
                lookups.forget()
    except Exception as exc:
        lookups.forget()
        # One bad post must not stop an import of thousands; its transaction
        # has been rolled back, and the log keeps the traceback.
        logger.exception(
            "WordPress post %s (%s) failed to import", post.wordpress_id, post.source
        )
        return Outcome(
            action="failed", title=label, reason=f"{type(exc).__name__}: {exc}"
        )
    if dry_run and outcome.action in ("created", "updated"):
        return dataclasses.replace(
            outcome, reason="dry run, nothing saved", article_id=None
        )
    return outcome


def fingerprint(post: WordPressPost, *, site_url: str) -> str:
    """Return a hash of everything the import reads from a post, to tell an unchanged post."""
    payload = json.dumps(
        [IMPORTER_VERSION, site_url, post],
        sort_keys=True,
        default=_fingerprint_part,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _fingerprint_part(value: Any) -> Any:
    if isinstance(value, WordPressPost):
        # Moving or renaming the export file changes nothing.
        return {
            field.name: getattr(value, field.name)
            for field in dataclasses.fields(value)
            if field.name != "source"
        }
    if dataclasses.is_dataclass(value):
        return {
            field.name: getattr(value, field.name)
            for field in dataclasses.fields(value)
        }
    if isinstance(value, Mapping):
        return dict(value)
    return str(value)


def _title(post: WordPressPost) -> str:
    return blocks.html_to_text(post.title) or f"WordPress post {post.wordpress_id}"


def _address(post: WordPressPost) -> tuple[str, str]:
    """The language and slug the post asks for."""
    return _language(post.link), _slug(
        post.slug or slugify(_title(post), allow_unicode=True),
        fallback=f"post-{post.wordpress_id}",
    )


def _content(
    post: WordPressPost, *, converted: Future | None, site_url: str
) -> blocks.Content:
    if converted is not None:
        return converted.result()
    return blocks.convert(
        post.content, site_url=site_url, featured_media=post.featured_media
    )


def _save(
    post: WordPressPost,
    *,
    site_url: str,
    lookups: Lookups,
    converted: Future | None,
    import_hash: str,
) -> Outcome:
    language, slug = _address(post)
    rows = list(
        Article.objects.filter(
            Q(wordpress_id=post.wordpress_id) | Q(language=language, slug=slug)
        )
    )
    article = next((row for row in rows if row.wordpress_id == post.wordpress_id), None)
    if (
        article is not None
        and article.wordpress_extra.get("import_hash") == import_hash
    ):
        return Outcome(action="unchanged", title=_title(post), article_id=article.pk)
    if any(row is not article for row in rows):
        slug = _free_slug(slug, language=language, wordpress_id=post.wordpress_id)

    content = _content(post, converted=converted, site_url=site_url)
    images = _images(
        content.figures,
        library_figures=[post.featured_image] if post.featured_image else [],
        featured_ids=[post.featured_media],
    ).images
    created = article is None
    previous_path = None if created else _current_path(article)
    plan = _plan(
        post,
        article=Article(wordpress_id=post.wordpress_id) if created else article,
        title=_title(post),
        language=language,
        slug=slug,
        content=content,
        images=images,
        lookups=lookups,
        site_url=site_url,
        import_hash=import_hash,
    )
    article = plan.article
    article.save()
    _write_related([plan], replace=True)
    record_revision(article, summary=IMPORTED if created else "", data=plan.snapshot())
    _keep_modified_dates([plan])
    record_redirects(
        [(article, plan.old_paths + ([previous_path] if previous_path else []))],
        created=created,
    )
    return Outcome(
        action="created" if created else "updated",
        title=article.title,
        article_id=article.pk,
    )


@dataclass
class Plan:
    """An article set up from a post, with the rows that go with it, ready to be written."""

    article: Article
    categories: list[Category]
    tags: list[Tag]
    takeaways: list[KeyTakeaway]
    faq_items: list[FAQItem]
    references: list[Reference]
    old_paths: list[str]
    modified_gmt: datetime | None

    def snapshot(self) -> dict[str, Any]:
        """The article's revision, from the rows in hand rather than from the database."""
        return snapshot_of(
            self.article,
            children={
                "takeaways": self.takeaways,
                "faq_items": self.faq_items,
                "references": self.references,
            },
            tags=[tag.name for tag in self.tags],
            category_ids=[category.pk for category in self.categories],
        )


def _plan(
    post: WordPressPost,
    *,
    article: Article,
    title: str,
    language: str,
    slug: str,
    content: blocks.Content,
    images: dict[int | str, Image],
    lookups: Lookups,
    site_url: str,
    import_hash: str,
) -> Plan:
    """Set the article's fields from the post and make its rows (nothing is saved)."""
    categories = list(
        {
            category.pk: category
            for category in _primary_first(
                _categories(post.categories, lookups=lookups),
                link=post.link,
                language=language,
            )
        }.values()
    )
    author = _author(post, lookups=lookups)
    excerpt = blocks.excerpt_html(post.excerpt)
    seo_fields = seo.seo_fields(
        post.meta,
        context=seo.PostContext(
            title=title,
            site_name=settings.SITE_NAME,
            year=timezone.now().year,
            excerpt=blocks.html_to_text(excerpt),
            category=categories[0].name,
            author=author.display_name if author else "",
        ),
        post_link=post.link,
        yoast_head=post.yoast_head,
    )
    previous_slugs = list(article.wordpress_extra.get("previous_slugs", []))
    if article.pk is not None and article.slug != slug:
        previous_slugs.append(article.slug)
    featured_image = images.get(post.featured_media) if post.featured_media else None

    article.title = title[:300]
    article.slug = slug
    article.language = language
    article.status = STATUSES[post.status]
    article.published_at = _published_at(post)
    article.author = author
    article.excerpt = excerpt
    image_ids = [images[_image_key(figure)].pk for figure in content.figures]
    article.body = blocks.render_figures(
        content.body, figures=content.figures, image_ids=image_ids
    )
    article.featured_image = featured_image
    article.primary_category = categories[0]
    article.sticky = post.sticky
    for name, value in dataclasses.asdict(seo_fields).items():
        setattr(article, name, value)
    article.wordpress_guid = post.guid[:500]
    article.wordpress_link = post.link[:1000]
    article.wordpress_extra = _extra(
        post,
        import_hash=import_hash,
        previous_slugs=previous_slugs,
        featured_found=featured_image is not None,
    )
    return Plan(
        article=article,
        categories=categories,
        tags=list({tag.pk: tag for tag in _tags(post.tags, lookups=lookups)}.values()),
        takeaways=[
            KeyTakeaway(article=article, text=text, order=order)
            for order, text in enumerate(content.takeaways)
        ],
        faq_items=_faq_items(article, content, image_ids=image_ids),
        references=[
            _reference(article, text, order=order)
            for order, text in enumerate(content.references)
        ],
        old_paths=_old_paths(post, language=language, category=categories[0].slug),
        modified_gmt=post.modified_gmt,
    )


def _faq_items(
    article: Article, content: blocks.Content, *, image_ids: list[int]
) -> list[FAQItem]:
    # Siblings are made together, so anchors are chosen here without the
    # query per item that FAQItem.save() makes.
    anchors: set[str] = set()
    items = []
    for order, item in enumerate(content.faq):
        question = item.question[:500]
        if not question:
            continue
        anchor = faq_anchor(question, taken=anchors)
        anchors.add(anchor)
        items.append(
            FAQItem(
                article=article,
                question=question,
                # The allowlist again, as FAQItem.save() would: the images
                # placed in the answer are its markup too.
                answer=sanitize_rich_text(
                    blocks.render_figures(
                        item.answer, figures=content.figures, image_ids=image_ids
                    )
                ),
                order=order,
                anchor=anchor,
            )
        )
    return items


def _reference(article: Article, text: str, *, order: int) -> Reference:
    citation = blocks.parse_citation(text)
    return Reference(
        article=article,
        title=citation.title[:500],
        publisher=citation.publisher[:300],
        authors=citation.authors[:500],
        year=citation.year,
        url=citation.url if len(citation.url) <= 1000 else "",
        doi=citation.doi if len(citation.doi) <= 200 else "",
        pubmed_id=citation.pubmed_id if len(citation.pubmed_id) <= 20 else "",
        order=order,
    )


def _write_related(plans: Iterable[Plan], *, replace: bool) -> None:
    """
    Write the categories, tags, takeaways, FAQ items, references and shown
    images of saved articles, a query per table for all of them; replace
    first removes the rows they had. blocks has sanitized the HTML, which is
    what the models' save() methods would do one by one.
    """
    plans = list(plans)
    CategoryLink = Article.categories.through
    ImageLink = Article.body_images.through
    if replace:
        pks = [plan.article.pk for plan in plans]
        for model, field in (
            (CategoryLink, "article_id"),
            (ImageLink, "article_id"),
            (TaggedArticle, "content_object_id"),
            (KeyTakeaway, "article_id"),
            (FAQItem, "article_id"),
            (Reference, "article_id"),
        ):
            model.objects.filter(**{f"{field}__in": pks}).delete()
    CategoryLink.objects.bulk_create(
        CategoryLink(article_id=plan.article.pk, category_id=category.pk)
        for plan in plans
        for category in plan.categories
    )
    ImageLink.objects.bulk_create(
        ImageLink(article_id=plan.article.pk, image_id=image_id)
        for plan in plans
        for image_id in plan.article.shown_image_ids(
            answers=[item.answer for item in plan.faq_items]
        )
    )
    TaggedArticle.objects.bulk_create(
        TaggedArticle(content_object=plan.article, tag=tag)
        for plan in plans
        for tag in plan.tags
    )
    for model, rows in (
        (KeyTakeaway, "takeaways"),
        (FAQItem, "faq_items"),
        (Reference, "references"),
    ):
        model.objects.bulk_create(row for plan in plans for row in getattr(plan, rows))


def _keep_modified_dates(plans: Iterable[Plan]) -> None:
    """updated_at is auto_now: saving set it to now, WordPress knows better."""
    modified = []
    for plan in plans:
        if plan.modified_gmt is not None:
            plan.article.updated_at = plan.modified_gmt
            modified.append(plan.article)
    if modified:
        Article.objects.bulk_update(modified, ["updated_at"])


def _extra(
    post: WordPressPost,
    *,
    import_hash: str,
    previous_slugs: list[str],
    featured_found: bool,
) -> dict:
    extra = {
        "comment_status": post.comment_status,
        "ping_status": post.ping_status,
        "template": post.template,
        "format": post.format,
        "footnotes": post.meta.get("footnotes", ""),
        "revision_count": post.revision_count,
        "predecessor_version": post.predecessor_version,
        "import_hash": import_hash,
    }
    other_meta = {
        key: value
        for key, value in post.meta.items()
        if key != "footnotes" and key not in seo.MAPPED_KEYS
    }
    if other_meta:
        extra["meta"] = other_meta
    if post.featured_media and not featured_found:
        # Kept so that a later media import can attach it.
        extra["featured_media"] = post.featured_media
    if previous_slugs:
        # The old URLs, for redirects: the site has no redirect table yet.
        extra["previous_slugs"] = previous_slugs
    return extra


def _language(link: str) -> str:
    """Return the language the post's URL names (/en/beauty/...), or the site's default."""
    first_segment = urlsplit(link).path.strip("/").split("/", 1)[0]
    return (
        first_segment
        if first_segment in dict(settings.LANGUAGES)
        else settings.LANGUAGE_CODE
    )


def _published_at(post: WordPressPost) -> datetime:
    if post.date_gmt is not None:
        return post.date_gmt
    if post.date is not None:
        return (
            post.date
            if timezone.is_aware(post.date)
            else timezone.make_aware(post.date)
        )
    return timezone.now()


def _slug(value: str, *, fallback: str, max_length: int = 200) -> str:
    return (slugify(value, allow_unicode=True)[:max_length].strip("-")) or fallback


def _free_slug(slug: str, *, language: str, wordpress_id: int) -> str:
    """Return slug, or slug-2, slug-3... whichever no other article in the language uses."""
    taken = set(
        Article.objects.filter(language=language, slug__startswith=slug)
        .exclude(wordpress_id=wordpress_id)
        .values_list("slug", flat=True)
    )
    candidate, counter = slug, 2
    while candidate in taken:
        candidate, counter = f"{slug[:190]}-{counter}", counter + 1
    return candidate


def _author(post: WordPressPost, *, lookups: Lookups) -> Author | None:
    if not post.author_id:
        return None
    if post.author_id in lookups.authors:
        return lookups.authors[post.author_id]
    author = _find_or_create_author(post)
    lookups.authors[post.author_id] = author
    return author


def _find_or_create_author(post: WordPressPost) -> Author:
    info = post.author or WordPressAuthor(
        wordpress_id=post.author_id,
        name=f"Author {post.author_id}",
        slug=f"author-{post.author_id}",
    )
    slug = _slug(info.slug, fallback=f"author-{post.author_id}")
    found = {
        author.wordpress_id: author
        for author in Author.objects.filter(
            Q(wordpress_id=post.author_id) | Q(slug=slug)
        )
    }
    if post.author_id in found:
        return found[post.author_id]
    if None in found:
        # Someone made this author by hand before the import: link it.
        author = found[None]
        author.wordpress_id = post.author_id
        author.save(update_fields=["wordpress_id"])
        return author
    if found:
        slug = f"{slug[:180]}-{post.author_id}"
    return Author.objects.create(
        display_name=info.name[:200],
        slug=slug,
        bio=info.description,
        wordpress_id=post.author_id,
    )


def _current_path(article: Article) -> str | None:
    """Return the URL the article answers at before this update."""
    category = Category.objects.filter(pk=article.primary_category_id).first()
    if category is None:
        return None
    return f"/{article.language}/{category.slug}/{article.slug}/"


def _primary_first(
    categories: list[Category], *, link: str, language: str
) -> list[Category]:
    """
    Put first the category the permalink names (/en/beauty/slug/), so that
    the article keeps its WordPress address whenever the site's URL shape
    allows it. Otherwise the first category of the post leads.
    """
    segments = urlsplit(link).path.strip("/").split("/")
    if len(segments) == 3 and segments[0] == language:
        named = unquote(segments[1])
        for index, category in enumerate(categories):
            if category.slug == named:
                return [category, *categories[:index], *categories[index + 1 :]]
    return categories


def _old_paths(post: WordPressPost, *, language: str, category: str) -> list[str]:
    """
    Return the site-relative paths the post answered at in WordPress: its
    permalink (with the query of a plain ?p=123 permalink) and, for each
    _wp_old_slug, the permalink with the old slug and the site's own URL shape
    with the old slug.
    """
    paths = []
    link = urlsplit(post.link)
    permalink = (link.path or "/") + (f"?{link.query}" if link.query else "")
    if post.link:
        paths.append(permalink)
    for old_slug in post.old_slugs:
        slug = _slug(old_slug, fallback="")
        if not slug:
            continue
        if post.slug and link.path.rstrip("/").endswith(f"/{post.slug}"):
            base = link.path.rstrip("/")[: -len(post.slug)]
            paths.append(
                f"{base}{old_slug}/" if link.path.endswith("/") else f"{base}{old_slug}"
            )
        paths.append(f"/{language}/{category}/{slug}/")
    return paths


def record_redirects(
    moves: Sequence[tuple[Article, Iterable[str]]], *, created: bool
) -> None:
    """
    Make each old path of each article answer with a 301 to it, once. A path
    that is the article's own address again loses its redirect, redirects of
    the article that pointed at an earlier address follow it (no chains), and
    a path that another article's redirect already claims is left to it.
    """
    wanted = {}
    for article, old_paths in moves:
        new_path = article.get_absolute_url()
        wanted[article] = (
            new_path,
            {path[:1000] for path in old_paths if path and path != new_path},
        )
    if not created:
        new_paths = {article.pk: new_path for article, (new_path, _) in wanted.items()}
        moved = [
            redirect
            for redirect in Redirect.objects.filter(article_id__in=new_paths)
            if redirect.new_path != new_paths[redirect.article_id]
        ]
        for redirect in moved:
            redirect.new_path = new_paths[redirect.article_id]
        Redirect.objects.bulk_update(moved, ["new_path"])
    existing = {
        redirect.old_path: redirect
        for redirect in Redirect.objects.filter(
            old_path__in=[
                path
                for new_path, paths in wanted.values()
                for path in (*paths, new_path)
            ]
        )
    }
    # A redirect from an article's own address would hide it.
    looping = []
    for article, (new_path, _paths) in wanted.items():
        redirect = existing.get(new_path)
        if redirect is not None and redirect.article_id in (None, article.pk):
            looping.append(existing.pop(new_path).pk)
    if looping:
        Redirect.objects.filter(pk__in=looping).delete()
    claimed = set(existing)
    new_redirects = []
    for article, (new_path, paths) in wanted.items():
        for path in sorted(paths - claimed):
            claimed.add(path)
            new_redirects.append(
                Redirect(
                    old_path=path,
                    new_path=new_path,
                    status_code=Redirect.Kind.PERMANENT,
                    article=article,
                )
            )
    Redirect.objects.bulk_create(new_redirects)
    # bulk_create() sends no post_save, which clears the 404 log of a path a redirect now answers.
    NotFound.objects.filter(
        path__in=[redirect.old_path for redirect in new_redirects]
    ).delete()


def _categories(terms: Sequence[Term], *, lookups: Lookups) -> list[Category]:
    """Return the categories of terms in the same order, creating those not imported before."""
    if all(term.wordpress_id in lookups.categories for term in terms):
        return [lookups.categories[term.wordpress_id] for term in terms]
    categories = _find_or_create_categories(terms, lookups=lookups)
    for term, category in zip(terms, categories, strict=True):
        lookups.categories[term.wordpress_id] = category
    return categories


def _find_or_create_categories(
    terms: Sequence[Term], *, lookups: Lookups
) -> list[Category]:
    slugs = {
        term.wordpress_id: _slug(term.slug, fallback=f"category-{term.wordpress_id}")
        for term in terms
    }
    candidates = Category.objects.filter(
        Q(wordpress_id__in=slugs) | Q(slug__in=slugs.values())
    )
    by_id = {
        category.wordpress_id: category
        for category in candidates
        if category.wordpress_id
    }
    by_slug = {category.slug: category for category in candidates}
    categories = []
    for term in terms:
        category = by_id.get(term.wordpress_id)
        if category is None:
            slug = slugs[term.wordpress_id]
            category = by_slug.get(slug)
            if category is not None and category.wordpress_id is None:
                category.wordpress_id = term.wordpress_id
                category.save(update_fields=["wordpress_id"])
            else:
                if category is not None or slug in RESERVED_CATEGORY_SLUGS:
                    slug = f"{slug[:180]}-{term.wordpress_id}"
                category = Category.objects.create(
                    name=term.name[:200],
                    slug=slug,
                    description=blocks.html_to_text(term.description),
                    wordpress_id=term.wordpress_id,
                )
            by_id[term.wordpress_id] = by_slug[category.slug] = category
        if term.parent is not None:
            parent = _categories([term.parent], lookups=lookups)[0]
            if category.parent_id != parent.pk and parent.pk != category.pk:
                category.parent = parent
                category.save(update_fields=["parent"])
        categories.append(category)
    return categories


def _tags(terms: Sequence[Term], *, lookups: Lookups) -> list[Tag]:
    """Return the tags of terms in the same order, creating those not imported before."""
    if all(term.wordpress_id in lookups.tags for term in terms):
        return [lookups.tags[term.wordpress_id] for term in terms]
    tags = _find_or_create_tags(terms)
    for term, tag in zip(terms, tags, strict=True):
        lookups.tags[term.wordpress_id] = tag
    return tags


def _find_or_create_tags(terms: Sequence[Term]) -> list[Tag]:
    slugs = {
        term.wordpress_id: _slug(
            term.slug, fallback=f"tag-{term.wordpress_id}", max_length=100
        )
        for term in terms
    }
    candidates = list(
        Tag.objects.filter(
            Q(wordpress_id__in=slugs)
            | Q(slug__in=slugs.values())
            | Q(name__in=[term.name[:100] for term in terms])
        )
    )
    by_id = {tag.wordpress_id: tag for tag in candidates if tag.wordpress_id}
    by_slug = {tag.slug: tag for tag in candidates}
    by_name = {tag.name: tag for tag in candidates}
    tags = []
    for term in terms:
        tag = by_id.get(term.wordpress_id)
        if tag is None:
            slug, name = slugs[term.wordpress_id], term.name[:100]
            unclaimed = next(
                (
                    match
                    for match in (by_slug.get(slug), by_name.get(name))
                    if match and match.wordpress_id is None
                ),
                None,
            )
            if unclaimed is not None:
                tag = unclaimed
                tag.wordpress_id = term.wordpress_id
                tag.save(update_fields=["wordpress_id"])
            else:
                if slug in by_slug:
                    slug = f"{slug[:90]}-{term.wordpress_id}"
                if name in by_name:
                    name = f"{name[:85]} ({term.wordpress_id})"
                tag = Tag.objects.create(
                    name=name, slug=slug, wordpress_id=term.wordpress_id
                )
            by_id[term.wordpress_id] = by_slug[tag.slug] = by_name[tag.name] = tag
        tags.append(tag)
    return tags


def _image_key(figure: Figure) -> int | str:
    return figure.wordpress_id or figure.url


@dataclass
class _LibraryChanges:
    """The library images of an import step, by image key, and which of them it created or updated."""

    images: dict[int | str, Image]
    created: set[int | str]
    updated: set[int | str]


def _images(
    figures: Iterable[Figure],
    *,
    library_figures: Iterable[Figure] = (),
    featured_ids: Iterable[int | None] = (),
) -> _LibraryChanges:
    """
    Return the library images of figures, of library_figures and of the
    featured images (when the library has them), keyed by WordPress id or,
    lacking one, by URL. Images never imported before are created.

    library_figures describe the images themselves (a media library item, a
    post's featured media): a remote image follows them. figures are uses
    of an image in a post, whose alt text and caption belong to that use:
    they only fill in what the image lacks. An image whose file is in the
    library is the library's, and left alone.
    """
    unique: dict[int | str, tuple[Figure, bool]] = {}
    for figure in library_figures:
        unique.setdefault(_image_key(figure), (figure, True))
    for figure in figures:
        unique.setdefault(_image_key(figure), (figure, False))
    ids = {key for key in unique if isinstance(key, int)} | {
        pk for pk in featured_ids if pk
    }
    urls = [key for key in unique if isinstance(key, str)]
    changes = _LibraryChanges(images={}, created=set(), updated=set())
    if not ids and not urls:
        return changes
    images = changes.images
    images.update(
        (image.wordpress_id or image.source_url, image)
        for image in Image.objects.filter(
            Q(wordpress_id__in=ids) | Q(wordpress_id__isnull=True, source_url__in=urls)
        )
    )
    new, changed = [], []
    for key, (figure, describes_image) in unique.items():
        fields = {
            "source_url": figure.url,
            "source_renditions": [
                {"url": url, "width": width} for url, width in figure.renditions
            ],
            "alt_text": figure.alt[:500],
            "caption": blocks.html_to_text(figure.caption)[:500],
            "width": figure.width,
            "height": figure.height,
        }
        image = images.get(key)
        if image is None:
            images[key] = Image(wordpress_id=figure.wordpress_id, **fields)
            new.append(images[key])
            changes.created.add(key)
            continue
        if image.file:
            continue
        if not describes_image:
            fields = {
                name: value
                for name, value in fields.items()
                if value and not getattr(image, name)
            }
        if any(getattr(image, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(image, name, value)
            changed.append(image)
            changes.updated.add(key)
    Image.objects.bulk_create(new)
    if changed:
        Image.objects.bulk_update(changed, IMAGE_FIELDS)
    return changes
