"""
Revisions: every save of an article keeps a complete copy of it, so that
nothing an editor saved is ever lost.

record_revision() is called once the article and its inlines, tags and
categories are saved (the admin's save_related, the importer, bulk actions,
restores): post_save would fire before the inlines exist.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max
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
}
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
CHILD_LABELS = {
    "takeaways": "key takeaways",
    "faq_items": "FAQ",
    "references": "references",
    "tags": "tags",
    "categories": "categories",
}
# Block-level boundaries, so that the body is compared line by line.
BLOCK_END = re.compile(
    r"(</(?:p|h[1-6]|li|ul|ol|blockquote|figure|figcaption|table|tr|pre)>|<br\s*/?>|<hr\s*/?>)",
    re.IGNORECASE,
)


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def article_fields() -> list:
    return [
        field
        for field in Article._meta.concrete_fields
        if field.name not in SKIPPED_FIELDS
    ]


def snapshot(article: Article) -> dict[str, Any]:
    """Return the saved article as JSON: its fields, inlines, tags and categories."""
    return snapshot_of(
        article,
        children={
            name: model.objects.filter(article=article).order_by("order", "pk")
            for name, (model, _names) in CHILDREN.items()
        },
        tags=article.tags.names(),
        category_ids=article.categories.values_list("pk", flat=True),
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
    data: dict[str, Any] = {
        "fields": _plain(
            {
                field.attname: field.value_from_object(article)
                for field in article_fields()
            }
        )
    }
    for name, (_model, names) in CHILDREN.items():
        data[name] = _plain(
            [{n: getattr(row, n) for n in names} for row in children[name]]
        )
    data["tags"] = sorted(tags)
    data["categories"] = sorted(category_ids)
    return data


def changed_parts(old: dict[str, Any] | None, new: dict[str, Any]) -> list[str]:
    """The labels of the fields and parts that differ between two snapshots."""
    if old is None:
        return []
    labels = []
    for field in article_fields():
        if old["fields"].get(field.attname) != new["fields"].get(field.attname):
            labels.append(str(field.verbose_name))
    for name, label in CHILD_LABELS.items():
        if old.get(name) != new.get(name):
            labels.append(label)
    return labels


def latest_revision(article: Article) -> Revision | None:
    return Revision.objects.filter(article=article).order_by("-pk").first()


def latest_revision_id(article: Article) -> int:
    return (
        Revision.objects.filter(article=article)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
        or 0
    )


def change_summary(previous: dict[str, Any] | None, data: dict[str, Any]) -> str:
    """What a revision changed since the previous one, in words."""
    if previous is None:
        return _("First saved version")
    parts = changed_parts(previous, data)
    return _("Changed %s") % ", ".join(parts) if parts else _("Saved unchanged")


def latest_snapshots(article_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The latest revision's snapshot of each article, by article id, in two queries."""
    latest = (
        Revision.objects.filter(article_id__in=article_ids)
        .order_by()
        .values("article_id")
        .annotate(latest=Max("pk"))
        .values_list("latest", flat=True)
    )
    return dict(
        Revision.objects.filter(pk__in=list(latest)).values_list(
            "article_id", "snapshot"
        )
    )


def record_revision(
    article: Article, *, user=None, summary: str = "", data: dict | None = None
) -> Revision:
    """
    Store the article as it is now saved. The summary says what changed
    since the previous revision unless one is given. data is the snapshot
    when the caller has it (snapshot_of() the rows it just wrote).
    """
    if data is None:
        data = snapshot(article)
    if not summary:
        previous = latest_revision(article)
        summary = change_summary(previous.snapshot if previous else None, data)
    return Revision.objects.create(
        article=article,
        author=user if user is not None and user.is_authenticated else None,
        snapshot=data,
        summary=summary[:500],
    )


def restore_revision(
    revision: Revision, *, user, keep_status: bool = False
) -> Revision:
    """
    Write a revision back to its article, children included, in one
    transaction. The restore is itself a new revision. keep_status leaves
    the status as it is, for people who may not publish.
    """
    data = revision.snapshot
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=revision.article_id)
        for field in article_fields():
            if keep_status and field.attname == "status":
                continue
            if field.attname in data["fields"]:
                setattr(
                    article,
                    field.attname,
                    field.to_python(data["fields"][field.attname]),
                )
        article.save()
        for name, (model, _names) in CHILDREN.items():
            model.objects.filter(article=article).delete()
            for row in data.get(name, []):
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
        article.body_images.set(article.shown_image_ids())
        return record_revision(
            article,
            user=user,
            summary=_("Restored the version of %(when)s by %(who)s")
            % {
                "when": revision.created_at.strftime("%Y-%m-%d %H:%M"),
                "who": revision.author_name,
            },
        )


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


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[FieldDiff]:
    """
    Return what differs between two snapshots, field by field, as
    unified-diff lines (plain text: templates escape them).
    """
    result = []
    for field in article_fields():
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
    for name, label in CHILD_LABELS.items():
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
