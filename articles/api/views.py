"""
A read-only WordPress REST API (wp/v2) at /wp-json/: posts, categories,
tags, media and users, with WordPress's parameters, headers and errors.
Writes answer 401, as WordPress does for a visitor who is not logged in.
"""

from __future__ import annotations

import functools
import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import quote_etag
from django.views.decorators.csrf import csrf_exempt

from articles.api import queries, serializers
from articles.api.params import ApiError, Params
from articles.api.serializers import API_ROOT, NAMESPACE

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "OPTIONS, GET, HEAD",
    "Access-Control-Allow-Headers": "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type",
    "Access-Control-Expose-Headers": "X-WP-Total, X-WP-TotalPages, Link",
}
WRITE_ERRORS = {
    # (method, on an item): WordPress's code and message for a visitor.
    ("POST", False): (
        "rest_cannot_create",
        "Sorry, you are not allowed to create {kind} as this user.",
    ),
    ("POST", True): (
        "rest_cannot_edit",
        "Sorry, you are not allowed to edit this {item}.",
    ),
    ("PUT", True): (
        "rest_cannot_edit",
        "Sorry, you are not allowed to edit this {item}.",
    ),
    ("PATCH", True): (
        "rest_cannot_edit",
        "Sorry, you are not allowed to edit this {item}.",
    ),
    ("DELETE", True): (
        "rest_cannot_delete",
        "Sorry, you are not allowed to delete this {item}.",
    ),
}
ITEM_NAMES = {
    "posts": "post",
    "media": "post",
    "categories": "term",
    "tags": "term",
    "users": "user",
}


def endpoint(view):
    """
    Answer GET and HEAD with JSON plus CORS headers and an ETag (304 when
    the client has it); OPTIONS with the CORS headers; anything else with
    WordPress's 401. ApiError becomes WordPress's error object.
    """

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse()
            response["Allow"] = "GET"
        elif request.method not in ("GET", "HEAD"):
            response = write_refused(
                request.method, route=kwargs.get("route", ""), on_item="pk" in kwargs
            ).response()
        else:
            try:
                response = view(request, *args, **kwargs)
            except ApiError as error:
                response = error.response()
        for name, value in CORS_HEADERS.items():
            response[name] = value
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
            response["ETag"] = etag
            match = request.headers.get("If-None-Match", "")
            if (
                etag in [tag.strip() for tag in match.split(",")]
                or match.strip() == "*"
            ):
                not_modified = HttpResponseNotModified()
                for name in ("ETag", *CORS_HEADERS):
                    not_modified[name] = response[name]
                return not_modified
        return response

    return wrapper


def write_refused(method: str, *, route: str, on_item: bool) -> ApiError:
    code, message = WRITE_ERRORS.get(
        (method, on_item),
        ("rest_no_route", "No route was found matching the URL and request method."),
    )
    status = 404 if code == "rest_no_route" else 401
    return ApiError(
        code,
        message.format(kind=route, item=ITEM_NAMES.get(route, "post")),
        status=status,
    )


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


def _collection_response(request, items, page: queries.Page, *, per_page: int):
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


def _fields(params: Params) -> list[str]:
    return params.string_list("_fields")


def _embed(params: Params) -> set[str] | None:
    """Return the relations to embed (all when _embed has no value), or None."""
    if "_embed" not in params.query:
        return None
    every = {"author", "wp:featuredmedia", "wp:term"}
    # "_embed=1" or a bare "_embed" embeds everything; "_embed=author" only that.
    return set(params.string_list("_embed")) & every or every


def _post_data(article, *, params: Params, embed: set[str] | None) -> dict:
    site_url = _site_url()
    data = serializers.post(article, site_url=site_url)
    if embed:
        embedded = {}
        if "author" in embed and article.author_id:
            embedded["author"] = [
                serializers.embed(
                    serializers.user(article.author, site_url=site_url), kind="user"
                )
            ]
        if "wp:featuredmedia" in embed and article.featured_image_id:
            embedded["wp:featuredmedia"] = [
                serializers.embed(
                    serializers.media(
                        article.featured_image,
                        site_url=site_url,
                        parent=data["id"],
                        author=data["author"],
                    ),
                    kind="media",
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
                    for category in serializers.ordered_categories(article)
                ],
                [
                    serializers.embed(
                        serializers.term(
                            tag, taxonomy="post_tag", count=0, site_url=site_url
                        ),
                        kind="term",
                    )
                    for tag in sorted(article.tags.all(), key=lambda tag: tag.name)
                ],
            ]
        data["_embedded"] = embedded
    return serializers.select_fields(data, _fields(params))


@endpoint
def post_list(request, route="posts"):
    params = Params(request.GET)
    page_number = params.integer("page", default=1, minimum=1)
    per_page = params.per_page()
    offset = params.integer("offset", minimum=0)
    queryset = queries.filter_posts(queries.posts(), params)
    params.check()
    page = queries.paginate(
        queryset,
        page=page_number,
        per_page=per_page,
        offset=offset,
        error_past_last="rest_post_invalid_page_number",
    )
    embed = _embed(params)
    items = [_post_data(article, params=params, embed=embed) for article in page.items]
    return _collection_response(request, items, page, per_page=per_page)


