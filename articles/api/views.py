"""
A read-only WordPress REST API (wp/v2) at /wp-json/: posts, pages,
categories, tags, media, users and search, with WordPress's parameters,
headers and errors. Writes answer as WordPress answers a visitor who is
not logged in.

Each collection is described once, as a Resource; the same list view and
item view serve them all, in the order WP_REST_Server::dispatch() works:
parameters first, then the permission checks, then the query.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model, QuerySet
from django.http import HttpResponse
from django.urls import re_path
from django.utils.cache import get_conditional_response, set_response_etag
from django.views.decorators.csrf import csrf_exempt

from articles import site_settings
from articles.api import params, queries, serializers
from articles.api.params import (
    ApiError,
    Arg,
    Refusal,
    parse_list,
    php_params,
    read_args,
)
from articles.api.serializers import API_ROOT, NAMESPACE

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "OPTIONS, GET, HEAD",
    "Access-Control-Allow-Headers": "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type",
    "Access-Control-Expose-Headers": "X-WP-Total, X-WP-TotalPages, Link",
}
READ_METHODS = ("GET", "HEAD")
EDIT_METHODS = ("POST", "PUT", "PATCH")  # WP_REST_Server::EDITABLE
NO_ROUTE = Refusal(
    "rest_no_route",
    "No route was found matching the URL and request method.",
    status=404,
)
# What WordPress says when it cannot reach its database (wpdb's error code,
# dead_db()'s words); answered as 503 rather than WordPress's 500, so that
# clients and load balancers retry (see articles.views.server_error).
DATABASE_UNAVAILABLE = Refusal(
    "db_connect_fail", "Error establishing a database connection", status=503
)
# WP_Fatal_Error_Handler's answer to a JSON request.
CRITICAL_ERROR = Refusal(
    "internal_server_error",
    "There has been a critical error on this website.",
    status=500,
)


def wordpress_method(request) -> str:
    """
    The method WordPress acts on: ?_method= or an X-HTTP-Method-Override
    header replaces the request's own (WP_REST_Server::serve_request), so a
    client that tunnels a DELETE through GET is refused like a DELETE.
    """
    if "_method" in request.GET:
        return request.GET["_method"].upper()
    return request.headers.get("X-HTTP-Method-Override", request.method).upper()


def endpoint(view):
    """
    Call view(request, method, ...) and answer with JSON plus CORS headers;
    OPTIONS with the CORS headers alone. ApiError becomes WordPress's error
    object. A successful read gets an ETag, and a 304 when the client has it.
    """

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        method = wordpress_method(request)
        if method == "OPTIONS":
            response = HttpResponse()
            response["Allow"] = "GET"
        else:
            try:
                response = view(request, method, *args, **kwargs)
            except ApiError as error:
                response = error.response()
        for name, value in CORS_HEADERS.items():
            response[name] = value
        if method in READ_METHODS and response.status_code == 200:
            set_response_etag(response)
            answer = get_conditional_response(
                request, etag=response["ETag"], response=response
            )
            if answer is not response:
                for name in CORS_HEADERS:
                    answer[name] = response[name]
            return answer
        return response

    return wrapper


def failure_response(refusal: Refusal) -> HttpResponse:
    """
    A request the site could not serve, as WordPress's wp_die() answers a
    JSON request (_json_wp_die_handler). Needs no database.
    """
    response = json_response(
        {
            "code": refusal.code,
            "message": refusal.message,
            "data": {"status": refusal.status},
            "additional_errors": [],
        },
        status=refusal.status,
    )
    for name, value in CORS_HEADERS.items():
        response[name] = value
    return response


def json_response(data, *, status: int = 200) -> HttpResponse:
    return HttpResponse(
        json.dumps(
            data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")
        ),
        content_type="application/json; charset=UTF-8",
        status=status,
    )


def _site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def _query_args(request, args: dict[str, Arg]) -> dict:
    return read_args([php_params(request.GET)], args)


def _write_args(request, args: dict[str, Arg]) -> dict:
    """A write's parameters: JSON or form body first, then the query string."""
    return read_args(
        [*params.request_body_params(request), php_params(request.GET)], args
    )


