"""
Read posts and pages from WordPress REST API v2 JSON (a file with one, a
file with a list of them, or a directory of such files, with or without
`_embed`) and from WXR, the XML file of WordPress's Tools → Export, which
also holds the menus and the site's name.

Reading never stops at a bad file: it yields an item with the error, naming
the file and the reason, and goes on with the next. No database access here.

Export files are uploads, so their size is limited before they are read
(IMPORT_FILE_MAX_BYTES), a post's content before it is converted
(IMPORT_POST_MAX_BYTES: a page that size is slow for every reader), and
JSON's nesting (MAX_JSON_DEPTH) before anything walks it.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.conf import settings

from articles import control_characters
from articles.importers.wordpress.blocks import (
    Figure,
    image_side,
    image_url,
    inline_html,
)
from articles.importers.wordpress.php import PHPSerializeError, unserialize
from articles.importers.wordpress.render import (
    Attachment,
    attachment_figure,
    autop,
    is_image_url,
    render_content,
)
from articles.importers.wordpress.text import plain_text
from articles.importers.wordpress.translations import (
    WPML_LANGUAGE_META,
    WPML_META,
    TranslationsError,
    polylang_description,
    polylang_rest,
    wpml_group,
    wpml_rest,
)

REQUIRED_KEYS = ("id", "title", "content")
# A WordPress REST export nests about eight levels deep (_embedded → wp:term →
# a list of lists of terms → _links → ...); far deeper is no export.
MAX_JSON_DEPTH = 64


@dataclass(frozen=True)
class Term:
    """A category or tag as the post names it, with its parent category when known."""

    wordpress_id: int
    name: str
    slug: str
    parent: Term | None = None
    description: str = ""


@dataclass(frozen=True)
class WordPressAuthor:
    wordpress_id: int
    name: str
    slug: str
    description: str = ""


@dataclass(frozen=True)
class WordPressPost:
    """
    One post as WordPress serves it. title, content and excerpt are the
    rendered HTML; dates ending in _gmt are aware (UTC), date is the site's
    local time as WordPress gives it.
    """

    wordpress_id: int
    source: str
    type: str = "post"
    status: str = "publish"
    title: str = ""
    content: str = ""
    excerpt: str = ""
    protected: bool = False
    slug: str = ""
    link: str = ""
    guid: str = ""
    date: datetime | None = None
    date_gmt: datetime | None = None
    modified_gmt: datetime | None = None
    author_id: int | None = None
    author: WordPressAuthor | None = None
    featured_media: int | None = None
    featured_image: Figure | None = None
    sticky: bool = False
    categories: tuple[Term, ...] = ()
    tags: tuple[Term, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)
    comment_status: str = ""
    ping_status: str = ""
    template: str = ""
    format: str = ""
    revision_count: int | None = None
    predecessor_version: int | None = None
    # Earlier slugs WordPress still answers for (WXR's _wp_old_slug meta).
    old_slugs: tuple[str, ...] = ()
    # Yoast's resolved head as the REST API gives it (yoast_head_json).
    yoast_head: Mapping[str, Any] = field(default_factory=dict)
    # The language the post's data names, as the plugin spells it: Polylang's
    # "nl", WPML's "nl_NL". Empty when it names none (the permalink may).
    language: str = ""
    # Its translations as its multilingual plugin lists them (translations.py):
    # language, as the plugin spells it, → WordPress id, itself included or not.
    translations: Mapping[str, int] = field(default_factory=dict)
    # The group the plugin files it in when it names no ids: WPML's trid
    # ("wpml:42") or Polylang's post_translations term ("polylang:pll_…").
    translation_group: str = ""
    # Why the plugin's links could not be read: the post is imported without them.
    translation_error: str = ""


@dataclass(frozen=True)
class WordPressPage(WordPressPost):
    """
    A page: a post with a place in the site's page tree (wp:post_parent in
    WXR, parent in the REST API) and an order among its siblings.
    """

    type: str = "page"
    parent_id: int | None = None
    menu_order: int = 0


@dataclass(frozen=True)
class WordPressMenuItem:
    """
    A published nav_menu_item, from the post meta wp_update_nav_menu_item()
    writes: what it links to (_menu_item_type "post_type", "taxonomy" or
    "custom"; _menu_item_object "page", "post", "category", "post_tag"…;
    _menu_item_object_id; _menu_item_url) and the item it sits under
    (_menu_item_menu_item_parent, 0 at the top). title is empty when the
    item shows the title of what it links to.
    """

    wordpress_id: int
    title: str
    kind: str
    object: str
    object_id: int | None
    url: str
    parent_id: int | None
    menu_order: int


@dataclass(frozen=True)
class WordPressMenu:
    """A nav_menu term of the export with its published items."""

    wordpress_id: int
    name: str
    slug: str
    items: tuple[WordPressMenuItem, ...]


@dataclass(frozen=True)
class WordPressSite:
    """The site a WXR file was exported from: its channel's title and description."""

    name: str
    tagline: str


