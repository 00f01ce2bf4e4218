"""
The language switcher of every reader page: a link per language of the
site, to the page's translation in it when there is a live one, else to
that language's home page. It reads the page's hreflang alternates
(articles/seo.py), which list exactly the live translations, so that the
switcher and the head never disagree. Runs no queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from articles import languages


@dataclass(frozen=True)
class LanguageLink:
    language: str
    # The language's own name for itself ("Nederlands"), as settings.LANGUAGES gives it.
    name: str
    url: str
    current: bool
    # False when the page has no translation there and the link leads home.
    is_translation: bool


def links(*, current: str, alternates: Iterable) -> list[LanguageLink]:
    """One link per language of settings.LANGUAGES, the current one marked."""
    translated = {
        alternate.hreflang: alternate.url
        for alternate in alternates
        if alternate.hreflang != "x-default"
    }
    return [
        LanguageLink(
            language=code,
            name=name,
            url=translated.get(code) or languages.reverse_in(code, "articles:home"),
            current=code == current,
            is_translation=code in translated,
        )
        for code, name in settings.LANGUAGES
    ]
