"""Settings come from the environment only; production is a set of variables."""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "SECRET_KEY": "x" * 30 + "-production-secret-key-for-the-test-" + "y" * 20,
    "ALLOWED_HOSTS": "www.example.org",
}


def run_django(code, **environment):
    """Run Python code in a fresh process with these settings variables, and return its output."""
    # Variables of the test run itself (the browser tests' async flag, CI's
    # database) are not part of the settings under test.
    inherited = {"DATABASE_URL", "CACHE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in inherited}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings"} | environment
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def settings_json(*names, **environment):
    names_code = ", ".join(repr(name) for name in names)
    result = run_django(
        f"from django.conf import settings; import json; print(json.dumps({{n: getattr(settings, n) for n in [{names_code}]}}, default=str))",
        **environment,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_secret_key_is_required_when_debug_is_off():
    result = run_django("", DJANGO_DEBUG="false", SECRET_KEY="")

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_defaults_are_sqlite_a_cache_all_processes_share_and_no_debug():
    values = settings_json("DATABASES", "CACHES", "DEBUG", "BASE_DIR", **PRODUCTION)

    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert values["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": f"{values['BASE_DIR']}/.cache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
    assert values["DEBUG"] is False


def test_postgresql_redis_and_s3_are_selected_by_environment_variables():
    values = settings_json(
        "DATABASES",
        "CACHES",
        "STORAGES",
        DATABASE_URL="postgres://editor:secret@db.internal:5432/healthpress",
        CACHE_URL="redis://cache.internal:6379/1",
        MEDIA_STORAGE="s3",
        MEDIA_S3_BUCKET="health-media",
        **PRODUCTION,
    )

    database = values["DATABASES"]["default"]
    assert (database["ENGINE"], database["HOST"], database["NAME"]) == (
        "django.db.backends.postgresql",
        "db.internal",
        "healthpress",
    )
    cache = values["CACHES"]["default"]
    assert cache["BACKEND"] == "articles.cache.ResilientRedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/1"
    assert values["STORAGES"]["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert values["STORAGES"]["default"]["OPTIONS"]["bucket_name"] == "health-media"


def test_deploy_checks_pass_with_production_settings():
    result = run_django(
        "from django.core.management import call_command; call_command('check', deploy=True, fail_level='WARNING')",
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
