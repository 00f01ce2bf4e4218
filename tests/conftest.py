import json
import os
import time

import pytest
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished
from hypothesis import HealthCheck, settings

from articles import content_version, demo_site
from articles.importers.wordpress.load import import_post
from articles.importers.wordpress.sources import parse_post
from tests.factories import make_article, make_user

CHROMIUM = "/usr/bin/chromium"

# Property tests (hypothesis): few examples for `make test` on a shared
# 2-core machine, many in CI (HYPOTHESIS_PROFILE=ci in .ci/run). Examples
# that touch the database run in a savepoint each, so the function-scoped
# fixtures they share are safe. No deadline: a slow example on a loaded
# machine is not a failure; linear time is checked by counting work.
settings.register_profile(
    "default",
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile("ci", settings.get_profile("default"), max_examples=400)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def media_and_static(settings, tmp_path):
    """Keep uploads out of the real media folder, and need no collectstatic."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def empty_cache():
    """
    Each test starts with an empty cache, also on a shared Redis, as a
    running site's would be: with a content version and nothing scheduled
    (a cold cache's one question to the database is left to the tests of
    content_version).
    """
    cache.clear()
    # A version no earlier test used: the pages each process keeps in its
    # own memory (articles/page_cache.py) are then never an earlier test's.
    cache.set(content_version.KEY, (time.time_ns(), None), timeout=None)
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def commits_run_their_hooks(monkeypatch):
    """
    Run on_commit callbacks where production would: when the outermost
    atomic block of the code under test ends, although the test's own
    transaction (rolled back afterwards) is still open. Without this, no
    e-mail, re-score or cache invalidation of the publishing service would
    run in a test.
    """
    original_exit = transaction.Atomic.__exit__
    original_on_commit = connections[DEFAULT_DB_ALIAS].__class__.on_commit

    def only_test_blocks_open(connection):
        return all(block._from_testcase for block in connection.atomic_blocks)

    def exit_and_commit(self, exc_type, exc_value, traceback):
        result = original_exit(self, exc_type, exc_value, traceback)
        connection = transaction.get_connection(self.using)
        if (
            connection.in_atomic_block
            and only_test_blocks_open(connection)
            and not connection.needs_rollback
        ):
            hooks, connection.run_on_commit = connection.run_on_commit, []
            for _savepoints, hook, _robust in hooks:
                hook()
        return result

    def on_commit(connection, func, robust=False):
        if connection.in_atomic_block and only_test_blocks_open(connection):
            func()
        else:
            original_on_commit(connection, func, robust=robust)

    monkeypatch.setattr(transaction.Atomic, "__exit__", exit_and_commit)
    monkeypatch.setattr(connections[DEFAULT_DB_ALIAS].__class__, "on_commit", on_commit)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, headless, once per test session."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls
    # the test makes between browser steps are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


IMMEDIATE_TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings, request):
    """
    Background tasks run as they are enqueued (after the commit), with the
    immediate backend; tests of the worker take the database backend
    (database_tasks). A task that fails fails the test, with its traceback,
    unless the test asks for task_failures to look at them itself.
    """
    settings.TASKS = IMMEDIATE_TASKS
    failures = []

    def record(sender, task_result, **kwargs):
        if task_result.status == TaskResultStatus.FAILED:
            failures.append(task_result)

    task_finished.connect(record, dispatch_uid="tests.task_failures")
    yield failures
    task_finished.disconnect(dispatch_uid="tests.task_failures")
    if failures and "task_failures" not in request.fixturenames:
        pytest.fail(
            "A background task failed:\n"
            + "\n".join(
                error.traceback for result in failures for error in result.errors
            )
        )


@pytest.fixture
def task_failures(tasks_run_at_once):
    """The results of the tasks that failed, for a test that expects some."""
    return tasks_run_at_once


@pytest.fixture
def database_tasks(settings, tasks_run_at_once):
    """Tasks queued in the database, as on a site, until the worker runs them."""
    settings.TASKS = DATABASE_TASKS


@pytest.fixture
def published_article(db):
    return make_article()


@pytest.fixture
def seed_article(db):
    """The demo's seed post, imported as load_demo imports it (without pictures)."""
    post = parse_post(json.loads(demo_site.SEED_POST.read_text()), source="seed")
    import_post(post)
    return demo_site.seed_article()


@pytest.fixture
def editor(db):
    return make_user("Editor")


@pytest.fixture
def author_user(db):
    return make_user("Author")


@pytest.fixture
def administrator(db):
    return make_user("Administrator")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(
        reason=f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
