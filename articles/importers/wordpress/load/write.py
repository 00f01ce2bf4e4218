"""
Writing planned articles: one by one, or a batch with a query per table,
both recorded by the publishing service (revisions, audit, content changed).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable
from concurrent.futures import Future

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from articles import publishing, redirects
from articles.importers.wordpress.load.media_library import library_images
from articles.importers.wordpress.load.outcomes import Outcome
from articles.importers.wordpress.load.plan import (
    IMPORTED,
    Plan,
    address,
    converted_post,
    fingerprint,
    free_slug,
    language_of,
    plan_article,
    refusal,
    title_of,
)
from articles.importers.wordpress.load.terms import Lookups
from articles.importers.wordpress.load.translations import one_per_language
from articles.importers.wordpress.sources import (
    WordPressPost,
)
from articles.models import (
    Article,
    FAQItem,
    KeyTakeaway,
    Reference,
    TaggedArticle,
)
from articles.publishing.kinds import kind_of
from articles.revisions import change_summary, latest_snapshots

logger = logging.getLogger(__name__)


# What saving an article writes, for the updates of a batch.
UPDATED_FIELDS = [
    field.name
    for field in Article._meta.concrete_fields
    if not field.primary_key and field.name != "created_at"
]


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
    label = title_of(post)
    refused = refusal(post, label=label)
    if refused is not None:
        return refused
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


def _save(
    post: WordPressPost,
    *,
    site_url: str,
    lookups: Lookups,
    converted: Future | None,
    import_hash: str,
) -> Outcome:
    language, slug = address(post)
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
        return Outcome(action="unchanged", title=title_of(post), article_id=article.pk)
    if any(row is not article for row in rows):
        slug = free_slug(slug, language=language, wordpress_id=post.wordpress_id)

    whole = converted_post(
        post, converted=converted, site_url=site_url, language=language
    )
    images = library_images(
        whole.content.figures,
        library_figures=[post.featured_image] if post.featured_image else [],
        featured_ids=[post.featured_media],
    ).images
    created = article is None
    plan = plan_article(
        post,
        article=Article(wordpress_id=post.wordpress_id) if created else article,
        language=language,
        slug=slug,
        converted=whole,
        images=images,
        lookups=lookups,
        site_url=site_url,
        import_hash=import_hash,
    )
    article = publishing.save_imported(
        plan.article,
        write_parts=lambda saved: write_related([plan], replace=True),
        snapshot=plan.snapshot,
        summary=IMPORTED if created else "",
    ).obj
    keep_modified_dates([plan])
    redirects.record_moves([(article, plan.old_paths)])
    return Outcome(
        action="created" if created else "updated",
        title=article.title,
        article_id=article.pk,
        notice=plan.notice,
    )


def write_together(
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
    wholes = {
        index: converted_post(
            post,
            converted=converted.get(index),
            site_url=site_url,
            language=language_of(post),
        )
        for index, post in posts.items()
    }
    images = library_images(
        [figure for whole in wholes.values() for figure in whole.content.figures],
        library_figures=[
            post.featured_image for post in posts.values() if post.featured_image
        ],
        featured_ids=[post.featured_media for post in posts.values()],
    ).images
    plans, stored = {}, {}
    for index, post in posts.items():
        article = existing.get(post.wordpress_id)
        if article is not None:
            stored[index] = publishing.Stored.of(article)
        language, slug = address(post)
        plans[index] = plan_article(
            post,
            article=article or Article(wordpress_id=post.wordpress_id),
            language=language,
            slug=slug,
            converted=wholes[index],
            images=images,
            lookups=lookups,
            site_url=site_url,
            import_hash=hashes[index],
        )
    # The database knows of none of the batch's texts: two of one language
    # claiming one group are told apart here.
    indexes = list(plans)
    for position, notice in one_per_language(
        [(posts[index], plans[index].article, index not in stored) for index in indexes]
    ).items():
        plans[indexes[position]].notice = notice
    created = {i: plan for i, plan in plans.items() if i not in stored}
    updated = {i: plan for i, plan in plans.items() if i in stored}
    now = timezone.now()
    for plan in plans.values():
        plan.article.prepare_for_save()
        plan.article.updated_at = now  # What auto_now does in save().
    Article.objects.bulk_create(plan.article for plan in created.values())
    if updated:
        Article.objects.bulk_update(
            [plan.article for plan in updated.values()], UPDATED_FIELDS
        )
    write_related(created.values(), replace=False)
    write_related(updated.values(), replace=True)
    previous = latest_snapshots([plan.article.pk for plan in updated.values()])
    changes = []
    for index, plan in plans.items():
        data = plan.snapshot()
        summary = (
            change_summary(previous.get(plan.article.pk), data, model=Article)
            if index in updated
            else IMPORTED
        )
        substantive = kind_of(plan.article).says_something_new(
            previous.get(plan.article.pk) if index in updated else None, data
        )
        changes.append((plan.article, stored.get(index), data, summary, substantive))
    publishing.record_imported_batch(changes)
    keep_modified_dates(plans.values())
    redirects.record_moves([(plan.article, plan.old_paths) for plan in plans.values()])
    return {
        index: Outcome(
            action="updated" if index in updated else "created",
            title=plan.article.title,
            article_id=plan.article.pk,
            notice=plan.notice,
        )
        for index, plan in plans.items()
    }


def write_related(plans: Iterable[Plan], *, replace: bool) -> None:
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


def keep_modified_dates(plans: Iterable[Plan]) -> None:
    """
    Saving set updated_at (and, for a changed text, the updated date readers
    see) to now: WordPress's modified date knows better.
    """
    modified = []
    for plan in plans:
        if plan.modified_gmt is not None:
            plan.article.updated_at = plan.modified_gmt
            plan.article.content_updated_at = plan.modified_gmt
            modified.append(plan.article)
    if modified:
        Article.objects.bulk_update(modified, ["updated_at", "content_updated_at"])
