"""
The parameters of the WordPress REST API, read and checked the way WordPress
does, and its errors in WordPress's shape. No database access here.

Every message below is WordPress's own, from wp-includes/rest-api.php
(rest_validate_value_from_schema and its helpers) and
wp-includes/rest-api/class-wp-rest-request.php (has_valid_params,
sanitize_params), so that clients which match on them keep working.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django.http import JsonResponse, QueryDict
from django.utils import timezone
from django.utils.text import slugify


class ApiError(Exception):
    """An error answered as {"code", "message", "data": {"status", ...}}."""

    def __init__(self, code: str, message: str, *, status: int, **data: Any):
        super().__init__(message)
        self.code, self.message, self.status, self.data = code, message, status, data

    def response(self) -> JsonResponse:
        return JsonResponse(
            {
                "code": self.code,
                "message": self.message,
                "data": {"status": self.status, **self.data},
            },
            status=self.status,
        )


@dataclass(frozen=True)
class Refusal:
    """A WordPress error that takes no parameters, kept as data until it is raised."""

    code: str
    message: str
    status: int = 401  # rest_authorization_required_code() for a visitor.

    def error(self) -> ApiError:
        return ApiError(self.code, self.message, status=self.status)


@dataclass(frozen=True)
class Invalid:
    """Why one parameter was refused: a WP_Error as rest_convert_error_to_response() shows it."""

    code: str
    message: str
    data: dict[str, Any] | None = None

    def as_detail(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "data": self.data}


def invalid_params(errors: Mapping[str, Invalid]) -> ApiError:
    """WP_REST_Request::has_valid_params() and sanitize_params(): rest_invalid_param."""
    return ApiError(
        "rest_invalid_param",
        f"Invalid parameter(s): {', '.join(errors)}",
        status=400,
        params={name: error.message for name, error in errors.items()},
        details={name: error.as_detail() for name, error in errors.items()},
    )


# PHP's notions of a list, a number and a date, as WordPress applies them.

_LIST_SEPARATORS = re.compile(r"[ \t\n\r\v\f,]+")
# PHP 8's is_numeric(): optional surrounding whitespace, sign, decimals,
# exponent; ASCII digits only.
_NUMERIC = re.compile(
    r"[ \t\n\r\v\f]*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?[ \t\n\r\v\f]*"
)
_WHOLE_NUMBER = re.compile(r"[ \t\n\r\v\f]*([+-]?)0*([0-9]+)[ \t\n\r\v\f]*")
PHP_INT_MAX = 2**63 - 1
PHP_INT_MIN = -(2**63)
# rest_parse_date(): RFC 3339, the zone optional.
_RFC3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}(?::\d{2})?)?"
)


def parse_list(value: Any) -> list:
    """wp_parse_list(): a comma- or space-separated string, or a list as given."""
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str | int | float | bool)]
    return [part for part in _LIST_SEPARATORS.split(str(value)) if part]


# Slugs as WordPress stores them: sanitize_title() output, non-ASCII
# characters as lowercase percent-encoded UTF-8 ("caf%c3%a9"). Ours are
# stored decoded ("café"), so both forms are compared decoded.

_TAG = re.compile(r"<[^>]*>?")
_OCTET = re.compile(r"%([a-fA-F0-9]{2})")
_ENTITY = re.compile(r"&.+?;")
_NOT_IN_SLUG = re.compile(r"[^%a-z0-9 _-]")


def encoded_slug(slug: str) -> str:
    """A slug as WordPress stores and serves it: utf8_uri_encode() of its lowercase form."""
    return "".join(
        char if char.isascii() else "".join(f"%{byte:02x}" for byte in char.encode())
        for char in slug.lower()
    )


def sanitize_title(value: str) -> str:
    """
    sanitize_title_with_dashes() (wp-includes/formatting.php), which
    wp_parse_slug_list() applies to ?slug=: tags stripped, escaped octets
    kept and other percent signs dropped, lowercased and UTF-8 encoded,
    entities killed, dots made dashes, anything but [%a-z0-9 _-] removed,
    white space and dash runs one dash. Its "save" context's
    remove_accents() is left out: an imported "caf%c3%a9" is stored here as
    "café", which must stay findable by either spelling.
    """
    title = _TAG.sub("", value)
    title = _OCTET.sub(r"---\1---", title).replace("%", "")
    title = re.sub(r"---([a-fA-F0-9]{2})---", r"%\1", title)
    title = encoded_slug(title).lower()
    title = _ENTITY.sub("", title).replace(".", "-")
    title = _NOT_IN_SLUG.sub("", title)
    title = re.sub(r"\s+", "-", title)
    return re.sub(r"-+", "-", title).strip("-")


def _slug_list(value: Any) -> list[str]:
    """wp_parse_slug_list(), each slug decoded to compare with ours."""
    return list(
        dict.fromkeys(unquote(sanitize_title(str(slug))) for slug in parse_list(value))
    )


def join_list(items: Iterable[str]) -> str:
    """wp_sprintf_l(): "a and b", "a, b, and c"."""
    items = list(items)
    if len(items) <= 2:
        return " and ".join(items)
    return f"{', '.join(items[:-1])}, and {items[-1]}"


def _is_numeric(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and _NUMERIC.fullmatch(value) is not None


def php_int(value: Any) -> int:
    """
    (int) of a numeric value, as PHP 8 casts a numeric string
    (zend_dval_to_lval_cap): a number beyond 64 bits stops at PHP_INT_MAX or
    PHP_INT_MIN, INF and NAN become 0 and a fraction is cut off. So no
    number a client sends is too large for the database.
    """
    whole = _WHOLE_NUMBER.fullmatch(value) if isinstance(value, str) else None
    if whole is not None:
        sign, digits = whole.groups()
        # int() refuses strings of more than 4,300 digits; these saturate anyway.
        number = int(sign + digits) if len(digits) <= 20 else int(sign + "1" + "0" * 20)
    else:
        real = float(value)
        number = int(real) if math.isfinite(real) else 0
    return min(max(number, PHP_INT_MIN), PHP_INT_MAX)


def _is_boolean(value: Any) -> bool:
    """rest_is_boolean()."""
    if isinstance(value, bool):
        return True
    if isinstance(value, str):
        return value.lower() in ("false", "true", "0", "1")
    return isinstance(value, int) and value in (0, 1)


def _parse_moment(value: str) -> datetime | None:
    """A date rest_parse_date() accepts; one without a zone is in the site's time zone."""
    if _RFC3339.fullmatch(value) is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:  # Matches the pattern but is no real date, as strtotime() finds.
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _type_error(name: str, type_name: str) -> Invalid:
    return Invalid(
        "rest_invalid_type", f"{name} is not of type {type_name}.", {"param": name}
    )


