#!/usr/bin/env python
"""
Load the production server and the yardstick side by side, in one run: a
throw-away demo site (the seed article, plus --articles generated ones)
served by gunicorn as `make serve` serves it (2 workers, DEBUG off, SQLite),
and a bare Django view that renders the same article HTML from one row
(bench/yardstick/). Each page is loaded with wrk when it is installed, else
with a Python load generator; the table gives req/s, p50 and p99 and the
ratio of each page's req/s to the yardstick's in the same run.

    .venv/bin/python bench/http.py                      # the seed article
    .venv/bin/python bench/http.py --articles 10000 --nginx
    .venv/bin/python bench/http.py --in-process         # test client, no server

With --nginx the article is also loaded behind deploy/nginx.conf (its page
cache on) and beside nginx serving a copy of the page as a static file, the
ratio of those two in the same run. The article is loaded with PAGE_CACHE
off and on; the flag is passed to the server and the figures are whatever it
gives. Everything listens on 127.0.0.1, ports 18000 to 18004, and every
process started here is stopped by its PID when the run ends, fails or is
interrupted.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path, and this
# file (http.py) would stand in for the standard library's http package:
# the project root goes there instead, before anything imports http.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse
import gzip
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass

from bench.demo_database import PYTHON, ROOT, demo_database
from deploy import nginx_conf

HOST = "127.0.0.1"
PORTS = {"site": 18000, "site_cached": 18001, "yardstick": 18002, "nginx": 18003}
PURGE_PORT = 18004
GUNICORN = Path(PYTHON).parent / "gunicorn"
WRK = shutil.which("wrk")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SEED_ARTICLE = "/en/beauty/back-spasm-remedy/"
SEED_POST_ID = json.loads((ROOT / "demo" / "back-spasm-remedy.json").read_text())["id"]
BUSY_CATEGORY = "/en/demo-back-pain/"  # The largest generated category.


YARDSTICK = "bare Django view (yardstick)"
STATIC_COPY = "nginx, the page as a static file"


# What a browser sends: the nginx pair is loaded as browsers load it, with
# the static copy's .gz beside it, as whitenoise's static files have theirs.
BROWSER_ENCODING = {"Accept-Encoding": "gzip"}


@dataclass(frozen=True)
class Target:
    name: str
    port: str
    path: str
    yardstick: str = YARDSTICK
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Result:
    requests_per_second: float
    p50_ms: float | None
    p99_ms: float | None
    errors: int


def targets(*, articles: int, nginx: bool) -> list[Target]:
    category = BUSY_CATEGORY if articles else "/en/beauty/"
    pages = [
        Target(YARDSTICK, "yardstick", "/page/"),
        Target("article, PAGE_CACHE=off", "site", SEED_ARTICLE),
        Target("article, PAGE_CACHE=on", "site_cached", SEED_ARTICLE),
        Target("home", "site", "/en/"),
        Target("category archive", "site", category),
        Target("feed", "site", "/en/feed/"),
        Target("sitemap index", "site", "/sitemap.xml"),
        Target("article sitemap", "site", "/sitemap-articles.xml"),
        Target("API item", "site", f"/wp-json/wp/v2/posts/{SEED_POST_ID}"),
        Target("API list", "site", "/wp-json/wp/v2/posts"),
    ]
    if nginx:
        pages += [
            Target(
                "nginx, the page as a static file",
                "nginx",
                "/static/bench/article.html",
                headers=tuple(BROWSER_ENCODING.items()),
            ),
            Target(
                "article behind nginx",
                "nginx",
                SEED_ARTICLE,
                yardstick="nginx, the page as a static file",
                headers=tuple(BROWSER_ENCODING.items()),
            ),
        ]
    return pages


# Processes


class Processes:
    """What this run started: stopped by PID, newest first, whatever happens."""

    def __init__(self):
        self.started: list[subprocess.Popen] = []

    def start(self, command, *, log: Path, **options) -> subprocess.Popen:
        with log.open("ab") as output:
            # A session of its own: a Ctrl-C at the terminal reaches this
            # script only, which then stops each process itself.
            process = subprocess.Popen(
                command,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                **options,
            )
        self.started.append(process)
        return process

    def stop_all(self):
        for process in reversed(self.started):
            if process.poll() is None:
                process.terminate()
        for process in reversed(self.started):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_listening(port: int, process: subprocess.Popen, *, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"The server on port {port} stopped:\n{log.read_text()[-3000:]}")
        try:
            http.client.HTTPConnection(HOST, port, timeout=1).connect()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"Nothing listens on port {port} after 60 s:\n{log.read_text()[-3000:]}")


def ensure_free(ports) -> None:
    for port in ports:
        try:
            http.client.HTTPConnection(HOST, port, timeout=1).connect()
        except OSError:
            continue
        sys.exit(f"Port {port} is taken: bench/http.py needs ports 18000-18004.")


def gunicorn(processes, environment, *, port, app, workers, log):
    process = processes.start(
        [
            GUNICORN,
            "--config",
            "config/gunicorn.py",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            app,
        ],
        log=log,
        cwd=ROOT,
        env=environment,
    )
    wait_until_listening(port, process, log=log)


def fetch(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        sys.exit(f"GET {path} on port {port} answered {response.status}")
    return body


# Load


def load_in_rounds(pages: list[Target], *, args) -> list[tuple[Target, Result, float]]:
    """
    Each page's median round (by requests per second) and the median of its
    ratios to its yardstick round by round. The rounds take turns, every page
    once per round, so that a page and its yardstick meet the same load from
    the rest of the machine, within seconds of each other.
    """
    for target in pages:
        fetch(PORTS[target.port], target.path)  # Warm up the workers' caches.
    generator = wrk if WRK and not args.python_load else python_load
    rounds: dict[str, list[Result]] = {target.name: [] for target in pages}
    for number in range(args.rounds):
        for target in pages:
            print(f"  round {number + 1}: {target.name} ...", file=sys.stderr)
            rounds[target.name].append(
                generator(
                    PORTS[target.port], target.path, dict(target.headers), args=args
                )
            )
    measured = []
    for target in pages:
        own, yardstick = rounds[target.name], rounds[target.yardstick]
        median = sorted(own, key=lambda result: result.requests_per_second)[
            len(own) // 2
        ]
        ratio = statistics.median(
            mine.requests_per_second / max(theirs.requests_per_second, 0.001)
            for mine, theirs in zip(own, yardstick, strict=True)
        )
        measured.append((target, median, ratio))
    return measured


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(port: int, path: str, headers: dict[str, str], *, args) -> Result:
    output = subprocess.run(
        [
            WRK,
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{args.duration}s",
            # A 50,000-URL sitemap takes seconds: wrk's 2 s would count it failed.
            "--timeout",
            "30s",
            "--latency",
            *(f"-H{name}: {value}" for name, value in headers.items()),
            f"http://{HOST}:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency(percent):
        # None when no request finished in the round (a huge sitemap may not).
        found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        return float(found.group(1)) * UNITS[found.group(2)] if found else None

    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(failed.group(1)) if failed else 0
    errors += sum(map(int, socket_errors.groups())) if socket_errors else 0
    requests_per_second = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    if not requests_per_second:
        return Result(0.0, None, None, errors)
    return Result(requests_per_second, latency(50), latency(99), errors)


def python_load(port: int, path: str, headers: dict[str, str], *, args) -> Result:
    """wrk's measure without wrk: connections in threads, as fast as answers come."""
    latencies: list[float] = []
    errors = [0]
    deadline = time.monotonic() + args.duration

    def client():
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status < 400
            except OSError:
                ok = False
            latencies.append((time.perf_counter() - started) * 1000)
            if not ok:
                errors[0] += 1

    threads = [threading.Thread(target=client) for _ in range(args.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if len(latencies) < 2:
        return Result(len(latencies) / args.duration, None, None, errors[0])
    percentiles = statistics.quantiles(latencies, n=100)
    return Result(
        len(latencies) / args.duration, percentiles[49], percentiles[98], errors[0]
    )


# Runs


def serve_and_load(args) -> tuple[list[tuple[Target, Result, float]], list]:
    with tempfile.TemporaryDirectory(prefix="hp-http-") as temp, ExitStack() as stack:
        temp_dir = Path(temp)
        ensure_free([*PORTS.values(), PURGE_PORT])
        print(f"Building the demo site ({args.articles:,} generated articles) ...")
        environment = stack.enter_context(
            demo_database(
                temp_dir,
                articles=args.articles,
                database_url=args.database_url,
                site_url=f"http://{HOST}:{PORTS['site']}",
            )
        )
        # Registered after the database: the servers stop before it is dropped.
        processes = Processes()
        stack.callback(processes.stop_all)
        for name, page_cache in (("site", "off"), ("site_cached", "on")):
            gunicorn(
                processes,
                environment | {"PAGE_CACHE": page_cache},
                port=PORTS[name],
                app="config.wsgi",
                workers=args.workers,
                log=temp_dir / f"{name}.log",
            )
        article_html = fetch(PORTS["site"], SEED_ARTICLE)
        start_yardstick(processes, temp_dir, article_html, workers=args.workers)
        if args.nginx:
            start_nginx(processes, temp_dir, environment, article_html)
        pages = targets(articles=args.articles, nginx=args.nginx)
        if args.only:
            # A page's yardstick is always loaded with it.
            chosen = {t.name for t in pages if any(w in t.name for w in args.only)}
            chosen |= {t.yardstick for t in pages if t.name in chosen}
            pages = [target for target in pages if target.name in chosen]
        results = load_in_rounds(pages, args=args)
        print("  an edit under load ...", file=sys.stderr)
        edits = edit_under_load(environment, nginx=args.nginx, args=args)
        return results, edits


EDIT = """
from articles import publishing
from articles.models import Article
article = Article.objects.get(language="en", slug={slug!r})
article.title = {title!r}
publishing.save(article, user=None)
"""


def edit_under_load(environment, *, nginx: bool, args) -> list[tuple[str, bool]]:
    """
    Change the seed article's title through the publishing service, from
    another process, while the cached site (and nginx in front) is loaded;
    then ask once where readers would: is the new title on the very next
    request? The purge goes to nginx as PURGE_URL says in production.
    """
    title = f"Edited under load {time.time_ns()}"
    slug = SEED_ARTICLE.rstrip("/").rsplit("/", 1)[-1]
    ports = {"gunicorn, PAGE_CACHE=on": PORTS["site_cached"]}
    edit_environment = dict(environment)
    if nginx:
        ports["behind nginx"] = PORTS["nginx"]
        edit_environment["PURGE_URL"] = f"http://{HOST}:{PURGE_PORT}"
    with ExitStack() as stack:
        loads = [
            stack.enter_context(
                subprocess.Popen(
                    [
                        WRK,
                        "-t1",
                        f"-c{args.connections // 2}",
                        f"-d{args.duration}s",
                        f"http://{HOST}:{port}{SEED_ARTICLE}",
                    ],
                    stdout=subprocess.DEVNULL,
                )
            )
            for port in ports.values()
            if WRK
        ]
        time.sleep(min(2, args.duration / 2))
        subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", EDIT.format(slug=slug, title=title)],
            cwd=ROOT,
            env=edit_environment,
            check=True,
        )
        seen = [
            (name, title.encode() in fetch(port, SEED_ARTICLE))
            for name, port in ports.items()
        ]
        for process in loads:
            process.wait()
    return seen


def start_yardstick(processes, temp_dir, article_html, *, workers):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.yardstick.settings",
        "YARDSTICK_DATABASE": str(temp_dir / "yardstick.sqlite3"),
    }
    subprocess.run(
        [PYTHON, "-m", "bench.yardstick.load"],
        input=article_html,
        cwd=ROOT,
        env=environment,
        check=True,
    )
    gunicorn(
        processes,
        environment,
        port=PORTS["yardstick"],
        app="bench.yardstick.wsgi",
        workers=workers,
        log=temp_dir / "yardstick.log",
    )


