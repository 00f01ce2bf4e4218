"""
Reader search: /<lang>/search/?q= finds published content of the page's
language, ranked, highlighted, paginated, with "did you mean"; the index
follows every change made through the publishing service; hostile input
never breaks it. Runs on SQLite (FTS5) and on PostgreSQL (text search).
"""

import io
import sqlite3
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from articles import languages, publishing, seo
from articles.models import Article, FAQItem, KeyTakeaway, SearchDocument, Tag
from articles.search import index, query, results
from articles.search.backends import postgresql, sqlite
from articles.search.suggestions import edit_distance
from tests.factories import make_article, make_category, save_article

pytestmark = pytest.mark.django_db

SEARCH_URL = "/en/search/"


def search(client, q, *, language="en", **params):
    return client.get(
        languages.reverse_in(language, "articles:search"), {"q": q, **params}
    )


def result_titles(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        heading.get_text(strip=True) for heading in soup.select(".search-result__title")
    ]


def article_with(*, faq=(), takeaways=(), **fields):
    """A published article with FAQ items and takeaways, indexed as the publishing service leaves it."""
    article = make_article(**fields)
    for order, (question, answer) in enumerate(faq):
        FAQItem.objects.create(
            article=article, question=question, answer=answer, order=order
        )
    for order, text in enumerate(takeaways):
        KeyTakeaway.objects.create(article=article, text=text, order=order)
    return save_article(article) if faq or takeaways else article


def test_title_match_ranks_above_body_matches(client):
    article_with(
        title="Sleep hygiene",
        body="<p>Magnesium, magnesium and more magnesium: magnesium everywhere.</p>",
    )
    article_with(title="Magnesium for cramps", body="<p>A mineral for muscles.</p>")

    assert result_titles(search(client, "magnesium")) == [
        "Magnesium for cramps",
        "Sleep hygiene",
    ]


def test_faq_questions_and_answers_are_found(client):
    article_with(
        title="Back pain",
        faq=[("Does swimming help?", "<p>Gentle backstroke relaxes the spine.</p>")],
    )

    assert result_titles(search(client, "swimming")) == ["Back pain"]
    assert result_titles(search(client, "backstroke")) == ["Back pain"]


def test_tags_key_takeaways_and_excerpt_are_found(client):
    tag = Tag.objects.create(name="Electrolytes", slug="electrolytes")
    article_with(
        title="Cramps",
        tags=[tag],
        takeaways=["<p>Potassium-rich bananas help.</p>"],
        excerpt="<p>Why calves seize.</p>",
    )

    assert result_titles(search(client, "electrolytes")) == ["Cramps"]
    assert result_titles(search(client, "bananas")) == ["Cramps"]
    assert result_titles(search(client, "calves")) == ["Cramps"]


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.PENDING},
        {"status": Article.Status.PRIVATE},
        {
            "status": Article.Status.PUBLISHED,
            "published_at": timezone.now() + timedelta(days=1),
        },
    ],
    ids=["draft", "pending", "private", "scheduled"],
)
def test_unpublished_articles_are_never_found(client, fields):
    article_with(title="Hidden turmeric trial", **fields)

    response = search(client, "turmeric")

    assert result_titles(response) == []
    assert "Hidden" not in response.content.decode()


def test_article_is_found_while_published_and_gone_once_trashed(client, editor):
    article = article_with(title="Ginger for nausea", status=Article.Status.DRAFT)
    assert result_titles(search(client, "ginger")) == []

    publishing.transition(article, Article.Status.PUBLISHED, user=editor)
    assert result_titles(search(client, "ginger")) == ["Ginger for nausea"]

    publishing.trash(article, user=editor)
    assert result_titles(search(client, "ginger")) == []


def test_an_edit_is_searchable_at_once(client):
    article = article_with(title="Old title")
    article.body = "<p>Chamomile tea before bed.</p>"
    save_article(article)

    assert result_titles(search(client, "chamomile")) == ["Old title"]


def test_snippet_highlights_the_word_and_escapes_everything_else(client):
    article_with(
        title="Hostile",
        body="<p>&lt;script&gt;alert(1)&lt;/script&gt; Magnesium &amp; zinc &lt;b onmouseover=x&gt;calm&lt;/b&gt;</p>",
    )

    response = search(client, "magnesium")

    soup = BeautifulSoup(response.content, "html.parser")
    (snippet,) = soup.select(".search-result__snippet")
    assert [mark.get_text() for mark in snippet.find_all("mark")] == ["Magnesium"]
    assert [tag.name for tag in snippet.find_all(True)] == ["mark"]
    # PostgreSQL's headline drops what looks like a tag; FTS5 keeps it, escaped.
    assert "<script>alert" not in response.content.decode()
    assert "Magnesium</mark> &amp; zinc" in str(snippet)


