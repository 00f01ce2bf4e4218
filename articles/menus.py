"""
The header and footer menus of a language, built from one query and kept
under the content version: a page shows them at no query per item, and a
menu change (a content change, saved through the publishing service) shows
on every page at once. Items whose page or article readers cannot see are
left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache

from articles import content_version
from articles.models import Menu, MenuItem
from articles.sanitize import safe_url

CACHE_SECONDS = 24 * 60 * 60


@dataclass
class Link:
    label: str
    url: str
    children: list[Link] = field(default_factory=list)


@dataclass
class Column:
    title: str
    links: list[Link]


@dataclass
class Menus:
    header: list[Link]
    footer: list[Column]


def for_language(language: str) -> Menus:
    key = f"menus:{content_version.current()}:{language}"
    menus = cache.get(key)
    if menus is None:
        menus = build(language)
        cache.set(key, menus, CACHE_SECONDS)
    return menus


def build(language: str) -> Menus:
    items = (
        MenuItem.objects.filter(menu__language=language)
        .select_related("menu", "page", "category", "article__primary_category")
        .order_by("menu__location", "menu__order", "menu_id", "order", "pk")
    )
    header: list[Link] = []
    columns: dict[int, Column] = {}
    for item in items:
        link = _link(item, language=language)
        if link is None:
            continue
        if item.menu.location == Menu.Location.FOOTER:
            columns.setdefault(item.menu_id, Column(item.menu.title, [])).links.append(
                link
            )
        elif item.nested and header:
            header[-1].children.append(link)
        else:
            header.append(link)
    return Menus(header=header, footer=list(columns.values()))


def _link(item: MenuItem, *, language: str) -> Link | None:
    """The item as a link, or None when readers cannot follow it."""
    if item.page is not None:
        if not item.page.is_published:
            return None
        return Link(item.label or item.page.title, item.page.get_absolute_url())
    if item.article is not None:
        if not item.article.is_published:
            return None
        return Link(item.label or item.article.title, item.article.get_absolute_url())
    if item.category is not None:
        return Link(
            item.label or item.category.name_in(language),
            item.category.get_absolute_url(language),
        )
    url = safe_url(item.url)
    return Link(item.label or url, url) if url else None
