import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from articles import related
from articles.models import Article, FAQItem, KeyTakeaway, Reference
from tests.factories import (
    make_article,
    make_author,
    make_category,
    make_image,
    save_article,
)

pytestmark = pytest.mark.django_db


def add_parts(article, count):
    for n in range(count):
        KeyTakeaway.objects.create(
            article=article, text=f"<p>Takeaway {n}</p>", order=n
        )
        FAQItem.objects.create(
            article=article,
            question=f"Question {n}?",
            answer=f"<p>Answer {n}</p>",
            order=n,
        )
        Reference.objects.create(
            article=article,
            title=f"Study {n}",
            url=f"https://pubmed.ncbi.nlm.nih.gov/{n + 1}/",
        )
        article.tags.add(f"tag-{n}")
        article.categories.add(make_category())
    images = [make_image() for _ in range(count)]
    article.body = "".join(
        f'<figure><img src="{i.url}" alt="Body {i.pk}" data-file="{i.pk}"></figure>'
        for i in images
    )
    article.featured_image = make_image()
    save_article(article)
    return article


@pytest.mark.parametrize("count", [1, 8])
def test_article_page_costs_the_same_queries_whatever_its_size(
    client, django_assert_num_queries, settings, count
):
    article = add_parts(make_article(), count)
    make_article(primary_category=article.primary_category)

    # Rendered the first time: the lookup, 1 article with its joins, 7
    # prefetches (takeaways, FAQ, references, tags, body images, the body
    # images decorative here, categories), 2 for the renditions of the body
    # images and of the featured image (so {% picture %} never queries per
    # image), 1 for the related articles, and, once per content version,
    # the frame's site settings and menus (2).
    with django_assert_num_queries(14):
        assert client.get(article.get_absolute_url()).status_code == 200
    # Then the whole page is kept: no query.
    with django_assert_num_queries(0):
        assert client.get(article.get_absolute_url()).status_code == 200
    # Without the page cache, what was rendered once stays, the lookup of
    # the address included: no query either, and the page is rendered anew.
    settings.PAGE_CACHE = False
    with django_assert_num_queries(0):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "off"


def test_article_page_shows_every_part_of_the_article(client):
    reviewer = make_author(
        display_name="Dr. Anna de Vries", credentials="MD, physiatrist"
    )
    article = make_article(
        title="Back Spasm Remedy",
        author=make_author(display_name="Jan Jansen", credentials="PT"),
        reviewer=reviewer,
        last_reviewed_on=date(2026, 2, 1),
        body="<h2>Causes</h2><p>Text.</p><h3>Triggers</h3><p>More.</p>",
    )
    article.tags.add("back-pain")
    KeyTakeaway.objects.create(article=article, text="<p>Heat helps</p>", order=0)
    FAQItem.objects.create(
        article=article,
        question="Can dehydration cause back spasms?",
        answer="<p>Yes.</p>",
    )
    Reference.objects.create(
        article=article,
        title="Evidence-Based Medical Insight",
        publisher="NCBI",
        pubmed_id="25536022",
        url="https://pubmed.ncbi.nlm.nih.gov/25536022/",
    )

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<h1>Back Spasm Remedy</h1>" in html
    assert "Jan Jansen</a>, PT" in html
    assert (
        f'Medically reviewed by <a href="/en/author/{reviewer.slug}/">Dr. Anna de Vries</a>, MD, physiatrist'
        in html
    )
    assert (
        '<li><a href="#causes">Causes</a><ol><li><a href="#triggers">Triggers</a></li></ol></li>'
        in html
    )
    assert '<h2 id="causes">Causes</h2>' in html
    assert "<li><p>Heat helps</p></li>" in html
    assert '<details id="faq-can-dehydration-cause-back-spasms">' in html
    assert "<summary>Can dehydration cause back spasms?</summary>" in html
    assert (
        'PMID: <a href="https://pubmed.ncbi.nlm.nih.gov/25536022/" target="_blank" rel="noopener">25536022</a>'
        in html
    )
    assert 'rel="tag">back-pain</a>' in html
    assert "1 min read" in html


def test_published_date_is_shown_in_the_site_time_zone(client):
    article = make_article(published_at=datetime(2026, 2, 6, 15, 47, 3, tzinfo=UTC))

    html = client.get(article.get_absolute_url()).content.decode()

    assert '<time datetime="2026-02-06T16:47:03+01:00">6 February 2026</time>' in html


def test_featured_image_is_fetched_first_and_body_images_are_lazy(client):
    article = add_parts(make_article(), 2)

    html = client.get(article.get_absolute_url()).content.decode()

    hero, *body_images = html.split("<img")[1:]
    assert 'fetchpriority="high"' in hero and 'loading="lazy"' not in hero
    assert all(
        'loading="lazy"' in tag and "fetchpriority" not in tag for tag in body_images
    )
    assert all('width="1200" height="800"' in tag for tag in [hero, *body_images])


def test_first_body_image_gets_priority_when_there_is_no_featured_image(client):
    article = add_parts(make_article(), 2)
    article.featured_image = None
    save_article(article)

    html = client.get(article.get_absolute_url()).content.decode()

    first, second = html.split("<img")[1:3]
    assert 'fetchpriority="high"' in first
    assert 'loading="lazy"' in second


