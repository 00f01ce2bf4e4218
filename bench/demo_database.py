"""
A throw-away copy of the demo site for the benchmarks: a fresh database with
the seed article (load_demo) and any number of generated ones
(generate_demo), collected static files and production-like settings
(DEBUG off), all under a temporary directory. A PostgreSQL database named in
--database-url is created for the run and dropped afterwards, so name one
that holds nothing (e.g. hp_speed_bench).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def settings_environment(
    temp_dir: Path, *, database_url: str, site_url: str
) -> dict[str, str]:
    """The production settings, with plain HTTP on loopback and files under temp_dir."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": "bench-only-" + "k" * 50,
        # TLS belongs to the proxy; the benchmark talks plain HTTP on loopback.
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SITE_URL": site_url,
        "DATABASE_URL": database_url,
        # Shared by the servers' workers, as the site's default is.
        "CACHE_URL": os.environ.get("CACHE_URL", f"filecache://{temp_dir / 'cache'}"),
        "MEDIA_ROOT": str(temp_dir / "media"),
        "STATIC_ROOT": str(temp_dir / "static"),
        "LOG_LEVEL": "ERROR",
    }


def manage(environment: dict[str, str], *arguments: str) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        check=True,
        stdout=subprocess.DEVNULL,
    )


@contextmanager
def postgresql_database(url: str) -> Iterator[None]:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    maintenance = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield
    finally:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def demo_database(
    temp_dir: Path,
    *,
    articles: int,
    database_url: str = "",
    site_url: str = "http://127.0.0.1:8000",
) -> Iterator[dict[str, str]]:
    """
    Yield the environment of a fresh demo site with `articles` generated
    articles besides the seed; the database is gone afterwards.
    """
    url = database_url or f"sqlite:///{temp_dir / 'demo.sqlite3'}"
    environment = settings_environment(temp_dir, database_url=url, site_url=site_url)
    with postgresql_database(url) if url.startswith("postgres") else nullcontext():
        manage(environment, "migrate", "--noinput")
        manage(environment, "collectstatic", "--noinput")
        manage(environment, "load_demo")
        if articles:
            manage(environment, "generate_demo", "--articles", str(articles))
        yield environment