# The parameters themselves.


@dataclass(frozen=True)
class Arg:
    """
    One registered parameter: the subset of the JSON Schema WordPress's
    controllers use for their query parameters, and how WordPress runs it.
    """

    type: str  # "integer", "string", "boolean" or "array"
    default: Any = None
    minimum: int | None = None
    maximum: int | None = None
    enum: tuple[str, ...] = ()
    items: Arg | None = None
    format: str | None = None  # "date-time"
    # The title of the "oneOf" list schema WordPress gives term filters
    # ("Term ID List"); a bad item is then reported through it.
    one_of_title: str | None = None
    required: bool = False
    # Arguments with a validate_callback (page, per_page, search, context) are
    # checked first, in registration order; when one fails WordPress reports
    # only those. The others are checked afterwards, in the query's order.
    checked_first: bool = False
    # A sanitize_callback of the controller's own (status, reassign): given
    # the value, it returns the value to use or refuses it.
    sanitize: Callable[[Any], Any | Invalid] | None = None

    def check(self, value: Any, name: str) -> Invalid | None:
        """rest_validate_value_from_schema(), for the schemas declared here."""
        if self.one_of_title:
            return self._check_one_of(value, name)
        if self.type == "integer":
            return self._check_integer(value, name)
        if self.type == "boolean":
            return None if _is_boolean(value) else _type_error(name, "boolean")
        if self.type == "array":
            if isinstance(value, dict):
                return _type_error(name, "array")
            for index, item in enumerate(parse_list(value)):
                if problem := self.items.check(item, f"{name}[{index}]"):
                    return problem
            return None
        if not isinstance(value, str):
            return _type_error(name, "string")
        if self.enum and value not in self.enum:
            if len(self.enum) == 1:
                return Invalid("rest_not_in_enum", f"{name} is not {self.enum[0]}.")
            return Invalid(
                "rest_not_in_enum", f"{name} is not one of {join_list(self.enum)}."
            )
        if self.format == "date-time" and _parse_moment(value) is None:
            return Invalid("rest_invalid_date", "Invalid date.")
        return None

    def _check_integer(self, value: Any, name: str) -> Invalid | None:
        # rest_validate_number_value_from_schema() runs first: bounds are
        # checked on the number before it must also be whole.
        if not _is_numeric(value):
            return _type_error(name, "integer")
        number = float(value)
        low, high = self.minimum, self.maximum
        if low is not None and high is not None and not low <= number <= high:
            return Invalid(
                "rest_out_of_bounds",
                f"{name} must be between {low} (inclusive) and {high} (inclusive)",
            )
        if low is not None and high is None and number < low:
            return Invalid(
                "rest_out_of_bounds", f"{name} must be greater than or equal to {low}"
            )
        if math.isfinite(number) and number != round(number):
            return _type_error(name, "integer")
        return None

    def _check_one_of(self, value: Any, name: str) -> Invalid | None:
        # The term filters are oneOf a list of IDs or a query object
        # (rest_find_one_matching_schema). An empty string is both; any other
        # string is no object, and WordPress leaves out that type error when
        # it explains why the list failed (rest_get_combining_operation_error).
        if value == "":
            return Invalid(
                "rest_one_of_multiple_matches",
                f"{name} matches {self.one_of_title} and Term ID Taxonomy Query,"
                " but should match only one.",
                {"positions": [0, 1]},
            )
        problem = Arg("array", items=self.items).check(value, name)
        if problem is None:
            return None
        return Invalid(
            "rest_no_matching_schema",
            f"{name} is not a valid {self.one_of_title}. Reason: {problem.message}",
            {"position": 0},
        )

    def convert(self, value: Any) -> Any:
        """rest_sanitize_value_from_schema(), plus dates parsed for the query."""
        if self.type == "integer":
            return php_int(value)

        if self.type == "boolean":  # rest_sanitize_boolean()
            if isinstance(value, str) and value.lower() in ("false", "0"):
                return False
            return bool(value)
        if self.type == "array":
            return [self.items.convert(item) for item in parse_list(value)]
        if self.format == "date-time":
            return _parse_moment(value)
        return str(value)


