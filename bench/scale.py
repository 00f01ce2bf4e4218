#!/usr/bin/env python
"""
What each reader page costs uncached (PAGE_CACHE=off) on a small site and
on a large one, in one run: two throw-away demo sites (the seed article plus
--small and --large generated ones, SQLite unless --database-url), each
page's CPU time per request through the test client, in-process, and the
large site's time over the small one's. The small site is large enough
that every listing shows a full page; with fewer articles a listing shows
fewer cards and costs less for that reason alone.

    .venv/bin/python bench/scale.py                        # 1,000 against 100,000
    .venv/bin/python bench/scale.py --small 1000 --large 10000

The article sitemap is the exception by design: one file lists up to
50,000 URLs, so it grows with the site until it is split; its cost per URL
is what stays the same.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

# The project root instead of this folder, whose http.py would shadow the
# standard library's http package.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.demo_database import demo_database  # noqa: E402
from bench.http import client_timing  # noqa: E402

PAGES = {
    "article": "/en/beauty/back-spasm-remedy/",
    "home": "/en/",
    "category archive": "/en/demo-back-pain/",
    "feed": "/en/feed/",
    "sitemap index": "/sitemap.xml",
    "article sitemap": "/sitemap-articles.xml",
    "API list": "/wp-json/wp/v2/posts",
    "API item": "/wp-json/wp/v2/posts/9580",
}
# A 50,000-URL sitemap takes seconds a request.
FEWER_REQUESTS = {"article sitemap": 3}


def measure(articles: int, *, args) -> dict[str, dict]:
    with tempfile.TemporaryDirectory(prefix="hp-scale-") as temp:
        print(f"Building the demo site ({articles:,} generated articles) ...")
        with demo_database(
            Path(temp), articles=articles, database_url=args.database_url
        ) as environment:
            environment = environment | {"PAGE_CACHE": "off"}
            return {
                name: client_timing(
                    environment,
                    path,
                    requests=FEWER_REQUESTS.get(name, args.requests),
                )
                for name, path in PAGES.items()
            }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument(
        "--database-url", default="", help="postgres://... (default: SQLite)"
    )
    args = parser.parse_args()
    small, large = measure(args.small, args=args), measure(args.large, args=args)
    print(
        f"\n| page | queries | CPU ms, {args.small + 1:,} articles "
        f"| CPU ms, {args.large + 1:,} articles | × |\n| --- | --- | --- | --- | --- |"
    )
    for name in PAGES:
        few, many = small[name], large[name]
        queries = f"{few['warm_queries']} / {many['warm_queries']}"
        print(
            f"| {name} | {queries} | {few['cpu_ms']:,.2f} | {many['cpu_ms']:,.2f} "
            f"| {many['cpu_ms'] / few['cpu_ms']:.2f} |"
        )


if __name__ == "__main__":
    main()
