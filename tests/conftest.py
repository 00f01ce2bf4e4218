import json
import os

import pytest
from django.core.cache import cache

from articles import demo_site
from articles.importers.wordpress.load import import_post
from articles.importers.wordpress.sources import parse_post
from tests.factories import make_article, make_user

CHROMIUM = "/usr/bin/chromium"


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
    """Each test starts with an empty cache, also on a shared Redis."""
    cache.clear()
    yield
    cache.clear()


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