def test_remote_image_keeps_its_responsive_sources(client):
    image = make_image(
        source_url="https://cdn.example.org/a.webp",
        source_renditions=[
            {"url": "https://cdn.example.org/a-300.webp", "width": 300},
            {"url": "https://cdn.example.org/a.webp", "width": 1200},
        ],
    )
    article = make_article(featured_image=image)

    html = client.get(article.get_absolute_url()).content.decode()

    assert (
        'srcset="https://cdn.example.org/a-300.webp 300w, https://cdn.example.org/a.webp 1200w"'
        in html
    )


def test_article_under_another_category_path_redirects_permanently(client):
    article = make_article()

    response = client.get(f"/{article.language}/some-other-category/{article.slug}/")

    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_html_lang_is_the_article_language(client):
    article = make_article(language="nl", slug="rugkrampen")

    html = client.get(article.get_absolute_url()).content.decode()

    assert html.startswith('<!doctype html>\n<html lang="nl">')


def test_unknown_language_prefix_is_not_found(client):
    article = make_article()

    response = client.get(article.get_absolute_url().replace("/en/", "/xx/"))

    assert response.status_code == 404


def test_friendly_404_page(client):
    response = client.get("/en/no-such-category/no-such-article/")

    assert response.status_code == 404
    assert "We can't find that page" in response.content.decode()


def test_hostile_title_is_escaped(client):
    article = make_article(title='<script>alert("x")</script>')

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_home_lists_sticky_articles_first_then_latest(client):
    old_sticky = make_article(
        title="Old sticky",
        sticky=True,
        published_at=timezone.now() - timedelta(days=30),
    )
    newest = make_article(title="Newest")

    articles = list(client.get("/en/").context["articles"])

    assert articles[:2] == [old_sticky, newest]


