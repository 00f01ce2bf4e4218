import dataclasses
import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles import revisions
from articles.importers.wordpress import blocks, seo
from articles.importers.wordpress.load import import_items, import_post
from articles.importers.wordpress.sources import parse_post, read_posts
from articles.models import (
    Article,
    AuditEntry,
    Author,
    Category,
    Image,
    Redirect,
    Tag,
)
from articles.publishing import content_changed
from tests.factories import make_article, make_author, make_category

SEED = Path(django_settings.BASE_DIR) / "demo" / "back-spasm-remedy.json"
SITE = "https://goldcitymedicalcenter.nl"
SEED_H2S = [
    "Understanding Back Spasms and Their Causes",
    "Effective Back Spasm Remedy Options for Immediate Relief",
    "Long-Term Natural Strategies to Prevent Recurring Back Spasms",
    "Conclusion",
]
SEED_FAQ_ANCHORS = [
    "faq-what-are-some-effective-home-remedies-for-back-spasms",
    "faq-how-can-i-relieve-back-spasms-at-home",
    "faq-what-are-some-natural-remedies-for-back-muscle-spasms",
    "faq-can-dehydration-cause-back-spasms",
    "faq-how-can-i-prevent-recurring-back-spasms",
    "faq-when-should-i-seek-medical-help-for-back-spasms",
    "faq-can-magnesium-help-alleviate-muscle-spasms-in-the-back",
    "faq-are-there-any-specific-stretches-that-can-help-relieve-back-spasms",
]


@pytest.fixture(autouse=True)
def wordpress_site(settings):
    settings.WORDPRESS_SITE_URL = SITE
    settings.LANGUAGES = [("en", "English"), ("nl", "Nederlands")]
    settings.LANGUAGE_CODE = "en"


def seed_data():
    return json.loads(SEED.read_text())


def import_data(data, **options):
    return import_post(parse_post(data, source="test.json"), **options)


def row_counts():
    """Return the number of rows in every table, many-to-many tables included."""
    return {
        model._meta.db_table: model.objects.count()
        for model in apps.get_models(include_auto_created=True)
    }


@pytest.fixture
def seed_article(db):
    outcome = import_data(seed_data())
    assert outcome.action == "created", outcome
    return Article.objects.get(pk=outcome.article_id, wordpress_id=9580)


# The seed post, field by field


def test_seed_post_core_fields_are_mapped(seed_article):
    assert seed_article.title == "Back Spasm Remedy: Incredible Home Treatments"
    assert seed_article.slug == "back-spasm-remedy"
    assert seed_article.language == "en"
    assert seed_article.status == Article.Status.PUBLISHED
    assert seed_article.sticky is False
    assert seed_article.published_at == datetime(2026, 2, 6, 15, 47, 3, tzinfo=UTC)
    assert seed_article.updated_at == datetime(2026, 2, 6, 15, 47, 3, tzinfo=UTC)


def test_seed_post_title_has_entities_decoded(db):
    data = seed_data()
    data["title"]["rendered"] = (
        "Back Spasm Remedy: Nature&#8217;s Best &amp; Safest &#8211; Part&nbsp;2"
    )

    import_data(data)

    assert (
        Article.objects.get().title
        == "Back Spasm Remedy: Nature’s Best & Safest – Part\xa02"
    )


def test_seed_post_updated_at_comes_from_modified_gmt(db):
    data = seed_data()
    data["modified_gmt"] = "2026-03-01T08:00:00"

    import_data(data)

    assert Article.objects.get().updated_at == datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def test_seed_post_excerpt_is_sanitized_with_the_more_marker_as_ellipsis(seed_article):
    assert seed_article.excerpt.startswith("<p>Back spasms can hit without warning")
    assert seed_article.excerpt.endswith("easy home methods…</p>")
    assert "[" not in seed_article.excerpt


def test_seed_post_author_is_created_from_the_wordpress_user_id(seed_article):
    author = seed_article.author
    assert author.wordpress_id == 13
    assert author.display_name == "Author 13"
    assert author.slug == "author-13"


def test_existing_author_with_the_wordpress_id_is_reused(db):
    author = make_author(display_name="Dr. Jane Doe", slug="jane-doe", wordpress_id=13)

    import_data(seed_data())

    assert Article.objects.get().author == author
    assert Author.objects.count() == 1


def test_seed_post_primary_category_comes_from_class_list(seed_article):
    category = seed_article.primary_category
    assert (category.slug, category.name, category.wordpress_id) == (
        "beauty",
        "Beauty",
        12,
    )
    assert list(seed_article.categories.all()) == [category]


def test_category_made_by_hand_with_the_same_slug_is_adopted(db):
    category = make_category(name="Beauty", slug="beauty")

    import_data(seed_data())

    category.refresh_from_db()
    assert category.wordpress_id == 12
    assert Article.objects.get().primary_category == category
    assert Category.objects.count() == 1


def test_seed_post_tags_are_named_from_their_slugs(seed_article):
    tags = sorted(seed_article.tags.values_list("slug", "name", "wordpress_id"))
    assert tags == [
        ("back-pain", "Back pain", 2115),
        ("home-remedy", "Home remedy", 2183),
        ("natural", "Natural", 2184),
    ]


def test_seed_post_featured_image_is_the_original_of_the_first_figure(seed_article):
    image = seed_article.featured_image
    assert image.wordpress_id == 10882
    assert image.source_url.endswith("/2026/01/bty-1377_image_1.webp")
    assert (image.width, image.height) == (1200, 800)
    assert image.alt_text == "Back Spasm Remedy: Incredible Home Treatments"
    assert [rendition["width"] for rendition in image.source_renditions] == [
        18,
        300,
        768,
        1024,
        1200,
    ]
    assert image.source_renditions[0]["url"].endswith("bty-1377_image_1-18x12.webp")


def test_seed_post_key_takeaways_are_kept_in_order_with_their_link(seed_article):
    texts = list(seed_article.takeaways.values_list("text", flat=True))
    assert texts == [
        "Effective back spasm relief starts at home with natural remedies.",
        "Heat and ice therapy can provide immediate relief.",
        "Stretching exercises help in relaxing muscle tension.",
        'Magnesium-rich foods support muscle <a href="/">health</a>.',
        "Lifestyle modifications can prevent future spasms.",
    ]
    assert list(seed_article.takeaways.values_list("order", flat=True)) == [
        0,
        1,
        2,
        3,
        4,
    ]


def test_seed_post_faq_items_are_kept_in_order_with_stable_anchors(seed_article):
    items = list(seed_article.faq_items.all())
    assert [item.anchor for item in items] == SEED_FAQ_ANCHORS
    assert [item.order for item in items] == list(range(8))
    assert items[0].question == "What are some effective home remedies for back spasms?"
    assert items[0].answer.startswith(
        "<p>Effective home remedies for back spasms include cold therapy"
    )
    assert "don’t work" in items[5].answer


def test_imported_faq_anchors_follow_the_model_rule(seed_article):
    for item in seed_article.faq_items.all():
        assert item.unique_anchor() == item.anchor


def test_seed_post_reference_is_structured(seed_article):
    reference = seed_article.references.get()
    assert reference.publisher == "National Center for Biotechnology Information"
    assert reference.title == "Evidence-Based Medical Insight"
    assert reference.url == "https://pubmed.ncbi.nlm.nih.gov/25536022/"
    assert reference.pubmed_id == "25536022"
    assert (reference.authors, reference.year, reference.doi) == ("", None, "")


