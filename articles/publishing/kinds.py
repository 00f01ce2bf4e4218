"""
What the publishing sequence needs to know about each kind of publishable
content: its permissions, how to lock it, its owner, its snapshot and the
bookkeeping that follows from its saved fields. A new kind (a page type)
adds a class here and registers it in KINDS.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from articles import redirects, revisions, sign_offs
from articles.models import Article, Page
from articles.roles import profile_for


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

    # What the text says, in a snapshot: a change to these is substantive.
    content = ("title", "excerpt", "body", "takeaways", "faq_items", "references")

    def owner_user_id(self, obj: Article) -> int | None:
        return obj.author.user_id if obj.author is not None else None

    def needs_sign_off(self, obj: Article) -> bool:
        return sign_offs.required(obj)

    def says_something_new(self, old, new) -> bool:
        return revisions.says_something_new(old, new, keys=self.content)

    def credit(self, obj: Article, user) -> None:
        """The byline the role gives: Authors always write under their own name."""
        if not user.has_perm(self.edit_others_permission) or obj.author_id is None:
            obj.author = profile_for(user)

    def snapshot(self, obj: Article) -> dict[str, Any]:
        return revisions.snapshot(obj)

    def write_derived(self, obj: Article) -> None:
        """What follows from the saved fields and parts, kept in the database for the pages."""
        if obj.primary_category_id:
            obj.categories.add(obj.primary_category_id)
        # The FAQ answers' images too, so that one prefetch serves the page.
        obj.body_images.set(obj.shown_image_ids())


class PageKind:
    """Pages belong to the site, not to a writer: whoever may change pages may change all."""

    model = Page
    add_permission = "articles.add_page"
    change_permission = "articles.change_page"
    publish_permission = "articles.publish_page"
    edit_others_permission = "articles.change_page"
    author_editable_statuses = (Page.Status.DRAFT, Page.Status.PENDING)

    def load_locked(self, pk: int) -> Page:
        return (
            Page.objects.select_for_update(of=("self",))
            .select_related("parent")
            .get(pk=pk)
        )

    content = ("title", "excerpt", "body")

    def owner_user_id(self, obj: Page) -> None:
        return None

    def needs_sign_off(self, obj: Page) -> bool:
        return False

    def says_something_new(self, old, new) -> bool:
        return revisions.says_something_new(old, new, keys=self.content)

    def credit(self, obj: Page, user) -> None:
        """Pages carry no byline."""

    def snapshot(self, obj: Page) -> dict[str, Any]:
        return revisions.snapshot(obj)

    def write_derived(self, obj: Page) -> None:
        obj.body_images.set(obj.shown_image_ids())
        self._move_descendants(obj)

    def _move_descendants(self, page: Page) -> None:
        """Children live under their parent's address: follow it, leaving 301s from the old ones."""
        moves = []
        for child in Page.objects.filter(parent=page):
            path = child.path_under(page)
            if path == child.path:
                continue
            old_url = child.get_absolute_url()
            Page.objects.filter(pk=child.pk).update(path=path)
            child.path = path
            if child.is_published:
                moves.append((child, [old_url]))
            self._move_descendants(child)
        redirects.record_moves(moves)


KINDS = {Article: ArticleKind(), Page: PageKind()}


def kind_of(obj: Model | type[Model]) -> ArticleKind | PageKind:
    """The kind of an object or a model."""
    model = obj if isinstance(obj, type) else type(obj)
    return KINDS[model._meta.concrete_model]
