"""
WordPress pages as the site's pages: one by one through the publishing
service (sites have tens or hundreds of them), parents before their
children, at the address WordPress gave them when it has the site's shape
(/en/about-us/team/), else with a 301 from it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles import publishing, redirects, revisions, site_settings
from articles.importers.wordpress import blocks, seo
from articles.importers.wordpress.load.media_library import image_key, library_images
from articles.importers.wordpress.load.outcomes import Outcome
from articles.importers.wordpress.load.plan import (
    IMPORTED,
    STATUSES,
    fingerprint,
    language_of,
    permalink_path,
    publish_date,
    title_of,
)
from articles.importers.wordpress.load.terms import slug_of
from articles.importers.wordpress.load.translations import group_of
from articles.importers.wordpress.sources import WordPressPage
from articles.models import Page

logger = logging.getLogger(__name__)

# WordPress has no kinds of page; these slugs name the ones schema.org has a type for.
PAGE_TYPES_BY_SLUG = {
    "about": Page.Type.ABOUT,
    "over-ons": Page.Type.ABOUT,
    "contact": Page.Type.CONTACT,
}


def import_pages(pages: Sequence[WordPressPage], *, site_url: str) -> list[Outcome]:
    """
    Import pages, each in a transaction of its own, parents first whatever
    their order in the export; return their outcomes in the order given.
    """
    outcomes = {
        index: import_page(pages[index], site_url=site_url)
        for index in parents_first(pages)
    }
    return [outcomes[index] for index in range(len(pages))]


def parents_first(pages: Sequence[WordPressPage]) -> list[int]:
    """
    The indices of pages in an order that puts each page after its parent
    when the parent is among them. A loop of parents (a page its own
    ancestor) is cut where it is met: the page it comes back to has no
    parent yet when it is imported.
    """
    by_id = {page.wordpress_id: index for index, page in enumerate(pages)}
    order: list[int] = []
    placed: set[int] = set()
    for index in range(len(pages)):
        chain: list[int] = []
        current: int | None = index
        while current is not None and current not in placed and current not in chain:
            chain.append(current)
            current = by_id.get(pages[current].parent_id)
        for ancestor_first in reversed(chain):
            placed.add(ancestor_first)
            order.append(ancestor_first)
    return order


def import_page(page: WordPressPage, *, site_url: str) -> Outcome:
    """Create or update the page for a WordPress page, or say why not, in one transaction."""
    label = title_of(page)
    if page.status not in STATUSES:
        return Outcome(
            action="skipped",
            title=label,
            reason=f"the status “{page.status}” is not imported",
        )
    if page.protected:
        # The site has no passwords for pages: importing would publish it.
        return Outcome(
            action="skipped", title=label, reason="password-protected in WordPress"
        )
    try:
        with transaction.atomic():
            return _save(page, site_url=site_url)
    except Exception as exc:
        # One bad page must not stop the others; the log keeps the traceback.
        logger.exception(
            "WordPress page %s (%s) failed to import", page.wordpress_id, page.source
        )
        return Outcome(
            action="failed", title=label, reason=f"{type(exc).__name__}: {exc}"
        )


def _save(page: WordPressPage, *, site_url: str) -> Outcome:
    import_hash = fingerprint(page, site_url=site_url)
    stored = (
        Page.objects.select_related("parent")
        .filter(wordpress_id=page.wordpress_id)
        .first()
    )
    parent = (
        Page.objects.filter(wordpress_id=page.parent_id).first()
        if page.parent_id
        else None
    )
    if (
        stored is not None
        and stored.wordpress_import_hash == import_hash
        and stored.parent_id == (parent.pk if parent else None)
    ):
        return Outcome(action="unchanged", title=stored.title)

    created = stored is None
    language = language_of(page)
    slug = slug_of(
        page.slug or slugify(title_of(page), allow_unicode=True),
        fallback=f"page-{page.wordpress_id}",
    )
    obj = stored or Page(wordpress_id=page.wordpress_id, page_type=_page_type(slug))
    obj.language = language
    obj.parent = parent
    notices = []
    group = group_of(page, model=Page, language=language, new=created)
    if group.key is not None:
        obj.translation_key = group.key
    if group.notice:
        notices.append(group.notice)
    if page.parent_id and parent is None:
        notices.append(
            f"Its parent page (WordPress id {page.parent_id}) is not imported: "
            "it stays at the top level until the parent is."
        )
    notices += _settle_address(obj, slug=slug)

    converted = blocks.convert_post(
        page, site_url=site_url, language=language, split_sections=False
    )
    content = converted.content
    images = library_images(
        content.figures,
        library_figures=[page.featured_image] if page.featured_image else [],
        featured_ids=[page.featured_media],
    ).images
    seo_fields = seo.seo_fields(
        page.meta,
        context=seo.PostContext(
            title=converted.title,
            site_name=site_settings.current().name,
            year=timezone.now().year,
            excerpt=blocks.html_to_text(converted.excerpt),
        ),
        post_link=page.link,
        yoast_head=page.yoast_head,
    )
    obj.title = converted.title[:300]
    obj.status = STATUSES[page.status]
    obj.published_at = publish_date(page)
    obj.excerpt = converted.excerpt
    obj.body = blocks.render_figures(
        content.body,
        figures=content.figures,
        image_ids=[images[image_key(figure)].pk for figure in content.figures],
    )
    obj.featured_image = (
        images.get(page.featured_media) if page.featured_media else None
    )
    obj.menu_order = page.menu_order
    obj.seo_title = seo_fields.seo_title
    obj.meta_description = seo_fields.meta_description
    obj.canonical_url = seo_fields.canonical_url
    obj.robots_noindex = seo_fields.robots_noindex
    obj.robots_nofollow = seo_fields.robots_nofollow
    obj.wordpress_link = page.link[:1000]
    obj.wordpress_import_hash = import_hash

    publishing.save_imported(
        obj,
        # A page has no parts beside its fields.
        write_parts=lambda saved: None,
        snapshot=lambda: revisions.snapshot(obj),
        summary=IMPORTED if created else "",
    )
    if page.modified_gmt is not None:
        # Saving set these to now: WordPress's modified date knows better.
        Page.objects.filter(pk=obj.pk).update(
            updated_at=page.modified_gmt, content_updated_at=page.modified_gmt
        )
    if page.link:
        redirects.record_moves([(obj, [permalink_path(page.link)])])
    return Outcome(
        action="created" if created else "updated",
        title=obj.title,
        notice=" ".join(notices),
    )


def _settle_address(page: Page, *, slug: str) -> list[str]:
    """
    Give the page its WordPress slug, or the first free one after it
    (slug-2, slug-3… as WordPress's wp_unique_post_slug() numbers them),
    as Page.clean() decides: pages and categories share /<language>/<slug>/,
    a few slugs are the site's own, and a page cannot be under a page in
    another language or under itself. Return what the editor should know.
    """
    notices = []
    page.slug, number = slug, 1
    while True:
        try:
            page.clean()
        except ValidationError as error:
            problems = error.message_dict
            if "parent" in problems:
                notices.append(f"{problems['parent'][0]} It is at the top level.")
                page.parent = None
                continue
            if number == 1:
                notices.append(problems["slug"][0])
            number += 1
            page.slug = f"{slug[:190]}-{number}"
            continue
        break
    if page.slug != slug:
        page.path = page.path_under(page.parent)
        notices.append(f"It was imported at {page.get_absolute_url()} instead.")
    return notices


def _page_type(slug: str) -> str:
    """AboutPage for about, about-us, over-ons…; ContactPage for contact, contact-us…"""
    for word, page_type in PAGE_TYPES_BY_SLUG.items():
        if slug == word or slug.startswith(f"{word}-"):
            return page_type
    return Page.Type.WEB_PAGE
