"""Control characters never reach stored text, so feeds and sitemaps always parse."""

import json
from xml.etree import ElementTree

import pytest

from articles import control_characters
from articles.importers.wordpress.sources import read_file
from articles.models import Article, FAQItem, Reference, Tag
from articles.sanitize import sanitize_inline, sanitize_rich_text
from tests.factories import make_article, make_category
from tests.test_roles import submit

pytestmark = pytest.mark.django_db

FEEDS = ["/en/feed/", "/en/feed/atom/"]


def test_removes_what_xml_forbids_and_keeps_tabs_and_newlines():
    text = "a\x00b\x01c\x08d\te\nf\rg\x1fh\ufffei\uffffj\ud800k\x7fl"

    assert control_characters.remove(text) == "abcd\te\nf\rghijk\x7fl"


def test_line_and_page_breaks_from_word_become_spaces():
    assert control_characters.remove("Back\x0bpain\x0cguide") == "Back pain guide"


def test_title_pasted_with_control_characters_is_saved_without_them(editor_client):
    article = make_article(title="Back pain")
    url = f"/admin/articles/article/{article.pk}/change/"

    response = submit(
        editor_client,
        url,
        title="Back\x0bspasm \x01remedy",
        seo_title="SEO\x02 title",
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.title == "Back spasm remedy"
    assert article.seo_title == "SEO title"


@pytest.mark.parametrize(
    "path",
    [*FEEDS, "/en/{category}/feed/", "/en/{category}/feed/atom/"],
)
def test_feeds_parse_when_titles_and_names_had_control_characters(client, path):
    category = make_category(name="Back\x01 care", description="About\x0b backs")
    article = make_article(
        title="Vertical\x0btab", primary_category=category, excerpt="<p>a\x02b</p>"
    )
    article.tags.add("tag\x03name")

    response = client.get(path.format(category=category.slug))

    assert response.status_code == 200
    document = ElementTree.fromstring(response.content)
    assert "Vertical tab" in ElementTree.tostring(document, encoding="unicode")


def test_every_text_field_of_the_app_is_cleaned_on_save():
    article = make_article(
        title="T\x01", meta_description="M\x02", focus_keyphrases="k\x03"
    )
    faq = FAQItem.objects.create(
        article=article, question="Q\x04?", answer="<p>A\x05</p>"
    )
    reference = Reference.objects.create(article=article, title="R\x06")
    tag = Tag.objects.create(name="n\x07")

    article.refresh_from_db()
    assert (article.title, article.meta_description, article.focus_keyphrases) == (
        "T",
        "M",
        "k",
    )
    assert FAQItem.objects.get(pk=faq.pk).question == "Q?"
    assert Reference.objects.get(pk=reference.pk).title == "R"
    assert Tag.objects.get(pk=tag.pk).name == "n"


def test_rich_text_loses_control_characters_also_when_spelled_as_references():
    assert sanitize_rich_text("<p>a&#11;b&#1;c\x0bd</p>") == "<p>a bc d</p>"
    assert sanitize_inline("x&#x1f;y") == "xy"


def test_imported_json_loses_control_characters(tmp_path):
    post = {
        "id": 7,
        "title": {"rendered": "Back\u000bpain\u0001"},
        "content": {"rendered": "<p>Body\u0002</p>"},
        "slug": "back-pain",
    }
    path = tmp_path / "post.json"
    path.write_text(json.dumps(post))

    (item,) = read_file(path)

    assert item.post.title == "Back pain"
    assert item.post.content == "<p>Body</p>"


def test_existing_rows_are_cleaned_by_the_migration():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("articles.migrations.0017_control_characters_removed")
    article = make_article(title="ok")
    Article.objects.filter(pk=article.pk).update(title="Old\x0btitle\x01")

    migration.remove_from_existing_rows(apps, None)

    assert Article.objects.get(pk=article.pk).title == "Old title"
