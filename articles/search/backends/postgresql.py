"""
PostgreSQL's full-text search: a weighted tsvector per document (title A,
summary and keywords B, questions C, body D) in the language's text search
configuration, GIN-indexed (migration 0013), ranked with ts_rank and
highlighted with ts_headline; pg_trgm finds the words near a misspelt one.

Ranking reads each matching document's vector from TOAST storage (about
10 µs each), so a word found in most of 100,000 documents cannot be ranked
across all of them in 50 ms. A search therefore ranks candidates: the
CANDIDATES newest documents whose title, summary or keywords match (their
own small vector, with its own GIN index) and the CANDIDATES newest that
match anywhere. Below CANDIDATES matches every one is ranked, exactly; a
broader search ranks its newest strong (title, summary, keyword) matches
with its newest matches of any kind.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from functools import reduce

from django.conf import settings
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Window

from articles.models import SearchDocument
from articles.search.backends import START, STOP, Hit, Hits, Snippets
from articles.search.kinds import FIELD_WEIGHTS
from articles.search.query import Query

# Each language's text search configuration: its stemmer and stop words.
# A language of settings.LANGUAGES missing here is searched without
# stemming ("simple"); a test checks that none is missing.
TEXT_SEARCH_CONFIGS = {"en": "english", "nl": "dutch"}
FALLBACK_CONFIG = "simple"
# Per tier; as many as results.MAX_RESULTS, the most a search lists.
CANDIDATES = 200
_LETTERS = {
    "title": "A",
    "summary": "B",
    "keywords": "B",
    "questions": "C",
    "body": "D",
}
# ts_rank's weights, in its order: D, C, B, A.
_RANK_WEIGHTS = [
    FIELD_WEIGHTS["body"],
    FIELD_WEIGHTS["questions"],
    FIELD_WEIGHTS["summary"],
    FIELD_WEIGHTS["title"],
]
# The nearest few known words by trigrams: the nearest by edits is among them.
_CANDIDATES_PER_WORD = 5
_NEWEST_FIRST = F("recency").desc(nulls_last=True)


def text_search_config(language: str) -> str:
    return TEXT_SEARCH_CONFIGS.get(language, FALLBACK_CONFIG)


def _vector(fields: Iterable[str], config: str):
    return reduce(
        operator.add,
        (
            SearchVector(field, weight=_LETTERS[field], config=config)
            for field in fields
        ),
    )


def _tsquery(query: Query, config: str):
    parts = []
    if query.words:
        parts.append(SearchQuery(" ".join(query.words), config=config))
    parts += [
        SearchQuery(" ".join(phrase), search_type="phrase", config=config)
        for phrase in query.phrases
    ]
    return reduce(operator.and_, parts)


class PostgresBackend:
    def index(self, documents: QuerySet, *, languages: Iterable[str]) -> None:
        for language in set(languages):
            config = text_search_config(language)
            documents.filter(language=language).update(
                vector=_vector(_LETTERS, config),
                prominent_vector=_vector(("title", "summary", "keywords"), config),
            )

    def search(
        self, query: Query, *, language: str, visible: Q, offset: int, limit: int
    ) -> Hits:
        tsquery = _tsquery(query, text_search_config(language))
        in_language = SearchDocument.objects.filter(language=language)
        # Each tier reads only the GIN index and the narrow rows; vectors
        # are read for the candidates alone.
        prominent = (
            in_language.filter(prominent_vector=tsquery)
            .order_by(_NEWEST_FIRST)
            .values("pk")[:CANDIDATES]
        )
        anywhere = (
            in_language.filter(vector=tsquery)
            .order_by(_NEWEST_FIRST)
            .values("pk")[:CANDIDATES]
        )
        rows = list(
            SearchDocument.objects.filter(pk__in=prominent.union(anywhere))
            .filter(visible)
            .annotate(
                rank=SearchRank(F("vector"), tsquery, weights=_RANK_WEIGHTS),
                total=Window(Count("pk")),
            )
            .order_by("-rank", _NEWEST_FIRST, "-pk")
            .values_list("pk", "content_type_id", "object_id", "total")[
                offset : offset + limit
            ]
        )
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
        config = text_search_config(language)
        tsquery = _tsquery(query, config)

        def headline(field: str, words: int):
            return SearchHeadline(
                field,
                tsquery,
                config=config,
                start_sel=START,
                stop_sel=STOP,
                max_words=words,
                min_words=words // 2,
                max_fragments=2,
                fragment_delimiter=" … ",
            )

        rows = SearchDocument.objects.filter(pk__in=document_ids).values_list(
            "pk",
            headline("summary", 30),
            headline("questions", 20),
            headline("body", 20),
        )
        return {pk: Snippets(*texts) for pk, *texts in rows}

    def matching(self, query: Query) -> QuerySet:
        languages = [code for code, _name in settings.LANGUAGES]
        return SearchDocument.objects.filter(
            reduce(
                operator.or_,
                (
                    Q(
                        language=language,
                        vector=_tsquery(query, text_search_config(language)),
                    )
                    for language in languages
                ),
            )
        )

    def add_terms(self, language: str, words: Iterable[str]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO articles_searchterm (language, word)"
                " SELECT %s, unnest(%s::text[]) ON CONFLICT DO NOTHING",
                [language, sorted(set(words))],
            )

    def similar_terms(self, words: list[str], *, language: str) -> dict[str, list[str]]:
        if not words:
            return {}
        # One query for all the words: each one's nearest known words by
        # trigram similarity, found through the trigram GIN index.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT input.word, near.word FROM unnest(%s::text[]) AS input(word)"
                " CROSS JOIN LATERAL (SELECT term.word FROM articles_searchterm term"
                " WHERE term.language = %s AND term.word %% input.word"
                " ORDER BY term.word <-> input.word, term.word LIMIT %s) AS near",
                [words, language, _CANDIDATES_PER_WORD],
            )
            found: dict[str, list[str]] = {word: [] for word in words}
            for word, near in cursor.fetchall():
                found[word].append(near)
        return found