def test_seed_post_seo_fields_come_from_rank_math(seed_article):
    assert seed_article.meta_description == (
        "Looking for a back spasm remedy? Discover incredible natural treatments "
        "and easy home methods to achieve instant, soothing pain relief."
    )
    assert seed_article.focus_keyphrases == "back spasm remedy,health"
    assert seed_article.focus_keyphrase_list == ["back spasm remedy", "health"]
    assert seed_article.seo_title == ""
    assert seed_article.canonical_url == ""
    assert (seed_article.robots_noindex, seed_article.robots_nofollow) == (False, False)


def test_seed_post_wordpress_provenance_is_kept(seed_article):
    assert seed_article.wordpress_guid == "https://goldcitymedicalcenter.nl/?p=9580"
    assert (
        seed_article.wordpress_link
        == "https://goldcitymedicalcenter.nl/en/beauty/back-spasm-remedy/"
    )
    extra = seed_article.wordpress_extra
    assert extra["revision_count"] == 3
    assert extra["predecessor_version"] == 19279
    assert (extra["comment_status"], extra["ping_status"]) == ("closed", "closed")
    assert (extra["template"], extra["format"], extra["footnotes"]) == (
        "",
        "standard",
        "",
    )


def test_seed_post_body_leaves_out_the_parts_stored_separately(seed_article):
    body = seed_article.body
    assert "Key Takeaways" not in body
    assert "Effective back spasm relief starts at home" not in body
    assert "rank-math" not in body
    assert ">FAQ<" not in body
    assert "What are some effective home remedies" not in body
    assert "References" not in body
    assert "25536022" not in body


def test_seed_post_body_keeps_its_headings_and_decodes_entities(seed_article):
    assert [
        entry["text"] for entry in seed_article.table_of_contents if entry["level"] == 2
    ] == SEED_H2S
    assert "It’s important to do these stretches carefully" in seed_article.body
    assert "&#8217;" not in seed_article.body
    assert "wp-block" not in seed_article.body


def test_seed_post_body_shows_the_other_figures_as_library_images(seed_article):
    second, third = (
        Image.objects.get(wordpress_id=10884),
        Image.objects.get(wordpress_id=10885),
    )
    body = seed_article.body
    assert f'data-file="{second.pk}"' in body
    assert f'data-file="{third.pk}"' in body
    assert (
        "bty-1377_image_1" not in body
    )  # The featured image is the hero, not repeated in the body.
    assert (
        'src="https://goldcitymedicalcenter.nl/wp-content/uploads/2026/01/bty-1377_image_2.webp"'
        in body
    )
    assert set(seed_article.body_images.all()) == {second, third}
    assert (second.width, second.height, len(second.source_renditions)) == (
        1200,
        800,
        5,
    )


# Importing again


def test_importing_the_same_post_twice_reports_unchanged_and_changes_nothing(
    seed_article,
):
    before = row_counts()
    faq_pks = list(seed_article.faq_items.values_list("pk", flat=True))

    outcome = import_data(seed_data())

    assert outcome.action == "unchanged"
    assert row_counts() == before
    assert list(seed_article.faq_items.values_list("pk", flat=True)) == faq_pks
    assert Article.objects.get().updated_at == seed_article.updated_at


def test_unchanged_post_is_detected_with_one_lookup(
    seed_article, django_assert_num_queries
):
    post = parse_post(seed_data(), source="test.json")

    with django_assert_num_queries(3):  # SAVEPOINT, the lookup, RELEASE SAVEPOINT
        assert import_post(post).action == "unchanged"


def test_query_count_does_not_grow_with_the_parts_of_a_post(seed_article):
    """Takeaways, FAQ items, references and new images are written in bulk."""
    content = seed_data()["content"]["rendered"]
    normal = post_variant(2, "normal")
    normal["content"]["rendered"] = content.replace("wp-image-1088", "wp-image-3088")
    doubled = post_variant(3, "doubled")
    doubled["content"]["rendered"] = content + content.replace(
        "wp-image-1088", "wp-image-2088"
    )

    with CaptureQueriesContext(connection) as normal_queries:
        assert import_data(normal).action == "created"
    with CaptureQueriesContext(connection) as doubled_queries:
        assert import_data(doubled).action == "created"

    article = Article.objects.get(wordpress_id=3)
    assert (
        article.takeaways.count(),
        article.faq_items.count(),
        article.references.count(),
    ) == (10, 16, 2)
    assert article.body_images.count() == 5
    assert len(doubled_queries) == len(normal_queries)


def test_reimport_after_a_change_updates_the_article_in_place(seed_article):
    data = seed_data()
    data["title"]["rendered"] = "Back Spasm Remedy: Updated"
    data["modified_gmt"] = "2026-04-01T10:00:00"
    data["content"]["rendered"] = data["content"]["rendered"].replace(
        "<p>Lifestyle modifications can prevent future spasms.</p>", ""
    )
    before = row_counts()

    outcome = import_data(data)

    assert outcome.action == "updated"
    article = Article.objects.get()
    assert article.pk == seed_article.pk
    assert article.title == "Back Spasm Remedy: Updated"
    assert article.updated_at == datetime(2026, 4, 1, 10, 0, tzinfo=UTC)
    assert article.takeaways.count() == 4
    assert [item.anchor for item in article.faq_items.all()] == SEED_FAQ_ANCHORS
    after = row_counts()
    assert after.pop("articles_keytakeaway") == before.pop("articles_keytakeaway") - 1
    # The update is kept as a revision and an audit entry; nothing else is added.
    assert after.pop("articles_revision") == before.pop("articles_revision") + 1
    assert after.pop("articles_auditentry") == before.pop("articles_auditentry") + 1
    # The new word of the title ("updated") joins the search lexicon.
    assert after.pop("articles_searchterm") == before.pop("articles_searchterm") + 1
    assert after == before


def test_reimport_with_a_new_slug_remembers_the_old_one(seed_article):
    data = seed_data()
    data["slug"] = "back-spasm-home-remedies"

    import_data(data)

    article = Article.objects.get()
    assert article.slug == "back-spasm-home-remedies"
    assert article.wordpress_extra["previous_slugs"] == ["back-spasm-remedy"]


def test_slug_taken_by_another_article_gets_a_suffix(db):
    make_article(slug="back-spasm-remedy", language="en")

    import_data(seed_data())

    assert Article.objects.get(wordpress_id=9580).slug == "back-spasm-remedy-2"


# Other shapes of input


def test_percent_encoded_unicode_slug_is_decoded(db):
    data = seed_data()
    data["slug"] = "r%c3%bcckenschmerzen-hausmittel"

    import_data(data)

    assert Article.objects.get().slug == "rückenschmerzen-hausmittel"


def test_language_comes_from_the_first_segment_of_the_link(db):
    data = seed_data()
    data["link"] = "https://goldcitymedicalcenter.nl/nl/beauty/rugkramp/"

    import_data(data)

    assert Article.objects.get().language == "nl"


@pytest.mark.parametrize(
    "fields",
    [
        {"lang": "nl"},  # Polylang (Pro) REST field: the language's slug.
        {"wpml_current_locale": "nl_NL"},  # WPML REST API: the locale.
        {"lang": "nl-BE"},
    ],
    ids=["polylang", "wpml", "regional"],
)
def test_language_comes_from_the_posts_data_before_its_permalink(db, fields):
    """Polylang's PLL_REST_Translated_Object::get_language() and WPML's wpml_current_locale name the language."""
    data = seed_data() | fields
    data["link"] = "https://goldcitymedicalcenter.nl/beauty/rugkramp/"

    import_data(data)

    assert Article.objects.get().language == "nl"


