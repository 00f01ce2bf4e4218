"""
What the publishing sequence needs to know about each kind of publishable
content: its permissions, how to lock it, its owner, its snapshot and the
bookkeeping that follows from its saved fields. A new kind (a page type)
adds a class here and registers it in KINDS.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from articles import revisions
from articles.models import Article


class ArticleKind:
    model = Article
    add_permission = "articles.add_article"
    change_permission = "articles.change_article"
    publish_permission = "articles.publish_article"
    edit_others_permission = "articles.edit_others_articles"
    # What an Author may still change: once an editor publishes or
    # schedules an article, an Author's edit would go live unreviewed.
    author_editable_statuses = (Article.Status.DRAFT, Article.Status.PENDING)

    def load_locked(self, pk: int) -> Article:
        """The stored row, locked until the transaction ends."""
        return (
            Article.objects.select_for_update(of=("self",))
            .select_related("primary_category", "author")
            .get(pk=pk)
        )

    def owner_user_id(self, obj: Article) -> int | None:
        return obj.author.user_id if obj.author is not None else None

    def snapshot(self, obj: Article) -> dict[str, Any]:
        return revisions.snapshot(obj)

    def write_derived(self, obj: Article) -> None:
        """What follows from the saved fields and parts, kept in the database for the pages."""
        if obj.primary_category_id:
            obj.categories.add(obj.primary_category_id)
        # The FAQ answers' images too, so that one prefetch serves the page.
        obj.body_images.set(obj.shown_image_ids())


KINDS = {Article: ArticleKind()}


def kind_of(obj: Model) -> ArticleKind:
    return KINDS[type(obj)._meta.concrete_model]
