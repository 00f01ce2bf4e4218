"""
The querysets behind the API, each starting from Article.objects.published()
or Page.objects.published(): what a reader may see is what the API may
return, and nothing else.
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
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

from articles import rendered
from articles.api.params import ApiError
from articles.models import (
    Article,
    Author,
    Category,
    Image,
    Page,
    Revision,
    Tag,
    TaggedArticle,
)
from articles.search import results as search_results

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
class ResultPage:
    """One page of a collection, with the totals of the whole."""

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
    count_key: str,
    past_last_page_is_error: bool = False,
) -> ResultPage:
    """
    Return one page and the totals WordPress sends as X-WP-Total and
    X-WP-TotalPages. Posts and media answer a page past the last with an
    error (WP_REST_Posts_Controller::get_items); terms and users do not.
    The total is counted once per content version under count_key, which
    names what the queryset selects (its SQL would not do: its "published
    by now" moment differs at every request).
    """
    total = rendered.once(f"api-count:{count_key}", queryset.count)
    total_pages = math.ceil(total / per_page) if total else 0
    if past_last_page_is_error and total and page > total_pages:
        raise ApiError(
            "rest_post_invalid_page_number",
            "The page number requested is larger than the number of pages available.",
            status=400,
        )
    # WordPress takes a negative offset as its absolute value, and page 0
    # (what (int) makes of page=1e309) as the first page (WP_Query's absint).
    start = abs(offset) if offset is not None else (max(page, 1) - 1) * per_page
    items = list(queryset[start : start + per_page]) if start < total else []
    return ResultPage(items=items, total=total, total_pages=total_pages, page=page)


# Posts

POST_ORDERING = {
    "date": "published_at",
    "modified": "updated_at",
    "title": "title",
    "slug": "slug",
    "author": "author__display_name",
    "parent": "published_at",  # Posts have no parent.
}


def posts() -> QuerySet[Article]:
    return (
        Article.objects.published()
        .select_related("author", "author__photo", "featured_image", "primary_category")
        .prefetch_related(
            Prefetch("categories", queryset=Category.objects.select_related("parent")),
            "tags",
            # For _embed's featured media, which shares a rendition, never the original.
            "featured_image__renditions",
        )
    )


# The columns of a post that only some of its fields read: left out of the
# query when _fields asks for none of them. The body is most of a row.
COLUMNS_READ_BY = {
    "body": ("content",),
    "wordpress_extra": (
        "comment_status",
        "ping_status",
        "template",
        "format",
        "meta",
        "class_list",
    ),
}


def for_fields(queryset: QuerySet, fields: Sequence[str]) -> QuerySet:
    """
    Defer the columns that none of the _fields asked for reads (all are
    read without _fields), of those the model (a post, a page) has.
    """
    asked = {field.partition(".")[0] for field in fields}
    own = {field.name for field in queryset.model._meta.concrete_fields}
    unread = [
        column
        for column, readers in COLUMNS_READ_BY.items()
        if asked and not asked & set(readers) and column in own
    ]
    return queryset.defer(*unread) if unread else queryset


def count_revisions(objects: Sequence) -> None:
    """Give each post or page its revision_total (WordPress's version-history count), in one query."""
    if not objects:
        return
    totals = dict(
        Revision.objects.filter(
            content_type=ContentType.objects.get_for_model(type(objects[0])),
            object_id__in=[obj.pk for obj in objects],
        )
        .order_by()
        .values("object_id")
        .annotate(total=Count("*"))
        .values_list("object_id", "total")
    )
    for obj in objects:
        obj.revision_total = totals.get(obj.pk, 0)


def _with_terms(through, column: str, model, ids: Sequence[int]) -> Q:
    """
    Articles with any of these categories or tags (by API id), asked of
    each article in turn: the list is then read in date order from
    article_date_idx and stops at its page, as an archive does.
    """
    article_column = "article_id" if through is ArticleCategory else "content_object_id"
    return Q(
        Exists(
            through.objects.filter(
                **{
                    article_column: OuterRef("pk"),
                    f"{column}__in": model.objects.filter(by_api_ids(ids)),
                }
            )
        )
    )


def filter_posts(queryset: QuerySet[Article], args: dict) -> QuerySet[Article]:
    """Apply WordPress's post collection parameters, already checked by read_args()."""
    queryset = _matching(queryset, args, search_in=("title", "excerpt", "body"))
    # Like WordPress's tax_query, the term conditions are joined by tax_relation.
    term_conditions = []
    for name, through, column, model in (
        ("categories", ArticleCategory, "category", Category),
        ("tags", TaggedArticle, "tag", Tag),
    ):
        if args[name]:
            term_conditions.append(_with_terms(through, column, model, args[name]))
        if args[f"{name}_exclude"]:
            term_conditions.append(
                ~_with_terms(through, column, model, args[f"{name}_exclude"])
            )
    if term_conditions:
        join = operator.or_ if args["tax_relation"] == "OR" else operator.and_
        queryset = queryset.filter(functools.reduce(join, term_conditions))
    if args["author"]:
        queryset = queryset.filter(
            author__in=Author.objects.filter(by_api_ids(args["author"]))
        )
    if args["author_exclude"]:
        queryset = queryset.exclude(
            author__in=Author.objects.filter(by_api_ids(args["author_exclude"]))
        )
    if args["sticky"] is not None:
        queryset = queryset.filter(sticky=args["sticky"])
    queryset = _dated(queryset, args, published="published_at", modified="updated_at")
    return _order(queryset, args, fields=POST_ORDERING, default="published_at")


def _matching(
    queryset: QuerySet, args: dict, *, search_in: Sequence[str], slug_field="slug"
) -> QuerySet:
    """Apply search, slug, include and exclude, which every collection takes."""
    if search := args["search"]:
        queryset = queryset.filter(
            functools.reduce(
                operator.or_,
                (Q(**{f"{name}__icontains": search}) for name in search_in),
            )
        )
    if slug_field and args.get("slug"):
        queryset = queryset.filter(**{f"{slug_field}__in": args["slug"]})
    if args["include"]:
        queryset = queryset.filter(by_api_ids(args["include"]))
    if args["exclude"]:
        queryset = queryset.exclude(by_api_ids(args["exclude"]))
    return queryset


def _in_listed_order(queryset: QuerySet, args: dict) -> QuerySet | None:
    """The queryset in the order include or slug lists, when orderby asks for it."""
    if args["orderby"] == "include" and args["include"]:
        return queryset.order_by(api_id_order(args["include"]))
    if args["orderby"] == "include_slugs" and args.get("slug"):
        return queryset.order_by(_position_in("slug", args["slug"]))
    return None


def _dated(queryset: QuerySet, args: dict, *, published: str, modified: str):
    """Apply after, before, modified_after and modified_before to the given date fields."""
    for name, lookup in (
        ("after", f"{published}__gt"),
        ("before", f"{published}__lt"),
        ("modified_after", f"{modified}__gt"),
        ("modified_before", f"{modified}__lt"),
    ):
        if args[name] is not None:
            queryset = queryset.filter(**{lookup: args[name]})
    return queryset


def _order(queryset: QuerySet, args: dict, *, fields: dict, default: str) -> QuerySet:
    """
    Order posts or media as WP_REST_Posts_Controller::get_items() does,
    with its two errors for an orderby that lacks what it orders by.
    """
    orderby, search = args["orderby"], args["search"]
    if orderby == "relevance" and not search:
        raise ApiError(
            "rest_no_search_term_defined",
            "You need to define a search term to order by relevance.",
            status=400,
        )
    if orderby == "include" and not args["include"]:
        raise ApiError(
            "rest_orderby_include_missing_include",
            "You need to define an include parameter to order by include.",
            status=400,
        )
    descending = args["order"] == "desc"
    if (listed := _in_listed_order(queryset, args)) is not None:
        return listed
    if orderby == "relevance":
        # WordPress ranks a match in the title above one in the text.
        rank = Case(
            When(title__icontains=search, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return queryset.order_by(rank, f"-{default}")
    field = Coalesce("wordpress_id", "pk") if orderby == "id" else fields.get(orderby)
    if field is not None and not isinstance(field, str):
        return queryset.order_by(
            field.desc() if descending else field.asc(),
            "-pk" if descending else "pk",
        )
    prefix = "-" if descending else ""
    return queryset.order_by(f"{prefix}{field or default}", f"{prefix}pk")


def _position_in(field: str, values: Sequence[str]) -> Case:
    return Case(
        *(When(**{field: value}, then=Value(n)) for n, value in enumerate(values)),
        output_field=IntegerField(),
    )


# Pages


def pages() -> QuerySet[Page]:
    return (
        Page.objects.published()
        .select_related("parent", "featured_image")
        .prefetch_related("featured_image__renditions")
    )


def shown_parent_id(page: Page) -> int:
    """
    The parent the API shows: its id, or 0 at the top level and under a
    parent no reader may see (which the API never reveals).
    """
    if page.parent_id is None or not page.parent.is_published:
        return 0
    return page.parent.wordpress_id or page.parent_id


def _with_shown_parent(ids: Sequence[int]) -> Q:
    """Pages whose shown parent (shown_parent_id()) has one of these ids."""
    published = Page.objects.published()
    condition = Q(parent__in=published.filter(by_api_ids([i for i in ids if i])))
    if 0 in ids:
        condition |= Q(parent__isnull=True) | ~Q(parent__in=published)
    return condition


def _page_ordering() -> dict:
    """What each orderby sorts pages by (read per request: "published" means now)."""
    return {
        "date": "published_at",
        "modified": "updated_at",
        "title": "title",
        "slug": "slug",
        "menu_order": "menu_order",
        # Every page is shown with author 0.
        "author": "published_at",
        "parent": Case(
            When(
                parent__in=Page.objects.published(),
                then=Coalesce("parent__wordpress_id", "parent_id"),
            ),
            default=Value(0),
            output_field=IntegerField(),
        ),
    }


def filter_pages(queryset: QuerySet[Page], args: dict) -> QuerySet[Page]:
    """Apply WordPress's page collection parameters, already checked by read_args()."""
    queryset = _matching(queryset, args, search_in=("title", "excerpt", "body"))
    if (args["author"] and 0 not in args["author"]) or 0 in args["author_exclude"]:
        queryset = queryset.none()
    if args["menu_order"] is not None:
        # WP_Query::parse_query() takes menu_order through absint().
        queryset = queryset.filter(menu_order=abs(args["menu_order"]))
    if args["parent"]:
        queryset = queryset.filter(_with_shown_parent(args["parent"]))
    if args["parent_exclude"]:
        queryset = queryset.exclude(_with_shown_parent(args["parent_exclude"]))
    queryset = _dated(queryset, args, published="published_at", modified="updated_at")
    return _order(queryset, args, fields=_page_ordering(), default="published_at")


# Search


def search_published_content(
    search: str,
    *,
    subtypes: Sequence[str],
    include: Sequence[int],
    exclude: Sequence[int],
) -> QuerySet:
    """
    What /wp/v2/search finds: published articles (subtype "post") and
    pages that the reader search's index matches (its stemming, every
    language), those with the search in the title first, then in the
    excerpt, then the others, the newest first within each; everything
    published, newest first, without a search. Rows of subtype, pk, rank
    and published_at, in one query to count and page through.
    """
    parts = []
    for subtype, model in (("post", Article), ("page", Page)):
        if "any" not in subtypes and subtype not in subtypes:
            continue
        found = model.objects.published()
        if search:
            found = search_results.matching(found, search)
        if include:
            found = found.filter(by_api_ids(include))
        if exclude:
            found = found.exclude(by_api_ids(exclude))
        rank = (
            Case(
                When(title__icontains=search, then=Value(0)),
                When(excerpt__icontains=search, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
            if search
            else Value(0, output_field=IntegerField())
        )
        parts.append(
            found.order_by()  # A part of a UNION has no order of its own.
            .annotate(subtype=Value(subtype, output_field=CharField()), rank=rank)
            .values("subtype", "pk", "rank", "published_at")
        )
    first, *others = parts
    combined = first.union(*others, all=True) if others else first
    return combined.order_by("rank", "-published_at", "subtype", "-pk")


def search_hits(rows: Sequence[dict]) -> list[tuple[str, Article | Page]]:
    """The (subtype, article or page) of search rows, in their order, a query per subtype."""
    found = {
        "post": Article.objects.published()
        .select_related("primary_category")
        .in_bulk([row["pk"] for row in rows if row["subtype"] == "post"]),
        "page": Page.objects.published()
        .select_related("parent")
        .in_bulk([row["pk"] for row in rows if row["subtype"] == "page"]),
    }
    return [
        (row["subtype"], found[row["subtype"]][row["pk"]])
        for row in rows
        if row["pk"] in found[row["subtype"]]
    ]


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


def filter_terms(queryset: QuerySet, args: dict, *, taxonomy: str) -> QuerySet:
    language = args.get("lang")  # Categories only: their slugs are per language.
    queryset = _matching(
        queryset,
        args,
        search_in=("name", "slug"),
        slug_field=None if language else "slug",
    )
    if language and args.get("slug"):
        queryset = queryset.filter(
            functools.reduce(
                operator.or_,
                (Category.slug_lookup(slug, language) for slug in args["slug"]),
            )
        )
    if args["hide_empty"]:
        queryset = queryset.filter(post_count__gt=0)
    parent = args.get("parent")  # Categories only: tags have no parent.
    if parent == 0:
        queryset = queryset.filter(parent__isnull=True)
    elif parent:
        queryset = queryset.filter(
            parent__in=Category.objects.filter(by_api_ids([parent]))
        )
    if args["post"]:
        # WP_REST_Terms_Controller::get_items_permissions_check(). A post no
        # reader may see is answered as one that does not exist.
        article = Article.objects.published().filter(by_api_ids([args["post"]])).first()
        if article is None:
            raise ApiError("rest_post_invalid_id", "Invalid post ID.", status=400)
        queryset = (
            queryset.filter(articles=article)
            if taxonomy == "category"
            else queryset.filter(tagged_articles__content_object=article)
        )
    if (listed := _in_listed_order(queryset, args)) is not None:
        return listed
    orderby, ascending = args["orderby"], args["order"] == "asc"
    field = {
        "id": Coalesce("wordpress_id", "pk"),
        "count": "post_count",
        "slug": "slug",
        "description": "description" if taxonomy == "category" else "name",
    }.get(orderby, "name")
    if isinstance(field, str):
        return queryset.order_by(field if ascending else f"-{field}", "pk")
    return queryset.order_by(field.asc() if ascending else field.desc())


# Users and media


def users() -> QuerySet[Author]:
    """Authors of published articles: WordPress shows no one else to the public."""
    return Author.objects.filter(
        pk__in=Article.objects.published().values("author")
    ).select_related("photo")


def filter_users(queryset: QuerySet[Author], args: dict) -> QuerySet[Author]:
    queryset = _matching(queryset, args, search_in=("display_name", "slug"))
    if (listed := _in_listed_order(queryset, args)) is not None:
        return listed
    orderby, ascending = args["orderby"], args["order"] == "asc"
    field = {"id": "wordpress_id", "slug": "slug", "url": "website"}.get(
        orderby, "display_name"
    )
    return queryset.order_by(field if ascending else f"-{field}", "pk")


def media() -> QuerySet[Image]:
    """Images a reader can see: featured in or shown by a published article or page."""
    return Image.objects.filter(
        _shown_by(Article.objects.published()) | _shown_by(Page.objects.published())
    ).prefetch_related("renditions")


def _shown_by(content: QuerySet[Article] | QuerySet[Page]) -> Q:
    """Images featured in or shown by these articles (or pages)."""
    owner = content.model._meta.model_name
    return Q(pk__in=content.values("featured_image")) | Q(
        pk__in=content.model.body_images.through.objects.filter(
            **{f"{owner}__in": content.values("pk")}
        ).values("image")
    )


MEDIA_ORDERING = {
    "title": "title",
    "slug": "file",  # A medium's slug is its file's name.
    # An image's date is its upload; it has no author or parent of its own.
    "date": "created_at",
    "modified": "created_at",
    "author": "created_at",
    "parent": "created_at",
}


def filter_media(queryset: QuerySet[Image], args: dict) -> QuerySet[Image]:
    # A medium's slug is not filtered on: an image here has none of its own.
    queryset = _matching(
        queryset, args, search_in=("title", "alt_text", "caption"), slug_field=None
    )
    for name, keep in (("parent", True), ("parent_exclude", False)):
        if not args[name]:
            continue
        parents = _shown_by(
            Article.objects.published().filter(by_api_ids(args[name]))
        ) | _shown_by(Page.objects.published().filter(by_api_ids(args[name])))
        queryset = queryset.filter(parents) if keep else queryset.exclude(parents)
    # Every image here is shown with author 0 and media_type "image".
    if (args["author"] and 0 not in args["author"]) or 0 in args["author_exclude"]:
        queryset = queryset.none()
    if args["media_type"] and "image" not in args["media_type"]:
        queryset = queryset.none()
    # A library image has one date: uploaded is also last modified.
    queryset = _dated(queryset, args, published="created_at", modified="created_at")
    return _order(queryset, args, fields=MEDIA_ORDERING, default="created_at")


def media_parents(images: Sequence[Image]) -> dict[int, int]:
    """
    Return the API id of the published article (else page) each image
    features: a query for the articles, and one for the pages when some
    image is featured by no article.
    """
    parents: dict[int, int] = {}
    for model in (Article, Page):
        unknown = [image.pk for image in images if image.pk not in parents]
        if not unknown:
            break
        rows = (
            model.objects.published()
            .filter(featured_image__in=unknown)
            .order_by("published_at")
            .values_list("featured_image", "wordpress_id", "pk")
        )
        for image_pk, wordpress_id, pk in rows:
            parents.setdefault(image_pk, wordpress_id or pk)
    return parents