def test_another_language_is_not_found(client):
    article_with(title="Magnesium en slaap", slug="magnesium-en-slaap", language="nl")

    assert result_titles(search(client, "magnesium")) == []
    assert result_titles(search(client, "magnesium", language="nl")) == [
        "Magnesium en slaap"
    ]


def test_results_are_paginated_keeping_the_query(client):
    for n in range(results.PER_PAGE + 2):
        article_with(title=f"Zinc guide {n}")

    first, second = search(client, "zinc"), search(client, "zinc", page=2)

    assert len(result_titles(first)) == results.PER_PAGE
    assert len(result_titles(second)) == 2
    soup = BeautifulSoup(first.content, "html.parser")
    assert soup.select_one("a[rel=next]")["href"] == "/en/search/?q=zinc&page=2"
    assert "12 results" in first.content.decode()
    assert search(client, "zinc", page=3).status_code == 404
    assert search(client, "zinc", page="x").status_code == 200


def test_misspelt_word_gets_a_suggestion(client):
    article_with(title="Magnesium for sleep")

    response = search(client, "magnesum sleep")

    soup = BeautifulSoup(response.content, "html.parser")
    link = soup.select_one(".search-suggestion a")
    assert link.get_text() == "magnesium sleep"
    assert link["href"] == "/en/search/?q=magnesium%20sleep"
    assert result_titles(client.get(link["href"])) == ["Magnesium for sleep"]


def test_correctly_spelt_words_get_no_suggestion(client):
    article_with(title="Magnesium for sleep")

    assert (
        BeautifulSoup(search(client, "Magnesium").content, "html.parser").select(
            ".search-suggestion"
        )
        == []
    )


def test_suggestions_never_reveal_words_of_unpublished_articles(client):
    article_with(title="Embargoed zolpidemix study", status=Article.Status.DRAFT)

    response = search(client, "zolpidemax")

    assert "zolpidemix" not in response.content.decode()


def test_an_empty_search_asks_for_words(client, django_assert_num_queries):
    search(client, "")  # The page's frame (settings, menus) read once.
    with django_assert_num_queries(0):
        response = search(client, "   ")

    assert response.status_code == 200
    assert "Type a word or two" in response.content.decode()


def test_no_match_shows_a_friendly_empty_state(client):
    article_with(title="Magnesium")

    response = search(client, "quasar")

    page = response.content.decode()
    assert "Nothing we have published matches “quasar”" in page
    assert 'href="/en/"' in page


def test_a_search_costs_the_same_queries_for_3_and_60_matches(client):
    def queries_for(count, word):
        for n in range(count):
            article_with(
                title=f"{word} note {n}", body=f"<p>About {word} and sleep.</p>"
            )
        search(client, word)  # Content types are looked up once per process.
        with CaptureQueriesContext(connection) as queries:
            response = search(client, f"{word} sleep")
        assert len(result_titles(response)) == min(count, results.PER_PAGE)
        return len(queries)

    assert queries_for(3, "selenium") == queries_for(60, "copper") == 4


@pytest.mark.parametrize(
    "hostile",
    [
        '"',
        '"""',
        "*",
        "magnesium*",
        "NEAR(",
        "NEAR(magnesium sleep, 2)",
        "OR",
        "magnesium OR",
        "AND NOT",
        "-",
        "-magnesium",
        "\x00",
        "magne\x00sium",
        "x" * 10_000,
        "magnesium " * 2_000,
        '"unbalanced quote magnesium',
        "title:magnesium",
        "^magnesium",
        "{title summary}: magnesium",
        "😀 magnesium 🩺",
        "'; DROP TABLE articles_article; --",
        "magnesium\u200b\u0301",
        "<script>alert(1)</script>",
        "%",
        "_",
        "\\",
    ],
)
def test_hostile_queries_never_raise(client, hostile):
    article_with(title="Magnesium for sleep")

    response = search(client, hostile)

    # A NUL or a 10 KB address is refused at the edge (400, 414), before search.
    assert response.status_code in {200, 400, 414}
    assert "<script>alert(1)" not in response.content.decode()


@given(st.text(max_size=300))
def test_any_input_parses_into_terms_fts5_accepts(text):
    parsed = query.parse(text)

    assert len(parsed.all_words) <= query.MAX_TERMS
    assert all(word.isalnum() for word in parsed.all_words)
    if parsed:
        fts = sqlite3.connect(":memory:")
        fts.execute(
            "CREATE VIRTUAL TABLE t USING fts5(a, tokenize='porter unicode61 remove_diacritics 2')"
        )
        fts.execute(
            "SELECT * FROM t WHERE t MATCH ?", [sqlite.match_expression(parsed)]
        ).fetchall()


def test_query_keeps_words_and_quoted_phrases():
    parsed = query.parse('Back "muscle spasm" OR -relief "unclosed')

    assert parsed.words == ("back", "or", "relief", "unclosed")
    assert parsed.phrases == (("muscle", "spasm"),)
    assert (
        sqlite.match_expression(parsed)
        == '"back" AND "or" AND "relief" AND "unclosed" AND "muscle spasm"'
    )