def _fields(request) -> list[str]:
    """_fields, as rest_filter_response_fields() reads it."""
    value = php_params(request.GET).get("_fields")
    return parse_list(value) if value is not None else []


EMBEDDABLE = frozenset({"author", "up", "wp:featuredmedia", "wp:term"})


def _embed(request) -> frozenset[str]:
    """The relations _embed asks for, as rest_parse_embed_param() reads it."""
    if "_embed" not in request.GET and "_embed[]" not in request.GET:
        return frozenset()
    value = php_params(request.GET)["_embed"]
    relations = [] if value in ("true", "1") else parse_list(value)
    return EMBEDDABLE & set(relations) if relations else EMBEDDABLE


class Resource:
    """
    One collection of the API: what it shows (always a published-only
    queryset), the parameters it registers, how an item is serialized, and
    the errors WordPress's controller for it gives a visitor.
    """

    route: str
    collection_args: dict[str, Arg]
    item_args: dict[str, Arg] = params.ITEM
    delete_args: dict[str, Arg] = params.DELETE
    past_last_page_is_error = False
    not_found: Refusal
    cannot_create: Refusal
    cannot_edit: Refusal
    cannot_delete: Refusal
    # context=edit asks for fields only editors may see.
    edit_context_refused: Refusal
    edit_context_refused_for_item: Refusal

    def queryset(self) -> QuerySet:
        raise NotImplementedError

    def narrowed(self, queryset: QuerySet, fields: Sequence[str]) -> QuerySet:
        """The queryset reading only what these _fields show (all of it without _fields)."""
        return queryset

    def filter(self, queryset: QuerySet, args: dict) -> QuerySet:
        raise NotImplementedError

    def serialize(self, items: Sequence[Model], *, embed: frozenset[str]) -> list[dict]:
        raise NotImplementedError

    def shown(self, items: Sequence[Model], args: dict) -> Sequence[Model]:
        """The items as the request's parameters ask to show them (by default, as they are)."""
        return items

    def check_collection_access(self, args: dict) -> None:
        """The controller's get_items_permissions_check()."""
        if args["context"] == "edit":
            raise self.edit_context_refused.error()

    def check_item_access(self, args: dict) -> None:
        """The controller's get_item_permissions_check(), once the item is found."""
        if args["context"] == "edit":
            raise self.edit_context_refused_for_item.error()

    def matching(self, pk: int, *, fields: Sequence[str] = ()) -> QuerySet:
        return (
            self.narrowed(self.queryset(), fields)
            .filter(queries.by_api_ids([pk]))
            .order_by("-wordpress_id")
        )

    def get(self, pk: int, *, fields: Sequence[str] = ()) -> Model:
        item = self.matching(pk, fields=fields).first()
        if item is None:
            raise self.not_found.error()
        return item

    def check_exists(self, pk: int) -> None:
        """What a write checks first: the item, before the permission to change it."""
        if not self.matching(pk).exists():
            raise self.not_found.error()


class Posts(Resource):
    """WP_REST_Posts_Controller."""

    route = "posts"
    collection_args = params.POSTS
    item_args = params.POST_ITEM
    past_last_page_is_error = True
    not_found = Refusal("rest_post_invalid_id", "Invalid post ID.", status=404)
    cannot_create = Refusal(
        "rest_cannot_create", "Sorry, you are not allowed to create posts as this user."
    )
    cannot_edit = Refusal(
        "rest_cannot_edit", "Sorry, you are not allowed to edit this post."
    )
    cannot_delete = Refusal(
        "rest_cannot_delete", "Sorry, you are not allowed to delete this post."
    )
    edit_context_refused = Refusal(
        "rest_forbidden_context",
        "Sorry, you are not allowed to edit posts in this post type.",
    )
    edit_context_refused_for_item = Refusal(
        "rest_forbidden_context", "Sorry, you are not allowed to edit this post."
    )

    def queryset(self) -> QuerySet:
        return queries.posts()

    def narrowed(self, queryset: QuerySet, fields: Sequence[str]) -> QuerySet:
        return queries.for_fields(queryset, fields)

    def filter(self, queryset: QuerySet, args: dict) -> QuerySet:
        return queries.filter_posts(queryset, args)

    def serialize(self, items, *, embed):
        queries.count_revisions(items)
        return [_post_data(article, embed=embed) for article in items]

    def check_item_access(self, args: dict) -> None:
        super().check_item_access(args)
        # No post here has a password, so any password given is wrong.
        if args.get("password"):
            raise Refusal(
                "rest_post_incorrect_password", "Incorrect post password.", status=403
            ).error()