def php_params(query: QueryDict) -> dict[str, Any]:
    """
    The parameters as PHP reads a query string: "name[]=a&name[]=b" is a
    list, a repeated "name=" keeps its last value. Order of first mention.
    """
    params: dict[str, Any] = {}
    for key in query:
        if key.endswith("[]"):
            params[key[:-2]] = query.getlist(key)
        elif key not in params:
            params[key] = query[key]
    return params


def read_args(sources: list[Mapping[str, Any]], args: Mapping[str, Arg]) -> dict:
    """
    Check and convert the registered parameters found in sources (in
    WordPress's order of priority: JSON body, form body, query string) as
    WP_REST_Server::dispatch() does, and return every registered parameter,
    absent ones at their default. Raises WordPress's error when one is wrong.
    """

    def given(name: str) -> tuple[bool, Any]:
        for source in sources:
            if source.get(name) is not None:
                return True, source[name]
        return False, None

    missing = [
        name for name, arg in args.items() if arg.required and not given(name)[0]
    ]
    if missing:
        raise ApiError(
            "rest_missing_callback_param",
            f"Missing parameter(s): {', '.join(missing)}",
            status=400,
            params=missing,
        )

    errors: dict[str, Invalid] = {}
    for name, arg in args.items():
        present, value = given(name)
        if present and arg.checked_first and (problem := arg.check(value, name)):
            errors[name] = problem
    if errors:
        raise invalid_params(errors)

    values = {name: arg.default for name, arg in args.items()}
    for source in reversed(sources):  # Higher priority sources win.
        for name, value in source.items():
            if name not in args or value is None:
                continue
            arg = args[name]
            if arg.sanitize is not None:
                outcome = arg.sanitize(value)
            elif arg.checked_first:
                outcome = arg.convert(value)
            else:
                outcome = arg.check(value, name) or arg.convert(value)
            if isinstance(outcome, Invalid):
                errors[name] = outcome
            else:
                values[name] = outcome
    if errors:
        raise invalid_params(_in_query_order(errors, sources))
    return values


def _in_query_order(errors: dict[str, Invalid], sources) -> dict[str, Invalid]:
    order = [name for source in sources for name in source]
    return dict(sorted(errors.items(), key=lambda item: order.index(item[0])))


