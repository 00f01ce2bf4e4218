"""
The translation group (Publishable.translation_key) of an imported post or
page, from the links its multilingual plugin keeps (sources.WordPressPost's
translations and translation_group, read by translations.py).

The key is derived from the links rather than drawn at random, so that
importing again gives the same key and an export of the Dutch posts
imported after the English one joins the English groups:
- when the post lists its translations by WordPress id (Polylang, the WPML
  REST add-on), from the smallest id of the group, the one every member
  lists;
- else from the group the plugin names (WPML's trid, Polylang's
  post_translations term), which every member of the group names alike.
A translation imported before under another key (from a file that linked
it otherwise, or not at all) is joined instead. A group never holds two
texts of one language: the second is left on its own, and the report says
so. A post whose plugin lists no translations keeps the key it has, so
that links an editor made on this site stay (a new one has a key of its
own, derived from its WordPress id).
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass

from django.conf import settings

from articles.importers.wordpress.sources import WordPressPost
from articles.models import Publishable

# Fixed for good: every key derived from WordPress's links depends on it.
NAMESPACE = uuid.UUID("f935f2e0-b934-4051-8782-bbcb39a37e97")


@dataclass(frozen=True)
class Group:
    """The translation key to give the text (None: leave it as it is) and what the editor should know."""

    key: uuid.UUID | None
    notice: str = ""


def derived_key(reference: str) -> uuid.UUID:
    """The key of the group a reference names ("wordpress:9580", "wpml:42", "polylang:pll_…")."""
    return uuid.uuid5(NAMESPACE, reference)


def own_key(post: WordPressPost) -> uuid.UUID:
    """The key of a text on its own."""
    return derived_key(f"wordpress-{post.type}:{post.wordpress_id}")


def reference_of(post: WordPressPost) -> tuple[str, set[int]]:
    """
    The reference of the post's group and the WordPress ids of its other
    members; ("", set()) when its plugin links it to nothing.
    """
    others = set(post.translations.values()) - {post.wordpress_id}
    if others:
        return f"wordpress:{min(others | {post.wordpress_id})}", others
    return post.translation_group, set()


def group_of(
    post: WordPressPost, *, model: type[Publishable], language: str, new: bool
) -> Group:
    """
    The translation group the post belongs in, looked up among the texts
    of model (Article, Page). A new text linked to none has a group of its
    own, keyed on its WordPress id (never a group's reference), so that
    two imports of one file give the same keys.
    """
    alone = own_key(post) if new else None
    if post.translation_error:
        return Group(
            key=alone,
            notice=f"Its translations are not linked: {post.translation_error}.",
        )
    reference, others = reference_of(post)
    if not reference:
        return Group(key=alone)
    key = derived_key(reference)
    if others:
        key = _joined(key, model=model, others=others)
    taken = (
        model.objects.filter(translation_key=key, language=language)
        .exclude(wordpress_id=post.wordpress_id)
        .first()
    )
    if taken is not None:
        return Group(
            key=alone,
            notice=taken_notice(
                language=language, title=taken.title, wordpress_id=taken.wordpress_id
            ),
        )
    return Group(key=key)


def taken_notice(*, language: str, title: str, wordpress_id: int | None) -> str:
    """What the report says of a text left out of a group that has its language already."""
    return (
        f"Not linked to its translations: their {_language_name(language)} "
        f"text is “{title}”"
        + (f" (WordPress id {wordpress_id})" if wordpress_id else "")
        + ", and a translation group holds one text per language. "
        "It stays on its own."
    )


def one_per_language(
    texts: list[tuple[WordPressPost, Publishable, bool]],
) -> dict[int, str]:
    """
    For texts written together (post, text, whether it is new), leave every
    text after the first of its language in a group on its own, or for one
    imported before, in the group it had: return the notices, by position.
    """
    claimed: dict[tuple[uuid.UUID, str], Publishable] = {}
    notices = {}
    for position, (post, text, new) in enumerate(texts):
        first = claimed.setdefault((text.translation_key, text.language), text)
        if first is not text:
            text.translation_key = (
                own_key(post)
                if new
                else type(text)
                .objects.values_list("translation_key", flat=True)
                .get(pk=text.pk)
            )
            notices[position] = taken_notice(
                language=text.language,
                title=first.title,
                wordpress_id=first.wordpress_id,
            )
    return notices


def _joined(key: uuid.UUID, *, model: type[Publishable], others: set[int]) -> uuid.UUID:
    """
    key, or the group that translations imported before are in: the one
    most of them share, the smallest WordPress id deciding a tie.
    """
    imported = list(
        model.objects.filter(wordpress_id__in=others)
        .order_by("wordpress_id")
        .values_list("translation_key", flat=True)
    )
    if not imported or key in imported:
        return key
    counts = Counter(imported)
    return max(imported, key=lambda candidate: counts[candidate])


def _language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))
