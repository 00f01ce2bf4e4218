"""
The querysets behind the API, each starting from Article.objects.published():
what a reader may see is what the API may return, and nothing else.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from articles.api.params import ApiError, Params
from articles.models import (
    Article,
    Author,
    Category,
    Image,
    Revision,
    Tag,
    TaggedArticle,
)

ArticleCategory = Article.categories.through


def by_api_ids(ids: Sequence[int], *, prefix: str = "") -> Q:
    """Match the objects the API shows with these ids (WordPress id, or the key of one never imported)."""
    return Q(**{f"{prefix}wordpress_id__in": ids}) | Q(
        **{f"{prefix}wordpress_id__isnull": True, f"{prefix}pk__in": ids}
    )


def api_id_order(ids: Sequence[int]) -> Case:
    """Order by the position of each object's API id in ids (orderby=include)."""
    api_id = Coalesce("wordpress_id", "pk")
    return (
        Case(
            *(
                When(
                    Q(wordpress_id=i) | Q(wordpress_id__isnull=True, pk=i),
                    then=Value(n),
                )
                for n, i in enumerate(ids)
            ),
            default=Value(len(ids)),
            output_field=IntegerField(),
        )
        if ids
        else api_id
    )


@dataclass(frozen=True)
class Page:
    items: list
    total: int
    total_pages: int
    page: int


def paginate(
    queryset: QuerySet,
    *,
    page: int,
    per_page: int,
    offset: int | None,
    error_past_last: str = "",
) -> Page:
    """
    Return one page and the totals WordPress sends as X-WP-Total and
    X-WP-TotalPages. Posts answer a page past the last with an error.
    """
    total = queryset.count()
    total_pages = math.ceil(total / per_page) if total else 0
    if error_past_last and total and page > total_pages:
        raise ApiError(
            error_past_last,
            "The page number requested is larger than the number of pages available.",
            status=400,
        )
    start = offset if offset is not None else (page - 1) * per_page
    items = list(queryset[start : start + per_page]) if start < total else []
    return Page(items=items, total=total, total_pages=total_pages, page=page)


# Posts

POST_ORDERING = {
    "date": "published_at",
    "modified": "updated_at",
    "title": "title",
    "slug": "slug",
}


def posts() -> QuerySet[Article]:
    revisions = (
        Revision.objects.filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(total=Count("*"))
        .values("total")
    )
    return (
        Article.objects.published()
        .annotate(revision_total=Coalesce(Subquery(revisions), 0))
        .select_related("author", "author__photo", "featured_image", "primary_category")
        .prefetch_related(
            Prefetch("categories", queryset=Category.objects.select_related("parent")),
            "tags",
            # For _embed's featured media, which shares a rendition, never the original.
            "featured_image__renditions",
        )
    )