@endpoint
def post_detail(request, pk, route="posts"):
    pk = int(pk)
    params = Params(request.GET)
    article = (
        queries.posts()
        .filter(queries.by_api_ids([pk]))
        .order_by("-wordpress_id")
        .first()
    )
    if article is None:
        raise ApiError("rest_post_invalid_id", "Invalid post ID.", status=404)
    return json_response(_post_data(article, params=params, embed=_embed(params)))


def _taxonomy(route: str) -> str:
    return "category" if route == "categories" else "post_tag"


@endpoint
def term_list(request, route):
    params = Params(request.GET)
    page_number = params.integer("page", default=1, minimum=1)
    per_page = params.per_page()
    offset = params.integer("offset", minimum=0)
    taxonomy = _taxonomy(route)
    queryset = queries.filter_terms(queries.terms(taxonomy), params, taxonomy=taxonomy)
    params.check()
    page = queries.paginate(
        queryset, page=page_number, per_page=per_page, offset=offset
    )
    items = [
        serializers.select_fields(
            serializers.term(
                item, taxonomy=taxonomy, count=item.post_count, site_url=_site_url()
            ),
            _fields(params),
        )
        for item in page.items
    ]
    return _collection_response(request, items, page, per_page=per_page)


@endpoint
def term_detail(request, route, pk):
    pk = int(pk)
    params = Params(request.GET)
    taxonomy = _taxonomy(route)
    item = (
        queries.terms(taxonomy)
        .filter(queries.by_api_ids([pk]))
        .order_by("-wordpress_id")
        .first()
    )
    if item is None:
        raise ApiError("rest_term_invalid", "Term does not exist.", status=404)
    data = serializers.term(
        item, taxonomy=taxonomy, count=item.post_count, site_url=_site_url()
    )
    return json_response(serializers.select_fields(data, _fields(params)))


@endpoint
def user_list(request, route="users"):
    params = Params(request.GET)
    page_number = params.integer("page", default=1, minimum=1)
    per_page = params.per_page()
    offset = params.integer("offset", minimum=0)
    queryset = queries.filter_users(queries.users(), params)
    params.check()
    page = queries.paginate(
        queryset, page=page_number, per_page=per_page, offset=offset
    )
    items = [
        serializers.select_fields(
            serializers.user(author, site_url=_site_url()), _fields(params)
        )
        for author in page.items
    ]
    return _collection_response(request, items, page, per_page=per_page)


@endpoint
def user_detail(request, pk, route="users"):
    pk = int(pk)
    params = Params(request.GET)
    author = (
        queries.users()
        .filter(queries.by_api_ids([pk]))
        .order_by("-wordpress_id")
        .first()
    )
    if author is None:
        raise ApiError("rest_user_invalid_id", "Invalid user ID.", status=404)
    return json_response(
        serializers.select_fields(
            serializers.user(author, site_url=_site_url()), _fields(params)
        )
    )


@endpoint
def media_list(request, route="media"):
    params = Params(request.GET)
    page_number = params.integer("page", default=1, minimum=1)
    per_page = params.per_page()
    offset = params.integer("offset", minimum=0)
    queryset = queries.filter_media(queries.media(), params)
    params.check()
    page = queries.paginate(
        queryset,
        page=page_number,
        per_page=per_page,
        offset=offset,
        error_past_last="rest_post_invalid_page_number",
    )
    parents = queries.media_parents(page.items)
    items = [
        serializers.select_fields(
            serializers.media(
                image, site_url=_site_url(), parent=parents.get(image.pk)
            ),
            _fields(params),
        )
        for image in page.items
    ]
    return _collection_response(request, items, page, per_page=per_page)


@endpoint
def media_detail(request, pk, route="media"):
    pk = int(pk)
    params = Params(request.GET)
    image = (
        queries.media()
        .filter(queries.by_api_ids([pk]))
        .order_by("-wordpress_id")
        .first()
    )
    if image is None:
        raise ApiError("rest_post_invalid_id", "Invalid post ID.", status=404)
    parent = queries.media_parents([image]).get(image.pk)
    return json_response(
        serializers.select_fields(
            serializers.media(image, site_url=_site_url(), parent=parent),
            _fields(params),
        )
    )


ROUTES = ("posts", "categories", "tags", "media", "users")


def _routes(site_url: str) -> dict:
    routes = {}
    for route in ROUTES:
        for path in (f"/{NAMESPACE}/{route}", f"/{NAMESPACE}/{route}/(?P<id>[\\d]+)"):
            routes[path] = {
                "namespace": NAMESPACE,
                "methods": ["GET"],
                "endpoints": [{"methods": ["GET"], "args": {}}],
                "_links": {
                    "self": [{"href": f"{site_url}{API_ROOT}{path.lstrip('/')}"}]
                }
                if "(?P" not in path
                else {},
            }
            if not routes[path]["_links"]:
                del routes[path]["_links"]
    return routes


@endpoint
def index(request):
    site_url = _site_url()
    return json_response(
        {
            "name": settings.SITE_NAME,
            "description": "",
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
def namespace_index(request):
    return json_response(
        {
            "namespace": NAMESPACE,
            "routes": _routes(_site_url()),
            "_links": {"up": [{"href": f"{_site_url()}{API_ROOT}"}]},
        }
    )


@endpoint
def no_route(request, rest=""):
    raise ApiError(
        "rest_no_route",
        "No route was found matching the URL and request method.",
        status=404,
    )
