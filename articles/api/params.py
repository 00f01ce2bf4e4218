"""
The query parameters of the WordPress REST API, read and checked the way
WordPress does, and its errors in WordPress's shape. No database access here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.http import JsonResponse, QueryDict
from django.utils import timezone

MAX_PER_PAGE = 100


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


def invalid_params(errors: Mapping[str, tuple[str, str]]) -> ApiError:
    """Return WordPress's rest_invalid_param error for {name: (code, message)}."""
    return ApiError(
        "rest_invalid_param",
        f"Invalid parameter(s): {', '.join(errors)}",
        status=400,
        params={name: message for name, (_code, message) in errors.items()},
        details={
            name: {"code": code, "message": message, "data": None}
            for name, (code, message) in errors.items()
        },
    )


@dataclass
class Params:
    """Reads parameters from a query string, collecting errors instead of raising at the first."""

    query: QueryDict
    errors: dict[str, tuple[str, str]] = field(default_factory=dict)

    def raw(self, name: str) -> str | None:
        value = self.query.get(name)
        return value if value is not None and value != "" else None

    def integer(
        self, name: str, *, default: int | None = None, minimum: int | None = None
    ) -> int | None:
        value = self.raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            self.errors[name] = ("rest_invalid_type", f"{name} is not of type integer.")
            return default
        if minimum is not None and number < minimum:
            self.errors[name] = (
                "rest_out_of_bounds",
                f"{name} must be greater than or equal to {minimum}",
            )
            return default
        return number

    def per_page(self, *, default: int = 10) -> int:
        value = self.integer("per_page", default=default)
        if value is not None and not 1 <= value <= MAX_PER_PAGE:
            self.errors["per_page"] = (
                "rest_out_of_bounds",
                f"per_page must be between 1 (inclusive) and {MAX_PER_PAGE} (inclusive)",
            )
            return default
        return value if value is not None else default

    def id_list(self, name: str) -> list[int]:
        """Read `name=1,2` or `name[]=1&name[]=2`, as WordPress accepts both."""
        values = [
            part.strip()
            for raw in (*self.query.getlist(name), *self.query.getlist(f"{name}[]"))
            for part in raw.split(",")
            if part.strip()
        ]
        numbers = []
        for value in values:
            if not value.isdigit():
                self.errors[name] = (
                    "rest_invalid_type",
                    f"{name}[{len(numbers)}] is not of type integer.",
                )
                return []
            numbers.append(int(value))
        return numbers

    def string_list(self, name: str) -> list[str]:
        return [
            part.strip()
            for raw in (*self.query.getlist(name), *self.query.getlist(f"{name}[]"))
            for part in raw.split(",")
            if part.strip()
        ]

    def boolean(self, name: str) -> bool | None:
        value = self.raw(name)
        if value is None:
            return None
        if value.lower() in ("1", "true"):
            return True
        if value.lower() in ("0", "false"):
            return False
        self.errors[name] = ("rest_invalid_type", f"{name} is not of type boolean.")
        return None

    def choice(self, name: str, *, choices: tuple[str, ...], default: str) -> str:
        value = self.raw(name)
        if value is None:
            return default
        if value not in choices:
            self.errors[name] = (
                "rest_not_in_enum",
                f"{name} is not one of {', '.join(choices)}.",
            )
            return default
        return value

    def moment(self, name: str) -> datetime | None:
        """Read an RFC 3339 date; one without a zone is in the site's time zone, as in WordPress."""
        value = self.raw(name)
        if value is None:
            return None
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            self.errors[name] = ("rest_invalid_date", "Invalid date.")
            return None
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment

    def check(self) -> None:
        if self.errors:
            raise invalid_params(self.errors)


def wordpress_date(moment: datetime | None, *, gmt: bool) -> str | None:
    """Format a date as WordPress does: 2026-02-06T16:47:03, local or GMT, without a zone."""
    if moment is None:
        return None
    moment = moment.astimezone(UTC) if gmt else timezone.localtime(moment)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")
