"""
Articles, pages, categories, tags, images, authors and search results as
WordPress REST API v2 objects: plain functions that build dicts from rows
the view has prefetched. They run no queries and never touch a field a
reader may not see.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from articles import richtext
from articles.api.params import encoded_slug, wordpress_date
from articles.models import Article, Author, Category, Image, Page, Tag

API_ROOT = "/wp-json/"
NAMESPACE = "wp/v2"
_OCTET = re.compile(r"%[a-fA-F0-9]{2}")
_NOT_IN_CLASS = re.compile(r"[^A-Za-z0-9_-]")
CURIES = [{"name": "wp", "href": "https://api.w.org/{rel}", "templated": True}]


def api_id(obj: Any) -> int:
    """
    Return the id the API shows: an imported object keeps its WordPress id,
    so that clients' stored ids survive the move. Others show their own key.
    """
    return obj.wordpress_id or obj.pk


def rendered(text: str, **extra: Any) -> dict[str, Any]:
    return {"rendered": text, **extra}


def _paragraph(html_text: str) -> str:
    if not html_text:
        return ""
    text = html_text if html_text.startswith("<p") else f"<p>{html_text}</p>"
    return f"{text}\n"


def post(article: Article, *, site_url: str) -> dict[str, Any]:
    """
    Return a published article as a WordPress post (context=view). Columns
    the query deferred (_fields left out every field that shows them) are
    not read: their fields come out empty, and select_fields drops them.
    """
    api = f"{site_url}{API_ROOT}{NAMESPACE}"
    post_id = api_id(article)
    deferred = article.get_deferred_fields()
    extra = {} if "wordpress_extra" in deferred else article.wordpress_extra or {}
    categories = in_term_order(article.categories.all())
    tags = in_term_order(article.tags.all())
    author_id = api_id(article.author) if article.author_id else 0
    featured_id = api_id(article.featured_image) if article.featured_image_id else 0
    post_format = extra.get("format") or "standard"
    links: dict[str, list[dict[str, Any]]] = {
        "self": [{"href": f"{api}/posts/{post_id}", "targetHints": {"allow": ["GET"]}}],
        "collection": [{"href": f"{api}/posts"}],
        "about": [{"href": f"{api}/types/post"}],
    }
    if author_id:
        links["author"] = [{"embeddable": True, "href": f"{api}/users/{author_id}"}]
    links["replies"] = [{"embeddable": True, "href": f"{api}/comments?post={post_id}"}]
    links["version-history"] = [
        {
            "count": article.revision_count,
            "href": f"{api}/posts/{post_id}/revisions",
        }
    ]
    if featured_id:
        links["wp:featuredmedia"] = [
            {"embeddable": True, "href": f"{api}/media/{featured_id}"}
        ]
    links["wp:attachment"] = [{"href": f"{api}/media?parent={post_id}"}]
    links["wp:term"] = [
        {
            "taxonomy": "category",
            "embeddable": True,
            "href": f"{api}/categories?post={post_id}",
        },
        {
            "taxonomy": "post_tag",
            "embeddable": True,
            "href": f"{api}/tags?post={post_id}",
        },
    ]
    links["curies"] = CURIES
    return {
        "id": post_id,
        "date": wordpress_date(article.published_at, gmt=False),
        "date_gmt": wordpress_date(article.published_at, gmt=True),
        "guid": rendered(article.wordpress_guid or f"{site_url}/?p={post_id}"),
        "modified": wordpress_date(article.updated_at, gmt=False),
        "modified_gmt": wordpress_date(article.updated_at, gmt=True),
        "slug": encoded_slug(article.slug),
        "status": "publish",
        "type": "post",
        "link": f"{site_url}{article.get_absolute_url()}",
        "title": rendered(html.escape(article.title, quote=False)),
        "content": rendered(
            "" if "body" in deferred else content_html(article, site_url=site_url),
            protected=False,
        ),
        "excerpt": rendered(_paragraph(article.excerpt), protected=False),
        "author": author_id,
        "featured_media": featured_id,
        "comment_status": extra.get("comment_status") or "closed",
        "ping_status": extra.get("ping_status") or "closed",
        "sticky": article.sticky,
        "template": extra.get("template") or "",
        "format": post_format,
        "meta": {
            "footnotes": extra.get("footnotes") or "",
            "rank_math_title": article.seo_title,
            "rank_math_description": article.meta_description,
            "rank_math_canonical_url": article.canonical_url,
            "rank_math_focus_keyword": article.focus_keyphrases,
        },
        "categories": [api_id(category) for category in categories],
        "tags": [api_id(tag) for tag in tags],
        "class_list": [
            f"post-{post_id}",
            "post",
            "type-post",
            "status-publish",
            f"format-{post_format}",
            *(["has-post-thumbnail"] if featured_id else []),
            "hentry",
            *(f"category-{_term_class(category)}" for category in categories),
            *(f"tag-{_term_class(tag)}" for tag in tags),
        ],
        "_links": links,
    }


def page(item: Page, *, site_url: str, parent_id: int) -> dict[str, Any]:
    """
    Return a published page as WordPress serves one (context=view): a post
    with a parent and a menu_order, without sticky, format or terms
    (WP_REST_Posts_Controller for the page type, whose schema includes the
    excerpt). parent_id is the parent the API shows (queries.shown_parent_id()).
    """
    api = f"{site_url}{API_ROOT}{NAMESPACE}"
    page_id = api_id(item)
    featured_id = api_id(item.featured_image) if item.featured_image_id else 0
    links: dict[str, list[dict[str, Any]]] = {
        "self": [{"href": f"{api}/pages/{page_id}", "targetHints": {"allow": ["GET"]}}],
        "collection": [{"href": f"{api}/pages"}],
        "about": [{"href": f"{api}/types/page"}],
        "replies": [{"embeddable": True, "href": f"{api}/comments?post={page_id}"}],
        "version-history": [
            {"count": item.revision_count, "href": f"{api}/pages/{page_id}/revisions"}
        ],
    }
    if parent_id:
        links["up"] = [{"embeddable": True, "href": f"{api}/pages/{parent_id}"}]
    if featured_id:
        links["wp:featuredmedia"] = [
            {"embeddable": True, "href": f"{api}/media/{featured_id}"}
        ]
    links["wp:attachment"] = [{"href": f"{api}/media?parent={page_id}"}]
    links["curies"] = CURIES
    return {
        "id": page_id,
        "date": wordpress_date(item.published_at, gmt=False),
        "date_gmt": wordpress_date(item.published_at, gmt=True),
        # get_permalink()'s plain form, which WordPress gives a page as its GUID.
        "guid": rendered(f"{site_url}/?page_id={page_id}"),
        "modified": wordpress_date(item.updated_at, gmt=False),
        "modified_gmt": wordpress_date(item.updated_at, gmt=True),
        "slug": encoded_slug(item.slug),
        "status": "publish",
        "type": "page",
        "link": f"{site_url}{item.get_absolute_url()}",
        "title": rendered(html.escape(item.title, quote=False)),
        "content": rendered(content_html(item, site_url=site_url), protected=False),
        "excerpt": rendered(_paragraph(item.excerpt), protected=False),
        "author": 0,
        "featured_media": featured_id,
        "parent": parent_id,
        "menu_order": item.menu_order,
        "comment_status": "closed",
        "ping_status": "closed",
        "template": "",
        "meta": {
            "footnotes": "",
            "rank_math_title": item.seo_title,
            "rank_math_description": item.meta_description,
            "rank_math_canonical_url": item.canonical_url,
        },
        "class_list": [
            f"post-{page_id}",
            "page",
            "type-page",
            "status-publish",
            *(["has-post-thumbnail"] if featured_id else []),
            "hentry",
        ],
        "_links": links,
    }


def search_result(item: Article | Page, *, subtype: str, site_url: str) -> dict:
    """
    A result of /wp/v2/search: WP_REST_Post_Search_Handler::prepare_item()
    and prepare_item_links(), and the collection link the controller adds.
    """
    api = f"{site_url}{API_ROOT}{NAMESPACE}"
    result_id = api_id(item)
    route = "posts" if subtype == "post" else "pages"
    return {
        "id": result_id,
        "title": html.escape(item.title, quote=False),
        "url": f"{site_url}{item.get_absolute_url()}",
        "type": "post",
        "subtype": subtype,
        "_links": {
            "self": [
                {
                    "embeddable": True,
                    "href": f"{api}/{route}/{result_id}",
                    "targetHints": {"allow": ["GET"]},
                }
            ],
            "about": [{"href": f"{api}/types/{subtype}"}],
            "collection": [{"href": f"{api}/search"}],
        },
    }


def in_term_order(terms: Iterable[Category | Tag]) -> list[Category | Tag]:
    """
    A post's terms in WordPress's order: get_the_terms() reads them through
    update_object_term_cache(), which asks wp_get_object_terms() for
    orderby "name", compared as MySQL's utf8mb4_unicode_ci does (case and
    accents aside); equal names by id.
    """
    return sorted(terms, key=lambda term: (_collation_key(term.name), api_id(term)))


def _term_class(term: Category | Tag) -> str:
    """
    get_post_class()'s name for a term: sanitize_html_class() of its slug
    (octets and anything but [A-Za-z0-9_-] removed), else its id.
    """
    name = _NOT_IN_CLASS.sub("", _OCTET.sub("", encoded_slug(term.slug)))
    return name if name.strip("-") and not name.isdigit() else str(api_id(term))


def _collation_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def content_html(content: Article | Page, *, site_url: str) -> str:
    """
    Return the body as clients expect rendered content: library images as
    plain <img> with their stored source, videos as click-to-load figures,
    links absolute so that the HTML works on another site.
    """

    body = richtext.render_videos(content.body)
    return body.replace('href="/', f'href="{site_url}/').replace(
        'src="/', f'src="{site_url}/'
    )


def term(
    item: Category | Tag, *, taxonomy: str, count: int, site_url: str
) -> dict[str, Any]:
    api = f"{site_url}{API_ROOT}{NAMESPACE}"
    route = "categories" if taxonomy == "category" else "tags"
    term_id = api_id(item)
    data: dict[str, Any] = {
        "id": term_id,
        "count": count,
        "description": getattr(item, "description", ""),
        "link": f"{site_url}{item.get_absolute_url()}",
        "name": item.name,
        "slug": encoded_slug(item.slug),
        "taxonomy": taxonomy,
    }
    if taxonomy == "category":
        data["parent"] = api_id(item.parent) if item.parent_id else 0
    data["meta"] = []
    links: dict[str, list[dict[str, Any]]] = {
        "self": [
            {"href": f"{api}/{route}/{term_id}", "targetHints": {"allow": ["GET"]}}
        ],
        "collection": [{"href": f"{api}/{route}"}],
        "about": [{"href": f"{api}/taxonomies/{taxonomy}"}],
    }
    if taxonomy == "category" and item.parent_id:
        links["up"] = [
            {"embeddable": True, "href": f"{api}/categories/{api_id(item.parent)}"}
        ]
    links["wp:post_type"] = [{"href": f"{api}/posts?{route}={term_id}"}]
    links["curies"] = CURIES
    data["_links"] = links
    return data


def user(author: Author, *, site_url: str) -> dict[str, Any]:
    """Return an author with WordPress's public user fields only: never an e-mail address or login."""
    api = f"{site_url}{API_ROOT}{NAMESPACE}"
    user_id = api_id(author)
    photo = author.photo.url if author.photo_id else ""
    return {
        "id": user_id,
        "name": author.display_name,
        "url": author.website,
        "description": richtext.plain_text(author.bio),
        "link": f"{site_url}/en/author/{author.slug}/",
        "slug": encoded_slug(author.slug),
        "avatar_urls": dict.fromkeys(("24", "48", "96"), photo) if photo else {},
        "meta": [],
        "_links": {
            "self": [
                {"href": f"{api}/users/{user_id}", "targetHints": {"allow": ["GET"]}}
            ],
            "collection": [{"href": f"{api}/users"}],
        },
    }