def test_language_the_site_does_not_have_falls_back_to_the_permalink(db):
    data = seed_data() | {"lang": "de"}

    import_data(data)

    assert Article.objects.get().language == "en"


def test_polylang_false_language_is_no_language(db):
    data = seed_data() | {"lang": False}
    data["link"] = "https://goldcitymedicalcenter.nl/nl/beauty/rugkramp/"

    import_data(data)

    assert Article.objects.get().language == "nl"


def test_dutch_post_keeps_its_sections_apart_and_no_empty_heading(db):
    data = seed_data() | {"lang": "nl"}
    data["content"]["rendered"] = (
        "<p>Rugkrampen zijn pijnlijk.</p><h2>Kernpunten</h2><ul><li>Rust helpt</li></ul>"
        "<h2>Veelgestelde vragen</h2>"
        '<div id="rank-math-faq" class="rank-math-block"><div class="rank-math-list-item">'
        '<h3 class="rank-math-question">Helpt warmte?</h3>'
        '<div class="rank-math-answer"><p>Ja.</p></div></div></div>'
        "<h2>Bronnen</h2><p>RIVM. Lage rugpijn. 2021.</p>"
    )

    import_data(data)

    article = Article.objects.get()
    assert article.body == "<p>Rugkrampen zijn pijnlijk.</p>"
    assert [item.text for item in article.takeaways.all()] == ["Rust helpt"]
    assert [item.question for item in article.faq_items.all()] == ["Helpt warmte?"]
    assert [reference.title for reference in article.references.all()] == [
        "Lage rugpijn"
    ]


def test_link_without_a_language_gives_the_default_language(db, settings):
    settings.LANGUAGE_CODE = "nl"
    data = seed_data()
    data["link"] = "https://goldcitymedicalcenter.nl/beauty/back-spasm-remedy/"

    import_data(data)

    assert Article.objects.get().language == "nl"


@pytest.mark.parametrize(
    ("wordpress_status", "status"),
    [
        ("draft", Article.Status.DRAFT),
        ("pending", Article.Status.PENDING),
        ("private", Article.Status.PRIVATE),
        ("trash", Article.Status.TRASH),
        ("future", Article.Status.SCHEDULED),
    ],
)
def test_wordpress_statuses_map_to_article_statuses(db, wordpress_status, status):
    data = seed_data()
    data["status"] = wordpress_status
    data["date_gmt"] = (datetime.now(UTC) + timedelta(days=3)).strftime(
        "%Y-%m-%dT%H:%M:%S"
    )

    import_data(data)

    assert Article.objects.get().status == status


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"type": "page"}, "a page of WordPress, not a post"),
        ({"status": "auto-draft"}, "the status “auto-draft” is not imported"),
        (
            {"content": {"rendered": "", "protected": True}},
            "password-protected in WordPress",
        ),
    ],
)
def test_pages_unknown_statuses_and_protected_posts_are_skipped(db, change, reason):
    outcome = import_data(seed_data() | change)

    assert (outcome.action, outcome.reason) == ("skipped", reason)
    assert not Article.objects.exists()


def test_post_without_category_fails_with_a_reason(db):
    data = seed_data()
    data["categories"] = []
    data["class_list"] = []

    outcome = import_data(data)

    assert (outcome.action, outcome.reason) == ("failed", "the post has no category")


def test_embedded_terms_author_and_featured_media_are_used(db):
    data = seed_data()
    data["categories"] = [12, 40]
    data["_embedded"] = {
        "author": [
            {
                "id": 13,
                "name": "Dr. Anna de Vries",
                "slug": "anna-de-vries",
                "description": "GP.",
            }
        ],
        "wp:featuredmedia": [
            {
                "id": 10882,
                "source_url": f"{SITE}/wp-content/uploads/2026/01/bty-1377_image_1.webp",
                "alt_text": "A woman stretching",
                "media_details": {"width": 1200, "height": 800, "sizes": {}},
            }
        ],
        "wp:term": [
            [
                {
                    "id": 12,
                    "name": "Beauty &amp; Care",
                    "slug": "beauty-care",
                    "taxonomy": "category",
                },
                {"id": 40, "name": "Pain", "slug": "pain", "taxonomy": "category"},
            ],
            [
                {
                    "id": 2115,
                    "name": "Back Pain",
                    "slug": "back-pain",
                    "taxonomy": "post_tag",
                },
                {
                    "id": 2183,
                    "name": "Home Remedy",
                    "slug": "home-remedy",
                    "taxonomy": "post_tag",
                },
                {
                    "id": 2184,
                    "name": "Natural",
                    "slug": "natural",
                    "taxonomy": "post_tag",
                },
            ],
        ],
    }

    import_data(data)

    article = Article.objects.get()
    assert (article.primary_category.name, article.primary_category.slug) == (
        "Beauty & Care",
        "beauty-care",
    )
    assert sorted(article.categories.values_list("slug", flat=True)) == [
        "beauty-care",
        "pain",
    ]
    assert sorted(article.tags.values_list("name", flat=True)) == [
        "Back Pain",
        "Home Remedy",
        "Natural",
    ]
    assert (article.author.display_name, article.author.slug, article.author.bio) == (
        "Dr. Anna de Vries",
        "anna-de-vries",
        "GP.",
    )
    assert article.featured_image.wordpress_id == 10882


def test_featured_image_only_embedded_is_created(db):
    data = seed_data()
    data["featured_media"] = 777
    data["_embedded"] = {
        "wp:featuredmedia": [
            {
                "id": 777,
                "source_url": f"{SITE}/wp-content/uploads/hero.jpg",
                "alt_text": "Hero",
                "media_details": {
                    "width": 2000,
                    "height": 1000,
                    "sizes": {
                        "medium": {
                            "source_url": f"{SITE}/wp-content/uploads/hero-300x150.jpg",
                            "width": 300,
                        }
                    },
                },
            }
        ]
    }

    import_data(data)

    image = Article.objects.get().featured_image
    assert (image.wordpress_id, image.width, image.height, image.alt_text) == (
        777,
        2000,
        1000,
        "Hero",
    )
    assert image.source_renditions == [
        {"url": f"{SITE}/wp-content/uploads/hero-300x150.jpg", "width": 300}
    ]
    # The first figure is not the featured image here, so the body keeps it.
    assert "bty-1377_image_1" in Article.objects.get().body


def write_json(directory, name, data):
    path = directory / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def post_variant(wordpress_id, slug):
    data = seed_data()
    data["id"], data["slug"] = wordpress_id, slug
    data["link"] = f"{SITE}/en/beauty/{slug}/"
    return data


def test_directory_input_imports_every_json_file_in_name_order(db, tmp_path):
    write_json(tmp_path, "b.json", post_variant(2, "second"))
    write_json(tmp_path, "a.json", post_variant(1, "first"))
    write_json(tmp_path, "notes.txt", "not a post")

    sources = [item.source for item in read_posts([tmp_path])]
    outcomes = list(import_items(read_posts([tmp_path])))

    assert sources == [str(tmp_path / "a.json"), str(tmp_path / "b.json")]
    assert [outcome.action for outcome in outcomes] == ["created", "created"]
    assert sorted(Article.objects.values_list("slug", flat=True)) == ["first", "second"]


