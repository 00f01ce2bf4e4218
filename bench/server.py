"""
The production server for the bench scripts (soak.py, drills.py, fuzz.py):
gunicorn with DEBUG off on 127.0.0.1, on a database and cache the script
chooses, with the demo content, more articles and an editor; and the
PostgreSQL and Redis instances of its own that a drill starts, kills and
starts again. Everything listens on loopback, on a port in 18100-18199, and
is stopped and removed by the script that started it.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PORTS = range(18100, 18200)
MACHINE_POSTGRES = "postgres://postgres@127.0.0.1:5432"
EDITOR_USERNAME = "bench-editor"
POSTGRES_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]

# Run inside the site's settings once it is migrated and the demo is
# loaded: an editor with a known password and more articles to read.
SETUP = """
import json
from django.contrib.auth.models import Group, User
from articles.models import Article
from articles.roles import EDITOR, profile_for

user, _ = User.objects.get_or_create(username={username!r})
user.set_password({password!r})
user.is_staff = True
user.save()
user.groups.set([Group.objects.get(name=EDITOR)])
profile_for(user)
seed = Article.objects.get(wordpress_id=9580)
tags, categories = list(seed.tags.all()), list(seed.categories.all())
for n in range({articles}):
    copy = Article.objects.get(pk=seed.pk)
    copy.pk, copy.wordpress_id = None, None
    copy.title, copy.slug = f"{{seed.title}} ({{n}})", f"{{seed.slug}}-{{n}}"
    copy.save()
    copy.tags.set(tags)
    copy.categories.add(*categories)
paths = [a.get_absolute_url() for a in Article.objects.published()]
print(json.dumps({{"articles": paths, "seed": seed.pk, "category": seed.primary_category.slug,
    "tag": tags[0].slug if tags else "", "author": seed.author.slug if seed.author else ""}}))
"""


def free_port() -> int:
    """A port in 18100-18199 that nothing listens on."""
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 18100-18199")


def wait_until(check, *, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if check():
                return True
        time.sleep(interval)
    return False


def status_of(url: str, *, timeout: float = 5) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@contextlib.contextmanager
def machine_database(name: str):
    """A database of that name (hp_hard...) on the machine's PostgreSQL, dropped afterwards."""
    assert name.startswith("hp_hard"), name
    import psycopg

    with psycopg.connect(f"{MACHINE_POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{MACHINE_POSTGRES}/{name}"
    finally:
        with psycopg.connect(f"{MACHINE_POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Postgres:
    """A PostgreSQL instance of its own (initdb into a temporary folder), to stop and kill."""

    def __init__(self, directory: Path):
        self.directory = directory / "pgdata"
        self.port = free_port()
        self.log = directory / "postgres.log"
        self._run("initdb", "-D", str(self.directory), "--auth=trust", "-U", "postgres")

    def _run(self, program: str, *args: str) -> None:
        # PostgreSQL refuses to run as root: its files and processes are postgres's.
        shutil.chown(self.directory.parent, "postgres")
        subprocess.run(
            ["runuser", "-u", "postgres", "--", str(POSTGRES_BIN / program), *args],
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.directory.parent} -c listen_addresses=127.0.0.1"
        )
        self._run(
            "pg_ctl", "-D", str(self.directory), "-l", str(self.log), "-o", options,
            "-w", "start",
        )  # fmt: skip

    def stop(self, *, mode: str = "fast") -> None:
        """Stop it; mode "immediate" is a crash (no checkpoint, connections cut)."""
        self._run("pg_ctl", "-D", str(self.directory), "-m", mode, "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


class Redis:
    """A redis-server of its own, without persistence, to stop and start."""

    def __init__(self):
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port),
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        if not wait_until(self._answers, timeout=10):
            self.stop()
            raise RuntimeError(f"redis-server did not answer on port {self.port}")

    def _answers(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def url(self, database: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{database}"


@dataclass
class Site:
    """The site as production runs it: gunicorn, DEBUG off, on loopback."""

    database_url: str
    cache_url: str
    workers: int = 3
    threads: int = 4
    media_root: Path | None = None
    port: int = field(default_factory=free_port)
    password: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    content: dict = field(default_factory=dict)
    process: subprocess.Popen | None = None

    def __post_init__(self):
        self._temp = tempfile.TemporaryDirectory(prefix="hp-bench-site-")
        if self.media_root is None:
            self.media_root = Path(self._temp.name) / "media"
            self.media_root.mkdir()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "false",
            "SECRET_KEY": "bench-" + "k" * 50,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": self.database_url,
            "CACHE_URL": self.cache_url,
            "MEDIA_ROOT": str(self.media_root),
            "SITE_URL": self.url,
            "CSRF_TRUSTED_ORIGINS": self.url,
            # Plain HTTP on loopback: no HTTPS redirect, cookies without Secure.
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "SECURE_HSTS_SECONDS": "0",
            "LOG_LEVEL": "ERROR",
        }

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=self.environment(),
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
        return result.stdout

    def prepare(self, *, articles: int = 30) -> None:
        """Migrate, collect the static files, load the demo, add articles and the editor."""
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        self.manage("load_demo")
        code = SETUP.format(
            username=EDITOR_USERNAME, password=self.password, articles=articles
        )
        self.content = json.loads(self.manage("shell", "-c", code).splitlines()[-1])

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.workers), "--worker-class", "gthread",
             "--threads", str(self.threads), "--timeout", "30",
             "--graceful-timeout", "5", "--log-level", "warning"],
            cwd=ROOT,
            env=self.environment(),
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        if not wait_until(lambda: status_of(f"{self.url}/healthz") == 200, timeout=60):
            self.stop()
            raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def close(self) -> None:
        self.stop()
        self._temp.cleanup()

    def worker_pids(self) -> list[int]:
        """gunicorn's workers: the master's children."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    @staticmethod
    def memory_kb(pid: int) -> int:
        """Resident memory of a process (VmRSS), in kB."""
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0
