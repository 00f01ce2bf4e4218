"""
Revisions: every save of an article keeps a complete copy of it, so that
nothing an editor saved is ever lost.

This module knows what a copy holds (snapshot()), what differs between two
(diff()) and how to write one back (write_back()). The rows are recorded by
articles/publishing, once the article and its inlines, tags and categories
are saved: post_save would fire before the inlines exist.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Max, Model, QuerySet
from django.utils.translation import gettext as _

from articles.models import (
    Article,
    Category,
    FAQItem,
    KeyTakeaway,
    Reference,
    Revision,
)

# Derived or bookkeeping fields: saving computes them again.
SKIPPED_FIELDS = {
    "id",
    "created_at",
    "updated_at",
    "table_of_contents",
    "seo_score",
    "trashed_at",
    "status_before_trash",
    "preview_key",
    "path",
    "content_updated_at",
    "wordpress_import_hash",
    # Which texts translate each other is not a version of this one's text:
    # restoring a revision leaves the group as it is.
    "translation_key",
}
# The rows kept with an article: name → (model, fields).
CHILDREN = {
    "takeaways": (KeyTakeaway, ["text", "order"]),
    "faq_items": (FAQItem, ["question", "answer", "order", "anchor"]),
    "references": (
        Reference,
        [
            "title",
            "publisher",
            "authors",
            "year",
            "url",
            "doi",
            "pubmed_id",
            "accessed_on",
            "order",
        ],
    ),
}
# The parts each kind of content has beside its fields, with their labels.
PART_LABELS = {
    Article: {
        "takeaways": "key takeaways",
        "faq_items": "FAQ",
        "references": "references",
        "tags": "tags",
        "categories": "categories",
    },
}
# Block-level boundaries, so that the body is compared line by line.
BLOCK_END = re.compile(
    r"(</(?:p|h[1-6]|li|ul|ol|blockquote|figure|figcaption|table|tr|pre)>|<br\s*/?>|<hr\s*/?>)",
    re.IGNORECASE,
)


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=_UTCEncoder))


class _UTCEncoder(DjangoJSONEncoder):
    """Dates and times in UTC: the same moment is the same text, whatever zone a form used."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime) and o.tzinfo is not None:
            o = o.astimezone(UTC)
        return super().default(o)


def fields_of(model: type[Model]) -> list:
    """The fields a revision keeps of a kind of content."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.name not in SKIPPED_FIELDS
    ]


def _parts(model: type[Model]) -> dict[str, str]:
    return PART_LABELS.get(model._meta.concrete_model, {})


def snapshot(obj: Model) -> dict[str, Any]:
    """Return saved content as JSON: its fields and, for an article, its inlines, tags and categories."""
    if not isinstance(obj, Article):
        return {"fields": _fields_of(obj)}
    return snapshot_of(
        obj,
        children={
            name: model.objects.filter(article=obj).order_by("order", "pk")
            for name, (model, _names) in CHILDREN.items()
        },
        tags=obj.tags.names(),
        category_ids=obj.categories.values_list("pk", flat=True),
    )


def _fields_of(obj: Model) -> dict[str, Any]:
    return _plain(
        {field.attname: field.value_from_object(obj) for field in fields_of(type(obj))}
    )


def snapshot_of(
    article: Article,
    *,
    children: dict[str, Iterable[Any]],
    tags: Iterable[str],
    category_ids: Iterable[int],
) -> dict[str, Any]:
    """
    The snapshot of an article from rows in hand, children in order: the
    importer writes thousands of articles without reading them back.
    """
    data: dict[str, Any] = {"fields": _fields_of(article)}
    for name, (_model, names) in CHILDREN.items():
        data[name] = _plain(
            [{n: getattr(row, n) for n in names} for row in children[name]]
        )
    data["tags"] = sorted(tags)
    data["categories"] = sorted(category_ids)
    return data


def changed_parts(
    old: dict[str, Any] | None, new: dict[str, Any], *, model: type[Model]
) -> list[str]:
    """The labels of the fields and parts that differ between two snapshots."""
    if old is None:
        return []
    labels = []
    for field in fields_of(model):
        if old["fields"].get(field.attname) != new["fields"].get(field.attname):
            labels.append(str(field.verbose_name))
    for name, label in _parts(model).items():
        if old.get(name) != new.get(name):
            labels.append(label)
    return labels


def says_something_new(
    old: dict[str, Any] | None, new: dict[str, Any], *, keys: Iterable[str]
) -> bool:
    """Whether the new snapshot's text differs from the old one's (always, for a first one)."""
    if old is None:
        return True
    return any(_value(old, key) != _value(new, key) for key in keys)


def _value(data: dict[str, Any], key: str) -> Any:
    return data["fields"].get(key) if key in data["fields"] else data.get(key)


def history(obj: Model) -> QuerySet[Revision]:
    """The revisions of any kind of content, newest first."""
    return Revision.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).order_by("-pk")


def latest_revision(obj: Model) -> Revision | None:
    return history(obj).first()


def latest_revision_id(obj: Model) -> int:
    """The id of the latest revision, 0 before the first: a form's edit version."""
    return history(obj).values_list("pk", flat=True).first() or 0