def media(
    image: Image, *, site_url: str, parent: int | None, author: int = 0
) -> dict[str, Any]:
    api = f"{site_url}{API_ROOT}{NAMESPACE}"
    media_id = api_id(image)
    url, width, height = image.shared_copy()
    if url.startswith("/"):
        url = f"{site_url}{url}"
    name = url.rsplit("/", 1)[-1]
    return {
        "id": media_id,
        "date": wordpress_date(image.created_at, gmt=False),
        "date_gmt": wordpress_date(image.created_at, gmt=True),
        "guid": rendered(url),
        "modified": wordpress_date(image.created_at, gmt=False),
        "modified_gmt": wordpress_date(image.created_at, gmt=True),
        "slug": name.rsplit(".", 1)[0],
        "status": "inherit",
        "type": "attachment",
        "link": url,
        "title": rendered(html.escape(str(image), quote=False)),
        "author": author,
        "featured_media": 0,
        "comment_status": "closed",
        "ping_status": "closed",
        "template": "",
        "meta": [],
        "description": rendered(""),
        "caption": rendered(_paragraph(html.escape(image.caption, quote=False))),
        "alt_text": image.alt_text,
        "media_type": "image",
        "mime_type": _mime_type(name),
        "media_details": {
            "width": width or 0,
            "height": height or 0,
            "file": name,
            "sizes": {
                f"w{candidate['width']}": {
                    "width": candidate["width"],
                    "source_url": candidate["url"],
                }
                for candidate in image.source_renditions or []
            },
        },
        "post": parent,
        "source_url": url,
        "_links": {
            "self": [
                {"href": f"{api}/media/{media_id}", "targetHints": {"allow": ["GET"]}}
            ],
            "collection": [{"href": f"{api}/media"}],
            "about": [{"href": f"{api}/types/attachment"}],
        },
    }


