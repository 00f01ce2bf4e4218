"""
Every date and time printed for machines (`<time datetime>`, JSON-LD, Open
Graph, sitemaps, feeds) is valid whatever the stored value: an article saved
in the admin keeps microseconds in updated_at and content_updated_at, which
HTML's datetime attribute refuses (three digits of a second at most).
"""

import json
import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from articles import timestamps
from articles.models import Article, Page
from tests.factories import make_article
from tests.test_pages import make_page

pytestmark = pytest.mark.django_db

# HTML's valid date string, or valid global date and time string to the
# second: what every machine-readable date here is written as.
MACHINE_DATE = re.compile(r"^\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d))?$")
STORED = datetime(2026, 12, 1, 10, 32, 59, 401620, tzinfo=UTC)


@pytest.fixture
def article_saved_in_the_admin():
    article = make_article(published_at=STORED - timedelta(days=30))
    # As auto_now and timezone.now() store them: with microseconds.
    Article.objects.filter(pk=article.pk).update(
        updated_at=STORED, content_updated_at=STORED
    )
    return Article.objects.get(pk=article.pk)


def test_iso8601_cuts_a_time_to_the_whole_second_in_its_own_zone():
    amsterdam = timezone(timedelta(hours=1))

    assert timestamps.iso8601(STORED) == "2026-12-01T10:32:59+00:00"
    assert (
        timestamps.iso8601(STORED.astimezone(amsterdam)) == "2026-12-01T11:32:59+01:00"
    )
    assert timestamps.iso8601(date(2026, 12, 1)) == "2026-12-01"
    assert timestamps.iso8601(None) == ""


def test_time_elements_of_an_article_saved_in_the_admin_are_valid_html(
    client, article_saved_in_the_admin
):
    article = article_saved_in_the_admin
    pages = [
        article.get_absolute_url(),
        f"/{article.language}/",
        article.primary_category.get_absolute_url(),
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        values = re.findall(r'<time datetime="([^"]*)"', response.text)
        assert values, path
        assert all(MACHINE_DATE.match(value) for value in values), (path, values)

    article_page = client.get(article.get_absolute_url()).text
    assert '<time datetime="2026-12-01T11:32:59+01:00">' in article_page


def test_json_ld_and_open_graph_dates_are_whole_seconds(
    client, article_saved_in_the_admin
):
    text = client.get(article_saved_in_the_admin.get_absolute_url()).text
    (script,) = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', text, re.S
    )
    dates = [
        value
        for node in json.loads(script)["@graph"]
        for key, value in node.items()
        if key.startswith("date") or key == "lastReviewed"
    ]
    og_times = re.findall(r'<meta property="article:\w+_time" content="([^"]*)"', text)

    assert "2026-12-01T10:32:59+00:00" in dates
    assert dates and all(MACHINE_DATE.match(value) for value in dates), dates
    assert og_times and all(MACHINE_DATE.match(value) for value in og_times)


def test_a_page_saved_in_the_admin_prints_a_valid_updated_time(client):
    page = make_page(published_at=STORED - timedelta(days=30))
    Page.objects.filter(pk=page.pk).update(updated_at=STORED, content_updated_at=STORED)

    text = client.get(page.get_absolute_url()).text

    assert '<time datetime="2026-12-01T11:32:59+01:00">' in text


def test_sitemap_lastmod_is_whole_seconds(client, article_saved_in_the_admin):
    index = client.get("/sitemap.xml").content.decode()
    articles = b"".join(client.get("/sitemap-articles.xml").streaming_content)
    pages = client.get("/sitemap-categories.xml").content.decode()

    lastmods = re.findall(
        r"<lastmod>([^<]*)</lastmod>", index + articles.decode() + pages
    )
    assert "2026-12-01T11:32:59+01:00" in lastmods
    assert all(MACHINE_DATE.match(value) for value in lastmods), lastmods


def test_atom_feed_dates_are_whole_seconds(client, article_saved_in_the_admin):
    feed = client.get(f"/{article_saved_in_the_admin.language}/feed/atom/").text

    stamps = re.findall(r"<(?:updated|published)>([^<]*)<", feed)
    assert "2026-12-01T10:32:59+00:00" in stamps or any(
        stamp.startswith("2026-12-01T11:32:59") for stamp in stamps
    ), stamps
    assert all(MACHINE_DATE.match(value) for value in stamps), stamps