class Pages(Posts):
    """WP_REST_Posts_Controller for the page type: its refusals are the posts'."""

    route = "pages"
    collection_args = params.PAGES

    def queryset(self) -> QuerySet:
        return queries.pages()

    def filter(self, queryset: QuerySet, args: dict) -> QuerySet:
        return queries.filter_pages(queryset, args)

    def serialize(self, items, *, embed):
        site_url = _site_url()
        parents = (
            {
                parent.pk: parent
                for parent in queries.pages().filter(
                    pk__in=[page.parent_id for page in items]
                )
            }
            if "up" in embed
            else {}
        )
        queries.count_revisions([*items, *parents.values()])
        data = [
            serializers.page(
                page, site_url=site_url, parent_id=queries.shown_parent_id(page)
            )
            for page in items
        ]
        for page, page_data in zip(items, data, strict=True):
            embedded = {}
            if page.parent_id in parents:
                parent = parents[page.parent_id]
                embedded["up"] = [
                    serializers.embed(
                        serializers.page(
                            parent,
                            site_url=site_url,
                            parent_id=queries.shown_parent_id(parent),
                        ),
                        kind="page",
                    )
                ]
            if "wp:featuredmedia" in embed and page.featured_image_id:
                embedded["wp:featuredmedia"] = [
                    _embedded_media(page.featured_image, parent=page_data["id"])
                ]
            if embedded:
                page_data["_embedded"] = embedded
        return data


class Media(Posts):
    """WP_REST_Attachments_Controller, which extends the posts controller."""

    route = "media"
    collection_args = params.MEDIA
    item_args = params.ITEM

    def queryset(self) -> QuerySet:
        return queries.media()

    def filter(self, queryset: QuerySet, args: dict) -> QuerySet:
        return queries.filter_media(queryset, args)

    def serialize(self, items, *, embed):
        parents = queries.media_parents(items)
        return [
            serializers.media(image, site_url=_site_url(), parent=parents.get(image.pk))
            for image in items
        ]


class Terms(Resource):
    """WP_REST_Terms_Controller, for one taxonomy."""

    not_found = Refusal("rest_term_invalid", "Term does not exist.", status=404)
    cannot_create = Refusal(
        "rest_cannot_create",
        "Sorry, you are not allowed to create terms in this taxonomy.",
    )
    cannot_edit = Refusal(
        "rest_cannot_update", "Sorry, you are not allowed to edit this term."
    )
    cannot_delete = Refusal(
        "rest_cannot_delete", "Sorry, you are not allowed to delete this term."
    )
    edit_context_refused = Refusal(
        "rest_forbidden_context",
        "Sorry, you are not allowed to edit terms in this taxonomy.",
    )
    edit_context_refused_for_item = Refusal(
        "rest_forbidden_context", "Sorry, you are not allowed to edit this term."
    )

    def __init__(self, route: str, *, taxonomy: str, collection_args: dict[str, Arg]):
        self.route, self.taxonomy, self._collection_args = (
            route,
            taxonomy,
            collection_args,
        )

    @property
    def collection_args(self) -> dict[str, Arg]:
        return self._collection_args

    def queryset(self) -> QuerySet:
        return queries.terms(self.taxonomy)

    def filter(self, queryset: QuerySet, args: dict) -> QuerySet:
        return queries.filter_terms(queryset, args, taxonomy=self.taxonomy)

    def serialize(self, items, *, embed):
        return [
            serializers.term(
                item,
                taxonomy=self.taxonomy,
                count=item.post_count,
                site_url=_site_url(),
            )
            for item in items
        ]


