"""Every reader page runs as many queries with 60 articles as with one on it: none runs a query per article."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_article, make_author, make_category, make_image

pytestmark = pytest.mark.django_db

PAGES = {
    "article": "{article}",
    "home": "/en/",
    "home, page 2": "/en/?page=2",
    "category": "/en/back/",
    "second category": "/en/sleep/",
    "tag": "/en/tag/stretching/",
    "author": "/en/author/ada/",
    "feed": "/en/feed/",
    "category feed": "/en/back/feed/atom/",
    "sitemap index": "/sitemap.xml",
    "article sitemap": "/sitemap-articles.xml",
    "tag sitemap": "/sitemap-tags.xml",
    "API list": "/wp-json/wp/v2/posts?per_page=20&_embed=1",
    "API item": "/wp-json/wp/v2/posts/{article_id}",
}


# How many articles put one on the page: the second page of the home page
# begins at the 13th; an article shows the others as related.
FEW_ON_IT = {"home, page 2": 13, "article": 2}


class Site:
    def __init__(self):
        # With a parent, which each card shows the category with.
        self.back = make_category(
            slug="back", name="Back", parent=make_category(slug="health")
        )
        self.sleep = make_category(slug="sleep", name="Sleep")
        self.author = make_author(slug="ada")
        self.image = make_image()
        self.articles = []

    def grow_to(self, count):
        while len(self.articles) < count:
            n = len(self.articles)
            self.articles.append(
                make_article(
                    primary_category=self.back,
                    categories=[self.sleep],
                    author=self.author,
                    featured_image=self.image,
                    tags=["stretching", f"topic-{n % 5}"],
                )
            )

    def url(self, pattern):
        article = self.articles[0]
        return pattern.format(article=article.get_absolute_url(), article_id=article.pk)


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, url
        response.getvalue()  # The article sitemap queries as it streams.
    return len(queries)


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_as_many_queries_with_60_articles_as_with_one_on_it(
    client, django_assert_num_queries, page
):
    site = Site()
    # One article on the page, then a full page: a query per article shows.
    site.grow_to(FEW_ON_IT.get(page, 1))
    url = site.url(PAGES[page])
    with_few = queries_of(client, url)

    site.grow_to(60)

    with django_assert_num_queries(with_few):
        client.get(url).getvalue()
