"""A listing's total is counted once per content version, and is new at once after a change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import publishing
from articles.models import Article
from tests.factories import make_article, make_category, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def two_per_page(settings):
    settings.ARTICLES_PER_PAGE = 2
    settings.PAGE_CACHE = False  # Each request renders its listing.


def counts_in(queries):
    """The queries that count a whole listing (Django names that count __count)."""
    return [query for query in queries if "__count" in query["sql"]]


@pytest.mark.parametrize("path", ["/en/", "/en/back/"])
def test_a_listing_counts_its_articles_once_per_content_version(client, path):
    back = make_category(slug="back", name="Back")
    for _ in range(3):
        make_article(primary_category=back)
    client.get(path)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)

    assert response.status_code == 200
    assert 'rel="next"' in response.text
    assert counts_in(queries.captured_queries) == []


def test_a_listing_shows_a_new_page_as_soon_as_an_article_needs_one(client):
    make_article(), make_article()
    assert 'rel="next"' not in client.get("/en/").text

    make_article()

    assert 'rel="next"' in client.get("/en/").text


def test_a_listing_loses_its_page_as_soon_as_an_article_leaves(client):
    articles = [make_article() for _ in range(3)]
    assert 'rel="next"' in client.get("/en/").text

    publishing.transition(articles[0], Article.Status.DRAFT, user=make_user("Editor"))

    assert 'rel="next"' not in client.get("/en/").text


def test_each_listing_has_its_own_total(client):
    back, sleep = make_category(slug="back"), make_category(slug="sleep")
    for _ in range(3):
        make_article(primary_category=back)
    make_article(primary_category=sleep)

    assert 'rel="next"' in client.get("/en/back/").text
    assert 'rel="next"' not in client.get("/en/sleep/").text
    assert 'rel="next"' in client.get("/en/").text


def test_the_admin_article_list_counts_once_per_content_version(editor_client):
    for _ in range(3):
        make_article()
    editor_client.get("/admin/articles/article/")

    with CaptureQueriesContext(connection) as queries:
        response = editor_client.get("/admin/articles/article/")

    assert response.status_code == 200
    assert response.context["cl"].result_count == 3
    assert counts_in(queries.captured_queries) == []


def test_the_admin_article_list_counts_anew_after_a_change(editor_client):
    make_article()
    editor_client.get("/admin/articles/article/")

    make_article()
    response = editor_client.get("/admin/articles/article/")

    assert response.context["cl"].result_count == 2


def test_each_filter_of_the_admin_list_has_its_own_count(editor_client):
    make_article(title="Back pain")
    make_article(title="Sleep")

    everything = editor_client.get("/admin/articles/article/")
    searched = editor_client.get("/admin/articles/article/", {"q": "Back"})

    assert everything.context["cl"].result_count == 2
    assert searched.context["cl"].result_count == 1


def test_the_api_counts_a_list_once_per_content_version(client):
    for _ in range(3):
        make_article()
    client.get("/wp-json/wp/v2/posts", {"per_page": 2})

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/wp-json/wp/v2/posts", {"per_page": 2, "page": 2})

    assert response["X-WP-Total"] == "3"
    assert counts_in(queries.captured_queries) == []


def test_the_api_counts_a_list_anew_after_a_change(client):
    make_article()
    assert client.get("/wp-json/wp/v2/posts")["X-WP-Total"] == "1"

    make_article()

    assert client.get("/wp-json/wp/v2/posts")["X-WP-Total"] == "2"


def test_each_filter_of_an_api_list_has_its_own_total(client):
    back = make_category(slug="back")
    make_article(primary_category=back, title="Back pain")
    make_article(title="Sleep")

    everything = client.get("/wp-json/wp/v2/posts")
    filtered = client.get("/wp-json/wp/v2/posts", {"categories": back.pk})
    searched = client.get("/wp-json/wp/v2/search", {"search": "Sleep"})

    assert everything["X-WP-Total"] == "2"
    assert filtered["X-WP-Total"] == "1"
    assert searched["X-WP-Total"] == "1"