def test_array_input_imports_every_post(db, tmp_path):
    path = write_json(
        tmp_path, "posts.json", [post_variant(1, "first"), post_variant(2, "second")]
    )

    outcomes = list(import_items(read_posts([path])))

    assert [outcome.action for outcome in outcomes] == ["created", "created"]
    assert Article.objects.count() == 2
    # Images and terms shared by both posts are stored once.
    assert Image.objects.count() == 3
    assert Tag.objects.count() == 3


def test_bad_files_are_reported_by_name_while_good_files_are_imported(
    db, tmp_path, capsys
):
    write_json(tmp_path, "1-truncated.json", SEED.read_text()[:500])
    write_json(
        tmp_path,
        "2-error.json",
        {"code": "rest_post_invalid_id", "message": "Invalid post ID.", "data": {}},
    )
    write_json(tmp_path, "3-empty.json", "")
    write_json(tmp_path, "4-not-a-post.json", {"name": "Gold City", "url": SITE})
    write_json(tmp_path, "5-good.json", seed_data())
    write_json(tmp_path, "6-list.json", [post_variant(2, "second"), 42])

    with pytest.raises(CommandError, match="5 of 7 items failed"):
        call_command("import_wordpress", str(tmp_path))

    output = capsys.readouterr().out
    assert f"{tmp_path / '1-truncated.json'}: not valid JSON" in output
    assert (
        f"{tmp_path / '2-error.json'}: a WordPress error instead of a post: rest_post_invalid_id"
        in output
    )
    assert f"{tmp_path / '3-empty.json'}: the file is empty" in output
    assert (
        f"{tmp_path / '4-not-a-post.json'}: not a WordPress post: no id, title, content"
        in output
    )
    assert (
        f"{tmp_path / '6-list.json'}[1]: not a WordPress post: a JSON number" in output
    )
    assert "created 2, updated 0, unchanged 0, skipped 0, failed 5" in output
    assert sorted(Article.objects.values_list("wordpress_id", flat=True)) == [2, 9580]


def test_command_reports_each_post_and_a_summary(db, capsys):
    call_command("import_wordpress", str(SEED))
    call_command("import_wordpress", str(SEED))

    lines = capsys.readouterr().out.splitlines()
    assert (
        "created" in lines[0]
        and "Back Spasm Remedy: Incredible Home Treatments" in lines[0]
    )
    assert lines[1] == "created 1, updated 0, unchanged 0, skipped 0, failed 0"
    assert "unchanged" in lines[2]
    assert lines[3] == "created 0, updated 0, unchanged 1, skipped 0, failed 0"


# Safety


def test_hostile_markup_does_not_survive(db):
    data = seed_data()
    data["title"]["rendered"] = (
        "<script>alert(1)</script>Safe <img src=x onerror=alert(2)>title"
    )
    data["excerpt"]["rendered"] = (
        '<p onclick="alert(3)">Sum <a href="javascript:alert(4)">mary</a></p>'
    )
    data["content"]["rendered"] = (
        "<script>alert(5)</script>"
        '<p style="color:red" onmouseover="alert(6)">Text <a href="javascript:alert(7)">link</a></p>'
        '<figure class="wp-block-image"><img src="x.jpg" onerror="alert(8)" class="wp-image-5" '
        'alt="x&quot; onerror=&quot;alert(9)"></figure>'
        '<iframe src="https://evil.example/"></iframe><h2>Key Takeaways</h2>'
        '<p>Tip <a href="javascript:alert(10)" onclick="alert(11)">one</a></p>'
        "<h2>Body</h2>"
        '<div id="rank-math-faq"><div class="rank-math-list-item">'
        '<h3 class="rank-math-question">Q<script>alert(12)</script>?</h3>'
        '<div class="rank-math-answer"><p>A<img src=y onerror="alert(13)"></p><style>p{}</style></div>'
        "</div></div>"
    )

    import_data(data)

    article = Article.objects.get()
    stored = [
        article.title,
        article.excerpt,
        article.body,
        *article.takeaways.values_list("text", flat=True),
        *(item.question + item.answer for item in article.faq_items.all()),
    ]
    for html in stored:
        soup = BeautifulSoup(html, "html.parser")
        assert not soup.find_all(["script", "style", "iframe"])
        for tag in soup.find_all(True):
            assert not [
                name for name in tag.attrs if name.startswith("on") or name == "style"
            ]
            assert not str(tag.get("href", "")).startswith("javascript:")
        assert "alert(" not in soup.get_text()
    assert article.title == "Safe title"
    assert article.faq_items.get().question == "Q?"
    assert article.takeaways.get().text == "Tip <a>one</a>"


def test_dry_run_changes_nothing_and_reports_what_would_happen(db):
    before = row_counts()

    outcome = import_data(seed_data(), dry_run=True)

    assert (outcome.action, outcome.reason) == ("created", "dry run, nothing saved")
    assert row_counts() == before


def test_dry_run_of_a_changed_post_reports_an_update_and_keeps_the_old_version(
    seed_article,
):
    data = seed_data()
    data["title"]["rendered"] = "Changed"

    outcome = import_data(data, dry_run=True)

    assert outcome.action == "updated"
    assert (
        Article.objects.get().title == "Back Spasm Remedy: Incredible Home Treatments"
    )


def test_dry_run_command_says_nothing_was_saved(db, capsys):
    call_command("import_wordpress", str(SEED), "--dry-run")

    assert "(dry run: nothing was saved)" in capsys.readouterr().out
    assert not Article.objects.exists()


# blocks: content conversion


def test_links_to_the_wordpress_site_become_site_relative():
    content = blocks.convert(
        '<p><a href="https://goldcitymedicalcenter.nl/en/beauty/x/?a=1#top">in</a> '
        '<a href="http://www.goldcitymedicalcenter.nl/">home</a> '
        '<a href="https://goldcitymedicalcenter.nl/wp-content/uploads/a.pdf">file</a> '
        '<a href="https://example.org/">out</a></p>',
        site_url=SITE,
    )

    assert content.body == (
        '<p><a href="/en/beauty/x/?a=1#top">in</a> <a href="/">home</a> '
        '<a href="https://goldcitymedicalcenter.nl/wp-content/uploads/a.pdf">file</a> '
        '<a href="https://example.org/">out</a></p>'
    )


def test_figure_takes_the_largest_srcset_candidate_and_scales_its_size():
    content = blocks.convert(
        '<figure class="wp-block-image"><img width="1024" height="683" src="/up/p-1024x683.jpg" alt="A &amp; B" '
        'class="wp-image-7" srcset="/up/p-1024x683.jpg 1024w, /up/p.jpg 1200w, /up/p-300x200.jpg 300w">'
        "<figcaption>By <a href='https://example.org/'>Jo</a></figcaption></figure>",
        site_url=SITE,
    )

    figure = content.figures[0]
    assert figure == blocks.Figure(
        wordpress_id=7,
        url=f"{SITE}/up/p.jpg",
        alt="A & B",
        width=1200,
        height=800,
        renditions=(
            (f"{SITE}/up/p-300x200.jpg", 300),
            (f"{SITE}/up/p-1024x683.jpg", 1024),
            (f"{SITE}/up/p.jpg", 1200),
        ),
        caption='By <a href="https://example.org/">Jo</a>',
    )
    assert blocks.render_figures(
        content.body, figures=content.figures, image_ids=[42]
    ) == (
        f'<figure><img src="{SITE}/up/p.jpg" alt="A &amp; B" width="1200" height="800" data-file="42">'
        '<figcaption>By <a href="https://example.org/">Jo</a></figcaption></figure>'
    )


