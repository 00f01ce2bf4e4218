#!/usr/bin/env python
"""
Fault drills against the production server (gunicorn, DEBUG off), each on
servers of its own on 127.0.0.1 (ports 18100-18199), started and stopped by
the drill: a PostgreSQL instance (initdb into a temporary folder) and a
redis-server, never the machine's shared ones.

    .venv/bin/python bench/drills.py [postgres redis worker media disk]

- postgres: PostgreSQL crashes (pg_ctl stop -m immediate) for 5 s under
  load and comes back: errors only while it is down (503), recovery
  without restarting the site, and the article the editor was saving is
  whole (its latest revision is what the database holds).
- redis: Redis stops for 5 s under load and starts again: pages keep
  being served (uncached), and the cache works again afterwards.
- worker: a gunicorn worker is killed (SIGKILL) while it serves requests
  and a save: only requests in flight on it fail, the master starts a new
  one, no 5xx, and the article is whole.
- media: MEDIA_ROOT is a tmpfs remounted read-only: an upload gets a form
  error naming the reason, nothing is stored, /healthz reports the media
  storage; writable again, uploads work.
- disk: the renditions folder is a small tmpfs that fills during an
  upload: the upload gets "No space left on device" and every file it
  wrote (the original and the renditions so far) is deleted again.

Needs root: PostgreSQL runs as the postgres user (runuser), and the media
drills mount a tmpfs. Each drill prints its result; the last line of each
is what the README's table shows.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from editor import Editor  # noqa: E402
from server import EDITOR_USERNAME, Postgres, Redis, Site, wait_until  # noqa: E402

OUTAGE_SECONDS = 5
CHECK_ARTICLE = """
import json
from articles.models import Article, FAQItem
from articles.revisions import snapshot
article = Article.objects.get(pk={pk})
latest = article.revisions.latest()
now, saved = snapshot(article), latest.snapshot
# Compared as values: a date may be written with another offset.
value = lambda name, raw: Article._meta.get_field(name).to_python(raw)
changed = sorted(name for name, raw in now["fields"].items()
                 if value(name, saved["fields"].get(name)) != value(name, raw))
print(json.dumps({{"title": article.title, "revisions": article.revisions.count(),
    "faq": FAQItem.objects.filter(article=article).count(),
    "whole": not changed and now.get("children") == saved.get("children")
             and now.get("tags") == saved.get("tags"), "changed": changed}}))
"""


@dataclass
class Load:
    """Readers and, optionally, an editor saving every half second, with timestamps."""

    site: Site
    readers: int = 8
    edit: bool = True
    answers: list = field(default_factory=list)  # (time, path, status or error)
    saves: list = field(default_factory=list)  # (time, title, status or error)
    _stop: threading.Event = field(default_factory=threading.Event)

    def __enter__(self):
        paths = [
            "/en/",
            "/wp-json/wp/v2/posts",
            "/en/feed/",
            # Cached: what a Redis outage changes.
            "/sitemap.xml",
            "/sitemap-articles.xml",
            *self.site.content["articles"],
        ]
        self._threads = [
            threading.Thread(target=self._read, args=(paths[n:] + paths[:n],))
            for n in range(self.readers)
        ]
        if self.edit:
            self._threads.append(threading.Thread(target=self._save))
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for thread in self._threads:
            thread.join()

    def _read(self, paths):
        while not self._stop.is_set():
            for path in paths:
                if self._stop.is_set():
                    return
                connection = http.client.HTTPConnection(
                    "127.0.0.1", self.site.port, timeout=20
                )
                try:
                    connection.request("GET", path)
                    response = connection.getresponse()
                    response.read()
                    outcome = response.status
                except (OSError, http.client.HTTPException) as error:
                    outcome = type(error).__name__
                finally:
                    connection.close()
                self.answers.append((time.monotonic(), path, outcome))

    def _save(self):
        editor = Editor(self.site.url, EDITOR_USERNAME, self.site.password, timeout=20)
        signed_in = False
        for n in range(1, 10_000):
            if self._stop.is_set():
                return
            title = f"Back spasm remedy, drill save {n}"
            try:
                if not signed_in:
                    editor.sign_in()
                    signed_in = True
                outcome = editor.save_article(self.site.content["seed"], title=title)
            except (OSError, http.client.HTTPException, RuntimeError) as error:
                outcome = type(error).__name__
            self.saves.append((time.monotonic(), title, outcome))
            time.sleep(0.5)

    def summary(self, start: float, end: float) -> dict:
        """Answers by kind before, during (start..end) and after a fault."""
        phases = {"before": {}, "during": {}, "after": {}}
        for moment, _path, outcome in self.answers:
            phase = (
                "before" if moment < start else "during" if moment <= end else "after"
            )
            phases[phase][outcome] = phases[phase].get(outcome, 0) + 1
        return phases


def article_state(site: Site) -> dict:
    code = CHECK_ARTICLE.format(pk=site.content["seed"])
    return json.loads(site.manage("shell", "-c", code).splitlines()[-1])


def last_saved_title(load: Load) -> str:
    saved = [title for _, title, outcome in load.saves if outcome == 302]
    return saved[-1] if saved else ""


def first_success_after(load: Load, moment: float) -> float | None:
    times = [t for t, _, outcome in load.answers if t > moment and outcome == 200]
    return min(times) - moment if times else None


def failures(phase: dict) -> int:
    return sum(n for outcome, n in phase.items() if outcome != 200)


@contextlib.contextmanager
def own_services(temp: Path, **site_options):
    """A PostgreSQL and a Redis of the drill's own, and the site on them."""
    # One after the other: a port is taken only once its server listens.
    postgres = Postgres(temp)
    postgres.start()
    redis = Redis()
    redis.start()
    site = Site(
        database_url=postgres.create_database("hp_hard_drill"),
        cache_url=redis.url(0),
        **site_options,
    )
    try:
        site.prepare(articles=10)
        site.start()
        yield site, postgres, redis
    finally:
        site.close()
        redis.stop()
        with contextlib.suppress(subprocess.CalledProcessError):
            postgres.stop(mode="immediate")