class Categories(Terms):
    """
    The categories, with Polylang's ?lang=: each category's name, slug and
    link as readers of that language see them (Category.translations).
    """

    def __init__(self):
        super().__init__(
            "categories", taxonomy="category", collection_args=params.CATEGORIES
        )

    @property
    def collection_args(self) -> dict[str, Arg]:
        return params.with_language(super().collection_args)

    @property
    def item_args(self) -> dict[str, Arg]:
        return params.with_language(params.ITEM)

    def shown(self, items, args):
        language = args.get("lang")
        return [_in_language(item, language) for item in items] if language else items


def _in_language(category, language):
    """
    A copy of category with its name, slug and link in language. Not
    Category.as_shown_in(): that shows the parents too, a query up each
    chain, and the API names a parent by its id only.
    """
    shown = copy.copy(category)
    shown.name, shown.slug = category.name_in(language), category.slug_in(language)
    shown.shown_language = language
    return shown


class Users(Resource):
    """WP_REST_Users_Controller."""

    route = "users"
    collection_args = params.USERS
    delete_args = params.DELETE_USER
    not_found = Refusal("rest_user_invalid_id", "Invalid user ID.", status=404)
    cannot_create = Refusal(
        "rest_cannot_create_user", "Sorry, you are not allowed to create new users."
    )
    cannot_edit = Refusal(
        "rest_cannot_edit", "Sorry, you are not allowed to edit this user."
    )
    cannot_delete = Refusal(
        "rest_user_cannot_delete", "Sorry, you are not allowed to delete this user."
    )
    edit_context_refused = Refusal(
        "rest_forbidden_context", "Sorry, you are not allowed to list users."
    )
    edit_context_refused_for_item = Refusal(
        "rest_user_cannot_view", "Sorry, you are not allowed to list users."
    )

    def queryset(self) -> QuerySet:
        return queries.users()

    def filter(self, queryset: QuerySet, args: dict) -> QuerySet:
        return queries.filter_users(queryset, args)

    def serialize(self, items, *, embed):
        return [serializers.user(author, site_url=_site_url()) for author in items]

    def check_collection_access(self, args: dict) -> None:
        # In the order of WP_REST_Users_Controller::get_items_permissions_check().
        if args["roles"]:
            raise Refusal(
                "rest_user_cannot_view",
                "Sorry, you are not allowed to filter users by role.",
            ).error()
        if args["capabilities"]:
            raise Refusal(
                "rest_user_cannot_view",
                "Sorry, you are not allowed to filter users by capability.",
            ).error()
        super().check_collection_access(args)
        if args["orderby"] in ("email", "registered_date"):
            raise Refusal(
                "rest_forbidden_orderby",
                "Sorry, you are not allowed to order users by this parameter.",
            ).error()
        if args["who"] == "authors":
            raise Refusal(
                "rest_forbidden_who",
                "Sorry, you are not allowed to query users by this parameter.",
            ).error()


POSTS, MEDIA, USERS = Posts(), Media(), Users()
RESOURCES = (
    POSTS,
    Pages(),
    Categories(),
    Terms("tags", taxonomy="post_tag", collection_args=params.TAGS),
    MEDIA,
    USERS,
)


def collection_view(resource: Resource):
    """/wp/v2/<route>: the list, or WordPress's refusal to create."""

    @endpoint
    def view(request, method):
        if method in READ_METHODS:
            return _list(request, resource)
        if method == "POST":
            params.request_body_params(
                request
            )  # A body that does not parse comes first.
            raise resource.cannot_create.error()
        raise NO_ROUTE.error()

    return view


def item_view(resource: Resource):
    """/wp/v2/<route>/<id>: one item, or WordPress's refusal to change it."""

    @endpoint
    def view(request, method, pk):
        pk = params.php_int(pk)
        if method in READ_METHODS:
            args = _query_args(request, resource.item_args)
            item = resource.get(pk, fields=_fields(request))
            resource.check_item_access(args)
            data = resource.serialize(
                resource.shown([item], args), embed=_embed(request)
            )[0]
            return json_response(serializers.select_fields(data, _fields(request)))
        if method in EDIT_METHODS:
            params.request_body_params(request)
            resource.check_exists(pk)
            raise resource.cannot_edit.error()
        if method == "DELETE":
            _write_args(request, resource.delete_args)
            resource.check_exists(pk)
            raise resource.cannot_delete.error()
        raise NO_ROUTE.error()

    return view