def test_first_figure_is_dropped_only_when_it_is_the_featured_image():
    html = '<figure class="wp-block-image"><img src="/a.jpg" class="wp-image-5"></figure><p>Text</p>'

    assert blocks.convert(html, site_url=SITE, featured_media=5).body == "<p>Text</p>"
    assert (
        blocks.convert(html, site_url=SITE, featured_media=6).body
        == "<!--figure:0-->\n<p>Text</p>"
    )


def test_key_takeaways_may_be_a_list():
    content = blocks.convert(
        "<h2>Key Takeaways:</h2><ul><li>One <strong>bold</strong></li><li>Two</li></ul><h2>Next</h2><p>Stays</p>",
        site_url=SITE,
    )

    assert content.takeaways == ("One <strong>bold</strong>", "Two")
    assert content.body == "<h2>Next</h2>\n<p>Stays</p>"


def test_references_section_is_one_item_per_paragraph_or_list_item():
    content = blocks.convert(
        "<h2>References</h2><ol><li>Smith J. Title. Lancet. 2019.</li>"
        '<li>WHO. Fact sheet. <a href="https://who.int/x">Link</a></li></ol>'
        "<p>Jones K. Other. BMJ. 2001.</p><h3>About the author</h3><p>Stays</p>",
        site_url=SITE,
    )

    assert content.references == (
        "Smith J. Title. Lancet. 2019.",
        "WHO. Fact sheet. Link https://who.int/x",
        "Jones K. Other. BMJ. 2001.",
    )
    assert content.body == "<h3>About the author</h3>\n<p>Stays</p>"


def test_section_ends_at_anything_but_paragraphs_and_lists():
    content = blocks.convert(
        "<h2>Sources</h2><p>WHO. Fact sheet.</p><table><tr><td>Data</td></tr></table>",
        site_url=SITE,
    )

    assert content.references == ("WHO. Fact sheet.",)
    assert content.body == "<table><tr><td>Data</td></tr></table>"


def test_yoast_faq_block_is_extracted_with_its_heading():
    content = blocks.convert(
        "<p>Intro</p><h2>Frequently Asked Questions</h2>"
        '<div class="schema-faq wp-block-yoast-faq-block">'
        '<div class="schema-faq-section" id="faq-question-1"><strong class="schema-faq-question">Is it safe?</strong>'
        ' <p class="schema-faq-answer">Yes, <em>mostly</em>.</p></div>'
        '<div class="schema-faq-section"><strong class="schema-faq-question">How often?</strong>'
        ' <p class="schema-faq-answer">Daily.</p></div></div><p>After</p>',
        site_url=SITE,
    )

    assert content.faq == (
        blocks.Question(question="Is it safe?", answer="<p>Yes, <em>mostly</em>.</p>"),
        blocks.Question(question="How often?", answer="<p>Daily.</p>"),
    )
    assert content.body == "<p>Intro</p>\n<p>After</p>"


def test_quote_keeps_its_cite(db):
    """The quote and pullquote blocks name their source in <cite>: it is kept, not flattened into the quote."""
    article = make_article(
        body=blocks.convert(
            '<blockquote class="wp-block-quote"><p>Rest is good.</p>'
            "<cite>Dr. Smith, <em>Back Book</em></cite></blockquote>"
            '<figure class="wp-block-pullquote"><blockquote><p>Move.</p><cite>WHO</cite></blockquote></figure>',
            site_url=SITE,
        ).body
    )

    assert article.body == (
        "<blockquote><p>Rest is good.</p><cite>Dr. Smith, <em>Back Book</em></cite></blockquote>\n"
        "<figure><blockquote><p>Move.</p><cite>WHO</cite></blockquote></figure>"
    )


RANK_MATH_FAQ = (
    '<div id="rank-math-faq" class="rank-math-block"><div class="rank-math-list-item">'
    '<h3 class="rank-math-question">Is heat safe?</h3>'
    '<div class="rank-math-answer"><p>Yes.</p></div></div></div>'
)


@pytest.mark.parametrize(
    "html",
    [
        f"<h2>Common questions</h2>{RANK_MATH_FAQ}<h2>Next</h2><p>Stays</p>",
        f'<h2>Questions</h2><p></p><div class="wp-block-group">{RANK_MATH_FAQ}</div><h2>Next</h2><p>Stays</p>',
        f"<h2>Extras</h2><h3>Your questions</h3>{RANK_MATH_FAQ}<h2>Next</h2><p>Stays</p>",
        "<h2>Sources and further reading</h2><h3>References</h3><p>WHO. Fact sheet.</p><h2>Next</h2><p>Stays</p>",
        "<h2>In short</h2><h3>Key takeaways</h3><ul><li>Rest</li></ul><h2>Next</h2><p>Stays</p>",
    ],
    ids=["faq", "faq-in-a-group", "nested-headings", "references", "takeaways"],
)
def test_heading_that_introduced_a_moved_out_block_goes_with_it(html):
    content = blocks.convert(html, site_url=SITE)

    assert content.body == "<h2>Next</h2>\n<p>Stays</p>"
    assert content.faq or content.references or content.takeaways


def test_heading_over_more_than_the_moved_out_block_stays():
    content = blocks.convert(
        f"<h2>Questions</h2><p>Ask us anything.</p>{RANK_MATH_FAQ}", site_url=SITE
    )

    assert content.body == "<h2>Questions</h2>\n<p>Ask us anything.</p>"
    assert len(content.faq) == 1


def test_a_dutch_post_has_its_sections_recognised_in_dutch():
    content = blocks.convert(
        "<p>Inleiding</p><h2>Kernpunten</h2><ul><li>Rust helpt</li></ul>"
        f"<h2>Veelgestelde vragen</h2>{RANK_MATH_FAQ}"
        "<h2>Bronnen</h2><p>RIVM. Rugpijn. 2021.</p>",
        site_url=SITE,
        language="nl",
    )

    assert content.body == "<p>Inleiding</p>"
    assert content.takeaways == ("Rust helpt",)
    assert [item.question for item in content.faq] == ["Is heat safe?"]
    assert content.references == ("RIVM. Rugpijn. 2021.",)


@pytest.mark.parametrize("name", ["Referenties", "Literatuur"])
def test_dutch_reference_sections_go_by_several_names(name):
    content = blocks.convert(
        f"<h2>{name}</h2><p>RIVM. Rugpijn.</p>", site_url=SITE, language="nl"
    )

    assert (content.body, content.references) == ("", ("RIVM. Rugpijn.",))


def test_every_site_language_has_its_section_names():
    assert {code for code, _name in django_settings.LANGUAGES} <= set(
        blocks.SECTION_NAMES
    )


def test_headings_outside_the_body_levels_are_moved_into_them():
    content = blocks.convert("<h1>Top</h1><h5>Small</h5><h6>Tiny</h6>", site_url=SITE)

    assert content.body == "<h2>Top</h2>\n<h4>Small</h4>\n<h4>Tiny</h4>"