@dataclass(frozen=True)
class SourceItem:
    """
    One item read: a post (or page), an image of the media library, a menu,
    the exported site itself, or the reason why the file (or the item in
    it) is none of these.
    """

    source: str
    post: WordPressPost | None = None
    image: Figure | None = None
    menu: WordPressMenu | None = None
    site: WordPressSite | None = None
    error: str = ""
    # The error is a reason to leave the item out rather than a fault.
    skipped: bool = False


class NotAPostError(ValueError):
    pass


def read_posts(paths: Iterable[str | Path]) -> Iterator[SourceItem]:
    """
    Yield the posts of each path in order; a directory gives its *.json and
    *.xml files sorted by name. A file is read as WXR when its name ends in
    .xml or its first character is "<".
    """
    for path in map(Path, paths):
        if path.is_dir():
            files = sorted(
                file
                for file in path.iterdir()
                if file.suffix.lower() in (".json", ".xml")
            )
            if not files:
                yield SourceItem(
                    source=str(path), error="the directory has no .json or .xml files"
                )
            for file in files:
                yield from read_file(file)
        else:
            yield from read_file(path)


def read_file(path: Path) -> Iterator[SourceItem]:
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield SourceItem(source=name, error=f"cannot be read: {exc.strerror or exc}")
        return
    if size > settings.IMPORT_FILE_MAX_BYTES:
        yield SourceItem(
            source=name,
            error=f"too large: {_size(size)}, more than the "
            f"{_size(settings.IMPORT_FILE_MAX_BYTES)} IMPORT_FILE_MAX_BYTES allows; "
            "export the site in parts (by date or category) and import each",
        )
        return
    if path.suffix.lower() == ".xml" or _starts_with_markup(path):
        yield from read_wxr(path)
        return
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield SourceItem(source=name, error=f"cannot be read: {exc.strerror or exc}")
        return
    if not raw.strip():
        yield SourceItem(source=name, error="the file is empty")
        return
    too_deep = (
        f"not a WordPress export: JSON nested more than {MAX_JSON_DEPTH} levels deep"
    )
    try:
        data = json.loads(raw)
    except RecursionError:  # Deeper than Python's own limit.
        yield SourceItem(source=name, error=too_deep)
        return
    except json.JSONDecodeError as exc:
        yield SourceItem(
            source=name,
            error=f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
        )
        return
    except UnicodeDecodeError as exc:
        yield SourceItem(
            source=name, error=f"not valid JSON: not UTF-8 text ({exc.reason})"
        )
        return
    if _nested_deeper_than(data, MAX_JSON_DEPTH):
        yield SourceItem(source=name, error=too_deep)
        return
    data = control_characters.remove_from_json(data)
    if isinstance(data, list):
        if not data:
            yield SourceItem(source=name, error="the list has no posts")
        for index, item in enumerate(data):
            yield _post_or_error(item, source=f"{name}[{index}]")
    else:
        yield _post_or_error(data, source=name)


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def _nested_deeper_than(data: object, limit: int) -> bool:
    """Whether decoded JSON has lists or objects more than limit levels deep; no recursion."""
    stack = [(data, 1)] if isinstance(data, list | dict) else []
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        children = value.values() if isinstance(value, dict) else value
        stack.extend(
            (child, depth + 1) for child in children if isinstance(child, list | dict)
        )
    return False


def _check_content_size(content: str) -> None:
    """Refuse a post whose content is larger than IMPORT_POST_MAX_BYTES, saying by how much."""
    size = len(content.encode("utf-8", "surrogatepass"))
    if size > settings.IMPORT_POST_MAX_BYTES:
        raise NotAPostError(
            f"the post's content is {_size(size)}, more than the "
            f"{_size(settings.IMPORT_POST_MAX_BYTES)} IMPORT_POST_MAX_BYTES allows; "
            "split it into several posts"
        )


