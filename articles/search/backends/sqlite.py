"""
SQLite's FTS5: the table articles_searchdocument_fts (migration 0013) is an
external-content index of articles_searchdocument's texts, kept equal to it
by triggers, with the porter stemmer over unicode61 (diacritics removed:
"café" finds "cafe"). Porter stems English; Dutch words are matched
without Dutch stemming. Ranked with bm25() weighted per column, snippets
from snippet(). "Did you mean" looks for known words with the same first
letter and a similar length, and edit distance chooses among them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from articles.models import SearchDocument
from articles.search.backends import START, STOP, Hit, Hits, Snippets
from articles.search.kinds import FIELD_WEIGHTS
from articles.search.query import Query
from articles.search.suggestions import MAX_EDITS

FTS = "articles_searchdocument_fts"
# The FTS5 columns, in the order of the CREATE VIRTUAL TABLE.
COLUMNS = ("title", "summary", "keywords", "questions", "body")
_BM25 = f"bm25({FTS}, {', '.join(str(FIELD_WEIGHTS[column]) for column in COLUMNS)})"
_SNIPPET_TOKENS = 24


def match_expression(query: Query) -> str:
    """
    The FTS5 query: every word and phrase quoted, so that none is an
    operator, and all of them required. Words hold letters and digits only
    (query.parse), so no quote can close one early.
    """
    terms = [f'"{word}"' for word in query.words]
    terms += [f'"{" ".join(phrase)}"' for phrase in query.phrases]
    return " AND ".join(terms)


def _where(queryset: QuerySet) -> tuple[str, list]:
    """The WHERE clause of a SearchDocument queryset, on the table's own name."""
    compiler = queryset.query.get_compiler(connection=connection)
    sql, params = compiler.compile(queryset.query.where)
    return sql, list(params)


class SqliteBackend:
    def index(self, documents: QuerySet, *, languages: Iterable[str]) -> None:
        """Nothing to do: the triggers index each row as it is written."""

    def search(
        self, query: Query, *, language: str, visible: Q, offset: int, limit: int
    ) -> Hits:
        where, params = _where(
            SearchDocument.objects.filter(visible, language=language)
        )
        with connection.cursor() as cursor:
            # bm25() only works in the query that reads the FTS table: rank
            # there, count and order outside. CROSS JOIN keeps SQLite from
            # reading every document and matching each one (ten times slower).
            cursor.execute(
                "WITH matches AS MATERIALIZED ("
                f" SELECT articles_searchdocument.id, content_type_id, object_id,"
                f" recency, {_BM25} AS rank FROM {FTS}"
                f" CROSS JOIN articles_searchdocument ON articles_searchdocument.id = {FTS}.rowid"
                f" WHERE {FTS} MATCH %s AND {where})"
                " SELECT id, content_type_id, object_id, count(*) OVER () FROM matches"
                " ORDER BY rank, recency DESC, id DESC LIMIT %s OFFSET %s",
                [match_expression(query), *params, limit, offset],
            )
            rows = cursor.fetchall()
        return Hits(
            total=rows[0][3] if rows else 0,
            page=[
                Hit(pk, content_type, object_id)
                for pk, content_type, object_id, _ in rows
            ],
        )

    def snippets(
        self, query: Query, *, language: str, document_ids: list[int]
    ) -> dict[int, Snippets]:
        if not document_ids:
            return {}

        def snippet(column: str) -> str:
            return f"snippet({FTS}, {COLUMNS.index(column)}, %s, %s, '…', {_SNIPPET_TOKENS})"

        placeholders = ", ".join(["%s"] * len(document_ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, {snippet('summary')}, {snippet('questions')},"
                f" {snippet('body')} FROM {FTS}"
                f" WHERE {FTS} MATCH %s AND rowid IN ({placeholders})",
                [START, STOP] * 3 + [match_expression(query), *document_ids],
            )
            return {pk: Snippets(*texts) for pk, *texts in cursor.fetchall()}

    def matching(self, query: Query) -> QuerySet:
        return SearchDocument.objects.filter(
            pk__in=RawSQL(
                f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s",
                [match_expression(query)],
            )
        )

    def add_terms(self, language: str, words: Iterable[str]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT OR IGNORE INTO articles_searchterm (language, word)"
                " SELECT %s, value FROM json_each(%s)",
                [language, json.dumps(sorted(set(words)))],
            )

    def similar_terms(self, words: list[str], *, language: str) -> dict[str, list[str]]:
        if not words:
            return {}
        # One query: for each word, the known words that start with its
        # letter and are at most MAX_EDITS letters longer or shorter.
        ranges, params = [], [language]
        for word in words:
            ranges.append(
                "(word >= %s AND word < %s AND length(word) BETWEEN %s AND %s)"
            )
            params += [
                word[0],
                chr(ord(word[0]) + 1),
                len(word) - MAX_EDITS,
                len(word) + MAX_EDITS,
            ]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM articles_searchterm WHERE language = %s AND ("
                + " OR ".join(ranges)
                + ")",
                params,
            )
            known = [word for (word,) in cursor.fetchall()]
        return {
            word: [
                candidate
                for candidate in known
                if candidate[0] == word[0]
                and abs(len(candidate) - len(word)) <= MAX_EDITS
            ]
            for word in words
        }