def filter_posts(queryset: QuerySet[Article], params: Params) -> QuerySet[Article]:
    """Apply WordPress's post collection parameters; errors are collected on params."""
    status = params.string_list("status")
    if status and status != ["publish"]:
        raise ApiError("rest_forbidden_status", "Status is forbidden.", status=401)
    if search := params.raw("search"):
        queryset = queryset.filter(
            Q(title__icontains=search)
            | Q(excerpt__icontains=search)
            | Q(body__icontains=search)
        )
    if slugs := params.string_list("slug"):
        queryset = queryset.filter(slug__in=slugs)
    if include := params.id_list("include"):
        queryset = queryset.filter(by_api_ids(include))
    if exclude := params.id_list("exclude"):
        queryset = queryset.exclude(by_api_ids(exclude))
    for name, through, column, model in (
        ("categories", ArticleCategory, "category", Category),
        ("tags", TaggedArticle, "tag", Tag),
    ):
        article_column = (
            "article_id" if through is ArticleCategory else "content_object_id"
        )
        if ids := params.id_list(name):
            queryset = queryset.filter(
                pk__in=through.objects.filter(
                    **{f"{column}__in": model.objects.filter(by_api_ids(ids))}
                ).values(article_column)
            )
        if ids := params.id_list(f"{name}_exclude"):
            queryset = queryset.exclude(
                pk__in=through.objects.filter(
                    **{f"{column}__in": model.objects.filter(by_api_ids(ids))}
                ).values(article_column)
            )
    if authors := params.id_list("author"):
        queryset = queryset.filter(
            author__in=Author.objects.filter(by_api_ids(authors))
        )
    if authors := params.id_list("author_exclude"):
        queryset = queryset.exclude(
            author__in=Author.objects.filter(by_api_ids(authors))
        )
    sticky = params.boolean("sticky")
    if sticky is not None:
        queryset = queryset.filter(sticky=sticky)
    for name, lookup in (
        ("after", "published_at__gt"),
        ("before", "published_at__lt"),
        ("modified_after", "updated_at__gt"),
        ("modified_before", "updated_at__lt"),
    ):
        if (moment := params.moment(name)) is not None:
            queryset = queryset.filter(**{lookup: moment})

    order = params.choice("order", choices=("asc", "desc"), default="desc")
    orderby = params.choice(
        "orderby",
        choices=(
            "author",
            "date",
            "id",
            "include",
            "modified",
            "parent",
            "relevance",
            "slug",
            "include_slugs",
            "title",
        ),
        default="date",
    )
    if orderby == "relevance" and not search:
        raise ApiError(
            "rest_no_search_term_defined",
            "You need to define a search term to order by relevance.",
            status=400,
        )
    if orderby == "include" and not include:
        raise ApiError(
            "rest_orderby_include_missing_include",
            "You need to define an include parameter to order by include.",
            status=400,
        )
    if orderby == "include":
        return queryset.order_by(api_id_order(include))
    if orderby == "include_slugs" and slugs:
        return queryset.order_by(
            Case(
                *(When(slug=slug, then=Value(n)) for n, slug in enumerate(slugs)),
                output_field=IntegerField(),
            )
        )
    if orderby == "relevance":
        # WordPress ranks a match in the title above one in the text.
        rank = Case(
            When(title__icontains=search, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return queryset.order_by(rank, "-published_at")
    if orderby == "id":
        expression = Coalesce("wordpress_id", "pk")
        return queryset.order_by(
            expression.asc() if order == "asc" else expression.desc()
        )
    field = {"author": "author__display_name", "parent": "published_at"}.get(
        orderby
    ) or POST_ORDERING.get(orderby, "published_at")
    prefix = "" if order == "asc" else "-"
    return queryset.order_by(f"{prefix}{field}", f"{prefix}pk")


# Terms


def terms(taxonomy: str) -> QuerySet:
    """Categories or tags with the number of published articles each has."""
    published = Article.objects.published().values("pk")
    if taxonomy == "category":
        counts = (
            ArticleCategory.objects.filter(
                category=OuterRef("pk"), article__in=published
            )
            .order_by()
            .values("category")
            .annotate(total=Count("*"))
            .values("total")
        )
        queryset = Category.objects.select_related("parent")
    else:
        counts = (
            TaggedArticle.objects.filter(
                tag=OuterRef("pk"), content_object__in=published
            )
            .order_by()
            .values("tag")
            .annotate(total=Count("*"))
            .values("total")
        )
        queryset = Tag.objects.all()
    return queryset.annotate(post_count=Coalesce(Subquery(counts), 0))


def filter_terms(queryset: QuerySet, params: Params, *, taxonomy: str) -> QuerySet:
    if search := params.raw("search"):
        queryset = queryset.filter(
            Q(name__icontains=search) | Q(slug__icontains=search)
        )
    if slugs := params.string_list("slug"):
        queryset = queryset.filter(slug__in=slugs)
    if include := params.id_list("include"):
        queryset = queryset.filter(by_api_ids(include))
    if exclude := params.id_list("exclude"):
        queryset = queryset.exclude(by_api_ids(exclude))
    if params.boolean("hide_empty"):
        queryset = queryset.filter(post_count__gt=0)
    if (
        taxonomy == "category"
        and (parent := params.integer("parent", minimum=0)) is not None
    ):
        queryset = (
            queryset.filter(parent__isnull=True)
            if parent == 0
            else queryset.filter(
                parent__in=Category.objects.filter(by_api_ids([parent]))
            )
        )
    if (post_id := params.integer("post", minimum=1)) is not None:
        article = Article.objects.published().filter(by_api_ids([post_id])).first()
        if article is None:
            raise ApiError("rest_post_invalid_id", "Invalid post ID.", status=404)
        queryset = (
            queryset.filter(articles=article)
            if taxonomy == "category"
            else queryset.filter(tagged_articles__content_object=article)
        )
    order = params.choice("order", choices=("asc", "desc"), default="asc")
    orderby = params.choice(
        "orderby",
        choices=(
            "id",
            "include",
            "name",
            "slug",
            "include_slugs",
            "term_group",
            "description",
            "count",
        ),
        default="name",
    )
    if orderby == "include" and include:
        return queryset.order_by(api_id_order(include))
    field = {
        "id": Coalesce("wordpress_id", "pk"),
        "count": "post_count",
        "slug": "slug",
        "description": "description" if taxonomy == "category" else "name",
    }.get(orderby, "name")
    if isinstance(field, str):
        return queryset.order_by(field if order == "asc" else f"-{field}", "pk")
    return queryset.order_by(field.asc() if order == "asc" else field.desc())


# Users and media


def users() -> QuerySet[Author]:
    """Authors of published articles: WordPress shows no one else to the public."""
    return Author.objects.filter(
        pk__in=Article.objects.published().values("author")
    ).select_related("photo")


def filter_users(queryset: QuerySet[Author], params: Params) -> QuerySet[Author]:
    if search := params.raw("search"):
        queryset = queryset.filter(
            Q(display_name__icontains=search) | Q(slug__icontains=search)
        )
    if slugs := params.string_list("slug"):
        queryset = queryset.filter(slug__in=slugs)
    if include := params.id_list("include"):
        queryset = queryset.filter(by_api_ids(include))
    if exclude := params.id_list("exclude"):
        queryset = queryset.exclude(by_api_ids(exclude))
    order = params.choice("order", choices=("asc", "desc"), default="asc")
    orderby = params.choice(
        "orderby",
        choices=("id", "include", "name", "slug", "include_slugs"),
        default="name",
    )
    if orderby == "include" and include:
        return queryset.order_by(api_id_order(include))
    field = {"id": "wordpress_id", "slug": "slug"}.get(orderby, "display_name")
    return queryset.order_by(field if order == "asc" else f"-{field}", "pk")


def media() -> QuerySet[Image]:
    """Images a reader can see: featured in or shown by a published article."""
    published = Article.objects.published()
    return Image.objects.filter(
        Q(pk__in=published.values("featured_image"))
        | Q(
            pk__in=Article.body_images.through.objects.filter(
                article__in=published.values("pk")
            ).values("image")
        )
    ).prefetch_related("renditions")


def filter_media(queryset: QuerySet[Image], params: Params) -> QuerySet[Image]:
    if search := params.raw("search"):
        queryset = queryset.filter(
            Q(title__icontains=search)
            | Q(alt_text__icontains=search)
            | Q(caption__icontains=search)
        )
    if include := params.id_list("include"):
        queryset = queryset.filter(by_api_ids(include))
    if exclude := params.id_list("exclude"):
        queryset = queryset.exclude(by_api_ids(exclude))
    if parents := params.id_list("parent"):
        articles = Article.objects.published().filter(by_api_ids(parents))
        queryset = queryset.filter(
            Q(pk__in=articles.values("featured_image"))
            | Q(
                pk__in=Article.body_images.through.objects.filter(
                    article__in=articles.values("pk")
                ).values("image")
            )
        )
    order = params.choice("order", choices=("asc", "desc"), default="desc")
    orderby = params.choice(
        "orderby", choices=("date", "id", "include", "title"), default="date"
    )
    if orderby == "include" and include:
        return queryset.order_by(api_id_order(include))
    field = {"id": "wordpress_id", "title": "title"}.get(orderby, "created_at")
    return queryset.order_by(field if order == "asc" else f"-{field}", "pk")


def media_parents(images: Sequence[Image]) -> dict[int, int]:
    """Return, in one query, the API id of the published article each image features."""
    rows = (
        Article.objects.published()
        .filter(featured_image__in=[image.pk for image in images])
        .order_by("published_at")
        .values_list("featured_image", "wordpress_id", "pk")
    )
    parents: dict[int, int] = {}
    for image_pk, wordpress_id, pk in rows:
        parents.setdefault(image_pk, wordpress_id or pk)
    return parents