def _list(request, resource: Resource) -> HttpResponse:
    args = _query_args(request, resource.collection_args)
    resource.check_collection_access(args)
    fields = _fields(request)
    page = queries.paginate(
        resource.filter(resource.narrowed(resource.queryset(), fields), args),
        page=args["page"],
        per_page=args["per_page"],
        offset=args.get("offset"),
        count_key=_count_key(resource.route, args),
        past_last_page_is_error=resource.past_last_page_is_error,
    )
    items = [
        serializers.select_fields(data, fields)
        for data in resource.serialize(
            resource.shown(page.items, args), embed=_embed(request)
        )
    ]
    return _collection_response(request, items, page)


def _count_key(route: str, args: dict) -> str:
    """
    What a list selects, for counting it once per content version: its route
    and its arguments but the page's. Nothing else decides it, as every
    route shows published content only, the same to everyone.
    """
    selecting = {
        name: value
        for name, value in args.items()
        if name not in ("page", "per_page", "offset")
    }
    return f"{route}:{sorted(selecting.items())!r}"


def _collection_response(
    request, items: list, page: queries.ResultPage
) -> HttpResponse:
    response = json_response(items)
    response["X-WP-Total"] = str(page.total)
    response["X-WP-TotalPages"] = str(page.total_pages)
    base = f"{_site_url()}{request.path}"
    links = []
    query = request.GET.copy()
    if page.page > 1 and page.total_pages:
        query["page"] = str(min(page.page - 1, page.total_pages))
        links.append(f'<{base}?{query.urlencode()}>; rel="prev"')
    if page.page < page.total_pages:
        query["page"] = str(page.page + 1)
        links.append(f'<{base}?{query.urlencode()}>; rel="next"')
    if links:
        response["Link"] = ", ".join(links)
    return response


def _post_data(article, *, embed: frozenset[str]) -> dict[str, Any]:
    site_url = _site_url()
    data = serializers.post(article, site_url=site_url)
    embedded = {}
    if "author" in embed and article.author_id:
        embedded["author"] = [
            serializers.embed(
                serializers.user(article.author, site_url=site_url), kind="user"
            )
        ]
    if "wp:featuredmedia" in embed and article.featured_image_id:
        embedded["wp:featuredmedia"] = [
            _embedded_media(
                article.featured_image, parent=data["id"], author=data["author"]
            )
        ]
    if "wp:term" in embed:
        embedded["wp:term"] = [
            [
                serializers.embed(
                    serializers.term(
                        category, taxonomy="category", count=0, site_url=site_url
                    ),
                    kind="term",
                )
                for category in serializers.in_term_order(article.categories.all())
            ],
            [
                serializers.embed(
                    serializers.term(
                        tag, taxonomy="post_tag", count=0, site_url=site_url
                    ),
                    kind="term",
                )
                for tag in serializers.in_term_order(article.tags.all())
            ],
        ]
    # WP_REST_Server::embed_links() adds _embedded only when something was embedded.
    if embedded:
        data["_embedded"] = embedded
    return data


def _embedded_media(image, *, parent: int, author: int = 0) -> dict[str, Any]:
    return serializers.embed(
        serializers.media(image, site_url=_site_url(), parent=parent, author=author),
        kind="media",
    )


@endpoint
def search(request, method):
    """
    /wp/v2/search: WP_REST_Search_Controller with the post search handler,
    over published articles and pages (queries.search_published_content()).
    Anyone may search (get_items_permission_check()); only GET is routed.
    """
    if method not in READ_METHODS:
        raise NO_ROUTE.error()
    args = _query_args(request, params.SEARCH)
    page = queries.paginate(
        queries.search_published_content(
            args["search"] or "",
            subtypes=args["subtype"],
            include=args["include"],
            exclude=args["exclude"],
        ),
        page=args["page"],
        per_page=args["per_page"],
        offset=None,
        count_key=_count_key("search", args),
    )
    if page.total and args["page"] > page.total_pages:
        raise ApiError(
            "rest_search_invalid_page_number",
            "The page number requested is larger than the number of pages available.",
            status=400,
        )
    fields = _fields(request)
    items = [
        serializers.select_fields(
            serializers.search_result(found, subtype=subtype, site_url=_site_url()),
            fields,
        )
        for subtype, found in queries.search_hits(page.items)
    ]
    return _collection_response(request, items, page)


