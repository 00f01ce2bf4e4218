"""
The authors, categories and tags of posts, found or created once per run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.utils.text import slugify

from articles.importers.wordpress import blocks
from articles.importers.wordpress.sources import (
    Term,
    WordPressAuthor,
    WordPressPost,
)
from articles.models import (
    RESERVED_SLUGS,
    Author,
    Category,
    Page,
    Tag,
)


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


def author_of(post: WordPressPost, *, lookups: Lookups) -> Author | None:
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
    slug = slug_of(info.slug, fallback=f"author-{post.author_id}")
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


def categories_of(terms: Sequence[Term], *, lookups: Lookups) -> list[Category]:
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
        term.wordpress_id: slug_of(term.slug, fallback=f"category-{term.wordpress_id}")
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
                if (
                    category is not None
                    or slug in RESERVED_SLUGS
                    # A top-level page answers there (Category.clean()): a
                    # category of the same slug would hide it.
                    or Page.objects.filter(parent=None, slug=slug).exists()
                ):
                    slug = f"{slug[:180]}-{term.wordpress_id}"
                category = Category.objects.create(
                    name=term.name[:200],
                    slug=slug,
                    description=blocks.html_to_text(term.description),
                    wordpress_id=term.wordpress_id,
                )
            by_id[term.wordpress_id] = by_slug[category.slug] = category
        if term.parent is not None:
            parent = categories_of([term.parent], lookups=lookups)[0]
            if category.parent_id != parent.pk and parent.pk != category.pk:
                category.parent = parent
                category.save(update_fields=["parent"])
        categories.append(category)
    return categories


def tags_of(terms: Sequence[Term], *, lookups: Lookups) -> list[Tag]:
    """Return the tags of terms in the same order, creating those not imported before."""
    if all(term.wordpress_id in lookups.tags for term in terms):
        return [lookups.tags[term.wordpress_id] for term in terms]
    tags = _find_or_create_tags(terms)
    for term, tag in zip(terms, tags, strict=True):
        lookups.tags[term.wordpress_id] = tag
    return tags


def _find_or_create_tags(terms: Sequence[Term]) -> list[Tag]:
    slugs = {
        term.wordpress_id: slug_of(
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


def slug_of(value: str, *, fallback: str, max_length: int = 200) -> str:
    return (slugify(value, allow_unicode=True)[:max_length].strip("-")) or fallback