def drill_postgres(temp: Path) -> str:
    with own_services(temp) as (site, postgres, _redis):
        with Load(site) as load:
            time.sleep(5)
            down = time.monotonic()
            postgres.stop(mode="immediate")
            time.sleep(OUTAGE_SECONDS)
            postgres.start()
            up = time.monotonic()
            time.sleep(10)
        phases = load.summary(down, up)
        recovery = first_success_after(load, up)
        late = [
            outcome for t, _, outcome in load.answers
            if recovery is not None and t > up + recovery and outcome != 200
        ]  # fmt: skip
        state = article_state(site)
    print(f"postgres: {phases}")
    print(
        f"postgres: first 200 {recovery:.2f} s after it was back; failures after that: {len(late)}"
    )
    print(
        f"postgres: article {state}; last acknowledged save: {last_saved_title(load)!r}"
    )
    acknowledged = (
        state["title"] == last_saved_title(load) or "drill save" in state["title"]
    )
    ok = (
        recovery is not None
        and failures(phases["before"]) == 0
        and not any(str(o).startswith("5") and o != 503 for o in phases["during"])
        and not late
        and state["whole"]
        and acknowledged
    )
    return (
        f"{'PASS' if ok else 'FAIL'}: down {OUTAGE_SECONDS} s; before {phases['before']}, "
        f"during {phases['during']}, after {phases['after']}; first 200 "
        f"{'never' if recovery is None else f'{recovery:.1f} s'} "
        f"after restart, no site restart; article whole: {state['whole']}"
    )


def drill_redis(temp: Path) -> str:
    with own_services(temp) as (site, _postgres, redis):
        with Load(site, edit=False) as load:
            time.sleep(5)
            down = time.monotonic()
            redis.stop()
            time.sleep(OUTAGE_SECONDS)
            health_down = json.loads(_get(site, "/healthz"))["checks"]["cache"]
            redis.start()
            up = time.monotonic()
            healed = wait_until(
                lambda: json.loads(_get(site, "/healthz"))["checks"]["cache"] == "ok",
                timeout=10,
            )
            healed_after = time.monotonic() - up
            time.sleep(5)
        phases = load.summary(down, up)
    print(
        f"redis: {phases}; /healthz cache while down: {health_down}, ok again: {healed}"
    )
    ok = not any(failures(phase) for phase in phases.values()) and healed
    return (
        f"{'PASS' if ok else 'FAIL'}: Redis down {OUTAGE_SECONDS} s; answers before "
        f"{phases['before']}, during {phases['during']}, after {phases['after']}; "
        f"/healthz cache {health_down} while down, ok {healed_after:.1f} s after restart"
    )


def drill_worker(temp: Path) -> str:
    with own_services(temp) as (site, _postgres, _redis):
        before = site.worker_pids()
        with Load(site, readers=12) as load:
            time.sleep(5)
            victim = random.choice(before)
            killed = time.monotonic()
            os.kill(victim, 9)
            respawned = wait_until(
                lambda: (
                    len(site.worker_pids()) == len(before)
                    and victim not in site.worker_pids()
                ),
                timeout=30,
            )
            time.sleep(5)
        phases = load.summary(killed, killed + 1)
        server_errors = sum(
            n
            for phase in phases.values()
            for o, n in phase.items()
            if str(o).startswith("5")
        )
        state = article_state(site)
    print(f"worker: killed {victim}; respawned: {respawned}; {phases}; article {state}")
    ok = (
        respawned
        and not server_errors
        and failures(phases["before"]) == 0
        and failures(phases["after"]) == 0
        and state["whole"]
    )
    return (
        f"{'PASS' if ok else 'FAIL'}: SIGKILL to 1 of {len(before)} workers under 12 readers "
        f"and an editor; failed in the second of the kill: {failures(phases['during'])} "
        f"(in flight on it), 5xx: {server_errors}, new worker: {respawned}, article whole: "
        f"{state['whole']}"
    )


def _get(site: Site, path: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=20)
    try:
        connection.request("GET", path)
        return connection.getresponse().read().decode()
    finally:
        connection.close()