@endpoint
def current_user(request, method):
    """
    /wp/v2/users/me. A visitor is no one: reading it is refused, and a write
    looks for user 0, which does not exist (WP_REST_Users_Controller).
    """
    if method in READ_METHODS:
        _query_args(request, params.ITEM)
        raise Refusal("rest_not_logged_in", "You are not currently logged in.").error()
    if method in EDIT_METHODS:
        params.request_body_params(request)
        raise USERS.not_found.error()
    if method == "DELETE":
        _write_args(request, params.DELETE_USER)
        raise USERS.not_found.error()
    raise NO_ROUTE.error()


def urls() -> list:
    """The routes WordPress registers for each resource."""
    return [
        re_path(r"^wp/v2/users/me/?$", current_user, name="current-user"),
        re_path(r"^wp/v2/search/?$", search, name="search"),
        *(
            pattern
            for resource in RESOURCES
            for pattern in (
                re_path(
                    rf"^wp/v2/{resource.route}/?$",
                    collection_view(resource),
                    name=resource.route,
                ),
                re_path(
                    rf"^wp/v2/{resource.route}/(?P<pk>\d+)/?$",
                    item_view(resource),
                    name=f"{resource.route}-item",
                ),
            )
        ),
    ]


def _routes(site_url: str) -> dict:
    paths = [
        path
        for resource in RESOURCES
        for path in (
            f"/{NAMESPACE}/{resource.route}",
            f"/{NAMESPACE}/{resource.route}/(?P<id>[\\d]+)",
        )
    ]
    # WordPress registers the users' "me" route, then the search controller's.
    paths += [f"/{NAMESPACE}/users/me", f"/{NAMESPACE}/search"]
    routes = {}
    for path in paths:
        routes[path] = {
            "namespace": NAMESPACE,
            "methods": ["GET"],
            "endpoints": [{"methods": ["GET"], "args": {}}],
        }
        if "(?P" not in path:
            routes[path]["_links"] = {
                "self": [{"href": f"{site_url}{API_ROOT}{path.lstrip('/')}"}]
            }
    return routes


@endpoint
def index(request, method):
    if method not in READ_METHODS:
        raise NO_ROUTE.error()
    site_url = _site_url()
    return json_response(
        {
            "name": site_settings.current().name,
            "description": site_settings.current().tagline,
            "url": site_url,
            "home": site_url,
            "gmt_offset": 0,
            "timezone_string": settings.TIME_ZONE,
            "namespaces": [NAMESPACE],
            "authentication": {},
            "routes": {
                "/": {
                    "namespace": "",
                    "methods": ["GET"],
                    "endpoints": [{"methods": ["GET"], "args": {}}],
                    "_links": {"self": [{"href": f"{site_url}{API_ROOT}"}]},
                },
                f"/{NAMESPACE}": {
                    "namespace": NAMESPACE,
                    "methods": ["GET"],
                    "endpoints": [{"methods": ["GET"], "args": {}}],
                    "_links": {"self": [{"href": f"{site_url}{API_ROOT}{NAMESPACE}"}]},
                },
                **_routes(site_url),
            },
            "_links": {"help": [{"href": "https://developer.wordpress.org/rest-api/"}]},
        }
    )


@endpoint
def namespace_index(request, method):
    if method not in READ_METHODS:
        raise NO_ROUTE.error()
    return json_response(
        {
            "namespace": NAMESPACE,
            "routes": _routes(_site_url()),
            "_links": {"up": [{"href": f"{_site_url()}{API_ROOT}"}]},
        }
    )


@endpoint
def no_route(request, method, rest=""):
    raise NO_ROUTE.error()
