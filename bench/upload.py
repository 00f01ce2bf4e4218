#!/usr/bin/env python
"""
How long an editor waits for a photo upload: a 6000×4000 camera JPEG posted
through the admin's image form over HTTP, to the production server (gunicorn,
DEBUG off, as `make serve` runs it) with the task worker beside it, signed in
as an editor with a real session. The yardstick, in the same run and on the
same server, is the plain GET of the same admin form; the table gives the
median of each and their ratio. The upload must answer in under 1 s: it
stores the original (without its metadata) and enqueues the renditions.

It also reports how long the worker then takes to make the renditions (the
time from the upload's answer until they are recorded), and how long making
them takes in one process, which is what the upload used to wait for. One
small upload first warms the server up and is not counted, and each upload
starts with the worker idle.

    .venv/bin/python bench/upload.py [--uploads 3]

A throw-away site (SQLite and media in a temporary folder, the demo loaded)
is served on a free port in 18100-18199 on 127.0.0.1; the server and the
worker are stopped by their PIDs when the run ends, fails or is interrupted.
Exits non-zero when the median upload takes 1 s or more.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

# The project root instead of this folder, whose http.py would shadow the
# standard library's http package.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from articles import imaging  # noqa: E402
from bench.editor import Editor  # noqa: E402
from bench.images import photo  # noqa: E402
from bench.server import BIN, EDITOR_USERNAME, ROOT, Site  # noqa: E402

ADD_FORM = "/admin/articles/image/add/"
LIMIT_SECONDS = 1.0
WIDTH, HEIGHT = 6000, 4000


def timed(call):
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def start_worker(site: Site) -> subprocess.Popen:
    return subprocess.Popen(
        [str(BIN / "python"), "manage.py", "db_worker", "--no-reload",
         "--interval", "0.1", "--verbosity", "0"],
        cwd=ROOT,
        env=site.environment(),
    )  # fmt: skip


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def renditions_of_latest_image(database: Path) -> tuple[int, int]:
    """(the newest image's id, how many renditions it has) from the site's database."""
    with sqlite3.connect(database) as connection:
        image_id = connection.execute("SELECT max(id) FROM articles_image").fetchone()[
            0
        ]
        (count,) = connection.execute(
            "SELECT count(*) FROM articles_rendition WHERE image_id = ?", (image_id,)
        ).fetchone()
    return image_id, count


def wait_until_idle(database: Path, *, timeout: float = 300) -> None:
    """Until the worker has run every queued task (the demo's, the last upload's)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sqlite3.connect(database) as connection:
            (waiting,) = connection.execute(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                "WHERE status IN ('READY', 'RUNNING')"
            ).fetchone()
        if not waiting:
            return
        time.sleep(0.1)
    raise RuntimeError("the worker did not empty its queue")


def wait_for_renditions(database: Path, *, timeout: float = 120) -> float | None:
    """Seconds until the newest image has its renditions, or None."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if renditions_of_latest_image(database)[1]:
            return time.perf_counter() - started
        time.sleep(0.05)
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uploads", type=int, default=3)
    args = parser.parse_args()

    print(f"Making {args.uploads} photos of {WIDTH}×{HEIGHT}…", flush=True)
    photos = [photo(WIDTH, HEIGHT, seed=100 + n) for n in range(args.uploads)]
    warm_up = photo(1200, 800, seed=99)
    in_one_process, _outputs = timed(lambda: imaging.make_renditions(photos[0]))

    site = Site(database_url="", cache_url="locmemcache://")
    database = Path(site.media_root).parent / "site.sqlite3"
    site.database_url = f"sqlite:///{database}"
    worker = None
    try:
        print("Preparing the site (migrate, collectstatic, the demo)…", flush=True)
        site.prepare(articles=0)
        site.start()
        worker = start_worker(site)
        editor = Editor(site.url, EDITOR_USERNAME, site.password, timeout=60)
        editor.sign_in()
        # Warm: the form and one upload not counted (each gunicorn worker
        # loads its code on first use), then an idle worker for each upload.
        editor.request("GET", ADD_FORM)
        editor.upload_image("warm-up.jpg", warm_up, title="Warm-up", alt_text="A")
        wait_until_idle(database)

        form_gets, uploads, backgrounds = [], [], []
        for n, data in enumerate(photos):
            elapsed, (status, _headers, _page) = timed(
                lambda: editor.request("GET", ADD_FORM)
            )
            assert status == 200, status
            form_gets.append(elapsed)
            elapsed, (status, page) = timed(
                lambda n=n, data=data: editor.upload_image(
                    f"camera-{n}.jpg", data, title=f"Photo {n}", alt_text="A photo"
                )
            )
            assert status == 302, (status, page[:2000])
            uploads.append(elapsed)
            image_id, count = renditions_of_latest_image(database)
            assert count == 0, "the upload made renditions in the request"
            backgrounds.append(wait_for_renditions(database))
            wait_until_idle(database)
            print(
                f"  upload {n + 1}: {elapsed:.3f} s (image {image_id}); "
                f"form GET {form_gets[-1] * 1000:.0f} ms; renditions ready "
                f"{backgrounds[-1]:.1f} s later",
                flush=True,
            )
    finally:
        if worker is not None:
            stop(worker)
        site.close()

    size = len(photos[0]) / 1024 / 1024
    upload, form_get = statistics.median(uploads), statistics.median(form_gets)
    made = [seconds for seconds in backgrounds if seconds is not None]
    print()
    print(f"A {WIDTH}×{HEIGHT} JPEG of {size:.1f} MB, {len(photos)} uploads (medians):")
    print(f"  {'upload through the admin':<42} {upload * 1000:8.0f} ms")
    print(f"  {'GET of the same form (yardstick)':<42} {form_get * 1000:8.0f} ms")
    print(f"  {'ratio upload / yardstick':<42} {upload / form_get:8.1f}")
    print(
        f"  {'renditions by the worker, after the answer':<42} "
        f"{statistics.median(made) * 1000 if made else float('nan'):8.0f} ms"
    )
    print(
        f"  {'the renditions in one process (was in the request)':<42} "
        f"{in_one_process * 1000:8.0f} ms"
    )
    if len(made) < len(backgrounds):
        print("FAIL: the worker did not make every upload's renditions")
        return 1
    if upload >= LIMIT_SECONDS:
        print(f"FAIL: the upload took {upload:.2f} s, the limit is {LIMIT_SECONDS} s")
        return 1
    print(f"OK: the upload answers in under {LIMIT_SECONDS:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
