"""
From a WordPress post to an article and its rows, planned in memory:
fields, SEO, takeaways, FAQ, references, slugs and old addresses.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from articles import site_settings
from articles.importers.wordpress import blocks, seo
from articles.importers.wordpress.load.media_library import image_key
from articles.importers.wordpress.load.outcomes import Outcome
from articles.importers.wordpress.load.terms import (
    Lookups,
    author_of,
    categories_of,
    slug_of,
    tags_of,
)
from articles.importers.wordpress.load.translations import group_of
from articles.importers.wordpress.sources import (
    WordPressPost,
)
from articles.models import (
    Article,
    Category,
    FAQItem,
    Image,
    KeyTakeaway,
    Reference,
    Tag,
    faq_anchor,
)
from articles.revisions import (
    snapshot_of,
)
from articles.sanitize import sanitize_rich_text

# The summary of the revision an import creates an article with.
IMPORTED = "Imported from WordPress"
PUBLISHER_MAX_LENGTH = Reference._meta.get_field("publisher").max_length


STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.SCHEDULED,
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.PENDING,
    "private": Article.Status.PRIVATE,
    "trash": Article.Status.TRASH,
}


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
    # What the editor should know, e.g. a translation link left out.
    notice: str = ""

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


def refusal(post: WordPressPost, *, label: str) -> Outcome | None:
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


def title_of(post: WordPressPost) -> str:
    return blocks.post_title(post)


def address(post: WordPressPost) -> tuple[str, str]:
    """The language and slug the post asks for."""
    return language_of(post), slug_of(
        post.slug or slugify(title_of(post), allow_unicode=True),
        fallback=f"post-{post.wordpress_id}",
    )


def converted_post(
    post: WordPressPost, *, converted: Future | None, site_url: str, language: str
) -> blocks.ConvertedPost:
    """The post as a worker converted it, or converted here."""
    if converted is not None:
        return converted.result()
    return blocks.convert_post(post, site_url=site_url, language=language)


def plan_article(
    post: WordPressPost,
    *,
    article: Article,
    language: str,
    slug: str,
    converted: blocks.ConvertedPost,
    images: dict[int | str, Image],
    lookups: Lookups,
    site_url: str,
    import_hash: str,
) -> Plan:
    """Set the article's fields from the post and make its rows (nothing is saved)."""
    content = converted.content
    categories = list(
        {
            category.pk: category
            for category in primary_first(
                categories_of(post.categories, lookups=lookups),
                link=post.link,
                language=language,
            )
        }.values()
    )
    author = author_of(post, lookups=lookups)
    excerpt = converted.excerpt
    seo_fields = seo.seo_fields(
        post.meta,
        context=seo.PostContext(
            title=converted.title,
            site_name=site_settings.current().name,
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

    article.title = converted.title[:300]
    article.slug = slug
    article.language = language
    group = group_of(post, model=Article, language=language, new=article.pk is None)
    if group.key is not None:
        article.translation_key = group.key
    article.status = STATUSES[post.status]
    article.published_at = publish_date(post)
    article.author = author
    article.excerpt = excerpt
    image_ids = [images[image_key(figure)].pk for figure in content.figures]
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
        tags=list(
            {tag.pk: tag for tag in tags_of(post.tags, lookups=lookups)}.values()
        ),
        takeaways=[
            KeyTakeaway(article=article, text=text, order=order)
            for order, text in enumerate(content.takeaways)
        ],
        faq_items=_faq_items(article, content, image_ids=image_ids),
        references=[
            _reference(article, citation, order=order)
            for order, citation in enumerate(converted.citations)
        ],
        old_paths=old_paths(post, language=language, category=categories[0].slug),
        modified_gmt=post.modified_gmt,
        notice=group.notice,
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


def _reference(article: Article, citation: blocks.Citation, *, order: int) -> Reference:
    title, publisher = citation.title, citation.publisher
    if len(publisher) > PUBLISHER_MAX_LENGTH:
        # The title holds more: a long tail of details is kept there rather than cut.
        title, publisher = f"{title}. {publisher}", ""
    return Reference(
        article=article,
        title=title[:500],
        publisher=publisher,
        authors=citation.authors[:500],
        year=citation.year,
        url=citation.url if len(citation.url) <= 1000 else "",
        doi=citation.doi if len(citation.doi) <= 200 else "",
        pubmed_id=citation.pubmed_id if len(citation.pubmed_id) <= 20 else "",
        accessed_on=citation.accessed_on,
        order=order,
    )


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


def language_of(post: WordPressPost) -> str:
    """
    The post's language: the one its data names (Polylang's lang, WPML's
    locale, a language term), else the first segment of its permalink
    (/nl/…), else the site's default; always one of settings.LANGUAGES.
    """
    first_segment = urlsplit(post.link).path.strip("/").split("/", 1)[0]
    for candidate in (post.language, first_segment):
        if language := site_language(candidate):
            return language
    return settings.LANGUAGE_CODE


def site_language(code: str) -> str:
    """The code of settings.LANGUAGES that a WordPress language names ("nl", "nl_NL", "nl-BE"), or ""."""
    languages = dict(settings.LANGUAGES)
    tag = code.strip().lower().replace("_", "-")
    for candidate in (tag, tag.split("-", 1)[0]):
        if candidate in languages:
            return candidate
    return ""


def publish_date(post: WordPressPost) -> datetime:
    """When the post went (or goes) live: its GMT date, else its local date, else now."""
    if post.date_gmt is not None:
        return post.date_gmt
    if post.date is not None:
        return (
            post.date
            if timezone.is_aware(post.date)
            else timezone.make_aware(post.date)
        )
    return timezone.now()


def free_slug(slug: str, *, language: str, wordpress_id: int) -> str:
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


def primary_first(
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


def old_paths(post: WordPressPost, *, language: str, category: str) -> list[str]:
    """
    Return the site-relative paths the post answered at in WordPress: its
    permalink (with the query of a plain ?p=123 permalink) and, for each
    _wp_old_slug, the permalink with the old slug and the site's own URL shape
    with the old slug.
    """
    paths = []
    link = urlsplit(post.link)
    if post.link:
        paths.append(permalink_path(post.link))
    for old_slug in post.old_slugs:
        slug = slug_of(old_slug, fallback="")
        if not slug:
            continue
        if post.slug and link.path.rstrip("/").endswith(f"/{post.slug}"):
            base = link.path.rstrip("/")[: -len(post.slug)]
            paths.append(
                f"{base}{old_slug}/" if link.path.endswith("/") else f"{base}{old_slug}"
            )
        paths.append(f"/{language}/{category}/{slug}/")
    return paths


def permalink_path(link: str) -> str:
    """The site-relative path of a WordPress permalink, with the query of a plain one (/?p=123)."""
    parts = urlsplit(link)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


# Part of every post's fingerprint: raise it when the mapping changes, so
# that the next import rewrites the posts imported the old way.
IMPORTER_VERSION = 5


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