def _post_or_error(data: object, *, source: str) -> SourceItem:
    try:
        if isinstance(data, dict) and data.get("type") == "attachment":
            if data.get("media_type") != "image":
                kind = _str(data.get("media_type")) or "item"
                return SourceItem(
                    source=source,
                    error=f"a {kind} of WordPress's media library, not an image",
                    skipped=True,
                )
            return SourceItem(source=source, image=parse_media(data))
        return SourceItem(source=source, post=parse_post(data, source=source))
    except NotAPostError as exc:
        return SourceItem(source=source, error=str(exc))
    except (TypeError, AttributeError, ValueError) as exc:
        # A field of an unexpected type deep inside: still only this item is lost.
        return SourceItem(source=source, error=f"not a readable WordPress post: {exc}")


def parse_post(data: object, *, source: str) -> WordPressPost:
    """Return the post a decoded REST API object describes, or raise NotAPostError saying why not."""
    if not isinstance(data, dict):
        raise NotAPostError(
            f"not a WordPress post: a JSON {_json_type(data)} instead of an object"
        )
    if "code" in data and "message" in data and "id" not in data:
        raise NotAPostError(
            f"a WordPress error instead of a post: {data['code']}: {data['message']}"
        )
    missing = [key for key in REQUIRED_KEYS if key not in data]
    if missing:
        raise NotAPostError(f"not a WordPress post: no {', '.join(missing)}")
    wordpress_id = _int(data["id"])
    if wordpress_id is None or wordpress_id <= 0:
        raise NotAPostError(
            f"not a WordPress post: id {data['id']!r} is not a positive number"
        )

    embedded = data.get("_embedded") if isinstance(data.get("_embedded"), dict) else {}
    links = data.get("_links") if isinstance(data.get("_links"), dict) else {}
    class_list = data.get("class_list") or []
    if isinstance(class_list, dict):
        # PHP sends an array with gaps in its keys as an object.
        class_list = list(class_list.values())
    class_list = [item for item in class_list if isinstance(item, str)]
    embedded_terms = _embedded_terms(embedded)
    content = data["content"]
    _check_content_size(_rendered(content))
    post_type = _str(data.get("type")) or "post"
    page_fields = (
        {
            "parent_id": _id(data.get("parent")),
            "menu_order": _menu_order(data.get("menu_order")),
        }
        if post_type == "page"
        else {}
    )
    return (WordPressPage if page_fields else WordPressPost)(
        **page_fields,
        wordpress_id=wordpress_id,
        source=source,
        type=post_type,
        status=_str(data.get("status")),
        title=_rendered(data["title"]),
        content=_rendered(content),
        excerpt=_rendered(data.get("excerpt")),
        protected=bool(isinstance(content, dict) and content.get("protected")),
        slug=unquote(_str(data.get("slug"))),
        link=_str(data.get("link")),
        guid=_rendered(data.get("guid")),
        date=_datetime(data.get("date"), aware=False),
        date_gmt=_datetime(data.get("date_gmt"), aware=True),
        modified_gmt=_datetime(data.get("modified_gmt"), aware=True),
        author_id=_int(data.get("author")),
        author=_embedded_author(embedded, author_id=_int(data.get("author"))),
        featured_media=_int(data.get("featured_media")) or None,
        featured_image=_embedded_media(embedded),
        sticky=data.get("sticky") is True,
        categories=_terms(
            data.get("categories"),
            embedded=embedded_terms.get("category", {}),
            class_slugs=[
                item.removeprefix("category-")
                for item in class_list
                if item.startswith("category-")
            ],
            taxonomy="category",
        ),
        tags=_terms(
            data.get("tags"),
            embedded=embedded_terms.get("post_tag", {}),
            class_slugs=[
                item.removeprefix("tag-")
                for item in class_list
                if item.startswith("tag-")
            ],
            taxonomy="tag",
        ),
        meta=data["meta"] if isinstance(data.get("meta"), dict) else {},
        comment_status=_str(data.get("comment_status")),
        ping_status=_str(data.get("ping_status")),
        template=_str(data.get("template")),
        format=_str(data.get("format")),
        revision_count=_int(_first_link(links, "version-history").get("count")),
        predecessor_version=_int(_first_link(links, "predecessor-version").get("id")),
        yoast_head=data["yoast_head_json"]
        if isinstance(data.get("yoast_head_json"), dict)
        else {},
        language=_rest_language(data, embedded_terms=embedded_terms),
        **_rest_translations(data),
    )