def start_nginx(processes, temp_dir, environment, article_html):
    static_root = Path(environment["STATIC_ROOT"])
    (static_root / "bench").mkdir(exist_ok=True)
    (static_root / "bench" / "article.html").write_bytes(article_html)
    (static_root / "bench" / "article.html.gz").write_bytes(gzip.compress(article_html))
    state = temp_dir / "nginx"
    nginx_conf.prepare_state_dir(state)
    config = state / "nginx.conf"
    config.write_text(
        nginx_conf.render(
            upstream=f"{HOST}:{PORTS['site_cached']}",
            static_root=static_root,
            media_root=Path(environment["MEDIA_ROOT"]),
            state_dir=state,
            listen=f"{HOST}:{PORTS['nginx']}",
            purge_listen=f"{HOST}:{PURGE_PORT}",
        )
    )
    log = temp_dir / "nginx.log"
    process = processes.start(
        [NGINX, "-p", state, "-c", config, "-g", "daemon off;"], log=log
    )
    wait_until_listening(PORTS["nginx"], process, log=log)


def in_process(args) -> None:
    """The article's and the bare view's mean time through the test client, in one run."""
    with tempfile.TemporaryDirectory(prefix="hp-client-") as temp:
        temp_dir = Path(temp)
        with demo_database(
            temp_dir, articles=args.articles, database_url=args.database_url
        ) as environment:
            pages = {
                f"article, PAGE_CACHE={flag}": client_timing(
                    {**environment, "PAGE_CACHE": flag},
                    SEED_ARTICLE,
                    requests=args.requests,
                )
                for flag in ("off", "on")
            }
            yardstick_environment = {
                **environment,
                "DJANGO_SETTINGS_MODULE": "bench.yardstick.settings",
                "YARDSTICK_DATABASE": str(temp_dir / "yardstick.sqlite3"),
            }
            subprocess.run(
                [PYTHON, "-m", "bench.yardstick.load"],
                input=article_html(environment),
                cwd=ROOT,
                env=yardstick_environment,
                check=True,
            )
            bare = client_timing(
                yardstick_environment, "/page/", requests=args.requests
            )
    print(
        f"In-process (Django test client, mean of {args.requests} requests, "
        f"{args.articles + 1:,} articles):"
    )
    for name, timing in {"bare Django view": bare, **pages}.items():
        print(
            f"  {name:<22} {timing['mean_ms']:7.2f} ms, {timing['cpu_ms']:7.2f} ms of CPU, "
            f"{timing['queries']} queries cold, {timing['warm_queries']} warm, "
            f"{timing['mean_ms'] / bare['mean_ms']:5.2f} × the bare view's time"
        )


