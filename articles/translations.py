"""
Where a text stands in its group of translations, for the admin's
Translations panel: each other language of the site with its text (or
none yet), that text's status, and whether it is older than the source.

The source of a group is the text written first (created first): the one
the others translate. A translation is older than its source when what
the source says changed (content_updated_at) after the translation last
changed, or was made.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class LanguageRow:
    language: str
    name: str
    text: Any | None
    is_source: bool
    outdated: bool


def source_of(group: list[Any]) -> Any | None:
    """The text the others translate: the first written."""
    return min(group, key=lambda text: (text.created_at, text.pk), default=None)


def older_than(text: Any, source: Any) -> bool:
    """Whether what source says changed after text last changed (or was made)."""
    if text.pk == source.pk or source.content_updated_at is None:
        return False
    own = text.content_updated_at or text.created_at
    return source.content_updated_at > own


def overview(obj: Any, group: list[Any]) -> list[LanguageRow]:
    """A row per language of the site but obj's, from obj's whole group (any status)."""
    source = source_of(group)
    by_language = {text.language: text for text in group}
    rows = []
    for code, name in settings.LANGUAGES:
        if code == obj.language:
            continue
        text = by_language.get(code)
        rows.append(
            LanguageRow(
                language=code,
                name=name,
                text=text,
                is_source=text is not None and text.pk == source.pk,
                outdated=text is not None and older_than(text, source),
            )
        )
    return rows