def _mime_type(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return {
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "png": "image/png",
        "gif": "image/gif",
        "webp": "image/webp",
        "avif": "image/avif",
        "svg": "image/svg+xml",
    }.get(extension, "application/octet-stream")


# The fields WordPress keeps when it embeds an object (context=embed).
EMBED_FIELDS = {
    "user": (
        "id",
        "name",
        "url",
        "description",
        "link",
        "slug",
        "avatar_urls",
        "_links",
    ),
    "term": ("id", "link", "name", "slug", "taxonomy", "_links"),
    "page": (
        "id",
        "date",
        "slug",
        "type",
        "link",
        "title",
        "excerpt",
        "author",
        "featured_media",
        "_links",
    ),
    "media": (
        "id",
        "date",
        "slug",
        "type",
        "link",
        "title",
        "author",
        "featured_media",
        "caption",
        "alt_text",
        "media_type",
        "mime_type",
        "media_details",
        "source_url",
        "_links",
    ),
}


def embed(data: dict[str, Any], *, kind: str) -> dict[str, Any]:
    return {name: data[name] for name in EMBED_FIELDS[kind] if name in data}


def select_fields(data: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """Keep only the _fields a client asked for; "title.rendered" keeps a nested key."""
    if not fields:
        return data
    result: dict[str, Any] = {}
    for name in fields:
        head, _, rest = name.partition(".")
        if head not in data:
            continue
        if rest and isinstance(data[head], dict):
            nested = select_fields(data[head], [rest])
            result.setdefault(head, {}).update(nested)
        else:
            result[head] = data[head]
    return result


Serializer = Callable[..., dict[str, Any]]
