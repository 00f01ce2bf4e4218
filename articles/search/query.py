"""
What a reader typed, turned into safe search terms. Pure: no database.

Only words (letters and digits) and "quoted phrases" of them survive, so
that nothing a reader types can be search syntax on either database: FTS5
reads AND, OR, NOT, NEAR(, *, ^, - and quotes as operators, and a stray
one is a syntax error. A search finds the documents that contain every
word and phrase (after stemming); the backends quote each term themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Long enough for any real question; a 10 KB paste is cut, not searched.
MAX_LENGTH = 200
# Every term narrows the search and costs the database a lookup.
MAX_TERMS = 10

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Letters and digits; "_" and everything else separate words, as the
# tokenizers of both databases do.
_WORD = re.compile(r"[^\W_]+")
_QUOTED = re.compile(r'"([^"]*)"')


@dataclass(frozen=True)
class Query:
    """A reader's search: the text as shown back, and the terms searched for."""

    text: str
    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases)

    @property
    def all_words(self) -> tuple[str, ...]:
        return self.words + tuple(word for phrase in self.phrases for word in phrase)


def parse(raw: str) -> Query:
    """Turn anything typed into a Query; an unbalanced quote is read as plain words."""
    text = " ".join(_CONTROL.sub(" ", raw or "").split())[:MAX_LENGTH]
    words: list[str] = []
    phrases: list[tuple[str, ...]] = []
    budget = MAX_TERMS

    def take(found: list[str]) -> list[str]:
        nonlocal budget
        taken, budget = found[:budget], max(0, budget - len(found))
        return taken

    unquoted = _QUOTED.sub(" ", text)
    for match in _QUOTED.finditer(text):
        phrase = take([word.lower() for word in _WORD.findall(match.group(1))])
        if len(phrase) > 1:
            phrases.append(tuple(phrase))
        else:
            words.extend(phrase)
    words.extend(take([word.lower() for word in _WORD.findall(unquoted)]))
    return Query(
        text=text,
        words=tuple(dict.fromkeys(words)),
        phrases=tuple(dict.fromkeys(phrases)),
    )


def replace_words(query: Query, replacements: dict[str, str]) -> str:
    """The query's text with some of its words replaced, e.g. to suggest a spelling."""

    def replace(match: re.Match[str]) -> str:
        word = match.group(0)
        return replacements.get(word.lower(), word)

    return _WORD.sub(replace, query.text)
