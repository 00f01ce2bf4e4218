#!/usr/bin/env python
"""
Profile a reader page in-process: a throw-away demo site (the seed article,
plus --articles generated ones), DEBUG off, the Django test client, cProfile
over --requests requests. Prints the mean time and query count of one
request, then the functions that take the most time, per request.

    .venv/bin/python bench/profile_article.py                   # the seed article
    .venv/bin/python bench/profile_article.py --articles 10000
    .venv/bin/python bench/profile_article.py --path /en/ --sort tottime
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import site
import sys
import tempfile
from pathlib import Path

# The project root instead of this folder, whose http.py would shadow the
# standard library's http package.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.client_timing import mean_request_time  # noqa: E402
from bench.demo_database import ROOT, demo_database  # noqa: E402

SEED_PATH = "/en/beauty/back-spasm-remedy/"
PACKAGE_DIRS = sorted(site.getsitepackages(), key=len, reverse=True)
WRAPPER_SHARE = 0.97
# The first match names a function's area (own time only, so nothing counts twice).
AREAS = [
    ("SQLiteCursorWrapper", "SQLite (the C library)"),
    ("sqlite3", "SQLite (the C library)"),
    ("psycopg", "PostgreSQL driver"),
    ("html/parser.py", "html.parser (strip_tags)"),
    ("_markupbase.py", "html.parser (strip_tags)"),
    ("<built-in", "built-ins (getattr, len, ...) called from all of these"),
    ("<method", "built-ins (getattr, len, ...) called from all of these"),
    ("django/db/", "ORM (Python)"),
    ("django/template/", "templates"),
    ("django/utils/html", "django.utils.html (escape, strip_tags)"),
    ("/articles/", "the project's code"),
    ("django/", "the rest of Django"),
]


def where(function: tuple[str, int, str]) -> str:
    """A function as path:line(name), its path relative to the project or site-packages."""
    path, line, name = function
    for base in (*PACKAGE_DIRS, str(ROOT)):
        if path.startswith(base):
            path = path[len(base) :].lstrip("/")
            break
    return f"{path}:{line}({name})" if line else name


def area(function: tuple[str, int, str]) -> str:
    path, _, name = function
    for marker, label in AREAS:
        if marker in path or marker in name:
            return label
    return "other"


def print_areas(stats: pstats.Stats) -> None:
    """Own time summed by where the code lives: ORM, SQLite, templates, the project."""
    totals: dict[str, float] = {}
    for function, (_, _, own, _, _) in stats.stats.items():
        totals[area(function)] = totals.get(area(function), 0) + own
    for label, own in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"{own / stats.total_tt:6.1%}  {label}")


def print_top(stats: pstats.Stats, *, requests: int, sort: str, top: int) -> None:
    key = {"cumulative": 3, "tottime": 2}[sort]
    rows = sorted(stats.stats.items(), key=lambda item: item[1][key], reverse=True)
    # The test client, the handler and the middleware each wrap the whole request.
    rows = [row for row in rows if row[1][3] < WRAPPER_SHARE * stats.total_tt]
    print(f"{'calls/req':>9} {'own ms':>7} {'total ms':>8} {'share':>6}  function")
    for function, (_, calls, own, cumulative, _) in rows[:top]:
        print(
            f"{calls / requests:9.1f} {own / requests * 1000:7.2f} "
            f"{cumulative / requests * 1000:8.2f} {cumulative / stats.total_tt:6.1%}  {where(function)}"
        )


def measure(path: str, *, requests: int):
    """Time `requests` requests, then profile as many more."""
    timing = mean_request_time(path, requests=requests)
    from django.db import connection
    from django.test import Client

    client = Client()
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(requests):
        client.get(path).getvalue()
    profile.disable()
    connection.close()
    return connection.vendor, timing, profile


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=0)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--path", default=SEED_PATH)
    parser.add_argument(
        "--sort", choices=("cumulative", "tottime"), default="cumulative"
    )
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="hp-profile-") as temp:
        demo = demo_database(
            Path(temp), articles=args.articles, database_url=args.database_url
        )
        with demo as environment:
            os.environ.update(environment)
            vendor, timing, profile = measure(args.path, requests=args.requests)

    print(
        f"{args.path} with {args.articles + 1:,} articles ({vendor}): "
        f"{timing.mean_ms:.1f} ms a request ({timing.cpu_ms:.1f} ms of CPU; mean of "
        f"{args.requests}, unprofiled), "
        f"{timing.queries} queries, {timing.bytes:,} bytes"
    )
    stats = pstats.Stats(profile)
    print_areas(stats)
    print()
    print_top(stats, requests=args.requests, sort=args.sort, top=args.top)


if __name__ == "__main__":
    main()
