"""
WordPress menus (nav_menu terms and their nav_menu_items) as the site's
menus, once the pages, posts and categories they link to are imported.

WXR does not export theme locations, so which menu is the header's is a
choice: the one --header-menu names, else per language the first whose
name says so (Header, Main, Primary, Top, Hoofdmenu), else the first. The
others become footer columns. Importing again replaces the items of the
menus an import made; their title, place and language stay as editors left
them, and menus made here are never touched.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from django.conf import settings

from articles import publishing, redirects
from articles.importers.wordpress.blocks import site_relative
from articles.importers.wordpress.load.outcomes import Outcome
from articles.importers.wordpress.sources import WordPressMenu, WordPressMenuItem
from articles.models import Article, Category, Menu, MenuItem, Page, Tag
from articles.sanitize import safe_url

HEADER_NAMES = re.compile(r"\b(?:header|main|primary|top|hoofd)", re.IGNORECASE)
LABEL_MAX_LENGTH = MenuItem._meta.get_field("label").max_length
URL_MAX_LENGTH = MenuItem._meta.get_field("url").max_length


@dataclass
class Row:
    """One item of a menu as it will be stored: a label and one thing it links to."""

    label: str = ""
    page: Page | None = None
    category: Category | None = None
    article: Article | None = None
    url: str = ""
    nested: bool = False

    def key(self) -> tuple:
        return (
            self.label,
            self.page.pk if self.page else None,
            self.category.pk if self.category else None,
            self.article.pk if self.article else None,
            self.url,
            self.nested,
        )


@dataclass
class Plan:
    """A WordPress menu planned: its rows in order, its language and what was left out."""

    menu: WordPressMenu
    rows: list[Row]
    language: str
    left_out: list[str] = field(default_factory=list)


def import_menus(
    menus: Sequence[WordPressMenu],
    *,
    site_url: str,
    header_menu: str | None = None,
) -> list[Outcome]:
    """
    Import menus whose pages, posts and terms are imported already; return
    an outcome per menu, in order. header_menu (a menu's name or slug) makes
    that menu its language's header.
    """
    targets = Targets.of(menus)
    plans = [plan_menu(menu, targets=targets, site_url=site_url) for menu in menus]
    stored = {
        menu.wordpress_id: menu
        for menu in Menu.objects.filter(
            wordpress_id__in=[menu.wordpress_id for menu in menus]
        )
    }
    for plan in plans:
        if plan.menu.wordpress_id in stored:
            plan.language = stored[plan.menu.wordpress_id].language
    locations, notices = choose_locations(plans, stored=stored, requested=header_menu)
    outcomes: dict[int, Outcome] = {}
    # Headers last: a header that becomes a footer column must make room first.
    for index in sorted(
        range(len(plans)), key=lambda i: locations[i] == Menu.Location.HEADER
    ):
        plan = plans[index]
        outcomes[index] = _write(
            plan,
            stored=stored.get(plan.menu.wordpress_id),
            location=locations[index],
            order=index,
            notices=[*notices.get(index, []), *plan.left_out],
        )
    return [outcomes[index] for index in range(len(plans))]


def is_named(menu: WordPressMenu, name: str) -> bool:
    """Whether --header-menu NAME names this menu, by its name or its slug."""
    return name.casefold() in (menu.name.casefold(), menu.slug.casefold())


def choose_locations(
    plans: Sequence[Plan], *, stored: dict[int, Menu], requested: str | None
) -> tuple[dict[int, str], dict[int, list[str]]]:
    """
    The location of each planned menu (by index), and what an editor should
    know about it. When requested names a menu, it is its language's header
    and the other imported menus of that language are footer columns. Else
    a menu imported before keeps its location, and a new one is the header
    when its language has none and it is the first new menu whose name
    says header, else the first new menu. A header made here stays.
    """
    headers_made_here = dict(
        Menu.objects.filter(
            location=Menu.Location.HEADER, wordpress_id__isnull=True
        ).values_list("language", "title")
    )
    imported_headers = {
        menu.language
        for menu in stored.values()
        if menu.location == Menu.Location.HEADER
    }
    named = {
        plan.language: index
        for index, plan in enumerate(plans)
        if requested and is_named(plan.menu, requested)
    }
    first_new: dict[str, int] = {}
    for index, plan in enumerate(plans):
        if plan.menu.wordpress_id in stored:
            continue
        current = first_new.get(plan.language)
        if current is None or (
            HEADER_NAMES.search(plan.menu.name)
            and not HEADER_NAMES.search(plans[current].menu.name)
        ):
            first_new[plan.language] = index
    locations: dict[int, str] = {}
    notices: dict[int, list[str]] = {}
    for index, plan in enumerate(plans):
        menu = stored.get(plan.menu.wordpress_id)
        if plan.language in named:
            header = named[plan.language] == index
        elif menu is not None:
            locations[index] = menu.location
            continue
        else:
            header = (
                first_new.get(plan.language) == index
                and plan.language not in imported_headers
            )
        if header and plan.language in headers_made_here:
            notices[index] = [
                f"The header menu is “{headers_made_here[plan.language]}”, made "
                "on this site: this menu is a footer column."
            ]
            header = False
        locations[index] = Menu.Location.HEADER if header else Menu.Location.FOOTER
    return locations, notices


@dataclass
class Targets:
    """What the items of the menus link to, by WordPress id, each model read once."""

    pages: dict[int, Page]
    articles: dict[int, Article]
    categories: dict[int, Category]
    tags: dict[int, Tag]

    @classmethod
    def of(cls, menus: Sequence[WordPressMenu]) -> Targets:
        wanted: dict[str, set[int]] = {}
        for menu in menus:
            for item in menu.items:
                if item.object_id:
                    wanted.setdefault(item.object, set()).add(item.object_id)
        return cls(
            pages=_by_wordpress_id(Page.objects.all(), wanted.get("page")),
            articles=_by_wordpress_id(
                Article.objects.select_related("primary_category"), wanted.get("post")
            ),
            categories=_by_wordpress_id(Category.objects.all(), wanted.get("category")),
            tags=_by_wordpress_id(Tag.objects.all(), wanted.get("post_tag")),
        )


def _by_wordpress_id(queryset, ids: set[int] | None) -> dict:
    if not ids:
        return {}
    return {obj.wordpress_id: obj for obj in queryset.filter(wordpress_id__in=ids)}


def plan_menu(menu: WordPressMenu, *, targets: Targets, site_url: str) -> Plan:
    """
    The rows of a menu in WordPress's order: each top-level item followed
    by everything under it, however deep, as its sub-items (the header has
    one level). An item that cannot be linked is left out, and the items
    under a left-out top-level item become top-level items.
    """
    linked: dict[int, Row] = {}
    left_out: list[str] = []
    language = _language(menu.items, targets=targets)
    for item in menu.items:
        row, reason = _row(item, targets=targets, site_url=site_url, language=language)
        if row is None:
            left_out.append(
                f"“{item.title or item.url or item.wordpress_id}” is left out: it {reason}."
            )
        else:
            linked[item.wordpress_id] = row
    ids = {item.wordpress_id for item in menu.items}
    children: dict[int | None, list[WordPressMenuItem]] = {}
    for item in menu.items:
        parent = item.parent_id if item.parent_id in ids else None
        children.setdefault(parent, []).append(item)
    rows: list[Row] = []
    visited: set[int] = set()

    def visit(item: WordPressMenuItem, *, under_kept: bool) -> None:
        # A stack rather than recursion: an export may nest items without end.
        stack = [(item, under_kept)]
        while stack:
            current, nested = stack.pop()
            if current.wordpress_id in visited:
                continue
            visited.add(current.wordpress_id)
            row = linked.get(current.wordpress_id)
            if row is not None:
                row.nested = nested
                rows.append(row)
            below = sorted(children.get(current.wordpress_id, []), key=_position)
            stack.extend(
                (child, nested or row is not None) for child in reversed(below)
            )

    for top in sorted(children.get(None, []), key=_position):
        visit(top, under_kept=False)
    # Items whose parents loop back to them reach no top: they come last, each a top.
    for item in sorted(menu.items, key=_position):
        visit(item, under_kept=False)
    return Plan(menu=menu, rows=rows, language=language, left_out=left_out)


def _position(item: WordPressMenuItem) -> tuple[int, int]:
    return (item.menu_order, item.wordpress_id)


def _language(items: Sequence[WordPressMenuItem], *, targets: Targets) -> str:
    """The language of most of the pages and posts the menu links to, else the site's."""
    languages = Counter(
        target.language
        for item in items
        if item.object_id
        and (
            target := (
                targets.pages.get(item.object_id)
                if item.object == "page"
                else targets.articles.get(item.object_id)
                if item.object == "post"
                else None
            )
        )
    )
    return languages.most_common(1)[0][0] if languages else settings.LANGUAGE_CODE


def _row(
    item: WordPressMenuItem, *, targets: Targets, site_url: str, language: str
) -> tuple[Row | None, str]:
    """The row of an item, or None and why it is left out."""
    if item.kind == "post_type" and item.object in ("page", "post"):
        found = (targets.pages if item.object == "page" else targets.articles).get(
            item.object_id
        )
        if found is None:
            return None, (
                f"links to the WordPress {item.object} {item.object_id}, "
                "which is not imported"
            )
        return _linked(item, found, title=found.title), ""
    if item.kind == "taxonomy" and item.object == "category":
        category = targets.categories.get(item.object_id)
        if category is None:
            return None, (
                f"links to the WordPress category {item.object_id}, which is not imported"
            )
        return _linked(item, category, title=category.name), ""
    if item.kind == "taxonomy" and item.object == "post_tag":
        tag = targets.tags.get(item.object_id)
        if tag is None:
            return None, (
                f"links to the WordPress tag {item.object_id}, which is not imported"
            )
        # Menus link to tags by address: a tag is not one of their targets.
        return Row(
            label=_label(item.title or tag.name),
            url=_on_this_site(tag.get_absolute_url(language)),
        ), ""
    if item.kind == "custom":
        return _custom(item, site_url=site_url)
    return None, (
        f"links to a WordPress “{item.object or item.kind}”, which is not imported"
    )


def _linked(item: WordPressMenuItem, target, *, title: str) -> Row:
    """A row linking to a page, an article or a category; its label only when WordPress's differs."""
    label = "" if item.title in ("", title) else _label(item.title)
    field_name = {Page: "page", Article: "article", Category: "category"}[type(target)]
    return Row(label=label, **{field_name: target})


def _custom(item: WordPressMenuItem, *, site_url: str) -> tuple[Row | None, str]:
    """
    A custom link: to what was imported from the old site's address it
    names, else to the same address on this site; links to other sites
    stay as they are.
    """
    address = site_relative(item.url, site_url=site_url)
    if address.startswith("/") and not address.startswith("//"):
        target = content_at(address)
        if target is not None:
            title = target.name if isinstance(target, Category) else target.title
            return _linked(item, target, title=title), ""
        url = _on_this_site(address)
    else:
        url = safe_url(address)
    if not url or len(url) > URL_MAX_LENGTH:
        return None, f"links to “{item.url}”, which is no web address a menu can hold"
    return Row(label=_label(item.title or url), url=url), ""


def content_at(address: str) -> Page | Article | Category | None:
    """
    The page, article or category at a site-relative address once the
    import is done: WordPress's plain permalinks (/?page_id=12, /?p=9580),
    an old address that now redirects to content, or an address of this
    site (/en/about-us/, /en/beauty/, /en/beauty/back-spasm-remedy/).
    """
    parts = urlsplit(address)
    if parts.fragment:
        return None  # A place on a page: the address says more than the page.
    query = parse_qs(parts.query)
    for name in redirects.WORDPRESS_ID_PARAMETERS:
        value = query.get(name, [""])[0]
        if len(query) == 1 and value.isascii() and value.isdigit():
            return (
                Page.objects.filter(wordpress_id=int(value)).first()
                or Article.objects.select_related("primary_category")
                .filter(wordpress_id=int(value))
                .first()
            )
    if parts.query:
        return None
    rule, _target = redirects.find_redirect(parts.path)
    if rule is not None and rule.target is not None:
        return rule.target
    segments = parts.path.strip("/").split("/")
    if segments[0] not in dict(settings.LANGUAGES) or len(segments) < 2:
        return None
    language, rest = segments[0], segments[1:]
    if len(rest) == 1 and (category := Category.objects.filter(slug=rest[0]).first()):
        return category
    if len(rest) == 2 and (
        article := Article.objects.select_related("primary_category")
        .filter(language=language, slug=rest[1], primary_category__slug=rest[0])
        .first()
    ):
        return article
    return Page.objects.filter(language=language, path="/".join(rest)).first()


def _on_this_site(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _label(text: str) -> str:
    return text[:LABEL_MAX_LENGTH]


def _write(
    plan: Plan,
    *,
    stored: Menu | None,
    location: str,
    order: int,
    notices: list[str],
) -> Outcome:
    title = f"menu {plan.menu.name}"
    notice = " ".join(notices)
    if stored is not None:
        current = [
            Row(
                label=item.label,
                page=item.page,
                category=item.category,
                article=item.article,
                url=item.url,
                nested=item.nested,
            ).key()
            for item in stored.items.select_related("page", "category", "article")
        ]
        if current == [row.key() for row in plan.rows] and stored.location == location:
            return Outcome(action="unchanged", title=title, notice=notice)
    menu = stored or Menu(
        wordpress_id=plan.menu.wordpress_id,
        title=plan.menu.name[: Menu._meta.get_field("title").max_length],
        language=plan.language,
        order=order,
    )
    menu.location = location

    def write() -> None:
        menu.save()
        menu.items.all().delete()
        MenuItem.objects.bulk_create(
            MenuItem(
                menu=menu,
                label=row.label,
                page=row.page,
                category=row.category,
                article=row.article,
                url=row.url,
                nested=row.nested,
                order=position,
            )
            for position, row in enumerate(plan.rows)
        )

    publishing.save_object(menu, user=None, write=write)
    return Outcome(
        action="updated" if stored is not None else "created",
        title=f"{title} ({menu.get_location_display().lower()}, {menu.language})",
        notice=notice,
    )
