"""
The limits every request meets before anything else reads it: no NUL
character in the path, the query string or a header, and an address no
longer than MAX_URL_LENGTH.

PostgreSQL refuses a NUL in any text it is given, so a NUL that reached a
query (a slug lookup, the API's search, the redirect and 404 log, a login
attempt's record) would answer 500. No real link carries one, so such a
request is answered here, once, instead of in every place that reads it:
a path with a NUL is a 404 (no page has that address), a query or header
with one a 400. Under /wp-json/ the answers are WordPress's JSON errors.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, QueryDict

from articles.api.params import Invalid, invalid_params
from articles.api.views import NO_ROUTE

API_PREFIX = "/wp-json/"


def _has_nul(text: str) -> bool:
    return "\x00" in text or "%00" in text


def _parameters_with_nul(query_string: str) -> list[str]:
    names = []
    for name, values in QueryDict(query_string).lists():
        if "\x00" in name or any("\x00" in value for value in values):
            names.append(name.removesuffix("[]"))
    return list(dict.fromkeys(names)) or ["query"]


class RequestLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refused = refusal(request)
        return refused if refused is not None else self.get_response(request)


def refusal(request) -> HttpResponse | None:
    """The answer to a request beyond the limits, or None for one within them."""
    in_api = request.path.startswith(API_PREFIX)
    query_string = request.META.get("QUERY_STRING", "")
    if len(request.path) + len(query_string) > settings.MAX_URL_LENGTH:
        return HttpResponse(
            "The address is too long.", status=414, content_type="text/plain"
        )
    if "\x00" in request.path:
        if in_api:
            return NO_ROUTE.error().response()
        return HttpResponse(
            "No page has this address.", status=404, content_type="text/plain"
        )
    if _has_nul(query_string.lower()):
        names = _parameters_with_nul(query_string)
        if in_api:
            return invalid_params(
                {
                    name: Invalid(
                        "rest_invalid_param", f"{name} contains a NUL character."
                    )
                    for name in names
                }
            ).response()
        return HttpResponse(
            "The address contains a NUL character.",
            status=400,
            content_type="text/plain",
        )
    if any(
        "\x00" in value
        for key, value in request.META.items()
        if key.startswith("HTTP_") and isinstance(value, str)
    ):
        return HttpResponse(
            "A request header contains a NUL character.",
            status=400,
            content_type="text/plain",
        )
    return None