def noise_jpeg(width: int, height: int) -> bytes:
    """A photo-sized JPEG that does not compress: random pixels."""
    from PIL import Image as PillowImage

    buffer = io.BytesIO()
    PillowImage.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(
        buffer, format="JPEG", quality=90
    )
    return buffer.getvalue()


@contextlib.contextmanager
def tmpfs(path: Path, *, size: str):
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], check=True
    )
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def files_under(path: Path) -> set[str]:
    return {str(file.relative_to(path)) for file in path.rglob("*") if file.is_file()}


def image_count(site: Site) -> int:
    code = "from articles.models import Image; print(Image.objects.count())"
    return int(site.manage("shell", "-c", code).split()[-1])


def upload(site: Site, data: bytes, name: str) -> tuple[int, str]:
    editor = Editor(site.url, EDITOR_USERNAME, site.password)
    editor.sign_in()
    return editor.upload_image(name, data, title="Drill", alt_text="A drill picture")


def error_of(page: str) -> str:
    """The first error the admin form shows."""
    found = re.search(
        r'<ul class="errorlist[^"]*"[^>]*><li>(.*?)</li>', page, re.DOTALL
    )
    return found.group(1) if found else ""


def drill_media(temp: Path) -> str:
    with (
        tmpfs(temp / "media", size="64m") as media,
        own_services(temp, media_root=media) as (site, _postgres, _redis),
    ):
        images, files = image_count(site), files_under(media)
        subprocess.run(["mount", "-o", "remount,ro", str(media)], check=True)
        status, page = upload(site, noise_jpeg(1200, 900), "refused.jpg")
        health = json.loads(_get(site, "/healthz"))
        refused = (
            status,
            error_of(page),
            image_count(site) - images,
            files_under(media) - files,
        )
        subprocess.run(["mount", "-o", "remount,rw", str(media)], check=True)
        status_after, _ = upload(site, noise_jpeg(1200, 900), "accepted.jpg")
        health_after = json.loads(_get(site, "/healthz"))["checks"]["media"]
    print(
        f"media: read-only upload: {refused}; /healthz {health}; writable again: {status_after}, {health_after}"
    )
    ok = (
        refused[0] == 200
        and "Read-only file system" in refused[1]
        and refused[2] == 0
        and not refused[3]
        and health["checks"]["media"] == "unavailable"
        and status_after == 302
        and health_after == "ok"
    )
    return (
        f"{'PASS' if ok else 'FAIL'}: upload to a read-only MEDIA_ROOT: HTTP {refused[0]} with "
        f"the form error “{refused[1].strip()}”, {refused[2]} images and {len(refused[3])} files "
        f"stored; /healthz {health['status']} (media {health['checks']['media']}); writable "
        f"again: upload {status_after}, media {health_after}"
    )


def drill_disk(temp: Path) -> str:
    data = noise_jpeg(2400, 1800)
    room = 192 * 1024
    # The original goes to images/ on the disk; the renditions fill a small
    # tmpfs mounted on renditions/ after the demo made its own.
    with (
        own_services(temp, media_root=temp / "media") as (site, _postgres, _redis),
        tmpfs(temp / "media" / "renditions", size=str(room)) as renditions,
    ):
        images, files = image_count(site), files_under(temp / "media")
        used_before = _used(renditions)
        status, page = upload(site, data, "too-big.jpg")
        full = (
            status,
            error_of(page),
            image_count(site) - images,
            files_under(temp / "media") - files,
        )
        used_after = _used(renditions)
    print(
        f"disk: upload {len(data) // 1024} KB, renditions into {room // 1024} KB: {full}; "
        f"used {used_before} -> {used_after} bytes"
    )
    ok = (
        full[0] == 200
        and "No space left on device" in full[1]
        and full[2] == 0
        and not full[3]
        and used_after == used_before
    )
    return (
        f"{'PASS' if ok else 'FAIL'}: a {len(data) // 1024} KB upload whose renditions "
        f"overflow a {room // 1024} KB tmpfs: HTTP {full[0]} with “{full[1].strip()}”, "
        f"{full[2]} images and {len(full[3])} files kept (the original and the "
        f"renditions written are deleted), space used before and after: "
        f"{used_before} and {used_after} bytes"
    )


def _used(path: Path) -> int:
    stats = os.statvfs(path)
    return (stats.f_blocks - stats.f_bfree) * stats.f_frsize


DRILLS = {
    "postgres": drill_postgres,
    "redis": drill_redis,
    "worker": drill_worker,
    "media": drill_media,
    "disk": drill_disk,
}


def main() -> int:
    chosen = sys.argv[1:] or list(DRILLS)
    results = {}
    for name in chosen:
        with tempfile.TemporaryDirectory(prefix=f"hp-drill-{name}-") as temp:
            print(f"=== {name}")
            results[name] = DRILLS[name](Path(temp))
            print(f"{name}: {results[name]}")
    print()
    for name, result in results.items():
        print(f"| {name} | {result} |")
    return 0 if all(result.startswith("PASS") for result in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
