"""
Keeping the search index fresh: the SearchDocument row of every object of
a searchable kind is written when the object changes.

Content changes go through articles/publishing, which sends
content_changed once a change is committed; reindex_changed() receives it
(connected in articles/apps.py) and rewrites the rows of the changed
objects, and of the objects that show a changed tag, category or author,
in a few queries for any number of them (an import batch is one event).
Deleting content deletes its row with it (a GenericRelation), and
rebuild() (manage.py search_index --rebuild) writes everything afresh.
"""

from __future__ import annotations

import operator
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import reduce

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model, Q, QuerySet

from articles.models import SearchDocument, SearchTerm
from articles.search import backends
from articles.search.kinds import SearchableKind, registered
from articles.search.text import clean

TEXT_FIELDS = ("title", "summary", "keywords", "questions", "body")
# Words a reader might misspell; shorter ones are not corrected anyway.
_TERM = re.compile(r"[^\W\d_]{4,40}")
# Objects read and written together: a tag shown by 50,000 articles is
# renamed without holding them all in memory.
CHUNK = 1000


def reindex_changed(*, instances: Iterable[Model], **kwargs) -> None:
    """Receive content_changed: rewrite the rows of what changed, kind by kind."""
    instances = list(instances)
    for kind in registered():
        conditions = []
        changed = [
            obj.pk for obj in instances if isinstance(obj, kind.model) and obj.pk
        ]
        if changed:
            conditions.append(Q(pk__in=changed))
        affected = kind.affected_by(instances)
        if affected is not None:
            conditions.append(Q(pk__in=affected.values("pk")))
        naming_deleted = _naming_deleted(kind, instances)
        if naming_deleted is not None:
            conditions.append(Q(pk__in=naming_deleted))
        if conditions:
            write(
                kind,
                kind.model._default_manager.filter(reduce(operator.or_, conditions)),
            )


def _naming_deleted(kind: SearchableKind, instances: list[Model]) -> QuerySet | None:
    """
    The ids of the kind's objects whose keywords name a deleted tag,
    category or author: once deleted, the links to it are gone, but its
    name is still in the keywords until the row is written again.
    """
    names = [
        str(obj)
        for obj in instances
        if isinstance(obj, tuple(kind.related)) and obj.pk is None
    ]
    if not names:
        return None
    return SearchDocument.objects.filter(
        reduce(operator.or_, (Q(keywords__contains=name) for name in names)),
        content_type=ContentType.objects.get_for_model(kind.model),
    ).values("object_id")


def write(
    kind: SearchableKind,
    queryset: QuerySet,
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """
    Write the rows of the kind's objects in queryset, CHUNK objects at a
    time, each chunk in one transaction: a query to read them with their
    parts, one to write the rows, one per language for the database's
    index and two for the lexicon. progress(n) hears of each chunk written.
    """
    pks = list(queryset.order_by("pk").values_list("pk", flat=True))
    written = 0
    for start in range(0, len(pks), CHUNK):
        written += _write_chunk(
            kind, kind.model._default_manager.filter(pk__in=pks[start : start + CHUNK])
        )
        if progress is not None:
            progress(written)
    return written


def _write_chunk(kind: SearchableKind, queryset: QuerySet) -> int:
    objects = list(kind.for_indexing(queryset))
    if not objects:
        return 0
    content_type = ContentType.objects.get_for_model(kind.model)
    rows = []
    for obj in objects:
        text = kind.indexed_text(obj)
        rows.append(
            SearchDocument(
                content_type=content_type,
                object_id=obj.pk,
                language=text.language,
                recency=text.recency,
                **{field: clean(getattr(text, field)) for field in TEXT_FIELDS},
            )
        )
    backend = backends.current()
    with transaction.atomic():
        SearchDocument.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["content_type", "object_id"],
            update_fields=["language", "recency", *TEXT_FIELDS],
        )
        backend.index(
            SearchDocument.objects.filter(
                content_type=content_type, object_id__in=[obj.pk for obj in objects]
            ),
            languages=[row.language for row in rows],
        )
        _add_terms(kind, rows, backend=backend)
    return len(rows)


def _add_terms(kind: SearchableKind, rows: list[SearchDocument], *, backend) -> None:
    """The words of the published ones join the lexicon, so no suggestion reveals a draft."""
    published = set(
        kind.published()
        .filter(pk__in=[row.object_id for row in rows])
        .values_list("pk", flat=True)
    )
    words_by_language: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row.object_id in published:
            for field in TEXT_FIELDS:
                words_by_language[row.language].update(
                    word.lower() for word in _TERM.findall(getattr(row, field))
                )
    for language, words in words_by_language.items():
        backend.add_terms(language, words)


def rebuild(*, progress: Callable[[int], None] | None = None) -> int:
    """Write every row afresh: the documents and the lexicon are emptied and rewritten."""
    SearchDocument.objects.all().delete()
    SearchTerm.objects.all().delete()
    written = 0
    for kind in registered():
        written += write(
            kind,
            kind.model._default_manager.all(),
            progress=None
            if progress is None
            else lambda n, before=written: progress(before + n),
        )
    return written
