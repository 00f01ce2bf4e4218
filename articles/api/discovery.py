"""
How WordPress clients find the API from the site, as WordPress tells them
in rest_output_link_header(): every front-end response carries
Link: <…/wp-json/>; rel="https://api.w.org/", and the page of one object
also its REST route (rest_get_queried_resource_route()) as rel="alternate".
The <link rel="https://api.w.org/"> in the page head says the same to browsers.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Model
from django.http import HttpResponse

from articles.api.serializers import API_ROOT, NAMESPACE, api_id
from articles.models import Article, Category, Tag

ROUTES = {Article: "posts", Category: "categories", Tag: "tags"}


def mark_resource(response: HttpResponse, obj: Model) -> HttpResponse:
    """Name obj's REST route in the response's Link header, as WordPress does for a single post or term archive."""
    route = f"{site_url()}{API_ROOT}{NAMESPACE}/{ROUTES[type(obj)]}/{api_id(obj)}"
    response.headers["Link"] = f'<{route}>; rel="alternate"; type="application/json"'
    return response


class ApiLinkMiddleware:
    """Add the API's Link to every response of the site itself (not the API's, the admin's or files)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if 300 <= response.status_code < 400 or request.path.startswith(
            _not_front_end()
        ):
            return response
        api = f'<{site_url()}{API_ROOT}>; rel="https://api.w.org/"'
        resource = response.headers.get("Link")
        response.headers["Link"] = f"{api}, {resource}" if resource else api
        return response


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def _not_front_end() -> tuple[str, ...]:
    return (
        API_ROOT,
        f"/{settings.ADMIN_URL}",
        f"/{settings.STATIC_URL.strip('/')}/",
        f"/{settings.MEDIA_URL.strip('/')}/",
    )
