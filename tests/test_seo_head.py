"""The head and JSON-LD of public pages, for the seed article and hostile content."""

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings as django_settings

from articles import seo
from articles.importers.wordpress.load import import_post
from articles.importers.wordpress.sources import read_posts
from articles.models import Article, FAQItem
from tests.factories import make_article, make_author, make_image

SEED = Path(django_settings.BASE_DIR) / "demo" / "back-spasm-remedy.json"
SITE_URL = "https://www.example.org"
PAGE_URL = f"{SITE_URL}/en/beauty/back-spasm-remedy/"


@pytest.fixture(autouse=True)
def site_settings(settings):
    settings.SITE_URL = SITE_URL
    settings.SITE_NAME = "Gold City Medical Center"
    settings.SEO_TITLE_PATTERN = "{title} – {site_name}"
    settings.WORDPRESS_SITE_URL = "https://goldcitymedicalcenter.nl"
    settings.LANGUAGES = [("en", "English"), ("nl", "Nederlands")]
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def seed_article(db):
    [item] = list(read_posts([SEED]))
    outcome = import_post(item.post)
    return Article.objects.get(pk=outcome.article_id)


def head_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def meta_content(soup, name):
    return [tag["content"] for tag in soup.find_all("meta", attrs={"name": name})]


def graph_of(soup):
    [script] = soup.find_all("script", type="application/ld+json")
    data = json.loads(script.string)
    assert data["@context"] == "https://schema.org"
    return {
        node["@type"]: node for node in data["@graph"] if node["@type"] != "Person"
    }, data


def test_seed_article_head_has_title_description_canonical_and_robots(
    client, seed_article
):
    soup = head_of(client, seed_article.get_absolute_url())

    assert soup.html["lang"] == "en"
    assert soup.title.string == f"{seed_article.title} – Gold City Medical Center"
    assert meta_content(soup, "description") == [
        "Looking for a back spasm remedy? Discover incredible natural treatments "
        "and easy home methods to achieve instant, soothing pain relief."
    ]
    assert [link["href"] for link in soup.find_all("link", rel="canonical")] == [
        PAGE_URL
    ]
    assert meta_content(soup, "robots") == ["index, follow, max-image-preview:large"]


def test_seed_article_head_has_opengraph_and_twitter_card(client, seed_article):
    soup = head_of(client, seed_article.get_absolute_url())
    og = {}
    for tag in soup.find_all("meta", property=True):
        og.setdefault(tag["property"], []).append(tag["content"])
    image = seed_article.featured_image

    assert og["og:type"] == ["article"]
    assert og["og:title"] == [seed_article.title]
    assert og["og:url"] == [PAGE_URL]
    assert og["og:image"] == [image.url]
    assert og["og:image:width"] == [str(image.width)]
    assert og["og:image:height"] == [str(image.height)]
    assert og["og:image:alt"] == [seed_article.featured_image_alt_text]
    assert og["article:published_time"] == [seed_article.published_at.isoformat()]
    assert og["article:modified_time"] == [seed_article.updated_at.isoformat()]
    assert og["article:section"] == ["Beauty"]
    assert sorted(og["article:tag"]) == sorted(
        tag.name for tag in seed_article.tags.all()
    )
    assert meta_content(soup, "twitter:card") == ["summary_large_image"]


def test_seed_article_head_links_its_feeds(client, seed_article):
    soup = head_of(client, seed_article.get_absolute_url())

    feeds = [
        (link["type"], link["href"]) for link in soup.find_all("link", rel="alternate")
    ]
    assert feeds == [
        ("application/rss+xml", f"{SITE_URL}/en/feed/"),
        ("application/atom+xml", f"{SITE_URL}/en/feed/atom/"),
        ("application/rss+xml", f"{SITE_URL}/en/beauty/feed/"),
    ]


def test_seed_article_json_ld_graph_has_every_node_linked_by_id(client, seed_article):
    soup = head_of(client, seed_article.get_absolute_url())
    nodes, data = graph_of(soup)

    assert set(nodes) == {
        "MedicalOrganization",
        "WebSite",
        "MedicalWebPage",
        "Article",
        "FAQPage",
        "BreadcrumbList",
    }
    organization, website = nodes["MedicalOrganization"], nodes["WebSite"]
    assert organization["@id"] == f"{SITE_URL}/#organization"
    assert organization["name"] == "Gold City Medical Center"
    assert organization["logo"]["url"].startswith(SITE_URL)
    assert website["publisher"] == {"@id": organization["@id"]}
    assert website["potentialAction"]["target"]["urlTemplate"] == (
        f"{SITE_URL}/en/search/?q={{search_term_string}}"
    )

    page = nodes["MedicalWebPage"]
    assert page["@id"] == f"{PAGE_URL}#webpage"
    assert page["isPartOf"] == {"@id": website["@id"]}
    assert page["breadcrumb"] == {"@id": nodes["BreadcrumbList"]["@id"]}

    article = nodes["Article"]
    assert article["mainEntityOfPage"] == {"@id": page["@id"]}
    assert article["headline"] == seed_article.title
    assert article["description"].startswith("Looking for a back spasm remedy?")
    assert article["image"][0] == seed_article.featured_image.url
    assert article["datePublished"] == seed_article.published_at.isoformat()
    assert article["dateModified"] == seed_article.updated_at.isoformat()
    assert article["publisher"] == {"@id": organization["@id"]}
    assert article["articleSection"] == "Beauty"
    assert article["inLanguage"] == "en"
    assert "back spasm remedy" in article["keywords"]
    assert article["citation"][0]["url"] == "https://pubmed.ncbi.nlm.nih.gov/25536022/"
    people = {n["@id"]: n for n in data["@graph"] if n["@type"] == "Person"}
    author = people[article["author"]["@id"]]
    assert author["name"] == seed_article.author.display_name
    assert author["url"] == SITE_URL + seed_article.author.get_absolute_url()

    faq = nodes["FAQPage"]
    assert len(faq["mainEntity"]) == 8
    question = faq["mainEntity"][3]
    assert question["name"] == "Can dehydration cause back spasms?"
    assert question["acceptedAnswer"]["@type"] == "Answer"
    assert question["acceptedAnswer"]["text"]

    crumbs = nodes["BreadcrumbList"]["itemListElement"]
    assert [(c["position"], c["item"]) for c in crumbs] == [
        (1, f"{SITE_URL}/en/"),
        (2, f"{SITE_URL}/en/beauty/"),
        (3, PAGE_URL),
    ]