def _rest_translations(data: Mapping[str, Any]) -> dict[str, Any]:
    """
    The translations a REST post lists: Polylang Pro's `translations`,
    else the WPML REST add-on's `wpml_translations` (translations.py).
    """
    try:
        links = polylang_rest(data.get("translations")) or wpml_rest(
            data.get("wpml_translations")
        )
    except TranslationsError as exc:
        return {"translation_error": str(exc)}
    return {"translations": links}


def _rest_language(
    data: Mapping[str, Any], *, embedded_terms: Mapping[str, Mapping[int, Term]]
) -> str:
    """
    The language a REST post names: Polylang's lang field (its language
    slug, false without one), WPML's wpml_current_locale ("nl_NL") or lang,
    or an embedded term of Polylang's language taxonomy.
    """
    for key in ("lang", "wpml_current_locale"):
        if value := _str(data.get(key)).strip():
            return value
    terms = embedded_terms.get("language", {})
    return next((term.slug for term in terms.values() if term.slug), "")


def parse_media(data: Mapping[str, Any]) -> Figure:
    """Return the image a REST API media object (wp/v2/media) describes, or raise NotAPostError."""
    figure = _media_figure(data)
    if figure is None:
        raise NotAPostError("not a WordPress image: no id or source_url")
    return figure


def _starts_with_markup(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(64).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
    except OSError:
        return False


def _terms(
    ids: object, *, embedded: Mapping[int, Term], class_slugs: list[str], taxonomy: str
) -> tuple[Term, ...]:
    """
    Return the terms in the order of the post's ids (the first category is
    the primary one). Without _embed, the slugs come from class_list, which
    WordPress writes in the same order as the ids.
    """
    term_ids = (
        [number for number in map(_int, ids) if number]
        if isinstance(ids, list)
        else list(embedded)
    )
    paired = len(class_slugs) == len(term_ids)
    terms = []
    for position, term_id in enumerate(term_ids):
        if term_id in embedded:
            terms.append(embedded[term_id])
            continue
        slug = unquote(class_slugs[position]) if paired else f"{taxonomy}-{term_id}"
        terms.append(Term(wordpress_id=term_id, name=_name_from_slug(slug), slug=slug))
    return tuple(terms)


def _name_from_slug(slug: str) -> str:
    words = slug.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _embedded_terms(embedded: Mapping[str, Any]) -> dict[str, dict[int, Term]]:
    terms: dict[str, dict[int, Term]] = {}
    for group in embedded.get("wp:term") or ():
        for item in group if isinstance(group, list) else ():
            term_id = _int(item.get("id")) if isinstance(item, dict) else None
            if not term_id:
                continue
            slug = unquote(_str(item.get("slug"))) or str(term_id)
            name = plain_text(_str(item.get("name"))) or _name_from_slug(slug)
            terms.setdefault(_str(item.get("taxonomy")), {})[term_id] = Term(
                wordpress_id=term_id, name=name, slug=slug
            )
    return terms


def _embedded_author(
    embedded: Mapping[str, Any], *, author_id: int | None
) -> WordPressAuthor | None:
    for item in embedded.get("author") or ():
        if isinstance(item, dict) and _int(item.get("id")) == author_id and author_id:
            slug = unquote(_str(item.get("slug"))) or f"author-{author_id}"
            return WordPressAuthor(
                wordpress_id=author_id,
                name=plain_text(_str(item.get("name"))) or f"Author {author_id}",
                slug=slug,
                description=_str(item.get("description")),
            )
    return None


def _embedded_media(embedded: Mapping[str, Any]) -> Figure | None:
    for item in embedded.get("wp:featuredmedia") or ():
        # WordPress embeds an error object for media it will not show.
        figure = _media_figure(item) if isinstance(item, dict) else None
        if figure is not None:
            return figure
    return None


def _media_figure(item: Mapping[str, Any]) -> Figure | None:
    """The Figure of a REST media object, or None when it lacks an id or a URL."""
    media_id = _int(item.get("id"))
    url = image_url(_str(item.get("source_url"))) if media_id else ""
    if not url:
        return None
    details = (
        item.get("media_details") if isinstance(item.get("media_details"), dict) else {}
    )
    sizes = details.get("sizes") if isinstance(details.get("sizes"), dict) else {}
    renditions = {
        (rendition_url, width)
        for size in sizes.values()
        if isinstance(size, dict)
        and (width := image_side(_int(size.get("width"))))
        and (rendition_url := image_url(_str(size.get("source_url"))))
    }
    return Figure(
        wordpress_id=media_id,
        url=url,
        alt=plain_text(_str(item.get("alt_text"))),
        width=image_side(_int(details.get("width"))),
        height=image_side(_int(details.get("height"))),
        renditions=tuple(sorted(renditions, key=lambda rendition: rendition[1])),
        caption=inline_html(_rendered(item.get("caption"))),
    )


def _first_link(links: Mapping[str, Any], relation: str) -> Mapping[str, Any]:
    entries = links.get(relation)
    if isinstance(entries, list) and entries and isinstance(entries[0], dict):
        return entries[0]
    return {}


def _rendered(value: object) -> str:
    """Return the rendered HTML of a REST field, which is {"rendered": ...} or, in some exports, a string."""
    if isinstance(value, dict):
        value = value.get("rendered")
    return value if isinstance(value, str) else ""


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    # isdigit() alone also takes digits int() does not read, such as "²".
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value)
    return None


