#!/usr/bin/env python
"""
Soak test: 64 concurrent readers for 60 seconds (10 minutes with --long)
against the production server (gunicorn, DEBUG off) on PostgreSQL and Redis,
while an editor saves and publishes an article through the admin every
second (signed in with a real session; each save GETs the change form and
POSTs it back, changed). Prints the requests, errors, 5xx, p50 and p99
latency, the workers' memory before and after, and how many saves were
visible on the next request. Exits non-zero on any 5xx or invisible save.
Memory "before" is taken after 10 s of warm-up requests, which load each
worker's modules and templates.

    .venv/bin/python bench/soak.py [--long] [--readers 64] [--seconds 60]

It uses the machine's PostgreSQL (a database hp_hard_soak, created and
dropped) and Redis (db 12, emptied first), and serves on a free port in
18100-18199 on 127.0.0.1; the server stops when the run ends.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from editor import Editor  # noqa: E402
from server import EDITOR_USERNAME, Site, machine_database  # noqa: E402

REDIS_URL = "redis://127.0.0.1:6379/12"
WARM_UP_SECONDS = 10


@dataclass
class Tally:
    """What the readers saw; appended to from many threads (list.append is atomic)."""

    latencies: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def reader_paths(content: dict) -> list[str]:
    paths = ["/en/", "/en/feed/", "/sitemap.xml", "/sitemap-articles.xml",
             "/wp-json/wp/v2/posts", "/wp-json/wp/v2/posts?_embed=1",
             "/wp-json/wp/v2/categories", "/wp-json/wp/v2/tags", "/robots.txt",
             f"/en/{content['category']}/", "/en/?page=2"]  # fmt: skip
    if content.get("tag"):
        paths.append(f"/en/tag/{content['tag']}/")
    if content.get("author"):
        paths.append(f"/en/author/{content['author']}/")
    return paths + content["articles"]


def read(site: Site, paths: list[str], tally: Tally, *, until: float, offset: int):
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=30)
    for path in itertools.islice(itertools.cycle(paths), offset, None):
        if time.monotonic() >= until:
            break
        started = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as error:
            tally.errors.append(f"{path}: {error!r}")
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=30)
            continue
        tally.latencies.append(time.perf_counter() - started)
        tally.statuses.append(response.status)
        if response.getheader("Connection", "").lower() == "close":
            connection.close()
    connection.close()


def edit(site: Site, results: dict, *, until: float) -> None:
    """Save and publish the seed article every second; check the next request shows it."""
    editor = Editor(site.url, EDITOR_USERNAME, site.password)
    editor.sign_in()
    article = site.content["seed"]
    path = next(
        p for p in site.content["articles"] if p.endswith("/back-spasm-remedy/")
    )
    for n in itertools.count(1):
        if time.monotonic() >= until:
            break
        started = time.monotonic()
        title = f"Back spasm remedy, soak save {n}"
        status = editor.save_article(article, title=title, status="published")
        results["saves"] += 1
        if status == 302:
            results["saved"] += 1
            reader = http.client.HTTPConnection("127.0.0.1", site.port, timeout=30)
            reader.request("GET", path)
            if title.encode() in reader.getresponse().read():
                results["visible"] += 1
            reader.close()
        else:
            results["refused"].append(status)
        time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return (
        ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--long", action="store_true", help="Run for 10 minutes.")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--readers", type=int, default=64)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    seconds = 600 if args.long else args.seconds

    subprocess.run(
        ["redis-cli", "-n", "12", "flushdb"], check=True, capture_output=True
    )
    with machine_database("hp_hard_soak") as database_url:
        site = Site(
            database_url=database_url,
            cache_url=REDIS_URL,
            workers=args.workers,
            threads=args.threads,
        )
        try:
            site.prepare()
            site.start()
            paths = reader_paths(site.content)
            # Every worker loads its modules and templates on its first
            # requests: memory is compared from after that.
            warm_up = Tally()
            warmers = [
                threading.Thread(
                    target=read,
                    args=(site, paths, warm_up),
                    kwargs={"until": time.monotonic() + WARM_UP_SECONDS, "offset": n},
                )
                for n in range(8)
            ]
            for thread in warmers:
                thread.start()
            for thread in warmers:
                thread.join()
            memory_before = [site.memory_kb(pid) for pid in site.worker_pids()]
            tally, results = (
                Tally(),
                {"saves": 0, "saved": 0, "visible": 0, "refused": []},
            )
            until = time.monotonic() + seconds
            threads = [
                threading.Thread(
                    target=read,
                    args=(site, paths, tally),
                    kwargs={"until": until, "offset": n},
                )
                for n in range(args.readers)
            ]
            threads.append(
                threading.Thread(
                    target=edit, args=(site, results), kwargs={"until": until}
                )
            )
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            memory_after = [site.memory_kb(pid) for pid in site.worker_pids()]
        finally:
            site.close()

    requests = len(tally.statuses) + len(tally.errors)
    server_errors = sum(status >= 500 for status in tally.statuses)
    other = sorted({s for s in tally.statuses if not 200 <= s < 400})
    print(
        f"soak: {seconds} s, {args.readers} readers, gunicorn {args.workers} workers x "
        f"{args.threads} threads, PostgreSQL + Redis, {len(paths)} paths"
    )
    print(
        f"requests: {requests} ({requests / seconds:.0f}/s), errors: {len(tally.errors)}, "
        f"5xx: {server_errors}, other statuses: {other or 'none'}"
    )
    print(
        f"latency: p50 {statistics.median(tally.latencies) * 1000:.0f} ms, "
        f"p99 {percentile(tally.latencies, 0.99) * 1000:.0f} ms, "
        f"max {max(tally.latencies) * 1000:.0f} ms"
    )
    print(
        f"editor: {results['saves']} saves, {results['saved']} saved and published, "
        f"{results['visible']} visible on the next request, refused: {results['refused'] or 'none'}"
    )
    print(
        "worker memory (RSS, MB): before "
        + ", ".join(f"{kb / 1024:.0f}" for kb in memory_before)
        + "; after "
        + ", ".join(f"{kb / 1024:.0f}" for kb in memory_after)
    )
    for error in tally.errors[:5]:
        print(f"  error: {error}")
    failed = server_errors or tally.errors or results["visible"] != results["saved"]
    return 1 if failed or not results["saved"] else 0


if __name__ == "__main__":
    sys.exit(main())
