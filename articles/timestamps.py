"""
Dates and times as machines read them: `<time datetime>`, JSON-LD,
Open Graph, sitemaps' lastmod and feeds.

Stored times carry microseconds (`auto_now` and `timezone.now()`), which the
HTML standard refuses: a valid global date and time string has at most three
digits of a second, and the Nu HTML checker reports six as an error. Readers
never see a fraction of a second, so every printed time is cut to the whole
second here, in one place.
"""

from __future__ import annotations

from datetime import date, datetime


def whole_seconds(value: datetime) -> datetime:
    """Return the time without its fraction of a second."""
    return value.replace(microsecond=0)


def iso8601(value: date | datetime | None) -> str:
    """
    Return a date as YYYY-MM-DD and a time as YYYY-MM-DDTHH:MM:SS±HH:MM (in
    the value's own time zone), valid in HTML, JSON-LD, sitemaps and Atom;
    None (a date not set) is "".
    """
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return whole_seconds(value).isoformat(timespec="seconds")
    return value.isoformat()
