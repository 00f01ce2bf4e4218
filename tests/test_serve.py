"""`make run` and `make serve`: production settings over plain HTTP on loopback, and a server that refuses to start half set up."""

import contextlib
import json
import os
import re
import runpy
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.loopback import free_port
from tests.test_settings import BASE_DIR, PRODUCTION, run_django, settings_json

GUNICORN = Path(sys.executable).parent / "gunicorn"


def serve_environment():
    """The variables `make serve` sets, read from the Makefile."""
    line = next(
        line
        for line in (BASE_DIR / "Makefile").read_text().splitlines()
        if line.startswith("SERVE_ENV :=")
    )
    return dict(pair.split("=", 1) for pair in line.split(":=", 1)[1].split())


def test_serve_turns_debug_off_and_serves_plain_http_by_its_own_choice():
    served = settings_json(
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        **PRODUCTION | serve_environment(),
    )
    production = settings_json(
        "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", **PRODUCTION
    )

    assert served == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": False,
    }
    assert production == {"SECURE_SSL_REDIRECT": True, "SESSION_COOKIE_SECURE": True}


def test_gunicorn_runs_two_workers_a_core_plus_one_on_loopback(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: {0, 1, 2})

    config = runpy.run_path(str(BASE_DIR / "config" / "gunicorn.py"))

    assert config["workers"] == 7
    assert config["bind"] == ["127.0.0.1:8000"]


def test_web_concurrency_sets_the_number_of_workers(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "2")

    assert runpy.run_path(str(BASE_DIR / "config" / "gunicorn.py"))["workers"] == 2


def test_missing_static_manifest_stops_gunicorn_at_start_with_the_reason(tmp_path):
    result = subprocess.run(
        [
            GUNICORN,
            "--config",
            "config/gunicorn.py",
            "--bind",
            f"unix:{tmp_path / 'gunicorn.sock'}",
            "config.wsgi",
        ],
        cwd=BASE_DIR,
        env=_environment(STATIC_ROOT=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "The static files manifest" in result.stderr
    assert "run `manage.py collectstatic`" in result.stderr


def test_application_loads_once_static_files_are_collected(tmp_path):
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": {}, "version": "1.1", "hash": ""})
    )

    result = run_django("import config.wsgi", **PRODUCTION, STATIC_ROOT=str(tmp_path))

    assert result.returncode == 0, result.stderr


def test_debug_needs_no_collected_static_files(tmp_path):
    result = run_django(
        "import config.wsgi, config.asgi",
        DJANGO_DEBUG="true",
        STATIC_ROOT=str(tmp_path),
    )

    assert result.returncode == 0, result.stderr


def test_asgi_application_checks_the_manifest_too(tmp_path):
    result = run_django("import config.asgi", **PRODUCTION, STATIC_ROOT=str(tmp_path))

    assert "The static files manifest" in result.stderr


def recipe(target):
    """The commands `make <target>` runs, as make prints them without running them."""
    result = subprocess.run(
        ["make", "--no-print-directory", "--dry-run", target],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    # A command continued over several lines (a trailing backslash) is one.
    return [
        line
        for line in result.stdout.replace("\\\n", " ").splitlines()
        if "manage.py" in line or "gunicorn" in line
    ]


def test_run_serves_the_demo_as_readers_get_it_whatever_the_env_file_says():
    serve = " ".join(f"{name}={value}" for name, value in serve_environment().items())
    commands = recipe("run")

    assert [command.split(" .venv/bin/")[1].split()[:2] for command in commands] == [
        ["python", "manage.py"],
        ["python", "manage.py"],
        ["python", "manage.py"],
        ["python", "-m"],
    ]
    assert "collectstatic" in commands[0] and "load_demo" in commands[2]
    # The server as production runs it, and the task worker beside it.
    assert "config.processes" in commands[3]
    assert "gunicorn --config config/gunicorn.py config.wsgi" in commands[3]
    assert "db_worker" in commands[3]
    # On every command, so an older .env with DJANGO_DEBUG=true is overruled.
    assert all(command.startswith(serve + " ") for command in commands)


def test_dev_runs_the_autoreloading_runserver_with_debug_on():
    commands = recipe("dev")

    assert all(command.startswith("DJANGO_DEBUG=true ") for command in commands)
    assert "manage.py runserver 127.0.0.1:8000" in commands[-1]
    assert "db_worker" in commands[-1]
    assert "--noreload" not in commands[-1]


def test_environment_variables_win_over_an_env_file_that_turns_debug_on(tmp_path):
    (tmp_path / ".env").write_text("DJANGO_DEBUG=true\n")
    code = (
        "import environ, os, sys; "
        f"environ.Env.read_env({str(tmp_path / '.env')!r}); "
        "print(environ.Env().bool('DJANGO_DEBUG'))"
    )

    result = subprocess.run(
        [sys.executable, "-c", code],
        env=os.environ | {"DJANGO_DEBUG": "false"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.strip() == "False", result.stderr


def test_the_served_site_shows_the_designed_404_and_its_static_files(tmp_path):
    """gunicorn with `make run`'s variables: no technical 404, and whitenoise serves the CSS."""
    port = free_port()
    environment = _environment(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        ALLOWED_HOSTS="localhost,127.0.0.1",
        LOG_LEVEL="ERROR",
        **serve_environment(),
    )
    for command in (["collectstatic", "--noinput"], ["migrate", "--noinput"]):
        subprocess.run(
            [sys.executable, "manage.py", *command, "--verbosity", "0"],
            cwd=BASE_DIR,
            env=environment,
            check=True,
            timeout=300,
        )
    server = subprocess.Popen(
        [GUNICORN, "--config", "config/gunicorn.py", "--bind", f"127.0.0.1:{port}", "--workers", "1", "config.wsgi"],
        cwd=BASE_DIR,
        env=environment,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_until(lambda: fetch(f"{base}/healthz")[0] == 200, timeout=60)

        status, missing = fetch(f"{base}/en/no-such-page/")
        (stylesheet,) = re.findall(r'<link rel="stylesheet" href="([^"]+)"', missing)
        css_status, css = fetch(base + stylesheet)
        localhost_status, _ = fetch(f"http://localhost:{port}/healthz")
    finally:
        server.terminate()
        server.wait(15)

    assert status == 404
    assert "We can't find that page" in missing
    assert "Using the URLconf" not in missing
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", stylesheet)
    assert css_status == 200 and "@media" in css
    assert localhost_status == 200


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_until(check, *, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if check():
                return True
        time.sleep(0.2)
    return False


def _environment(**variables):
    inherited = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CACHE_URL"}
    }
    return (
        inherited
        | {"DJANGO_SETTINGS_MODULE": "config.settings"}
        | PRODUCTION
        | variables
    )


def test_gunicorn_refuses_several_workers_that_would_each_keep_their_own_cache(
    tmp_path,
):
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": {}, "version": "1.1", "hash": ""})
    )
    result = subprocess.run(
        [
            GUNICORN,
            "--config",
            "config/gunicorn.py",
            "--bind",
            f"unix:{tmp_path / 'gunicorn.sock'}",
            "--workers",
            "2",
            "config.wsgi",
        ],
        cwd=BASE_DIR,
        env=_environment(STATIC_ROOT=str(tmp_path), CACHE_URL="locmemcache://"),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "CACHE_URL is a local-memory cache" in result.stderr
