"""`make serve`: production settings over plain HTTP on loopback, and a server that refuses to start half set up."""

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

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
