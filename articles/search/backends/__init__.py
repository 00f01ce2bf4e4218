"""
One interface to full-text search, one implementation per database:
PostgreSQL's text search (postgresql.py) and SQLite's FTS5 (sqlite.py),
chosen by the vendor of the connection in use when asked.

A backend:
- index(documents, *, languages): fills what the database searches from
  the texts of the given SearchDocument rows, just written;
- search(query, *, language, visible, offset, limit) -> Hits: a page of
  ranked documents among those `visible` (a Q on SearchDocument);
- snippets(query, *, language, document_ids) -> {id: Snippets};
- matching(query) -> a SearchDocument queryset, any language (the admin);
- add_terms(language, words) and similar_terms(words, *, language) -> {word:
  [known words near it]}: the lexicon behind "did you mean".

Snippets mark found words with START and STOP, control characters that
the indexed text never holds (articles/search/text.py), so that the text
can be escaped first and the marks turned into <mark> after.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import NotSupportedError, connection

START = "\x02"
STOP = "\x03"


@dataclass(frozen=True)
class Hit:
    document_id: int
    content_type_id: int
    object_id: int


@dataclass(frozen=True)
class Hits:
    # How many documents the search ranked: every visible match, or on
    # PostgreSQL at most its candidates (see postgresql.CANDIDATES).
    total: int
    page: list[Hit]


@dataclass(frozen=True)
class Snippets:
    summary: str
    questions: str
    body: str


def current():
    """The backend of the default database."""
    if connection.vendor == "postgresql":
        from articles.search.backends.postgresql import PostgresBackend

        return PostgresBackend()
    if connection.vendor == "sqlite":
        from articles.search.backends.sqlite import SqliteBackend

        return SqliteBackend()
    raise NotSupportedError(f"Search has no backend for {connection.vendor}.")
