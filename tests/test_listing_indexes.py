"""
Every listing reads an index in its own order and stops at the rows it
shows: no query sorts all published articles, on SQLite and on PostgreSQL.

The queries checked are the ones the pages run (captured), so a change to a
view's query is checked too. SQLite plans without statistics, as a site's
database usually is; PostgreSQL plans with sequential scans, bitmap scans
and sorts made as costly as it allows, so that a Sort left in its plan is
one no index can avoid.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import related
from tests.factories import make_article, make_author, make_category

pytestmark = pytest.mark.django_db

LISTING_INDEXES = {
    "article_home_idx",
    "article_listing_idx",
    "article_author_idx",
    "article_reviewer_idx",
    "article_date_idx",
}


@pytest.fixture
def site():
    category, author = make_category(slug="back"), make_author(slug="ada")
    articles = [
        make_article(primary_category=category, author=author, tags=["stretching"])
        for _ in range(3)
    ]
    make_article(language="nl", slug="nl-artikel")
    return articles


def plan(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for method in ("seqscan", "bitmapscan", "sort"):
                cursor.execute(f"SET LOCAL enable_{method} = off")
            cursor.execute(f"EXPLAIN {sql}")
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(row[-1] for row in cursor.fetchall())


def listing_queries(client, url):
    """The queries a page runs that page through articles: ordered and limited."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        response.getvalue()  # A streamed sitemap queries as it is read.
    return [
        # A streamed PostgreSQL query runs in a server-side cursor.
        re.sub(r'^DECLARE "\w+" NO SCROLL CURSOR FOR ', "", query["sql"])
        for query in queries
        if re.match(
            r'(DECLARE .* FOR )?SELECT .* FROM "articles_article"', query["sql"]
        )
        and " ORDER BY " in query["sql"]
        and " LIMIT " in query["sql"]
    ]


def sorts(text: str) -> bool:
    if connection.vendor == "postgresql":
        return bool(re.search(r"\bSort\b", text))
    return "USE TEMP B-TREE FOR" in text


@pytest.mark.parametrize(
    "url",
    [
        "/en/",
        "/en/?page=1",
        "/en/back/",
        "/en/tag/stretching/",
        "/en/author/ada/",
        "/en/feed/",
        "/en/feed/atom/",
        "/en/back/feed/",
        "/en/tag/stretching/feed/",
        "/sitemap-articles.xml",
        "/wp-json/wp/v2/posts",
        "/wp-json/wp/v2/posts?order=asc",
        "/wp-json/wp/v2/posts?categories={category}&_fields=id,title",
        "/wp-json/wp/v2/posts?tags={tag}",
    ],
)
def test_listing_reads_an_index_in_its_order(client, site, url):
    article = site[0]
    url = url.format(category=article.primary_category_id, tag=article.tags.get().pk)
    queries = listing_queries(client, url)

    assert queries, "the page ran no listing query"
    for sql in queries:
        text = plan(sql)
        assert not sorts(text), f"{url} sorts:\n{sql}\n{text}"
        assert LISTING_INDEXES & set(re.findall(r"\w+_idx\b", text)), text


def test_related_articles_rank_a_bounded_number_of_candidates(client, site):
    with CaptureQueriesContext(connection) as queries:
        client.get(site[0].get_absolute_url())
    [sql] = [q["sql"] for q in queries if f"LIMIT {related.CANDIDATES}" in q["sql"]]

    text = plan(sql)

    assert "article_listing_idx" in text, text
    if connection.vendor == "sqlite":
        assert not re.search(r"^SCAN articles_article\b", text, re.MULTILINE), text
