#!/usr/bin/env python
"""
Fuzz the router and the WordPress API with random requests, reproducible
from a seed: real addresses of the site with segments, parameters, methods
and headers replaced by hostile values (NUL and other control characters,
broken percent-encoding, absurd numbers, traversal, markup, very long and
non-Latin text). Passes when no answer is a 5xx.

    .venv/bin/python bench/fuzz.py [--requests 10000] [--seed 1] [--clients 4]

It starts the production server (gunicorn, DEBUG off) on the machine's
PostgreSQL (a database hp_hard_fuzz, created and dropped) and Redis (db
12), on a free port in 18100-18199 on 127.0.0.1, and stops it at the end.
tests/test_fuzz.py runs part of the same requests through Django's test
client, with a fixed seed.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import random
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

HOSTILE = [
    "%00", "%00%00", "a%00b", "%01", "%0b", "%1f", "%7f", "%ff", "%c0%af", "%e2%80",
    "%", "%%", "%zz", "%2e%2e", "..", ".", "%2F", "//", "\\", "'", '"', "<script>",
    "<img src=x onerror=alert(1)>", "{{7*7}}", "${jndi:ldap://x/a}", "' OR 1=1 --",
    "[]", "{}", "true", "null", "背中", "rugpijn-ë",
    "\U0001f4a9", "\u202e", "\ufeff", "+", " ", "a" * 300, "b" * 5000, "",
]  # fmt: skip
NUMBERS = [
    "0", "-1", "1", "2", "100", "101", "1e309", "-1e309", "99999999999999999999",
    "9223372036854775808", "-9223372036854775809", "NaN", "INF", "0x10", "1.5", "1e3",
    " 5", "5 ", "+5", "1_0", "٣",
]  # fmt: skip
API_PARAMETERS = [
    "page", "per_page", "offset", "search", "slug", "include", "exclude", "order",
    "orderby", "categories", "categories_exclude", "tags", "tags_exclude", "author",
    "author_exclude", "sticky", "after", "before", "modified_after", "modified_before",
    "status", "context", "_fields", "_embed", "_method", "hide_empty", "parent",
    "post", "password", "media_type", "roles", "who", "tax_relation", "include[]",
]  # fmt: skip
PAGE_PARAMETERS = ["page", "preview", "s", "q", "utm_source", "p"]
METHODS = ["GET"] * 12 + [
    "HEAD",
    "POST",
    "OPTIONS",
    "PUT",
    "DELETE",
    "PATCH",
    "PROPFIND",
]
HEADERS = {
    "Accept-Language": ["nl", "en-US,en;q=0.9", "*", "x" * 300, "%00"],
    "X-HTTP-Method-Override": ["DELETE", "PUT", "GET", "BOGUS"],
    "If-None-Match": ['"abc"', "*", 'W/"x", *', ""],
    "Referer": ["https://partner.example/page", "javascript:alert(1)", "x" * 2000],
    "X-Forwarded-For": ["1.2.3.4", "not an address", "::1, 10.0.0.1"],
    "Cookie": ["sessionid=junk", "csrftoken=x; sessionid=", "a=b=c"],
    "Content-Type": ["application/json", "multipart/form-data", "text/plain"],
}
BODIES = [b"", b"{", b'{"title": "x"}', b"[" * 2000, b"a=1&b=%00", b"\xff\xfe"]


def known_paths(content: dict) -> list[str]:
    """The site's own addresses, which the requests start from."""
    api = "/wp-json/wp/v2"
    return [
        "/", "/en/", "/nl/", "/en/feed/", "/en/feed/atom/", "/robots.txt", "/healthz",
        "/sitemap.xml", "/sitemap-articles.xml", "/sitemap-tags.xml", "/wp-json/",
        f"{api}", f"{api}/posts", f"{api}/posts/9580", f"{api}/categories", f"{api}/tags",
        f"{api}/media", f"{api}/users", f"{api}/users/me", f"{api}/tags/1",
        f"/en/{content['category']}/", f"/en/{content['category']}/feed/",
        f"/en/tag/{content['tag']}/", f"/en/tag/{content['tag']}/feed/atom/",
        f"/en/author/{content['author']}/", "/admin/login/", "/media/images/x.jpg",
        "/static/css/site.css", *content["articles"][:5],
    ]  # fmt: skip


def requests(seed: int, count: int, *, content: dict) -> Iterator[tuple]:
    """Yield count (method, target, headers, body) requests, the same for the same seed."""
    rng = random.Random(seed)
    paths = known_paths(content)
    for _ in range(count):
        segments = rng.choice(paths).split("/")
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            position = rng.randrange(1, len(segments) + 1)
            if rng.random() < 0.5 and position < len(segments):
                segments[position] = rng.choice(HOSTILE + NUMBERS)
            else:
                segments.insert(position, rng.choice(HOSTILE + NUMBERS))
        # "%" stays as it is, so that the hostile percent-escapes arrive raw.
        target = quote("/".join(segments), safe="/%:@!$&'()*+,;=~")
        parameters = API_PARAMETERS if "/wp-json/" in target else PAGE_PARAMETERS
        query = [
            f"{quote(rng.choice(parameters + HOSTILE), safe='%[]')}="
            f"{quote(rng.choice(NUMBERS if rng.random() < 0.4 else HOSTILE), safe='%')}"
            for _ in range(rng.choice([0, 0, 1, 2, 4]))
        ]
        if query:
            target += "?" + "&".join(query)
        headers = {
            name: rng.choice(values)
            for name, values in HEADERS.items()
            if rng.random() < 0.15
        }
        method = rng.choice(METHODS)
        body = rng.choice(BODIES) if method in ("POST", "PUT", "PATCH") else b""
        yield method, target, headers, body


def send(port: int, work: list[tuple], results: collections.Counter, failures: list):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for method, target, headers, body in work:
        try:
            connection.request(method, target, body=body or None, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as error:
            results["connection error"] += 1
            failures.append((method, target, repr(error)))
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        results[response.status] += 1
        if response.status >= 500:
            failures.append((method, target, response.status))
        if response.getheader("Connection", "").lower() == "close":
            connection.close()
    connection.close()


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from server import Site, machine_database

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()

    with machine_database("hp_hard_fuzz") as database_url:
        site = Site(database_url=database_url, cache_url="redis://127.0.0.1:6379/12")
        try:
            site.prepare(articles=5)
            site.start()
            work = list(requests(args.seed, args.requests, content=site.content))
            results, failures = collections.Counter(), []
            threads = [
                threading.Thread(
                    target=send,
                    args=(site.port, work[n :: args.clients], results, failures),
                )
                for n in range(args.clients)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            alive = site.process.poll() is None
        finally:
            site.close()

    print(f"fuzz: {args.requests} requests, seed {args.seed}, {args.clients} clients")
    print(
        "answers: "
        + ", ".join(f"{status}: {n}" for status, n in sorted(results.items(), key=str))
    )
    server_errors = sum(
        n for status, n in results.items() if isinstance(status, int) and status >= 500
    )
    print(f"5xx: {server_errors}, connection errors: {results['connection error']}")
    for failure in failures[:20]:
        print(f"  {failure}")
    return 1 if failures or not alive else 0


if __name__ == "__main__":
    sys.exit(main())