def request_body_params(request) -> list[dict[str, Any]]:
    """
    The body's parameters for a write, as WP_REST_Request reads them: a JSON
    body (refused as WordPress refuses it when it does not parse), then a
    form body. Writes are never carried out; these only decide which error
    WordPress would give.
    """
    content_type = request.content_type or ""
    if content_type == "application/json" or content_type.endswith("+json"):
        if not request.body:
            return [{}]
        try:
            decoded = json.loads(request.body.decode())
        except UnicodeDecodeError:
            raise _invalid_json(
                5, "Malformed UTF-8 characters, possibly incorrectly encoded"
            ) from None
        except ValueError as error:
            if "control character" in str(error):
                raise _invalid_json(
                    3, "Control character error, possibly incorrectly encoded"
                ) from None
            raise _invalid_json(4, "Syntax error") from None
        return [decoded if isinstance(decoded, dict) else {}]
    if request.method == "POST":
        return [php_params(request.POST)]
    if content_type in ("", "application/x-www-form-urlencoded") and request.body:
        return [php_params(QueryDict(request.body))]
    return [{}]


def _invalid_json(code: int, message: str) -> ApiError:
    # WP_REST_Request::parse_json_params(); the code and message are PHP's json_last_error().
    return ApiError(
        "rest_invalid_json",
        "Invalid JSON body passed.",
        status=400,
        json_error_code=code,
        json_error_message=message,
    )


# The arguments each route registers, as the controllers' get_collection_params()
# and register_routes() declare them. Only those this API reads are listed:
# an unregistered parameter is ignored, by WordPress as here.

CONTEXT = Arg(
    "string", default="view", enum=("view", "embed", "edit"), checked_first=True
)
COLLECTION = {  # WP_REST_Controller::get_collection_params()
    "context": CONTEXT,
    "page": Arg("integer", default=1, minimum=1, checked_first=True),
    "per_page": Arg("integer", default=10, minimum=1, maximum=100, checked_first=True),
    "search": Arg("string", checked_first=True),
}
IDS = Arg("array", default=[], items=Arg("integer"))
SLUGS = Arg("array", default=[], items=Arg("string"), sanitize=_slug_list)
OFFSET = Arg("integer")
ORDER_ASC = Arg("string", default="asc", enum=("asc", "desc"))
ORDER_DESC = Arg("string", default="desc", enum=("asc", "desc"))
DATE = Arg("string", format="date-time")
TERM_IDS = Arg("array", default=[], items=Arg("integer"), one_of_title="Term ID List")
POST_ORDERBY = (
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
)


def _only_status(default: str) -> Callable[[Any], Any]:
    """
    WP_REST_Posts_Controller::sanitize_post_statuses(): a visitor may ask for
    the default status only; any other is refused with rest_forbidden_status,
    which WordPress reports inside rest_invalid_param.
    """

    def sanitize(value: Any) -> list[str] | Invalid:
        statuses = [
            slugify(status) for status in parse_list(value)
        ]  # wp_parse_slug_list()
        if any(status != default for status in statuses):
            return Invalid(
                "rest_forbidden_status", "Status is forbidden.", {"status": 401}
            )
        return statuses

    return sanitize


POSTS = {  # WP_REST_Posts_Controller::get_collection_params()
    **COLLECTION,
    "after": DATE,
    "modified_after": DATE,
    "author": IDS,
    "author_exclude": IDS,
    "before": DATE,
    "modified_before": DATE,
    "exclude": IDS,
    "include": IDS,
    "offset": OFFSET,
    "order": ORDER_DESC,
    "orderby": Arg("string", default="date", enum=POST_ORDERBY),
    "slug": SLUGS,
    "status": Arg("array", default=["publish"], sanitize=_only_status("publish")),
    "tax_relation": Arg("string", enum=("AND", "OR")),
    "categories": TERM_IDS,
    "categories_exclude": TERM_IDS,
    "tags": TERM_IDS,
    "tags_exclude": TERM_IDS,
    "sticky": Arg("boolean"),
}
# The same controller for pages: hierarchical (parent, parent_exclude) with
# page attributes (menu_order, orderby=menu_order), no taxonomies or sticky.
PAGE_ORDERBY = (*POST_ORDERBY, "menu_order")
PAGES = {
    **COLLECTION,
    "after": DATE,
    "modified_after": DATE,
    "author": IDS,
    "author_exclude": IDS,
    "before": DATE,
    "modified_before": DATE,
    "exclude": IDS,
    "include": IDS,
    "menu_order": Arg("integer"),
    "offset": OFFSET,
    "order": ORDER_DESC,
    "orderby": Arg("string", default="date", enum=PAGE_ORDERBY),
    "parent": IDS,
    "parent_exclude": IDS,
    "slug": SLUGS,
    "status": Arg("array", default=["publish"], sanitize=_only_status("publish")),
}
# WP_REST_Attachments_Controller::get_collection_params(): the posts'
# parameters without the taxonomies and sticky, with a file's parent and type.
MEDIA = {
    **{
        name: arg
        for name, arg in POSTS.items()
        if name
        not in (
            "status",
            "tax_relation",
            "categories",
            "categories_exclude",
            "tags",
            "tags_exclude",
            "sticky",
        )
    },
    "parent": IDS,
    "parent_exclude": IDS,
    "status": Arg("array", default=["inherit"], sanitize=_only_status("inherit")),
    "media_type": Arg(  # A list since WordPress 6.9.
        "array",
        default=[],
        items=Arg("string", enum=("image", "video", "text", "application", "audio")),
    ),
}
TERMS = {  # WP_REST_Terms_Controller::get_collection_params()
    **COLLECTION,
    "exclude": IDS,
    "include": IDS,
    "order": ORDER_ASC,
    "orderby": Arg(
        "string",
        default="name",
        enum=(
            "id",
            "include",
            "name",
            "slug",
            "include_slugs",
            "term_group",
            "description",
            "count",
        ),
    ),
    "hide_empty": Arg("boolean", default=False),
    "post": Arg("integer"),
    "slug": SLUGS,
}
CATEGORIES = {**TERMS, "parent": Arg("integer")}  # Hierarchical: a parent, no offset.