# blocks: citations


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "National Center for Biotechnology Information. Evidence-Based Medical Insight. "
            "Retrieved from https://pubmed.ncbi.nlm.nih.gov/25536022/",
            blocks.Citation(
                title="Evidence-Based Medical Insight",
                publisher="National Center for Biotechnology Information",
                url="https://pubmed.ncbi.nlm.nih.gov/25536022/",
                pubmed_id="25536022",
            ),
        ),
        (
            "Smith J, Jones KL, et al. Heat therapy for low back pain. Spine J. 2019;19(3):123-30. "
            "doi:10.1016/j.spinee.2018.01.001.",
            blocks.Citation(
                title="Heat therapy for low back pain",
                # The volume and pages stay in the text; the year is a field.
                publisher="Spine J. 19(3):123-30",
                authors="Smith J, Jones KL, et al",
                year=2019,
                url="https://doi.org/10.1016/j.spinee.2018.01.001",
                doi="10.1016/j.spinee.2018.01.001",
            ),
        ),
        (
            "Smith, J., & Jones, K. (2020). Back pain at home. Journal of Pain, 3(2), 1-10. "
            "https://doi.org/10.1000/xyz123",
            blocks.Citation(
                title="Back pain at home",
                publisher="Journal of Pain, 3(2), 1-10",
                authors="Smith, J., & Jones, K",
                year=2020,
                url="https://doi.org/10.1000/xyz123",
                doi="10.1000/xyz123",
            ),
        ),
        (
            "World Health Organization, 2021. Low back pain fact sheet. PMID: 31234567",
            blocks.Citation(
                title="Low back pain fact sheet",
                publisher="World Health Organization",
                year=2021,
                pubmed_id="31234567",
            ),
        ),
        (
            "Mayo Clinic. Back spasms (2023). Available at: https://www.mayoclinic.org/back-pain.",
            blocks.Citation(
                title="Back spasms",
                publisher="Mayo Clinic",
                year=2023,
                url="https://www.mayoclinic.org/back-pain",
            ),
        ),
        (
            "Just some words about backs",
            blocks.Citation(title="Just some words about backs"),
        ),
        ("", blocks.Citation(title="")),
    ],
)
def test_parse_citation_reads_the_common_shapes(text, expected):
    assert blocks.parse_citation(text) == expected


def test_reference_keeps_the_text_around_its_links():
    """Nothing of a reference paragraph vanishes: the text before, inside and after each link stays."""
    content = blocks.convert(
        "<h2>References</h2><p>Smith J, Jones KL. "
        '<a href="https://doi.org/10.1016/j.spinee.2018.01.001">Heat therapy for low back pain</a>. '
        "Spine J. 2019;19(3):123-30. Free full text at "
        '<a href="https://europepmc.org/article/MED/30000001">Europe PMC</a>, see also '
        '<a href="https://example.org/summary">a plain summary</a>.</p>',
        site_url=SITE,
    )

    (citation,) = map(blocks.parse_citation, content.references)

    assert citation == blocks.Citation(
        title="Heat therapy for low back pain",
        publisher=(
            "Spine J. 19(3):123-30. Free full text at Europe PMC, see also a plain summary. "
            "https://europepmc.org/article/MED/30000001. https://example.org/summary"
        ),
        authors="Smith J, Jones KL",
        year=2019,
        url="https://doi.org/10.1016/j.spinee.2018.01.001",
        doi="10.1016/j.spinee.2018.01.001",
    )


def test_reference_reads_the_access_date_instead_of_dropping_it():
    citation = blocks.parse_citation(
        "Mayo Clinic. Back spasms. Available at: https://www.mayoclinic.org/back-pain. "
        "Accessed 3 May 2020."
    )

    assert citation == blocks.Citation(
        title="Back spasms",
        publisher="Mayo Clinic",
        url="https://www.mayoclinic.org/back-pain",
        accessed_on=date(2020, 5, 3),
    )


def test_reference_keeps_an_access_date_it_cannot_read_as_text():
    citation = blocks.parse_citation("WHO. Fact sheet. Accessed in the spring of 2020.")

    assert "Accessed in the spring of" in f"{citation.title} {citation.publisher}"


# Words that only label a part the page prints again from the fields.
_CITATION_LABELS = {
    "retrieved",
    "available",
    "accessible",
    "read",
    "online",
    "accessed",
    "viewed",
    "cited",
    "pubmed",
    "pmid",
    "doi",
    "internet",
    "at",
    "from",
    "on",
    "id",
}
_citation_words = st.from_regex(r"[A-Za-z]{2,12}", fullmatch=True).filter(
    lambda word: word.lower() not in _CITATION_LABELS
)
_citation_pieces = st.one_of(
    _citation_words,
    _citation_words.map(str.title),
    st.sampled_from(
        [".", ",", ";", ":", "(", ")", "[", "]", "&", "et al.", "2019;", "(2020)"]
    ),
    st.sampled_from(
        [
            "https://example.org/a?b=1",
            "doi:10.1000/xyz123",
            "PMID: 123456",
            "https://pubmed.ncbi.nlm.nih.gov/123456/",
            "Retrieved from",
            "Accessed 3 May 2020",
        ]
    ),
)


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.lists(_citation_pieces, max_size=40).map(" ".join))
def test_parse_citation_loses_no_word_of_any_reference(text):
    """
    Whatever the shape, every word of a reference stays in one of its
    fields; only the URL, DOI, PMID, access date and their labels, which
    the page prints from the fields, leave the text.
    """
    citation = blocks.parse_citation(text)

    kept = " ".join(
        (citation.title, citation.publisher, citation.authors, str(citation.year))
    ).lower()
    for word in re.findall(r"[A-Za-z]{2,}", _URL_OR_ID.sub(" ", text)):
        if word.lower() not in _CITATION_LABELS | {"et", "al", "may"}:
            assert word.lower() in kept, (word, citation)


_URL_OR_ID = re.compile(r"https?://\S+|doi:\S+|PMID: \d+|Accessed 3 May 2020")


@pytest.mark.parametrize(
    "text",
    ["...", "(((", "https://", "doi:", "PMID:", ". . .", "(2020)", "Retrieved from"],
)
def test_parse_citation_never_raises_and_keeps_the_text(text):
    citation = blocks.parse_citation(text)

    assert citation.title


# seo: Rank Math


CONTEXT = seo.PostContext(
    title="Back Spasm Remedy", site_name="Gold City Medical Center", year=2026
)


def test_rank_math_meta_of_the_seed_maps_to_the_seo_fields():
    fields = seo.seo_fields(seed_data()["meta"], context=CONTEXT)

    assert fields == seo.SeoFields(
        meta_description=(
            "Looking for a back spasm remedy? Discover incredible natural treatments "
            "and easy home methods to achieve instant, soothing pain relief."
        ),
        focus_keyphrases="back spasm remedy,health",
    )


def test_seo_text_fields_drop_tags_as_sanitize_text_field_does():
    """
    sanitize_text_field() (wp-includes/formatting.php, _sanitize_text_fields):
    tags go (wp_strip_all_tags, scripts whole), white space folds, octets
    such as %20 go; entities are decoded here, since the site escapes on output.
    """
    fields = seo.seo_fields(
        {
            "rank_math_title": "<b>Back</b>\n\t<em>pain</em> &amp; %category% tips%20",
            "rank_math_description": "Heat <script>alert(1)</script>helps. &lt;b&gt; is text.",
            "rank_math_focus_keyword": "<i>back pain</i>, heat",
        },
        context=dataclasses.replace(CONTEXT, category="Beauty"),
    )

    assert fields.seo_title == "Back pain & Beauty tips"
    assert fields.meta_description == "Heat helps. <b> is text."
    assert fields.focus_keyphrases == "back pain,heat"