def test_home_is_paginated(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    for _ in range(3):
        make_article()

    first = client.get("/en/")
    second = client.get("/en/?page=2")

    assert len(first.context["articles"]) == 2
    assert len(second.context["articles"]) == 1
    assert 'rel="next" href="?page=2"' in first.content.decode()


def test_category_archive_lists_articles_of_the_category(client):
    category = make_category(name="Beauty", slug="beauty")
    inside = make_article(primary_category=category)
    also_inside = make_article(categories=[category])
    make_article()

    response = client.get("/en/beauty/")

    assert set(response.context["articles"]) == {inside, also_inside}


def test_tag_and_author_archives(client):
    author = make_author(slug="jan-jansen")
    tagged = make_article(author=author, tags=["back-pain"])
    make_article()

    assert list(client.get("/en/tag/back-pain/").context["articles"]) == [tagged]
    assert list(client.get("/en/author/jan-jansen/").context["articles"]) == [tagged]


@pytest.mark.parametrize(
    "status",
    [
        Article.Status.DRAFT,
        Article.Status.PENDING,
        Article.Status.PRIVATE,
        Article.Status.TRASH,
    ],
)
def test_unpublished_article_is_not_found_and_not_listed(client, status):
    article = make_article(status=status, tags=["hidden"])

    assert client.get(article.get_absolute_url()).status_code == 404
    for url in [
        "/en/",
        article.primary_category.get_absolute_url(),
        "/en/tag/hidden/",
        article.author.get_absolute_url(),
    ]:
        assert article not in client.get(url).context["articles"]


def test_scheduled_article_is_hidden_until_its_time(client):
    article = make_article(published_at=timezone.now() + timedelta(hours=1))

    assert article.status == Article.Status.SCHEDULED
    assert client.get(article.get_absolute_url()).status_code == 404
    assert article not in client.get("/en/").context["articles"]


def test_related_articles_prefer_shared_tags(client):
    article = make_article(tags=["back-pain", "heat"])
    close = make_article(tags=["back-pain", "heat"])
    closer_than_nothing = make_article(tags=["back-pain"])
    make_article(tags=["unrelated"])

    related = client.get(article.get_absolute_url()).context["related_articles"]

    assert related == [close, closer_than_nothing]


@pytest.mark.parametrize("candidates, found", [(2, False), (3, True)])
def test_related_articles_are_chosen_among_the_newest_of_the_language(
    client, monkeypatch, candidates, found
):
    monkeypatch.setattr(related, "CANDIDATES", candidates)
    now = timezone.now()
    article = make_article(tags=["back-pain"], published_at=now - timedelta(days=1))
    older_match = make_article(tags=["back-pain"], published_at=now - timedelta(days=9))
    for days in (2, 3):
        make_article(tags=["sleep"], published_at=now - timedelta(days=days))
    make_article(language="nl", tags=["back-pain"], published_at=now)

    shown = client.get(article.get_absolute_url()).context["related_articles"]

    assert shown == ([older_match] if found else [])


def test_body_image_alt_text_with_quotes_survives_rendering(client):
    image = make_image()
    article = make_article(
        body=f'<figure><img src="{image.url}" alt=\'The &quot;cat-cow&quot; stretch\' data-file="{image.pk}"></figure>'
    )

    html = client.get(article.get_absolute_url()).content.decode()

    assert 'alt="The &quot;cat-cow&quot; stretch"' in html


def test_prepare_body_anchors_headings_and_drops_empty_attributes():
    from articles.richtext import prepare_body
    from articles.sanitize import sanitize_rich_text

    html, toc = prepare_body(
        sanitize_rich_text(
            '<h2>Fish &amp; <em>chips</em></h2><p><a href="/x" title="">x</a></p>'
            '<h3 class="c">Fish &amp; chips</h3><h2>  </h2>'
            '<p title="a &gt; b">&lt;h2&gt;not a heading&lt;/h2&gt;</p>'
        )
    )

    assert html == (
        '<h2 id="fish-chips">Fish &amp; <em>chips</em></h2><p><a href="/x">x</a></p>'
        '<h3 id="fish-chips-2">Fish &amp; chips</h3><h2 id="section">  </h2>'
        '<p title="a &gt; b">&lt;h2&gt;not a heading&lt;/h2&gt;</p>'
    )
    assert toc == [
        {"level": 2, "id": "fish-chips", "text": "Fish & chips"},
        {"level": 3, "id": "fish-chips-2", "text": "Fish & chips"},
        {"level": 2, "id": "section", "text": ""},
    ]


def test_reviewer_and_next_review_are_shown_with_a_link_to_the_reviewer(client):
    reviewer = make_author(display_name="Dr. Anna de Vries", slug="anna-de-vries")
    article = make_article(
        reviewer=reviewer,
        last_reviewed_on=date(2026, 2, 1),
        next_review_due=date(2027, 2, 1),
    )

    html = client.get(article.get_absolute_url()).text

    assert (
        'Medically reviewed by <a href="/en/author/anna-de-vries/">Dr. Anna de Vries</a>'
        in html
    )
    assert 'Next review due <time datetime="2027-02-01">1 February 2027</time>' in html


def test_a_reviewers_page_lists_what_they_reviewed_as_a_profile_page(client):
    reviewer = make_author(
        display_name="Dr. Anna de Vries",
        slug="anna-de-vries",
        bio="<p>Physiatrist at the clinic.</p>",
        job_title="Physiatrist",
    )
    make_article(
        title="Back pain relief", reviewer=reviewer, last_reviewed_on=date(2026, 2, 1)
    )

    response = client.get("/en/author/anna-de-vries/")

    assert "Articles reviewed by Dr. Anna de Vries" in response.text
    assert "Back pain relief" in response.text
    assert "No articles here yet" not in response.text
    graph = json.loads(
        re.search(
            r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S
        ).group(1)
    )["@graph"]
    page = next(node for node in graph if node["@type"] == "ProfilePage")
    person = next(node for node in graph if node["@type"] == "Person")
    assert page["mainEntity"] == {"@id": person["@id"]}
    assert person["jobTitle"] == "Physiatrist"
    assert person["description"] == "Physiatrist at the clinic."
    assert "/en/author/anna-de-vries/" in client.get("/sitemap-authors.xml").text


def test_a_reference_shows_its_pubmed_id_once(client):
    """A PubMed link and its PMID are one thing: the title does not link to the page "PMID: …" links to."""
    article = make_article()
    Reference.objects.create(
        article=article,
        title="Evidence-Based Medical Insight",
        publisher="National Center for Biotechnology Information",
        pubmed_id="25536022",
        url="https://pubmed.ncbi.nlm.nih.gov/25536022/",
    )
    Reference.objects.create(
        article=article,
        title="Heat therapy",
        pubmed_id="30000001",
        url="https://doi.org/10.1016/j.spinee.2018.01.001",
        order=1,
    )

    html = client.get(article.get_absolute_url()).content.decode()
    citations = BeautifulSoup(html, "html.parser").select("cite.citation")

    assert str(citations[0]) == (
        '<cite class="citation">Evidence-Based Medical Insight. National Center for '
        "Biotechnology Information. PMID: "
        '<a href="https://pubmed.ncbi.nlm.nih.gov/25536022/" rel="noopener" target="_blank">25536022</a>.</cite>'
    )
    assert [link["href"] for link in citations[1].find_all("a")] == [
        "https://doi.org/10.1016/j.spinee.2018.01.001",
        "https://pubmed.ncbi.nlm.nih.gov/30000001/",
    ]


def test_reading_time_counts_the_takeaways_and_the_faq(
    client, django_assert_num_queries
):
    """225 words a minute over everything the page shows to read, not the body alone."""
    article = make_article(body="<p>Short body.</p>")
    KeyTakeaway.objects.create(article=article, text=" ".join(["rest"] * 100))
    FAQItem.objects.create(
        article=article,
        question="Does heat help?",
        answer="<p>" + " ".join(["warmth"] * 400) + "</p>",
    )

    html = client.get(article.get_absolute_url()).content.decode()

    assert "3 min read" in html  # 2 + 100 + 3 + 400 words
    detail = Article.objects.for_detail().get(pk=article.pk)
    with django_assert_num_queries(0):
        assert detail.reading_minutes == 3