def change_summary(
    previous: dict[str, Any] | None, data: dict[str, Any], *, model: type[Model]
) -> str:
    """What a revision changed since the previous one, in words."""
    if previous is None:
        return _("First saved version")
    parts = changed_parts(previous, data, model=model)
    return _("Changed %s") % ", ".join(parts) if parts else _("Saved unchanged")


def latest_snapshots(article_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The latest revision's snapshot of each article, by article id, in two queries."""
    content_type = ContentType.objects.get_for_model(Article)
    latest = (
        Revision.objects.filter(content_type=content_type, object_id__in=article_ids)
        .order_by()
        .values("object_id")
        .annotate(latest=Max("pk"))
        .values_list("latest", flat=True)
    )
    return dict(
        Revision.objects.filter(pk__in=list(latest)).values_list(
            "object_id", "snapshot"
        )
    )


def apply_fields(obj: Model, data: dict[str, Any], *, keep_status: bool) -> None:
    """
    Set a snapshot's fields on content (in memory). keep_status leaves the
    status as it is, for people who may not publish.
    """
    for field in fields_of(type(obj)):
        if keep_status and field.attname == "status":
            continue
        if field.attname in data["fields"]:
            setattr(obj, field.attname, field.to_python(data["fields"][field.attname]))


def write_children(obj: Model, data: dict[str, Any]) -> None:
    """Replace saved content's parts (an article's inlines, tags and categories) with a snapshot's."""
    if not isinstance(obj, Article):
        return
    article = obj
    for name, (model, _names) in CHILDREN.items():
        model.objects.filter(article=article).delete()
        for row in data.get(name, []):
            # One by one, so that each row's save() sanitizes it again.
            model(
                article=article,
                **{
                    key: model._meta.get_field(key).to_python(value)
                    for key, value in row.items()
                },
            ).save()
    article.tags.set(data.get("tags", []))
    existing = set(
        Category.objects.filter(pk__in=data.get("categories", [])).values_list(
            "pk", flat=True
        )
    )
    article.categories.set(existing | {article.primary_category_id})


@dataclass(frozen=True)
class FieldDiff:
    label: str
    lines: list[str]


def _lines(value: Any, *, attname: str) -> list[str]:
    if value is None or value == "":
        return []
    if attname == "body" or isinstance(value, str):
        text = BLOCK_END.sub(r"\1\n", str(value))
        return [line.strip() for line in text.splitlines() if line.strip()]
    return [json.dumps(value, ensure_ascii=False, sort_keys=True)]


def _child_lines(name: str, rows: list[Any]) -> list[str]:
    if name == "categories":
        names = Category.objects.in_bulk(rows)
        return [str(names.get(pk, f"#{pk}")) for pk in rows]
    if name == "tags":
        return list(rows)
    return [
        " · ".join(
            str(v) for k, v in row.items() if k != "order" and v not in ("", None)
        )
        for row in rows
    ]


def diff(
    old: dict[str, Any], new: dict[str, Any], *, model: type[Model]
) -> list[FieldDiff]:
    """
    Return what differs between two snapshots, field by field, as
    unified-diff lines (plain text: templates escape them).
    """
    result = []
    for field in fields_of(model):
        before = old["fields"].get(field.attname)
        after = new["fields"].get(field.attname)
        if before != after:
            result.append(
                FieldDiff(
                    str(field.verbose_name),
                    _unified(
                        _lines(before, attname=field.attname),
                        _lines(after, attname=field.attname),
                    ),
                )
            )
    for name, label in _parts(model).items():
        before, after = old.get(name, []), new.get(name, [])
        if before != after:
            result.append(
                FieldDiff(
                    label,
                    _unified(_child_lines(name, before), _child_lines(name, after)),
                )
            )
    return result


def _unified(before: list[str], after: list[str]) -> list[str]:
    # The file headers and hunk positions mean nothing to an editor.
    lines = list(difflib.unified_diff(before, after, lineterm="", n=2))[2:]
    return [line for line in lines if not line.startswith("@@")]