def test_yoast_head_text_is_plain_text_too():
    fields = seo.seo_fields(
        {},
        context=CONTEXT,
        yoast_head={"description": "<p>Relief at <strong>home</strong>.</p>"},
    )

    assert fields.meta_description == "Relief at home."


def test_image_alt_and_caption_from_wordpress_are_plain_text(db):
    data = seed_data()
    data["content"]["rendered"] = (
        '<figure class="wp-block-image"><img src="https://goldcitymedicalcenter.nl/wp-content/uploads/a.jpg" '
        'class="wp-image-77" alt="A &lt;b&gt;stretch&lt;/b&gt;%20 here"><figcaption>A <em>slow</em> stretch</figcaption></figure>'
    )
    data["featured_media"] = 0

    import_data(data)

    image = Image.objects.get(wordpress_id=77)
    assert (image.alt_text, image.caption) == ("A stretch here", "A slow stretch")


def test_rank_math_variables_are_resolved():
    fields = seo.seo_fields(
        {
            "rank_math_title": "%title% %page% %sep% %sitename%",
            "rank_math_description": "The best of %currentyear% %sep% %customfield(x)%",
        },
        context=CONTEXT,
    )

    assert fields.seo_title == "Back Spasm Remedy – Gold City Medical Center"
    assert fields.meta_description == "The best of 2026"


def test_rank_math_robots_and_canonical_are_mapped():
    fields = seo.seo_fields(
        {
            "rank_math_robots": ["noindex", "nofollow"],
            "rank_math_canonical_url": "https://example.org/original/",
        },
        context=CONTEXT,
    )

    assert (fields.robots_noindex, fields.robots_nofollow) == (True, True)
    assert fields.canonical_url == "https://example.org/original/"


def test_canonical_naming_the_post_itself_is_left_empty():
    link = "https://goldcitymedicalcenter.nl/en/beauty/back-spasm-remedy/"

    fields = seo.seo_fields(
        {"rank_math_canonical_url": link.rstrip("/")}, context=CONTEXT, post_link=link
    )

    assert fields.canonical_url == ""


def test_empty_rank_math_values_leave_the_fields_empty():
    fields = seo.seo_fields(
        {
            "rank_math_title": "",
            "rank_math_description": " ",
            "rank_math_robots": ["index"],
        },
        context=CONTEXT,
    )

    assert fields == seo.SeoFields()


def test_yoast_meta_is_used_when_rank_math_has_none():
    fields = seo.seo_fields(
        {
            "_yoast_wpseo_title": "%%title%% %%sep%% %%sitename%%",
            "_yoast_wpseo_meta-robots-noindex": "1",
        },
        context=CONTEXT,
    )

    assert fields.seo_title == "Back Spasm Remedy – Gold City Medical Center"
    assert fields.robots_noindex is True


# sources


def test_class_list_sent_as_an_object_still_names_the_terms():
    data = seed_data()
    data["class_list"] = {
        str(index): item for index, item in enumerate(data["class_list"]) if index != 2
    }

    post = parse_post(data, source="test.json")

    assert [term.slug for term in post.categories] == ["beauty"]
    assert [term.slug for term in post.tags] == ["back-pain", "home-remedy", "natural"]


def test_empty_directory_and_missing_file_are_reported(tmp_path):
    items = list(read_posts([tmp_path, tmp_path / "missing.json"]))

    assert [(item.source, item.error) for item in items] == [
        (str(tmp_path), "the directory has no .json or .xml files"),
        (str(tmp_path / "missing.json"), "cannot be read: No such file or directory"),
    ]


def test_terms_are_looked_up_once_per_run(db, tmp_path):
    path = write_json(
        tmp_path,
        "posts.json",
        [post_variant(n, f"post-{n}") for n in range(1, 4)],
    )

    with CaptureQueriesContext(connection) as queries:
        list(import_items(read_posts([path])))

    # Lookups of terms by their WordPress ids; an article's own tags and
    # categories, read for its revision, are not lookups.
    term_queries = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT")
        and any(
            f'FROM "articles_{table}"' in query["sql"]
            for table in ("category", "tag", "author")
        )
        and "INNER JOIN" not in query["sql"]
    ]
    assert len(term_queries) == 3


def test_terms_made_by_a_failed_post_are_made_again_by_the_next(
    db, tmp_path, monkeypatch
):
    from articles.importers.wordpress.load import write

    write_related = write.write_related

    def fail_the_first_post(plans, **kwargs):
        plans = list(plans)
        if any(plan.article.wordpress_id == 1 for plan in plans):
            raise RuntimeError("the disk is full")
        return write_related(plans, **kwargs)

    monkeypatch.setattr(write, "write_related", fail_the_first_post)
    path = write_json(
        tmp_path, "posts.json", [post_variant(1, "first"), post_variant(2, "second")]
    )

    outcomes = list(import_items(read_posts([path])))

    assert [outcome.action for outcome in outcomes] == ["failed", "created"]
    article = Article.objects.get()
    assert Author.objects.filter(pk=article.author_id).exists()
    assert Category.objects.filter(pk=article.primary_category_id).exists()
    assert Tag.objects.count() == 3


def test_a_batch_moves_the_content_version_once(db, tmp_path):
    from articles import content_version

    versions = []

    def note_version(**kwargs):
        versions.append(content_version.current())

    path = write_json(
        tmp_path, "posts.json", [post_variant(1, "first"), post_variant(2, "second")]
    )
    before = content_version.current()
    content_changed.connect(note_version)
    try:
        list(import_items(read_posts([path])))
    finally:
        content_changed.disconnect(note_version)

    # Connected after content_version.bump: it sees the version the batch made.
    assert len(versions) == 1
    assert versions[0] != before


def test_worker_processes_convert_to_the_same_articles(db, tmp_path, monkeypatch):
    from articles.importers.wordpress.load import batches

    posts = [post_variant(n, f"post-{n}") for n in range(1, 4)]
    path = write_json(tmp_path, "posts.json", posts)
    list(import_items(read_posts([path]), workers=1))
    serial = list(Article.objects.order_by("wordpress_id").values("slug", "body"))
    Article.objects.all().delete()
    monkeypatch.setattr(batches, "PARALLEL_MIN_POSTS", 1)

    outcomes = list(import_items(read_posts([path]), workers=2))

    assert [outcome.action for outcome in outcomes] == ["created"] * 3
    assert (
        list(Article.objects.order_by("wordpress_id").values("slug", "body")) == serial
    )


def audit_trail(article):
    """The article's audit entries, each naming its revision by summary rather than id."""
    summaries = dict(article.revisions.values_list("pk", "summary"))
    return [
        (
            entry.user_id,
            entry.action,
            entry.object_repr,
            {**entry.details, "revision": summaries[entry.details["revision"]]},
        )
        for entry in AuditEntry.objects.filter(object_id=str(article.pk)).order_by("pk")
    ]


@pytest.fixture
def announced(db):
    """The WordPress ids of the articles each content_changed event announced."""
    events = []

    def receive(instances, **kwargs):
        events.append(sorted(obj.wordpress_id for obj in instances))

    content_changed.connect(receive, dispatch_uid="test-announced")
    yield events
    content_changed.disconnect(dispatch_uid="test-announced")