def with_language(args: dict[str, Arg]) -> dict[str, Arg]:
    """
    args with Polylang's lang, which asks for the content as readers of
    that language see it: one of settings.LANGUAGES, read when asked, so
    that a language added there needs nothing here.
    """
    codes = tuple(code for code, _name in settings.LANGUAGES)
    return {**args, "lang": Arg("string", enum=codes)}


TAGS = {**TERMS, "offset": OFFSET}
USERS = {  # WP_REST_Users_Controller::get_collection_params()
    **COLLECTION,
    "exclude": IDS,
    "include": IDS,
    "offset": OFFSET,
    "order": ORDER_ASC,
    "orderby": Arg(
        "string",
        default="name",
        enum=(
            "id",
            "include",
            "name",
            "registered_date",
            "slug",
            "include_slugs",
            "email",
            "url",
        ),
    ),
    "slug": SLUGS,
    "roles": SLUGS,
    "capabilities": SLUGS,
    "who": Arg("string", enum=("authors",)),
}

# WP_REST_Search_Controller::get_collection_params() with one search handler,
# WP_REST_Post_Search_Handler: its type is "post", its subtypes the public
# post types but attachments (here posts and pages).
SEARCH_SUBTYPES = ("post", "page")
_SUBTYPE_LIST = Arg("array", items=Arg("string", enum=(*SEARCH_SUBTYPES, "any")))


def _subtypes(value: Any) -> list[str] | Invalid:
    """
    WP_REST_Search_Controller::sanitize_subtypes(): wp_parse_slug_list(),
    each checked against the enum, then "any" alone or the handler's own.
    """
    subtypes = list(
        dict.fromkeys(sanitize_title(str(item)) for item in parse_list(value))
    )
    if problem := _SUBTYPE_LIST.check(subtypes, "subtype"):
        return problem
    if "any" in subtypes:
        return ["any"]
    return [subtype for subtype in subtypes if subtype in SEARCH_SUBTYPES]


SEARCH = {
    # The search result schema has the contexts view and embed only.
    "context": Arg(
        "string", default="view", enum=("view", "embed"), checked_first=True
    ),
    "page": COLLECTION["page"],
    "per_page": COLLECTION["per_page"],
    "search": COLLECTION["search"],
    "type": Arg("string", default="post", enum=("post",)),
    "subtype": Arg("array", default=["any"], sanitize=_subtypes),
    "exclude": IDS,
    "include": IDS,
}
ITEM = {"context": CONTEXT}  # The single-item routes' GET arguments.
POST_ITEM = {**ITEM, "excerpt_length": Arg("integer"), "password": Arg("string")}


def _reassign(value: Any) -> Any:
    """WP_REST_Users_Controller::check_reassign()."""
    if _is_numeric(value):
        return value
    if not value or value == "false":
        return False
    return Invalid("rest_invalid_param", "Invalid user parameter(s).", {"status": 400})


FORCE = Arg("boolean", default=False)
DELETE = {"force": FORCE}
DELETE_USER = {
    "force": FORCE,
    "reassign": Arg("integer", required=True, sanitize=_reassign),
}


def wordpress_date(moment: datetime | None, *, gmt: bool) -> str | None:
    """Format a date as WordPress does: 2026-02-06T16:47:03, local or GMT, without a zone."""
    if moment is None:
        return None
    moment = moment.astimezone(UTC) if gmt else timezone.localtime(moment)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")
