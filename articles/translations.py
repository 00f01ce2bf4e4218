"""
Where a text stands in its group of translations, for the admin's
Translations panel: each other language of the site with its text (or
none yet), that text's status, and whether it is older than the source.

The source of a group is the text written first (created first): the one
the others translate. A translation is older than its source when what
the source says changed (content_updated_at) after the translation last
changed, or was made.

A text can be linked to one of another language whose group has no text
in the languages its own group has (link_candidates): what
publishing.link_translation() accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import get_language_info

from articles.models import PublicationStatus

# The texts offered to link at once: a title typed further narrows them.
CANDIDATES_SHOWN = 10


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


def link_candidates(obj: Any, texts: QuerySet, *, title: str) -> QuerySet:
    """
    The texts among texts (obj's kind, as its admin lists them) whose title
    holds title and which may join obj's group: of a language the group
    lacks, in a group of their own without a text in any language it has.
    """
    held = {text.language for text in obj.translation_group()}
    clashing = (
        type(obj)._default_manager.filter(language__in=held).values("translation_key")
    )
    return (
        texts.prefetch_related(None)
        .exclude(language__in=held)
        .exclude(translation_key__in=clashing)
        .exclude(status=PublicationStatus.TRASH)
        .filter(title__icontains=title)
        .order_by("title", "pk")[:CANDIDATES_SHOWN]
    )


def as_choice(text: Any) -> dict[str, Any]:
    """A candidate as the title search lists it, in the editor's language."""
    return {
        "id": text.pk,
        "title": text.title,
        "language": get_language_info(text.language)["name_translated"],
        "status": str(text.effective_status.label),
    }