def imported_state():
    """Everything an import writes for each article, by WordPress id."""
    return {
        article.wordpress_id: {
            "snapshot": revisions.snapshot(article),
            "revisions": list(article.revisions.values_list("summary", "snapshot")),
            "audit": audit_trail(article),
            "table_of_contents": article.table_of_contents,
            "updated_at": article.updated_at,
            "body_images": list(article.body_images.values_list("pk", flat=True)),
            "redirects": sorted(
                Redirect.objects.filter(article=article).values_list(
                    "old_path", "new_path", "status_code"
                )
            ),
        }
        for article in Article.objects.all()
    }


def test_new_posts_written_together_equal_posts_imported_one_by_one(
    db, tmp_path, announced
):
    moved = post_variant(2, "second")
    moved["link"] = f"{SITE}/2019/05/second/"
    posts = [post_variant(1, "first"), moved]
    path = write_json(tmp_path, "posts.json", posts)

    outcomes = list(import_items(read_posts([path]), workers=1))
    together, announced_together = imported_state(), list(announced)
    Redirect.objects.all().delete()
    Article.objects.all().delete()
    AuditEntry.objects.all().delete()
    announced.clear()
    for post in posts:
        import_data(post)

    assert [outcome.action for outcome in outcomes] == ["created", "created"]
    assert together[2]["redirects"] == [("/2019/05/second/", "/en/beauty/second/", 301)]
    assert together[1]["audit"] == [
        (
            None,
            "publish",
            together[1]["snapshot"]["fields"]["title"],
            {
                "old": None,
                "new": "published",
                "revision": "Imported from WordPress",
                "summary": "Imported from WordPress",
            },
        )
    ]
    assert imported_state() == together
    # One event for the batch, one per post one by one: each post announced once.
    assert announced_together == [[1, 2]]
    assert announced == [[1], [2]]


def test_new_posts_are_written_with_the_same_queries_however_many(db, tmp_path):
    def queries_to_import(ids):
        path = write_json(
            tmp_path, f"{ids[0]}.json", [post_variant(n, f"post-{n}") for n in ids]
        )
        with CaptureQueriesContext(connection) as queries:
            outcomes = list(import_items(read_posts([path]), workers=1))
        assert {outcome.action for outcome in outcomes} == {"created"}
        return len(queries)

    queries_to_import([1])  # The images, terms and author now exist.

    assert queries_to_import(range(10, 13)) == queries_to_import(range(20, 40))


def test_revision_of_a_post_written_together_is_the_article_as_saved(db, tmp_path):
    path = write_json(
        tmp_path, "posts.json", [post_variant(1, "first"), post_variant(2, "second")]
    )

    list(import_items(read_posts([path]), workers=1))

    for article in Article.objects.all():
        revision = article.revisions.get()
        assert revision.summary == "Imported from WordPress"
        assert revision.snapshot == revisions.snapshot(article)


def test_posts_of_one_batch_asking_for_one_slug_get_two(db, tmp_path):
    path = write_json(
        tmp_path, "posts.json", [post_variant(1, "same"), post_variant(2, "same")]
    )

    outcomes = list(import_items(read_posts([path]), workers=1))

    assert [outcome.action for outcome in outcomes] == ["created", "created"]
    assert dict(Article.objects.values_list("wordpress_id", "slug")) == {
        1: "same",
        2: "same-2",
    }


def test_unchanged_posts_are_told_apart_without_a_query_each(db, tmp_path):
    def queries_to_import_again(ids):
        path = write_json(
            tmp_path, f"{ids[0]}.json", [post_variant(n, f"post-{n}") for n in ids]
        )
        list(import_items(read_posts([path]), workers=1))
        with CaptureQueriesContext(connection) as queries:
            outcomes = list(import_items(read_posts([path]), workers=1))
        assert {outcome.action for outcome in outcomes} == {"unchanged"}
        return len(queries)

    assert queries_to_import_again(range(10, 12)) == queries_to_import_again(
        range(20, 40)
    )


def test_the_last_of_two_versions_of_a_post_in_one_batch_wins(db, tmp_path):
    first, second = post_variant(1, "post"), post_variant(1, "post")
    first["title"]["rendered"], second["title"]["rendered"] = "Version A", "Version B"
    list(import_items(read_posts([write_json(tmp_path, "a.json", [first])])))

    outcomes = list(
        import_items(read_posts([write_json(tmp_path, "ba.json", [second, first])]))
    )

    assert [outcome.action for outcome in outcomes] == ["updated", "updated"]
    assert Article.objects.get().title == "Version A"


def test_a_batch_gives_the_addresses_that_importing_one_by_one_gives(db, tmp_path):
    make_article(slug="alpha", primary_category=make_category(slug="beauty"))
    posts = [post_variant(10, "alpha"), post_variant(11, "alpha-2")]

    list(import_items(read_posts([write_json(tmp_path, "posts.json", posts)])))
    together = dict(Article.objects.values_list("wordpress_id", "slug"))
    Article.objects.filter(wordpress_id__isnull=False).delete()
    for post in posts:
        import_data(post)

    assert dict(Article.objects.values_list("wordpress_id", "slug")) == together
    assert together[10] == "alpha-2" and together[11] == "alpha-2-2"


def test_revision_of_an_updated_post_is_the_article_as_saved(db):
    data = post_variant(1, "post")
    import_data(data)
    data["title"]["rendered"] = "Revised title"

    import_data(data)

    article = Article.objects.get()
    latest = article.revisions.order_by("-pk").first()
    assert latest.snapshot == revisions.snapshot(article)
    assert latest.summary == "Changed title, other WordPress fields"


def test_changed_posts_written_together_equal_posts_updated_one_by_one(
    db, tmp_path, announced
):
    before = [post_variant(1, "first"), post_variant(2, "second")]
    after = [post_variant(1, "first"), post_variant(2, "second-renamed")]
    after[0]["title"]["rendered"] = "First, revised"
    after[0]["content"]["rendered"] = "<p>Shorter now.</p>"

    for posts in (before, after):
        path = write_json(tmp_path, "posts.json", posts)
        outcomes = list(import_items(read_posts([path]), workers=1))
    together, announced_together = imported_state(), list(announced)
    Redirect.objects.all().delete()
    Article.objects.all().delete()
    AuditEntry.objects.all().delete()
    announced.clear()
    for posts in (before, after):
        for post in posts:
            import_data(post)

    assert [outcome.action for outcome in outcomes] == ["updated", "updated"]
    assert ("/en/beauty/second/", "/en/beauty/second-renamed/", 301) in together[2][
        "redirects"
    ]
    assert [summary for summary, _snapshot in together[1]["revisions"]] == [
        "Changed title, body, other WordPress fields, key takeaways, FAQ, references",
        "Imported from WordPress",
    ]
    assert [action for _user, action, _repr, _details in together[1]["audit"]] == [
        "publish",
        "import",
    ]
    assert imported_state() == together
    assert announced_together == [[1, 2], [1, 2]]
    assert announced == [[1], [2], [1], [2]]


def test_changed_posts_are_written_with_the_same_queries_however_many(db, tmp_path):
    def queries_to_update(ids):
        posts = [post_variant(n, f"post-{n}") for n in ids]
        list(import_items(read_posts([write_json(tmp_path, "a.json", posts)])))
        for post in posts:
            post["title"]["rendered"] += " (revised)"
        path = write_json(tmp_path, "b.json", posts)
        with CaptureQueriesContext(connection) as queries:
            outcomes = list(import_items(read_posts([path]), workers=1))
        assert {outcome.action for outcome in outcomes} == {"updated"}
        return len(queries)

    queries_to_update([1])  # The images, terms and author now exist.

    assert queries_to_update(range(10, 13)) == queries_to_update(range(20, 40))
