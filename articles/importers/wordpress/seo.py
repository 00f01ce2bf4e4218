"""
Map the SEO plugin fields of a WordPress post (Rank Math, or Yoast where Rank
Math has nothing) onto the article's SEO fields. Pure: no database, no settings.

An empty plugin value stays empty, so that the page falls back to its defaults
(the title, the excerpt, its own URL) instead of a frozen copy of them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from articles.importers.wordpress.text import plain_text

# Rank Math's and Yoast's default separator is the en dash.
SEPARATOR = "–"
FOCUS_KEYPHRASES_MAX_LENGTH = 500
# The meta keys seo_fields() reads; an import keeps the others as they are.
MAPPED_KEYS = frozenset(
    {
        "rank_math_title",
        "rank_math_description",
        "rank_math_canonical_url",
        "rank_math_focus_keyword",
        "rank_math_robots",
        "_yoast_wpseo_title",
        "_yoast_wpseo_metadesc",
        "_yoast_wpseo_canonical",
        "_yoast_wpseo_focuskw",
        "_yoast_wpseo_meta-robots-noindex",
        "_yoast_wpseo_meta-robots-nofollow",
    }
)

# Rank Math writes %var%, Yoast %%var%%; both may carry an argument: %customfield(name)%.
_VARIABLE = re.compile(r"%%?([a-z][a-z0-9_]*(?:\([^)%]*\))?)%%?", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")
# What Yoast's default title template leaves after the post title: " – Site".
_DEFAULT_TITLE_TAIL = re.compile(r"^\s+[-–—|·•:~»]\s")


@dataclass(frozen=True)
class SeoFields:
    seo_title: str = ""
    meta_description: str = ""
    canonical_url: str = ""
    focus_keyphrases: str = ""
    robots_noindex: bool = False
    robots_nofollow: bool = False


@dataclass(frozen=True)
class PostContext:
    """What the template variables of a post resolve to."""

    title: str
    site_name: str
    year: int
    excerpt: str = ""
    category: str = ""
    author: str = ""


def seo_fields(
    meta: Mapping[str, Any],
    *,
    context: PostContext,
    post_link: str = "",
    yoast_head: Mapping[str, Any] | None = None,
) -> SeoFields:
    """
    Return the article SEO fields for a post's meta. A canonical URL that
    names the post's own WordPress address is dropped: after the move the
    article itself is the original.

    yoast_head is the REST API's yoast_head_json: Yoast's values already
    resolved, used where the meta keys say nothing (a REST export rarely
    carries _yoast_wpseo_* meta).
    """
    head = yoast_head or {}
    focus = _text(meta.get("rank_math_focus_keyword")) or _text(
        meta.get("_yoast_wpseo_focuskw")
    )
    robots = _robots(meta)
    head_robots = head.get("robots") if isinstance(head.get("robots"), dict) else {}
    robots |= {
        value for value in head_robots.values() if value in ("noindex", "nofollow")
    }
    return SeoFields(
        seo_title=resolve(
            _text(meta.get("rank_math_title"))
            or _text(meta.get("_yoast_wpseo_title"))
            or _custom_head_title(_text(head.get("title")), post_title=context.title),
            context=context,
        ),
        meta_description=resolve(
            _text(meta.get("rank_math_description"))
            or _text(meta.get("_yoast_wpseo_metadesc"))
            or _text(head.get("description")),
            context=context,
        ),
        canonical_url=_canonical(
            _text(meta.get("rank_math_canonical_url"))
            or _text(meta.get("_yoast_wpseo_canonical"))
            or _text(head.get("canonical")),
            post_link=post_link,
        ),
        focus_keyphrases=focus_keyphrases(plain_text(focus)),
        robots_noindex="noindex" in robots,
        robots_nofollow="nofollow" in robots,
    )


def resolve(template: str, *, context: PostContext) -> str:
    """
    Fill in the template variables of a title or description, which is
    plain text as WordPress's sanitize_text_field() makes it (a tag typed
    into the field is no text). Variables with no counterpart here (%page%,
    custom fields) resolve to nothing, and the separators they leave
    dangling go too.
    """
    template = plain_text(template, keep=_VARIABLE)
    if "%" not in template:
        return template
    values = {
        "title": context.title,
        "post_title": context.title,
        "sep": SEPARATOR,
        "sitename": context.site_name,
        "currentyear": str(context.year),
        "excerpt": context.excerpt,
        "excerpt_only": context.excerpt,
        "category": context.category,
        "primary_category": context.category,
        "name": context.author,
        "post_author": context.author,
    }
    text = _VARIABLE.sub(lambda match: values.get(match.group(1).lower(), ""), template)
    text = _WHITESPACE.sub(" ", text).strip()
    # A removed %page% leaves "Title – – Site" or a trailing "Title –".
    separator = re.escape(SEPARATOR)
    text = re.sub(rf"{separator}(?:\s*{separator})+", SEPARATOR, text)
    return text.strip(f" {SEPARATOR}")


def _custom_head_title(title: str, *, post_title: str) -> str:
    """
    Return Yoast's resolved title unless it is the default "Post title – Site
    name", which the page makes by itself (and with this site's name).
    """
    if not title or not post_title:
        return title
    rest = title.removeprefix(post_title)
    if rest != title and (not rest.strip() or _DEFAULT_TITLE_TAIL.match(rest)):
        return ""
    return title


def focus_keyphrases(value: str) -> str:
    """Return comma-separated keyphrases, trimmed, as many whole phrases as fit the field."""
    phrases = [phrase.strip() for phrase in value.split(",") if phrase.strip()]
    kept: list[str] = []
    for phrase in phrases:
        if len(",".join([*kept, phrase])) > FOCUS_KEYPHRASES_MAX_LENGTH:
            break
        kept.append(phrase)
    return ",".join(kept)


def _robots(meta: Mapping[str, Any]) -> set[str]:
    value = meta.get("rank_math_robots")
    if isinstance(value, str):
        value = value.split(",")
    robots = {item.strip().lower() for item in value or () if isinstance(item, str)}
    # Yoast stores "1" for noindex / nofollow and "2" (or nothing) for the default.
    if str(meta.get("_yoast_wpseo_meta-robots-noindex", "")) == "1":
        robots.add("noindex")
    if str(meta.get("_yoast_wpseo_meta-robots-nofollow", "")) == "1":
        robots.add("nofollow")
    return robots


def _canonical(url: str, *, post_link: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    if post_link and url.rstrip("/") == post_link.rstrip("/"):
        return ""
    return url


def _text(value: object) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return value.strip() if isinstance(value, str) else ""