# WordPress's ids are MySQL BIGINT UNSIGNED, the site's signed 64-bit numbers.
MAX_ID = 2**63 - 1


def _id(value: object) -> int | None:
    """A WordPress id, or None for none (0) and for one too large to be an id here."""
    number = _int(value)
    return number if number is not None and 0 < number <= MAX_ID else None


def _menu_order(value: object) -> int:
    """menu_order, a MySQL INT in WordPress, negative ones included; anything else is 0."""
    if isinstance(value, str) and value.strip().startswith("-"):
        number = _int(value.strip()[1:])
        number = -number if number is not None else None
    else:
        number = _int(value)
    return number if number is not None and -(2**31) <= number < 2**31 else 0


def _datetime(value: object, *, aware: bool) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if aware and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def _json_type(value: object) -> str:
    return {
        list: "array",
        str: "string",
        int: "number",
        float: "number",
        bool: "boolean",
        type(None): "null",
    }.get(type(value), type(value).__name__)


# WXR: the export file of WordPress's Tools → Export.

_WP = "{http://wordpress.org/export/1.2/}"
_WXR_NAMESPACES = {
    "wp": "http://wordpress.org/export/1.2/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
# Meta that WordPress keeps for itself (edit locks, caches): not worth keeping.
_WXR_KEPT_META = re.compile(
    r"^(?:rank_math_|_yoast_wpseo_|_menu_item_(?:type|object|object_id|url|menu_item_parent)$|footnotes$|[^_])"
)


def read_wxr(path: Path) -> Iterator[SourceItem]:
    """
    Yield the site, posts, pages, menus and other items of a WXR file, with
    their authors, terms (categories with their parents), featured images
    and meta.

    The file is an untrusted upload: defusedxml refuses entity declarations
    (the "billion laughs" expansion) and external entities (XXE). The site
    (the channel's title and description) comes first, then the image
    attachments, as images of the media library, so that the posts after
    them find the library complete; each post's content is rendered as
    WordPress would serve it (render.render_content()). The menus come
    last: the nav_menu terms of the channel (export_wp()'s
    wxr_nav_menu_terms()), each with the nav_menu_items filed under it. A
    file that stops being valid XML yields the items read before the fault
    and then an error naming the line.
    """
    name = str(path)
    site: WordPressSite | None = None
    authors: dict[str, WordPressAuthor] = {}
    categories: dict[str, dict[str, str]] = {}
    tag_ids: dict[str, int] = {}
    nav_menus: dict[str, tuple[int, str]] = {}
    translation_terms: dict[str, str] = {}
    items: list[dict[str, Any]] = []
    error = ""
    try:
        for _event, element in iterparse(str(path), events=("end",), forbid_dtd=True):
            tag = element.tag
            if tag == f"{_WP}author":
                author = _wxr_author(element)
                if author is not None:
                    authors[_child(element, "wp:author_login")] = author
                element.clear()
            elif tag == f"{_WP}category" and len(element):
                slug = unquote(_child(element, "wp:category_nicename"))
                categories[slug] = {
                    "id": _child(element, "wp:term_id"),
                    "name": _child(element, "wp:cat_name"),
                    "parent": unquote(_child(element, "wp:category_parent")),
                    "description": _child(element, "wp:category_description"),
                }
                element.clear()
            elif tag == f"{_WP}tag" and len(element):
                tag_id = _int(_child(element, "wp:term_id"))
                if tag_id:
                    tag_ids[unquote(_child(element, "wp:tag_slug"))] = tag_id
                element.clear()
            elif tag == f"{_WP}term" and len(element):
                if _child(element, "wp:term_taxonomy") == "post_translations":
                    # Polylang's translation group: its description lists the posts.
                    translation_terms[unquote(_child(element, "wp:term_slug"))] = (
                        _child(element, "wp:term_description")
                    )
                elif _child(element, "wp:term_taxonomy") == "nav_menu":
                    slug = unquote(_child(element, "wp:term_slug"))
                    nav_menus[slug] = (
                        _id(_child(element, "wp:term_id")) or _wxr_term_id(slug),
                        plain_text(_child(element, "wp:term_name")) or slug,
                    )
                element.clear()
            elif tag == "item":
                items.append(_wxr_item(element))
                element.clear()
            elif tag == "channel":
                # Its items are cleared by now; its own title and description stay.
                site = WordPressSite(
                    name=plain_text(_child(element, "title")),
                    tagline=plain_text(_child(element, "description")),
                )
    except (ParseError, DefusedXmlException) as exc:
        error = f"not a valid WXR file: {exc}"
    except OSError as exc:
        error = f"cannot be read: {exc.strerror or exc}"
    if not items and not error:
        error = "not a WXR file: no <item> elements"
    if site is not None and items:
        yield SourceItem(source=f"{name}#site", site=site)

    attachments: dict[int, Attachment] = {}
    for index, item in enumerate(items):
        if item["post_type"] != "attachment":
            continue
        source = f"{name}#{item['id'] or index}"
        try:
            attachment = _wxr_attachment(item)
        except (TypeError, ValueError) as exc:
            # A value of an unexpected kind deep inside: only this item is lost.
            yield SourceItem(source=source, error=f"not a readable attachment: {exc}")
            continue
        if attachment is not None:
            attachments[attachment.figure.wordpress_id] = attachment
            yield SourceItem(source=source, image=attachment.figure)
    menu_items: dict[str, list[WordPressMenuItem]] = {}
    for index, item in enumerate(items):
        if item["post_type"] == "attachment":
            continue
        source = f"{name}#{item['id'] or index}"
        if item["post_type"] == "nav_menu_item":
            try:
                skipped = _file_menu_item(
                    item, menu_items=menu_items, nav_menus=nav_menus
                )
            except (TypeError, ValueError) as exc:
                yield SourceItem(
                    source=source, error=f"not a readable menu item: {exc}"
                )
                continue
            if skipped:
                yield SourceItem(source=source, error=skipped, skipped=True)
            continue
        try:
            post = _wxr_post(
                item,
                source=source,
                authors=authors,
                categories=categories,
                tag_ids=tag_ids,
                attachments=attachments,
                translation_terms=translation_terms,
            )
        except NotAPostError as exc:
            yield SourceItem(source=source, error=str(exc))
            continue
        except (TypeError, ValueError) as exc:
            yield SourceItem(
                source=source, error=f"not a readable WordPress post: {exc}"
            )
            continue
        yield SourceItem(source=source, post=post)
    for slug, (term_id, menu_name) in nav_menus.items():
        source = f"{name}#menu-{slug}"
        if not menu_items.get(slug):
            yield SourceItem(
                source=source,
                error=f"the menu “{menu_name}” has no published items",
                skipped=True,
            )
            continue
        yield SourceItem(
            source=source,
            menu=WordPressMenu(
                wordpress_id=term_id,
                name=menu_name,
                slug=slug,
                items=tuple(menu_items[slug]),
            ),
        )
    if error:
        yield SourceItem(source=name, error=error)


def _file_menu_item(
    item: dict[str, Any],
    *,
    menu_items: dict[str, list[WordPressMenuItem]],
    nav_menus: dict[str, tuple[int, str]],
) -> str:
    """
    File a nav_menu_item under its menu (a nav_menu term of the item), or
    say why it is left out. Drafts are the Customizer's unsaved changes:
    WordPress shows only published items (wp_get_nav_menu_items()).
    """
    if item["status"] != "publish":
        return f"a menu item with the status “{item['status']}”, which no menu shows"
    menus = [
        (slug, term_name)
        for domain, slug, term_name in item["terms"]
        if domain == "nav_menu"
    ]
    if not item["id"] or not menus:
        return "a menu item of no menu"
    slug, term_name = menus[0]
    # A file exported without the channel's menu terms still names each menu on its items.
    nav_menus.setdefault(slug, (_wxr_term_id(slug), plain_text(term_name) or slug))
    meta = item["meta"]
    menu_items.setdefault(slug, []).append(
        WordPressMenuItem(
            wordpress_id=item["id"],
            title=plain_text(item["title"]),
            kind=meta.get("_menu_item_type", ""),
            object=meta.get("_menu_item_object", ""),
            object_id=_id(meta.get("_menu_item_object_id")),
            url=meta.get("_menu_item_url", "").strip(),
            parent_id=_id(meta.get("_menu_item_menu_item_parent")),
            menu_order=item["menu_order"],
        )
    )
    return ""


def _child(element: Element, path: str) -> str:
    found = element.find(path, _WXR_NAMESPACES)
    return (found.text or "").strip() if found is not None else ""


def _wxr_author(element: Element) -> WordPressAuthor | None:
    author_id = _int(_child(element, "wp:author_id"))
    login = _child(element, "wp:author_login")
    if not author_id or not login:
        return None
    # The e-mail address is in the file, and deliberately left there.
    return WordPressAuthor(
        wordpress_id=author_id,
        name=plain_text(_child(element, "wp:author_display_name")) or login,
        slug=login,
    )


def _wxr_item(element: Element) -> dict[str, Any]:
    """Return the fields of an <item> as plain values, so that the element can be freed."""
    meta: dict[str, Any] = {}
    old_slugs: list[str] = []
    for entry in element.findall("wp:postmeta", _WXR_NAMESPACES):
        key = _child(entry, "wp:meta_key")
        value = _child(entry, "wp:meta_value")
        if key == "_wp_old_slug":
            old_slugs.append(unquote(value))
        elif key in (
            "_thumbnail_id",
            "_wp_attachment_image_alt",
            "_wp_attachment_metadata",
            *WPML_META,
        ) or _WXR_KEPT_META.match(key):
            meta[key] = value
    terms = [
        (
            term.get("domain", ""),
            unquote(term.get("nicename", "")),
            (term.text or "").strip(),
        )
        for term in element.findall("category")
    ]
    content = element.find("content:encoded", _WXR_NAMESPACES)
    excerpt = element.find("excerpt:encoded", _WXR_NAMESPACES)
    return {
        "id": _int(_child(element, "wp:post_id")),
        "title": _child(element, "title"),
        "link": _child(element, "link"),
        "guid": _child(element, "guid"),
        "creator": _child(element, "dc:creator"),
        "content": (content.text or "") if content is not None else "",
        "excerpt": (excerpt.text or "") if excerpt is not None else "",
        "date": _child(element, "wp:post_date"),
        "date_gmt": _child(element, "wp:post_date_gmt"),
        "modified_gmt": _child(element, "wp:post_modified_gmt"),
        "comment_status": _child(element, "wp:comment_status"),
        "ping_status": _child(element, "wp:ping_status"),
        "slug": unquote(_child(element, "wp:post_name")),
        "status": _child(element, "wp:status"),
        "post_type": _child(element, "wp:post_type") or "post",
        "password": _child(element, "wp:post_password"),
        "sticky": _child(element, "wp:is_sticky") == "1",
        "attachment_url": _child(element, "wp:attachment_url"),
        "parent_id": _id(_child(element, "wp:post_parent")),
        "menu_order": _menu_order(_child(element, "wp:menu_order")),
        "terms": terms,
        "meta": meta,
        "old_slugs": old_slugs,
    }


def _wxr_post(
    item: dict[str, Any],
    *,
    source: str,
    authors: Mapping[str, WordPressAuthor],
    categories: Mapping[str, dict[str, str]],
    tag_ids: Mapping[str, int],
    attachments: Mapping[int, Attachment],
    translation_terms: Mapping[str, str] | None = None,
) -> WordPressPost:
    if not item["id"]:
        raise NotAPostError("not a WordPress post: the item has no wp:post_id")
    _check_content_size(item["content"])
    meta = dict(item["meta"])
    featured_media = _int(meta.pop("_thumbnail_id", None)) or None
    wpml = {key: meta.pop(key) for key in WPML_META if key in meta}
    author = authors.get(item["creator"])
    featured = attachments.get(featured_media) if featured_media else None
    page_fields = (
        {"parent_id": item["parent_id"], "menu_order": item["menu_order"]}
        if item["post_type"] == "page"
        else {}
    )
    return (WordPressPage if page_fields else WordPressPost)(
        **page_fields,
        wordpress_id=item["id"],
        source=source,
        type=item["post_type"],
        status=item["status"],
        title=item["title"],
        content=render_content(
            item["content"], attachments=attachments, post_id=item["id"]
        ),
        excerpt=autop(item["excerpt"]),
        protected=bool(item["password"]),
        slug=item["slug"],
        link=item["link"],
        guid=item["guid"],
        date=_datetime(item["date"], aware=False),
        date_gmt=_datetime(item["date_gmt"], aware=True),
        modified_gmt=_datetime(item["modified_gmt"], aware=True),
        author_id=author.wordpress_id if author else None,
        author=author,
        featured_media=featured_media,
        featured_image=featured.figure if featured else None,
        sticky=item["sticky"],
        categories=tuple(
            _wxr_category(slug, name=name, categories=categories)
            for domain, slug, name in item["terms"]
            if domain == "category"
        ),
        tags=tuple(
            Term(
                wordpress_id=tag_ids.get(slug) or _wxr_term_id(slug),
                name=plain_text(name),
                slug=slug,
            )
            for domain, slug, name in item["terms"]
            if domain == "post_tag"
        ),
        meta=meta,
        comment_status=item["comment_status"],
        ping_status=item["ping_status"],
        old_slugs=tuple(
            slug for slug in dict.fromkeys(item["old_slugs"]) if slug != item["slug"]
        ),
        # Polylang files each post under a term of its language taxonomy,
        # WPML Export and Import writes the language code as post meta.
        language=next(
            (slug for domain, slug, _name in item["terms"] if domain == "language"),
            "",
        )
        or _str(wpml.get(WPML_LANGUAGE_META)).strip(),
        **_wxr_translations(item, wpml=wpml, translation_terms=translation_terms or {}),
    )


def _wxr_translations(
    item: Mapping[str, Any],
    *,
    wpml: Mapping[str, Any],
    translation_terms: Mapping[str, str],
) -> dict[str, Any]:
    """
    The translation group of a WXR item: its Polylang post_translations
    term (with the ids its description lists when the file has the term),
    else WPML's trid (translations.py).
    """
    slug = next(
        (
            slug
            for domain, slug, _name in item["terms"]
            if domain == "post_translations"
        ),
        "",
    )
    try:
        if slug:
            description = translation_terms.get(slug, "")
            return {
                "translation_group": f"polylang:{slug}",
                "translations": polylang_description(description)
                if description
                else {},
            }
        return {"translation_group": wpml_group(wpml)}
    except TranslationsError as exc:
        return {"translation_error": f"{slug or 'WPML'}: {exc}"}


def _wxr_category(
    slug: str,
    *,
    name: str,
    categories: Mapping[str, dict[str, str]],
    seen: frozenset[str] = frozenset(),
) -> Term:
    known = categories.get(slug, {})
    parent_slug = known.get("parent", "")
    parent = (
        _wxr_category(
            parent_slug,
            name=categories.get(parent_slug, {}).get("name", ""),
            categories=categories,
            seen=seen | {slug},
        )
        if parent_slug and parent_slug not in seen and parent_slug != slug
        else None
    )
    return Term(
        wordpress_id=_int(known.get("id")) or _wxr_term_id(slug),
        name=plain_text(name or known.get("name", "")) or _name_from_slug(slug),
        slug=slug,
        parent=parent,
        description=known.get("description", ""),
    )


def _wxr_term_id(slug: str) -> int:
    """
    Return a stable id for a term the file names without its id (tags of a
    WXR file list only slug and name): large, so that it never meets a real one.
    """
    return 1_000_000_000 + zlib.crc32(slug.encode())


def _wxr_attachment(item: dict[str, Any]) -> Attachment | None:
    """The attachment when it is an image with an id and a URL, sized from its metadata."""
    url = image_url(item["attachment_url"])
    if not item["id"] or not url or not is_image_url(url):
        return None
    try:
        metadata = unserialize(
            item["meta"].get("_wp_attachment_metadata", ""), repair_lengths=True
        )
    except PHPSerializeError:
        metadata = None  # Without sizes the image still imports.
    return Attachment(
        figure=attachment_figure(
            attachment_id=item["id"],
            url=url,
            alt=plain_text(item["meta"].get("_wp_attachment_image_alt", "")),
            caption=inline_html(item["excerpt"]),
            metadata=metadata,
        ),
        parent_id=item["parent_id"],
        menu_order=item["menu_order"],
    )
