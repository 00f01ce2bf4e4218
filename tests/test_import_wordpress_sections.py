"""
Sections recognised by their names in every language of the site: a
Dutch post's "Bronnen" and "Veelgestelde vragen" are lifted into its
references and FAQ like an English post's, and no heading is left behind
over nothing.
"""

import json
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from articles.importers.wordpress import blocks
from articles.importers.wordpress.load import import_post
from articles.importers.wordpress.sources import parse_post
from articles.models import Article
from tests.wxr import SITE

SEED = Path(django_settings.BASE_DIR) / "demo" / "back-spasm-remedy.json"


@pytest.fixture(autouse=True)
def wordpress_site(settings):
    settings.WORDPRESS_SITE_URL = SITE
    settings.LANGUAGES = [("en", "English"), ("nl", "Nederlands")]
    settings.LANGUAGE_CODE = "en"


RANK_MATH_FAQ = (
    '<div id="rank-math-faq" class="rank-math-block"><div class="rank-math-list-item">'
    '<h3 class="rank-math-question">Helpt warmte?</h3>'
    '<div class="rank-math-answer"><p>Ja.</p></div></div></div>'
)


def test_a_dutch_post_whose_language_is_not_known_has_its_dutch_sections_lifted(db):
    """No Polylang field and no /nl/ prefix: the Dutch names are still recognised."""
    content = (
        "<p>Rugkrampen zijn pijnlijk.</p>"
        "<h2>Belangrijkste punten</h2><ul><li>Rust helpt</li></ul>"
        f"<h2>Veelgestelde vragen</h2>{RANK_MATH_FAQ}"
        "<h2>Bronnen</h2><ol><li>RIVM. Lage rugpijn. 2021.</li></ol>"
    )
    data = json.loads(SEED.read_text()) | {
        "link": f"{SITE}/2024/01/rugkramp/",
        "slug": "rugkramp",
        "content": {"rendered": content},
    }

    import_post(parse_post(data, source="test.json"))

    article = Article.objects.get()
    assert article.language == "en"
    assert article.body == "<p>Rugkrampen zijn pijnlijk.</p>"
    assert [item.text for item in article.takeaways.all()] == ["Rust helpt"]
    assert [item.question for item in article.faq_items.all()] == ["Helpt warmte?"]
    assert [reference.title for reference in article.references.all()] == [
        "Lage rugpijn"
    ]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    "html",
    [
        f"<h2>Veelgestelde vragen</h2><h2>Frequently asked questions</h2>{RANK_MATH_FAQ}",
        f"<h2>Veelgestelde vragen</h2><h3>Frequently asked questions</h3>{RANK_MATH_FAQ}",
        f"<h2>Extra</h2><h3>FAQ</h3>{RANK_MATH_FAQ}",
    ],
)
def test_no_empty_faq_heading_is_left_behind_in_either_language(html, language):
    content = blocks.convert(
        f"<p>Inleiding</p>{html}<h2>Verder</h2><p>Blijft</p>",
        site_url=SITE,
        language=language,
    )

    assert content.body == "<p>Inleiding</p>\n<h2>Verder</h2>\n<p>Blijft</p>"
    assert [item.question for item in content.faq] == ["Helpt warmte?"]


def test_a_faq_heading_spelled_apart_is_removed_with_its_block():
    content = blocks.convert(
        f"<p>Inleiding</p><h2>Veel gestelde vragen</h2>{RANK_MATH_FAQ}"
        "<p>Meer vragen? Bel ons.</p>",
        site_url=SITE,
        language="nl",
    )

    assert content.body == "<p>Inleiding</p>\n<p>Meer vragen? Bel ons.</p>"
    assert len(content.faq) == 1


@pytest.mark.parametrize(
    ("heading", "part", "language"),
    [
        ("Bronnen", "references", "en"),
        ("Literatuurlijst", "references", "en"),
        ("Samenvatting", "takeaways", "en"),
        ("Kernpunten:", "takeaways", "en"),
        ("Geraadpleegde bronnen", "references", "nl"),
        ("References", "references", "nl"),
        ("Key points", "takeaways", "nl"),
    ],
)
def test_section_names_of_every_language_are_recognised(heading, part, language):
    content = blocks.convert(
        f"<p>Tekst</p><h2>{heading}</h2><ul><li>RIVM. Rugpijn. 2021.</li></ul>",
        site_url=SITE,
        language=language,
    )

    assert content.body == "<p>Tekst</p>"
    assert getattr(content, part) == ("RIVM. Rugpijn. 2021.",)


def test_a_section_in_a_group_leaves_no_empty_group_behind():
    content = blocks.convert(
        '<p>Tekst</p><div class="wp-block-group"><h2>Bronnen</h2>'
        "<ol><li>RIVM. Rugpijn. 2021.</li></ol></div>",
        site_url=SITE,
        language="nl",
    )

    assert (content.body, content.references) == (
        "<p>Tekst</p>",
        ("RIVM. Rugpijn. 2021.",),
    )


def test_a_third_language_extends_the_vocabulary(monkeypatch):
    monkeypatch.setitem(
        blocks.SECTION_NAMES,
        "de",
        blocks.SectionNames(
            takeaways=frozenset({"das wichtigste"}),
            references=frozenset({"quellen"}),
            faq=("häufige fragen",),
        ),
    )

    content = blocks.convert(
        "<p>Text</p><h2>Key takeaways</h2><ul><li>Bewegung hilft</li></ul>"
        "<h2>Quellen</h2><p>RKI. Rückenschmerz. 2020.</p>",
        site_url=SITE,
        language="de",
    )

    assert (content.body, content.takeaways, content.references) == (
        "<p>Text</p>",
        ("Bewegung hilft",),
        ("RKI. Rückenschmerz. 2020.",),
    )