def client_timing(environment, path, *, requests) -> dict:
    output = subprocess.run(
        [PYTHON, "bench/client_timing.py", path, str(requests)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def article_html(environment) -> bytes:
    return subprocess.run(
        [
            PYTHON,
            "-c",
            "import django; django.setup(); from django.test import Client; "
            f"import sys; sys.stdout.buffer.write(Client().get({SEED_ARTICLE!r}).content)",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        check=True,
    ).stdout


def print_table(results, *, args) -> None:
    load_tool = "wrk" if WRK and not args.python_load else "Python load generator"
    print(
        f"\n{args.articles + 1:,} articles, gunicorn {args.workers} workers, {load_tool} "
        f"-t{args.threads} -c{args.connections}, {args.rounds} rounds × {args.duration} s: "
        "the median round, and the median of the ratios round by round"
    )
    print(
        "| page | req/s | p50 ms | p99 ms | × yardstick |\n| --- | --- | --- | --- | --- |"
    )
    for target, result, ratio in results:
        errors = f" ({result.errors} errors)" if result.errors else ""
        print(
            f"| {target.name}{errors} | {result.requests_per_second:,.1f} | "
            f"{_ms(result.p50_ms)} | {_ms(result.p99_ms)} | {ratio:.3f} |"
        )


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--articles", type=int, default=0, help="generated articles besides the seed"
    )
    parser.add_argument(
        "--database-url", default="", help="postgres://... (default: SQLite)"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=int, default=15, help="seconds per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--nginx", action="store_true", help="also behind deploy/nginx.conf"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        default=[],
        metavar="WORD",
        help="only the pages whose name holds one of these words (and their yardsticks)",
    )
    parser.add_argument(
        "--python-load",
        action="store_true",
        help="the Python load generator even when wrk is installed",
    )
    parser.add_argument(
        "--in-process", action="store_true", help="the test client instead of servers"
    )
    parser.add_argument(
        "--requests", type=int, default=200, help="requests per page in-process"
    )
    args = parser.parse_args()
    # A stop asked for by the system ends the run as Ctrl-C does: cleanly.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    if args.in_process:
        in_process(args)
    else:
        results, edits = serve_and_load(args)
        print_table(results, args=args)
        for name, seen in edits:
            verdict = "shown" if seen else "NOT shown (a stale page)"
            print(f"An edit made under load, {name}: {verdict} on the next request")
        if not all(seen for _name, seen in edits):
            sys.exit(1)


if __name__ == "__main__":
    main()
