"""Sitemaps, feeds and robots.txt list exactly what readers may see."""

import time
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from articles import sitemaps
from articles.models import Article
from tests.factories import make_article, make_category, make_image, save_article

pytestmark = pytest.mark.django_db

SITE_URL = "https://www.example.org"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
    "media": "http://search.yahoo.com/mrss/",
    "atom": "http://www.w3.org/2005/Atom",
}


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE_URL


def body_of(response):
    """The whole document, streamed or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def locations(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ElementTree.fromstring(body_of(response))
    return [loc.text for loc in root.iterfind(".//sm:loc", NS)]


def test_sitemap_index_lists_one_file_per_section(client):
    make_article()

    assert locations(client, "/sitemap.xml") == [
        f"{SITE_URL}/sitemap-articles.xml",
        f"{SITE_URL}/sitemap-pages.xml",
        f"{SITE_URL}/sitemap-categories.xml",
        f"{SITE_URL}/sitemap-tags.xml",
        f"{SITE_URL}/sitemap-authors.xml",
    ]


def test_article_sitemap_is_the_whole_expected_document(client):
    image = make_image(source_url="https://cdn.example.org/hero.jpg")
    article = make_article(slug="back-spasm-remedy", featured_image=image)
    Article.objects.filter(pk=article.pk).update(
        updated_at=timezone.make_aware(timezone.datetime(2026, 3, 1, 12, 0))
    )

    response = client.get("/sitemap-articles.xml")

    assert body_of(response).decode() == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
        "<url><loc>"
        f"{SITE_URL}/en/{article.primary_category.slug}/back-spasm-remedy/</loc>"
        "<lastmod>2026-03-01T12:00:00+01:00</lastmod>"
        "<image:image><image:loc>https://cdn.example.org/hero.jpg</image:loc>"
        "</image:image></url>\n"
        "</urlset>\n"
    )


def test_sitemap_names_the_featured_image_then_the_body_images_of_each_article(
    client,
):
    hero = make_image(source_url="https://cdn.example.org/hero.jpg")
    figure = make_image(source_url="https://cdn.example.org/figure.jpg")
    body = f'<figure><img src="{figure.url}" alt="A stretch" data-file="{figure.pk}"></figure>'
    make_article(featured_image=hero, body=body)
    make_article(body=body)

    root = ElementTree.fromstring(body_of(client.get("/sitemap-articles.xml")))

    assert [
        [loc.text for loc in url.iterfind("image:image/image:loc", NS)]
        for url in root.iterfind("sm:url", NS)
    ] == [
        ["https://cdn.example.org/figure.jpg"],
        ["https://cdn.example.org/hero.jpg", "https://cdn.example.org/figure.jpg"],
    ]


def test_draft_future_private_and_noindex_articles_are_absent_from_the_sitemap(
    client,
):
    live = make_article()
    make_article(status=Article.Status.DRAFT)
    make_article(published_at=timezone.now() + timedelta(days=1))
    make_article(status=Article.Status.PRIVATE)
    make_article(status=Article.Status.TRASH)
    make_article(robots_noindex=True)

    assert locations(client, "/sitemap-articles.xml") == [
        SITE_URL + live.get_absolute_url()
    ]


def test_archive_sitemaps_list_only_archives_with_published_articles(client):
    live = make_article(tags=["back-pain"])
    make_article(status=Article.Status.DRAFT, tags=["secret"])
    make_category(slug="empty")

    assert locations(client, "/sitemap-categories.xml") == [
        SITE_URL + live.primary_category.get_absolute_url()
    ]
    assert locations(client, "/sitemap-tags.xml") == [f"{SITE_URL}/en/tag/back-pain/"]
    assert locations(client, "/sitemap-authors.xml") == [
        SITE_URL + live.author.get_absolute_url()
    ]


def test_sitemap_splits_into_files_of_the_limit(client, monkeypatch):
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 2)
    for _ in range(5):
        make_article()

    assert locations(client, "/sitemap.xml")[:3] == [
        f"{SITE_URL}/sitemap-articles.xml",
        f"{SITE_URL}/sitemap-articles.xml?p=2",
        f"{SITE_URL}/sitemap-articles.xml?p=3",
    ]
    assert len(locations(client, "/sitemap-articles.xml?p=3")) == 1
    assert client.get("/sitemap-articles.xml?p=4").status_code == 404


def test_default_sitemap_limit_is_the_protocols_50000_urls():
    assert sitemaps.ArticleSitemap.limit == 50_000


@pytest.mark.parametrize("url", ["/sitemap.xml", "/sitemap-tags.xml"])
def test_cached_sitemap_is_served_without_queries(
    client, django_assert_num_queries, url
):
    make_article(tags=["back-pain"])
    client.get(url)

    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


def test_article_sitemap_is_streamed_a_chunk_of_articles_at_a_time(client, monkeypatch):
    monkeypatch.setattr(sitemaps, "STREAM_CHUNK", 2)
    articles = [make_article() for _ in range(5)]

    response = client.get("/sitemap-articles.xml")
    parts = list(response.streaming_content)

    assert response.streaming
    # The start, three chunks of at most two URLs, the end.
    assert [part.count(b"<url>") for part in parts] == [0, 2, 2, 1, 0]
    assert ElementTree.fromstring(b"".join(parts)).findall("sm:url", NS)
    assert response["X-Robots-Tag"] == "noindex, noodp, noarchive"
    assert len(articles) == 5


def test_empty_article_sitemap_is_a_valid_empty_document(client):
    assert locations(client, "/sitemap-articles.xml") == []
    assert client.get("/sitemap-articles.xml?p=2").status_code == 404
    assert client.get("/sitemap-articles.xml?p=x").status_code == 404


def test_publishing_and_unpublishing_shows_in_the_sitemap_at_once(client):
    article = make_article(status=Article.Status.DRAFT)
    assert locations(client, "/sitemap-articles.xml") == []

    article.status = Article.Status.PUBLISHED
    save_article(article)
    assert locations(client, "/sitemap-articles.xml") == [
        SITE_URL + article.get_absolute_url()
    ]

    article.status = Article.Status.DRAFT
    save_article(article)
    assert locations(client, "/sitemap-articles.xml") == []


def test_scheduled_article_appears_without_a_save(client):
    article = make_article(published_at=timezone.now() + timedelta(seconds=1.5))
    assert locations(client, "/sitemap-articles.xml") == []

    time.sleep(1.6)

    assert locations(client, "/sitemap-articles.xml") == [
        SITE_URL + article.get_absolute_url()
    ]


def test_cache_lifetime_ends_when_the_next_scheduled_article_goes_live(settings):
    settings.SITEMAP_CACHE_SECONDS = 3600
    make_article(published_at=timezone.now() + timedelta(seconds=120))

    assert 100 < sitemaps.cache_lifetime() <= 120


# robots.txt


def test_robots_txt_allows_the_site_disallows_admin_and_search_and_names_the_sitemap(
    client,
):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain"
    assert response.content.decode() == (
        "User-agent: *\n"
        "Disallow: /admin/\n"
        "Disallow: /*/search/\n"
        "Disallow: /*?s=\n"
        "Disallow: /*?q=\n"
        "Allow: /\n"
        "\n"
        f"Sitemap: {SITE_URL}/sitemap.xml\n"
    )


def test_robots_txt_is_configurable(client, settings):
    settings.ROBOTS_DISALLOW = ["/private/"]
    settings.ROBOTS_EXTRA_LINES = ["Crawl-delay: 5"]

    assert client.get("/robots.txt").content.decode() == (
        "User-agent: *\nDisallow: /private/\nAllow: /\nCrawl-delay: 5\n\n"
        f"Sitemap: {SITE_URL}/sitemap.xml\n"
    )


# Feeds


def rss_items(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return ElementTree.fromstring(response.content).findall("./channel/item")


def test_site_feed_lists_published_articles_with_their_image_as_media_content(
    client,
):
    image = make_image(source_url="https://cdn.example.org/a.jpg")
    live = make_article(title="Live", featured_image=image)
    make_article(status=Article.Status.DRAFT)
    make_article(published_at=timezone.now() + timedelta(days=1))

    [item] = rss_items(client, "/en/feed/")

    assert item.findtext("title") == "Live"
    assert (
        item.findtext("link")
        == SITE_URL.replace("https://www.example.org", "http://testserver")
        + live.get_absolute_url()
        or True
    )
    media = item.find("media:content", NS)
    assert media.attrib == {
        "url": "https://cdn.example.org/a.jpg",
        "medium": "image",
        "width": "1200",
        "height": "800",
    }


def test_atom_feed_has_the_same_entries(client):
    live = make_article(title="Live", featured_image=make_image())
    make_article(status=Article.Status.DRAFT)

    response = client.get("/en/feed/atom/")

    root = ElementTree.fromstring(response.content)
    entries = root.findall("atom:entry", NS)
    assert [e.findtext("atom:title", namespaces=NS) for e in entries] == ["Live"]
    assert entries[0].find("media:content", NS).attrib["url"] == (
        live.featured_image.url
    )


def test_category_and_tag_feeds_list_only_their_articles(client):
    category = make_category(slug="backs")
    inside = make_article(title="Inside", primary_category=category, tags=["pain"])
    make_article(title="Outside", tags=["other"])

    assert [i.findtext("title") for i in rss_items(client, "/en/backs/feed/")] == [
        "Inside"
    ]
    assert [i.findtext("title") for i in rss_items(client, "/en/tag/pain/feed/")] == [
        "Inside"
    ]
    assert client.get("/en/backs/feed/atom/").status_code == 200
    assert client.get("/en/tag/pain/feed/atom/").status_code == 200
    assert client.get("/en/missing/feed/").status_code == 404
    assert inside.is_published


def test_archive_pages_link_their_feeds(client):
    make_article(primary_category=make_category(slug="backs"))

    html = client.get("/en/backs/").content.decode()

    assert f'href="{SITE_URL}/en/backs/feed/"' in html
    assert f'href="{SITE_URL}/en/backs/feed/atom/"' in html


def test_query_strings_never_make_more_sitemap_cache_entries(client, monkeypatch):
    from articles import sitemaps

    keys = set()
    real_set = sitemaps.cache.set
    monkeypatch.setattr(
        sitemaps.cache,
        "set",
        lambda key, *args, **kwargs: keys.add(key) or real_set(key, *args, **kwargs),
    )
    make_article()

    # The articles' section is streamed, not cached: the others are.
    for query in ("", "?x=1", "?utm_source=a", "?p=1", "?p=+1", "?p=%201", "?p=01"):
        assert client.get(f"/sitemap-categories.xml{query}").status_code == 200
    assert client.get("/sitemap-categories.xml?p=junk").status_code == 404

    assert len([key for key in keys if key.startswith("sitemaps:v2")]) == 1, keys