def test_edit_distance_counts_a_swap_as_one():
    assert edit_distance("magnesium", "magnesum") == 1
    assert edit_distance("magnesium", "mangesium") == 1
    assert edit_distance("magnesium", "sleep") > 2


def test_search_page_is_noindex(client):
    response = search(client, "magnesium")

    assert response["X-Robots-Tag"] == "noindex"
    robots = BeautifulSoup(response.content, "html.parser").select_one(
        "meta[name=robots]"
    )
    assert robots["content"] == "noindex, follow"


def test_website_json_ld_has_a_search_action():
    site = seo.Site(name="Clinic", url="https://clinic.example")

    node = seo.website_node(site, language="en")

    assert node["potentialAction"] == {
        "@type": "SearchAction",
        "target": {
            "@type": "EntryPoint",
            "urlTemplate": "https://clinic.example/en/search/?q={search_term_string}",
        },
        "query-input": "required name=search_term_string",
    }


def test_every_language_has_a_text_search_configuration():
    assert {code for code, _name in settings.LANGUAGES} <= set(
        postgresql.TEXT_SEARCH_CONFIGS
    )


def test_search_form_is_a_labelled_search_landmark(client):
    response = search(client, "")

    soup = BeautifulSoup(response.content, "html.parser")
    (form,) = soup.select("main form[role=search]")
    assert form["method"] == "get" and form["action"] == SEARCH_URL
    assert form.select_one("label input[name=q][type=search]") is not None
    assert form.select_one("label").get_text(strip=True) == "Search articles"


def test_results_are_a_list_of_headed_articles(client):
    article_with(title="Magnesium for sleep")

    soup = BeautifulSoup(search(client, "magnesium").content, "html.parser")

    (item,) = soup.select("ol.search-results > li")
    assert item.select_one("article h2 a").get_text() == "Magnesium for sleep"


def test_admin_article_list_searches_the_body(editor_client):
    article_with(
        title="Sleep",
        body="<p>Foods high in magnesium.</p>",
        status=Article.Status.DRAFT,
    )
    article_with(title="Other")

    response = editor_client.get(
        reverse("admin:articles_article_changelist"), {"q": "magnesium"}
    )

    assert [article.title for article in response.context["cl"].result_list] == [
        "Sleep"
    ]


def test_renaming_a_tag_reindexes_its_articles(client, editor):
    tag = Tag.objects.create(name="Minerals", slug="minerals")
    article_with(title="Cramps", tags=[tag])

    tag.name = "Micronutrients"
    publishing.save_object(tag, user=editor)

    assert result_titles(search(client, "micronutrients")) == ["Cramps"]
    assert result_titles(search(client, "minerals")) == []


def test_renaming_a_category_reindexes_its_articles(client, editor):
    category = make_category(name="Nutrition")
    article_with(title="Cramps", primary_category=category)

    category.name = "Diet"
    publishing.save_object(category, user=editor)

    assert result_titles(search(client, "diet")) == ["Cramps"]


def test_deleting_a_tag_takes_its_name_out_of_the_index(client, editor):
    tag = Tag.objects.create(name="Quackery", slug="quackery")
    article_with(title="Cramps", tags=[tag])

    publishing.delete_objects([tag], user=editor, delete=tag.delete)

    assert result_titles(search(client, "quackery")) == []


def test_deleting_an_article_for_good_deletes_its_document(administrator):
    article = article_with(title="Gone")
    publishing.trash(article, user=administrator)

    publishing.delete_for_good(
        Article.objects.filter(pk=article.pk), user=administrator
    )

    assert not SearchDocument.objects.exists()


def test_a_batch_is_indexed_in_the_same_queries_however_large():
    def queries_to_index(count):
        articles = [make_article(title=f"Batch {n}") for n in range(count)]
        SearchDocument.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            index.reindex_changed(instances=articles)
        assert (
            SearchDocument.objects.filter(
                object_id__in=[a.pk for a in articles]
            ).count()
            == count
        )
        return len(queries)

    queries_to_index(1)  # Content types are looked up once per process.
    assert queries_to_index(3) == queries_to_index(30)


def test_rebuild_command_indexes_every_article(client):
    article_with(title="Magnesium for sleep")
    article_with(title="Draft magnesium", status=Article.Status.DRAFT)
    SearchDocument.objects.all().delete()
    assert result_titles(search(client, "magnesium")) == []

    call_command(
        "search_index",
        "--rebuild",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )

    assert (
        SearchDocument.objects.filter(
            content_type=ContentType.objects.get_for_model(Article)
        ).count()
        == 2
    )
    assert result_titles(search(client, "magnesium")) == ["Magnesium for sleep"]
