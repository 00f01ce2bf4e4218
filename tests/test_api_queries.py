"""The WordPress API reads what it returns and no more, in queries that do not grow with the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Revision
from tests.factories import make_article

pytestmark = pytest.mark.django_db

API = "/wp-json/wp/v2"
BODY_COLUMN = '"articles_article"."body"'
EXTRA_COLUMN = '"articles_article"."wordpress_extra"'


def article_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    selects = [q["sql"] for q in queries if 'FROM "articles_article"' in q["sql"]]
    return response.json(), " ".join(selects)


@pytest.mark.parametrize("path", ["/posts", "/posts/{pk}"])
def test_posts_without_content_in_fields_never_read_the_body(client, path):
    article = make_article(body="<p>A long body.</p>")

    data, sql = article_queries(
        client, f"{API}{path.format(pk=article.pk)}?_fields=id,title.rendered,link"
    )

    assert BODY_COLUMN not in sql
    assert EXTRA_COLUMN not in sql
    assert (data if isinstance(data, dict) else data[0]) == {
        "id": article.pk,
        "title": {"rendered": article.title},
        "link": f"http://127.0.0.1:8000{article.get_absolute_url()}",
    }


def test_posts_read_the_body_when_content_is_asked_for(client):
    make_article(body="<p>A long body.</p>")

    data, sql = article_queries(client, f"{API}/posts?_fields=id,content")

    assert BODY_COLUMN in sql
    assert EXTRA_COLUMN not in sql
    assert data[0]["content"]["rendered"].startswith("<p>A long body.</p>")


def test_posts_without_fields_read_everything(client):
    make_article(wordpress_extra={"format": "aside"})

    data, sql = article_queries(client, f"{API}/posts")

    assert BODY_COLUMN in sql and EXTRA_COLUMN in sql
    assert data[0]["format"] == "aside"


def test_revision_counts_come_from_one_query_not_one_per_post(
    client, django_assert_num_queries
):
    articles = [make_article() for _ in range(3)]
    for count, article in enumerate(articles, start=1):
        Revision.objects.bulk_create(
            Revision(content_object=article, snapshot={}) for _ in range(count)
        )

    with CaptureQueriesContext(connection) as queries:
        data = client.get(f"{API}/posts").json()

    counts = {
        post["id"]: post["_links"]["version-history"][0]["count"] for post in data
    }
    # Each article's first saved version, then the ones added here.
    assert counts == {article.pk: 1 + n for n, article in enumerate(articles, start=1)}
    revision_queries = [q for q in queries if '"articles_revision"' in q["sql"]]
    assert len(revision_queries) == 1
    assert 'FROM "articles_article"' not in revision_queries[0]["sql"]
