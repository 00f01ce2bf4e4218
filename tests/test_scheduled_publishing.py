"""
A scheduled article goes live at its moment with no job, on every surface at
once: home page, category archive, RSS feed, sitemap and the WordPress API,
even when a surface was cached just before the moment.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_category

pytestmark = pytest.mark.django_db

REAL_NOW = timezone.now


def surfaces(client, category):
    """What each public surface says, as text."""
    return {
        "home": client.get("/en/").text,
        "category": client.get(category.get_absolute_url()).text,
        "feed": client.get("/en/feed/").text,
        # Streamed: read it whole.
        "sitemap": client.get("/sitemap-articles.xml").getvalue().decode(),
        "api": client.get("/wp-json/wp/v2/posts").text,
    }


def test_scheduled_article_appears_everywhere_at_its_moment(client, monkeypatch):
    moment = REAL_NOW() + timedelta(hours=2)
    category = make_category(slug="sleep", name="Sleep")
    make_article(primary_category=category, title="Already out", slug="already-out")
    article = make_article(
        primary_category=category,
        title="Tomorrow's news",
        slug="tomorrows-news",
        published_at=moment,
    )
    assert article.status == Article.Status.SCHEDULED

    monkeypatch.setattr(timezone, "now", lambda: moment - timedelta(seconds=1))
    before = surfaces(client, category)
    for name, text in before.items():
        assert "already-out" in text, name
        assert "tomorrows-news" not in text, name

    monkeypatch.setattr(timezone, "now", lambda: moment)
    after = surfaces(client, category)
    for name, text in after.items():
        assert "tomorrows-news" in text, name
    assert client.get(article.get_absolute_url()).status_code == 200


def test_scheduled_article_page_is_absent_until_its_moment(client, monkeypatch):
    moment = REAL_NOW() + timedelta(days=1)
    article = make_article(published_at=moment)
    monkeypatch.setattr(timezone, "now", lambda: moment - timedelta(seconds=1))
    assert client.get(article.get_absolute_url()).status_code == 404
    monkeypatch.setattr(timezone, "now", lambda: moment + timedelta(seconds=1))
    assert client.get(article.get_absolute_url()).status_code == 200
