"""
Slugs that are never empty. A name without a letter or a digit (">", "!!!",
"&") slugifies to "", and an empty slug makes every URL of the object
unreversible: the archive, each article that carries it, the sitemaps and
the API would answer 500. Such a name gets a slug made from a hash of
itself instead, so the same name always gets the same slug.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.utils.text import slugify

HASH_LENGTH = 8


def slug_for(text: str, *, prefix: str, max_length: int) -> str:
    """
    Return the slug of text, e.g. "back-pain"; for text without a letter or
    digit, prefix and a short hash of it, e.g. "tag-3f2a9c1b".
    """
    slug = slugify(text, allow_unicode=True)[:max_length].strip("-_")
    if slug:
        return slug
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{prefix}-{digest[:HASH_LENGTH]}"


def unique_slug(base: str, *, taken: Callable[[str], bool], max_length: int) -> str:
    """Return base, or base-2, base-3, ... whichever is not taken."""
    candidate, counter = base, 2
    while taken(candidate):
        suffix = f"-{counter}"
        candidate = f"{base[: max_length - len(suffix)]}{suffix}"
        counter += 1
    return candidate
