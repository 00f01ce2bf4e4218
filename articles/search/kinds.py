"""
The kinds of content readers can search, and what of each one is indexed.

A kind names its model, gives the texts of one object by weight (an
IndexedText), says what readers may find (its published() queryset) and
which other models' changes change its texts. Register a new kind with
register(); the index, the searches and the admin then cover it:

    class PageSearch(SearchableKind):
        model = Page
        result_template = "includes/search_result.html"
        ...

    register(PageSearch())
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Model, QuerySet

from articles.models import Article, Author, Category, Page, Tag
from articles.search.text import plain_text

# How much a word counts where it is found, as PostgreSQL's weights A to D
# rank them (its defaults): a word in the title outranks any number in the
# body. SQLite's bm25() gets the same proportions per column.
FIELD_WEIGHTS = {
    "title": 1.0,
    "summary": 0.4,
    "keywords": 0.4,
    "questions": 0.2,
    "body": 0.1,
}


@dataclass(frozen=True)
class IndexedText:
    """
    The texts of one object by weight: title (A), summary and keywords (B),
    questions (C), body (D). Plain text, no markup.
    """

    language: str
    recency: datetime | None
    title: str
    summary: str = ""
    keywords: str = ""
    questions: str = ""
    body: str = ""


class SearchableKind:
    model: type[Model]
    # Prints one result; gets `result` (a results.Result) and `query`.
    result_template = "includes/search_result.html"
    # Models whose changes change this kind's texts, and the lookup from
    # this kind to them (a tag's new name is in its articles' keywords).
    related: dict[type[Model], str] = {}

    def published(self) -> QuerySet:
        """What readers may find: the kind's one spelling of visibility."""
        raise NotImplementedError

    def for_indexing(self, queryset: QuerySet) -> QuerySet:
        """The queryset with what indexed_text() reads prefetched."""
        return queryset

    def indexed_text(self, obj: Model) -> IndexedText:
        raise NotImplementedError

    def for_results(self, queryset: QuerySet) -> QuerySet:
        """The queryset with what result_template prints fetched along."""
        return queryset

    def affected_by(self, instances: Iterable[Model]) -> QuerySet | None:
        """This kind's objects whose texts show any of the (saved) instances."""
        queryset = None
        for model, lookup in self.related.items():
            pks = [obj.pk for obj in instances if isinstance(obj, model) and obj.pk]
            if pks:
                matching = self.model.objects.filter(**{f"{lookup}__in": pks})
                queryset = matching if queryset is None else queryset | matching
        return queryset


class ArticleSearch(SearchableKind):
    model = Article
    result_template = "includes/search_result_article.html"
    related = {Tag: "tags", Category: "categories", Author: "author"}

    def published(self) -> QuerySet:
        return Article.objects.published()

    def for_indexing(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("author").prefetch_related(
            "takeaways", "faq_items", "tags", "categories"
        )

    def indexed_text(self, article: Article) -> IndexedText:
        keywords = [tag.name for tag in article.tags.all()]
        keywords += [
            category.name_in(article.language) for category in article.categories.all()
        ]
        if article.author is not None:
            keywords.append(article.author.display_name)
        return IndexedText(
            language=article.language,
            recency=article.published_at,
            title=article.title,
            summary=" ".join(
                [plain_text(article.excerpt)]
                + [plain_text(takeaway.text) for takeaway in article.takeaways.all()]
            ),
            keywords=" ".join(keywords),
            questions=" ".join(
                f"{item.question} {plain_text(item.answer)}"
                for item in article.faq_items.all()
            ),
            body=plain_text(article.body),
        )

    def for_results(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("primary_category__parent", "author").defer(
            "body", "wordpress_extra", "table_of_contents"
        )


_KINDS: dict[type[Model], SearchableKind] = {}


def register(kind: SearchableKind) -> SearchableKind:
    _KINDS[kind.model] = kind
    return kind


def registered() -> list[SearchableKind]:
    return list(_KINDS.values())


def kind_for(model: type[Model]) -> SearchableKind | None:
    return _KINDS.get(model._meta.concrete_model)


class PageSearch(SearchableKind):
    """The site's pages (About, Contact, the policies): title, summary and text."""

    model = Page

    def published(self) -> QuerySet:
        return Page.objects.published()

    def indexed_text(self, page: Page) -> IndexedText:
        return IndexedText(
            language=page.language,
            recency=page.published_at,
            title=page.title,
            summary=plain_text(page.excerpt),
            body=plain_text(page.body),
        )

    def for_results(self, queryset: QuerySet) -> QuerySet:
        return queryset.defer("body", "table_of_contents")


register(ArticleSearch())
register(PageSearch())
