"""
Running a reader's search: the page of results with their snippets, the
total, and a "did you mean" suggestion, in a fixed number of queries
whatever the number of matches: the ranked page, its snippets, the page's
objects (one query per kind among them) and the suggestion's candidates.
"""

from __future__ import annotations

import math
import operator
from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.search import backends, suggestions
from articles.search.backends import START, STOP, Snippets
from articles.search.kinds import SearchableKind, kind_for, registered
from articles.search.query import Query, parse, replace_words

PER_PAGE = 10
# A reader never pages this far; a broader search says "More than 200
# results". On PostgreSQL it is also the candidates per tier (CANDIDATES).
MAX_RESULTS = 200


@dataclass(frozen=True)
class Result:
    object: Model
    kind: SearchableKind
    snippet: SafeString


@dataclass(frozen=True)
class ResultPage:
    query: Query
    results: list[Result] = field(default_factory=list)
    total: int = 0
    # More documents match than MAX_RESULTS: the total is a lower bound.
    more: bool = False
    number: int = 1
    suggestion: str = ""

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / PER_PAGE))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def first_index(self) -> int:
        return (self.number - 1) * PER_PAGE + 1


def search(text: str, *, language: str, page: int = 1) -> ResultPage:
    """Search the content published in language for what a reader typed."""
    query = parse(text)
    if not query:
        return ResultPage(query=query)
    backend = backends.current()
    offset = (page - 1) * PER_PAGE
    if offset >= MAX_RESULTS:
        hits = backends.Hits(total=0, page=[])
    else:
        hits = backend.search(
            query,
            language=language,
            visible=visible_documents(),
            offset=offset,
            limit=min(PER_PAGE, MAX_RESULTS - offset),
        )
    snippets = backend.snippets(
        query, language=language, document_ids=[hit.document_id for hit in hits.page]
    )
    objects = _objects(hits.page)
    results = [
        Result(
            object=objects[hit.content_type_id, hit.object_id],
            kind=kind_for(type(objects[hit.content_type_id, hit.object_id])),
            snippet=best_snippet(snippets.get(hit.document_id)),
        )
        for hit in hits.page
        if (hit.content_type_id, hit.object_id) in objects
    ]
    words = suggestions.checkable(query.all_words)
    corrections = suggestions.corrections(
        backend.similar_terms(words, language=language)
    )
    return ResultPage(
        query=query,
        results=results,
        total=min(hits.total, MAX_RESULTS),
        more=hits.total > MAX_RESULTS,
        number=page,
        suggestion=replace_words(query, corrections) if corrections else "",
    )


def visible_documents() -> Q:
    """The documents of what readers may see: each kind's published(), checked per document."""
    return reduce(
        operator.or_,
        (
            Q(content_type=ContentType.objects.get_for_model(kind.model))
            & Q(Exists(kind.published().filter(pk=OuterRef("object_id"))))
            for kind in registered()
        ),
    )


def matching(queryset: QuerySet, text: str) -> QuerySet:
    """The objects of queryset whose indexed text matches text, in any language, any status."""
    query = parse(text)
    if not query:
        return queryset.none()
    documents = backends.current().matching(query)
    return queryset.filter(
        pk__in=documents.filter(
            content_type=ContentType.objects.get_for_model(queryset.model)
        ).values("object_id")
    )


def best_snippet(snippets: Snippets | None) -> SafeString:
    """
    The excerpt, body or FAQ passage where the words were found, in that
    order of preference, else the opening of the summary or body; escaped,
    with only <mark> added around the words.
    """
    if snippets is None:
        return mark_safe("")
    texts = [snippets.summary, snippets.body, snippets.questions]
    chosen = next(
        (text for text in texts if START in text),
        snippets.summary or snippets.body,
    )
    return highlight(chosen)


def highlight(marked: str) -> SafeString:
    return mark_safe(  # noqa: S308 - escaped first; only the marks become tags
        escape(marked).replace(START, "<mark>").replace(STOP, "</mark>")
    )


def _objects(hits: list[backends.Hit]) -> dict[tuple[int, int], Model]:
    """The objects of the page's hits, one query per kind."""
    wanted: dict[int, list[int]] = defaultdict(list)
    for hit in hits:
        wanted[hit.content_type_id].append(hit.object_id)
    found = {}
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        kind = kind_for(model)
        for obj in kind.for_results(model._default_manager.filter(pk__in=ids)):
            found[content_type_id, obj.pk] = obj
    return found