def every_url(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("url", "item", "@id") and isinstance(item, str):
                yield item
            yield from every_url(item)
    elif isinstance(value, list):
        for item in value:
            yield from every_url(item)


def test_every_url_in_the_seed_json_ld_is_absolute(client, seed_article):
    _, data = graph_of(head_of(client, seed_article.get_absolute_url()))

    urls = list(every_url(data))
    assert urls
    assert all(url.startswith(("https://", "http://")) for url in urls), urls


def test_reviewed_article_page_names_its_reviewer_and_review_date(client, db):
    from datetime import date

    reviewer = make_author(display_name="Dr. Anna de Vries", credentials="MD")
    article = make_article(reviewer=reviewer, last_reviewed_on=date(2026, 2, 1))

    nodes, data = graph_of(head_of(client, article.get_absolute_url()))

    page = nodes["MedicalWebPage"]
    assert page["lastReviewed"] == "2026-02-01"
    people = {n["@id"]: n for n in data["@graph"] if n["@type"] == "Person"}
    assert people[page["reviewedBy"]["@id"]]["honorificSuffix"] == "MD"


def test_hostile_title_and_faq_answer_cannot_leave_the_script_element(client, db):
    hostile = '</script><script>alert("x")</script> & <!--'
    article = make_article(title=hostile)
    FAQItem.objects.create(
        article=article, question=hostile, answer="<p>&lt;/script&gt;&lt;b&gt;</p>"
    )

    html = client.get(article.get_absolute_url()).content.decode()

    script = html.split('<script type="application/ld+json">', 1)[1].split(
        "</script>", 1
    )[0]
    assert "<" not in script and ">" not in script and "&" not in script
    nodes = {n["@type"]: n for n in json.loads(script)["@graph"]}
    assert nodes["Article"]["headline"] == hostile
    assert nodes["FAQPage"]["mainEntity"][0]["acceptedAnswer"]["text"] == (
        "</script><b>"
    )


def test_json_ld_script_escapes_like_django_json_script():
    script = seo.json_ld_script({"name": "<b>&</b>"})

    assert script == (
        '<script type="application/ld+json">'
        '{"name": "\\u003Cb\\u003E\\u0026\\u003C/b\\u003E"}</script>'
    )


def test_seo_title_replaces_the_pattern_and_canonical_can_be_overridden(client, db):
    article = make_article(
        seo_title="Back spasms: 7 remedies",
        canonical_url="https://partner.example.com/original/",
        robots_noindex=True,
    )

    soup = head_of(client, article.get_absolute_url())

    assert soup.title.string == "Back spasms: 7 remedies"
    assert soup.find("link", rel="canonical")["href"] == (
        "https://partner.example.com/original/"
    )
    assert meta_content(soup, "robots") == ["noindex, follow"]


def test_title_pattern_comes_from_settings(client, settings, db):
    settings.SEO_TITLE_PATTERN = "{site_name}: {title}"
    article = make_article(title="Knee pain")

    assert head_of(client, article.get_absolute_url()).title.string == (
        "Gold City Medical Center: Knee pain"
    )


def test_description_falls_back_to_the_excerpt_trimmed_at_a_word_boundary():
    text = "word " * 60

    trimmed = seo.trim_description(text)

    assert len(trimmed) <= seo.DESCRIPTION_LENGTH
    assert trimmed.endswith("word…")


def test_without_description_or_excerpt_the_opening_paragraphs_describe_the_page(
    client, db
):
    article = make_article(
        excerpt="",
        body="<h2>Moving</h2><figure><figcaption>A stretch</figcaption></figure>"
        "<p>Gentle <em>movement</em> helps.</p><ul><li>Walk</li></ul><p>Rest less.</p>",
    )

    head = head_of(client, article.get_absolute_url())

    assert meta_content(head, "description") == ["Gentle movement helps. Rest less."]
    assert head.find("meta", property="og:description")["content"] == (
        "Gentle movement helps. Rest less."
    )


def test_paginated_archive_pages_past_the_first_are_noindex(client, settings, db):
    settings.ARTICLES_PER_PAGE = 1
    article = make_article()
    make_article(primary_category=article.primary_category)
    url = article.primary_category.get_absolute_url()

    first, second = head_of(client, url), head_of(client, url + "?page=2")

    assert meta_content(first, "robots") == [seo.DEFAULT_ROBOTS]
    assert meta_content(second, "robots") == ["noindex, follow"]
    assert second.find("link", rel="canonical")["href"] == f"{SITE_URL}{url}?page=2"


def test_article_meta_runs_no_queries(django_assert_num_queries, db):
    article = Article.objects.for_detail().get(
        pk=make_article(featured_image=make_image()).pk
    )
    site = seo.Site(name="Site", url=SITE_URL, logo_url="/static/logo.png")

    with django_assert_num_queries(0):
        meta = seo.article_meta(article, site=site, absolute_url=site.absolute_url)

    assert meta.canonical_url == SITE_URL + article.get_absolute_url()
