"""Each SEO analysis check passing and failing, as plain functions; the admin shows it."""

import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from articles import seo_scoring
from articles.importers.wordpress.load import import_post
from articles.importers.wordpress.sources import read_posts
from articles.models import Article, Preferences, Reference
from articles.seo_analysis import (
    DUPLICABLE,
    FAIL,
    PASS,
    WARN,
    Draft,
    analyse,
    heading_skips,
)
from tests.factories import make_article, make_author

SEED = Path(django_settings.BASE_DIR) / "demo" / "back-spasm-remedy.json"
TODAY = date(2026, 6, 1)
WORDS = " ".join(["word"] * 700)
GOOD_BODY = (
    "<p>A back spasm remedy starts at home. " + WORDS + "</p>"
    "<h2>Back spasm remedy options</h2><p>Heat. "
    '<a href="/en/beauty/other/">Other</a> '
    '<a href="https://pubmed.ncbi.nlm.nih.gov/1/">Study</a></p>'
    '<h3>Heat</h3><figure><img src="/a.jpg" alt="Back spasm remedy with heat">'
    "</figure>"
)


def good(**overrides):
    fields = {
        "title": "Back spasm remedy: 7 ways to relax a cramping back",
        "seo_title": "Back spasm remedy: 7 ways to relax your back",
        "meta_description": (
            "Looking for a back spasm remedy? Discover natural treatments and "
            "easy home methods that bring soothing relief to a cramping back fast."
        ),
        "slug": "back-spasm-remedy",
        "body": GOOD_BODY,
        "keyphrases": ("back spasm remedy",),
        "featured_image_alt": "A woman stretching her lower back",
        "site_url": "https://www.example.org",
        "reference_count": 1,
        "has_reviewer": True,
        "last_reviewed_on": TODAY - timedelta(days=30),
        "today": TODAY,
    }
    return Draft(**(fields | overrides))


def status(draft, key):
    return analyse(draft).status_of(key)


def test_a_complete_article_passes_every_check_and_scores_100():
    analysis = analyse(good())

    assert analysis.problems == ()
    assert analysis.score == 100


# Each check's rule broken, with the status it then gets.
BROKEN_RULES = [
    ("keyphrase", {"keyphrases": ()}, FAIL),
    (
        "keyphrase_title",
        {"seo_title": "Seven ways to relax your back fast now"},
        FAIL,
    ),
    (
        "keyphrase_title_start",
        {"seo_title": "Seven ways to relax your back: a back spasm remedy"},
        WARN,
    ),
    ("keyphrase_description", {"meta_description": "Relief. " * 18}, FAIL),
    ("keyphrase_url", {"slug": "relax-your-back"}, WARN),
    ("keyphrase_intro", {"body": "<p>" + WORDS + " back spasm remedy</p>"}, FAIL),
    (
        "keyphrase_subheading",
        {"body": GOOD_BODY.replace("<h2>Back spasm remedy options", "<h2>Options")},
        WARN,
    ),
    (
        "keyphrase_alt",
        {"body": GOOD_BODY.replace("Back spasm remedy with heat", "Heat pad")},
        WARN,
    ),
    ("body_length", {"body": "<p>Too short.</p>"}, FAIL),
    ("body_length", {"body": "<p>" + " ".join(["w"] * 400) + "</p>"}, WARN),
    ("title_length", {"seo_title": "Back spasm remedy " * 5}, WARN),
    ("title_length", {"seo_title": "Back spasm remedy"}, WARN),
    ("description_length", {"meta_description": "", "excerpt": ""}, FAIL),
    ("description_length", {"meta_description": "Back spasm remedy."}, WARN),
    (
        "internal_links",
        {
            "body": GOOD_BODY.replace(
                'href="/en/beauty/other/"', 'href="https://other.org/"'
            )
        },
        WARN,
    ),
    (
        "external_links",
        {"body": GOOD_BODY.replace("https://pubmed.ncbi.nlm.nih.gov/1/", "/en/x/y/")},
        WARN,
    ),
    ("image_alt", {"body": GOOD_BODY + '<img src="/b.jpg" alt="">'}, FAIL),
    ("single_h1", {"body": "<h1>Again</h1>" + GOOD_BODY}, FAIL),
    ("broken_links", {"broken_internal_links": ("/en/beauty/gone/",)}, FAIL),
    ("unique", {"duplicates": ("seo_title",)}, FAIL),
    ("references", {"reference_count": 0}, FAIL),
    ("reviewer", {"has_reviewer": False}, FAIL),
    ("review_fresh", {"last_reviewed_on": None}, FAIL),
    ("review_fresh", {"last_reviewed_on": TODAY - timedelta(days=400)}, FAIL),
    ("heading_order", {"body": "<h3>First</h3>" + GOOD_BODY}, FAIL),
    (
        "real_lists",
        {"body": GOOD_BODY + "<p>- Heat</p><p>- Rest</p><p>- Stretch</p>"},
        WARN,
    ),
    (
        "real_lists",
        {
            "body": GOOD_BODY
            + "<p>These include:</p><p>Poor Posture: strains the back.</p>"
            "<p>Dehydration: leads to cramps.</p><p>Nerve Irritation: causes spasms.</p>"
        },
        WARN,
    ),
    (
        "alt_quality",
        {"featured_image_alt": "Back spasm remedy with heat"},
        WARN,
    ),
    (
        "alt_quality",
        {
            "body": GOOD_BODY
            + '<img src="/c.jpg" alt="Back spasm remedy: 7 ways to relax a cramping back">'
        },
        WARN,
    ),
]


@pytest.mark.parametrize(("key", "overrides", "expected"), BROKEN_RULES)
def test_each_check_fails_or_warns_when_its_rule_is_broken(key, overrides, expected):
    assert status(good(), key) == PASS
    assert status(good(**overrides), key) == expected


def test_failing_checks_lower_the_score():
    assert analyse(good(reference_count=0, has_reviewer=False)).score < 100


def test_description_falls_back_to_the_excerpt():
    draft = good(meta_description="", excerpt="<p>A back spasm remedy guide.</p>")

    assert status(draft, "keyphrase_description") == PASS


def _shown(analysis, language):
    """Every label and message of analysis as an editor in language reads it."""
    with translation.override(language):
        return [
            (str(check.status_label), str(check.label), str(check.message))
            for check in analysis.checks
        ]


def test_every_message_the_analysis_can_emit_has_a_dutch_translation():
    drafts = [good(), good(reference_count=3)] + [
        good(**overrides) for _key, overrides, _expected in BROKEN_RULES
    ]
    drafts.append(good(duplicates=tuple(DUPLICABLE)))

    for draft in drafts:
        analysis = analyse(draft)
        english, dutch = _shown(analysis, "en"), _shown(analysis, "nl")
        for check, en, nl in zip(analysis.checks, english, dutch, strict=True):
            for english_text, dutch_text in zip(en, nl, strict=True):
                assert dutch_text != english_text, (check.key, english_text)


def test_messages_are_translated_when_shown_not_when_analysed():
    with translation.override("en"):
        analysis = analyse(good(has_reviewer=False, duplicates=("seo_title",)))

    with translation.override("nl"):
        shown = {check.key: str(check.message) for check in analysis.checks}
    assert shown["reviewer"] == "Noem een medisch controleur."
    assert (
        shown["unique"] == "Ook gebruikt door een ander gepubliceerd artikel: SEO-titel"
    )
    assert shown["body_length"] == "715 woorden (streef naar 600 of meer)."


def test_heading_skips_are_named():
    assert heading_skips([3, 2, 4]) == ["h3 after h1", "h4 after h2"]
    assert heading_skips([2, 3, 2, 3]) == []


def test_the_seed_posts_original_body_opens_with_an_h3_before_any_h2():
    html = json.loads(SEED.read_text())["content"]["rendered"]

    analysis = analyse(good(body=html))

    assert analysis.status_of("heading_order") == FAIL
    assert "h3 after h1" in next(
        c.message for c in analysis.checks if c.key == "heading_order"
    )


# Through the database and the admin


@pytest.fixture
def seed_article(db, settings):
    settings.WORDPRESS_SITE_URL = "https://goldcitymedicalcenter.nl"
    [item] = list(read_posts([SEED]))
    return Article.objects.get(pk=import_post(item.post).article_id)


def test_seed_article_shows_its_score_and_failing_checks_in_the_admin(
    client, seed_article, editor
):
    client.force_login(editor)

    html = client.get(
        f"/admin/articles/article/{seed_article.pk}/change/"
    ).content.decode()

    assert "Score: <strong>" in html
    assert "seo-check--fail" in html
    assert "Name a medical reviewer." in html
    assert "Never reviewed." in html
    # "Muscular Injury or Strain: ...", "Poor Posture: ..." and three more.
    assert "paragraphs look like list items, e.g. “Muscular Injury or Strain" in html


def test_an_editor_who_reads_dutch_sees_the_analysis_in_dutch(
    client, seed_article, editor
):
    Preferences.objects.create(user=editor, language="nl")
    client.force_login(editor)

    html = client.get(
        f"/admin/articles/article/{seed_article.pk}/change/"
    ).content.decode()

    assert "Noem een medisch controleur." in html
    assert "Nooit gecontroleerd." in html
    assert "lijken op lijstitems, bijv. “Muscular Injury or Strain" in html
    assert "Name a medical reviewer." not in html


def test_saving_in_the_admin_stores_the_score_for_the_sortable_column(
    client, editor, settings
):
    from articles.seo_scoring import update_score

    article = make_article(focus_keyphrases="article")
    Article.objects.filter(pk=article.pk).update(seo_score=None)

    analysis = update_score(article)

    article.refresh_from_db()
    assert article.seo_score == analysis.score
    client.force_login(editor)
    listing = client.get("/admin/articles/article/?o=7").content.decode()
    assert "column-seo_score_display" in listing


def test_internal_link_to_an_unpublished_article_and_duplicates_are_found(db):
    from articles.seo_scoring import draft_for

    hidden = make_article(status=Article.Status.DRAFT)
    make_article(seo_title="Same title", focus_keyphrases="back pain, heat")
    article = make_article(
        seo_title="Same title",
        focus_keyphrases="Back pain",
        body=f'<p><a href="{hidden.get_absolute_url()}">x</a> <a href="/en/nowhere/at/all/">y</a></p>',
        reviewer=make_author(),
    )
    Reference.objects.create(article=article, title="Study")

    draft = draft_for(article)

    assert draft.broken_internal_links == (
        hidden.get_absolute_url(),
        "/en/nowhere/at/all/",
    )
    assert draft.duplicates == ("seo_title", "focus_keyphrase")
    assert (draft.reference_count, draft.has_reviewer) == (1, True)


def test_import_command_stores_the_seo_score_of_what_it_imported(db, settings):
    settings.WORDPRESS_SITE_URL = "https://goldcitymedicalcenter.nl"

    call_command("import_wordpress", str(SEED), stdout=io.StringIO())

    article = Article.objects.get(wordpress_id=9580)
    assert article.seo_score == seo_scoring.analyse_article(article).score
    assert 0 < article.seo_score < 100


def test_seo_scores_command_fills_in_missing_scores(db):
    article = make_article()
    Article.objects.filter(pk=article.pk).update(seo_score=None)

    call_command("seo_scores", missing_only=True, stdout=io.StringIO())

    assert Article.objects.get(pk=article.pk).seo_score is not None


@pytest.fixture
def site_to_compare_with(db):
    """Articles that share SEO fields and link to published, hidden and missing ones."""
    hidden = make_article(status=Article.Status.DRAFT, seo_title="Shared title")
    published = make_article(
        seo_title="Shared title",
        meta_description="Shared description",
        focus_keyphrases="back pain, heat",
    )
    links = (
        f'<p><a href="{hidden.get_absolute_url()}">a</a> '
        f'<a href="{published.get_absolute_url()}">b</a> '
        f'<a href="{published.primary_category.get_absolute_url()}">c</a> '
        '<a href="/en/nowhere/at/all/">d</a></p>'
    )
    return [
        hidden,
        published,
        make_article(
            seo_title="Shared title", focus_keyphrases="Back pain", body=links
        ),
        make_article(
            meta_description="Shared description",
            focus_keyphrases="heat, cold",
            status=Article.Status.DRAFT,
        ),
        make_article(seo_title="Own title", focus_keyphrases="cold", body=links),
    ]


def test_site_read_once_compares_like_the_queried_site(site_to_compare_with):
    queried, read_once = seo_scoring.QueriedSite(), seo_scoring.PublishedSite.read()

    for article in Article.objects.filter(
        pk__in=[article.pk for article in site_to_compare_with]
    ):
        draft = seo_scoring.draft_for(article, site=queried)
        assert seo_scoring.draft_for(article, site=read_once) == draft
    assert [
        seo_scoring.draft_for(article).duplicates for article in site_to_compare_with
    ] == [
        ("seo_title",),
        ("seo_title", "focus_keyphrase"),
        ("seo_title", "focus_keyphrase"),
        ("meta_description", "focus_keyphrase"),
        (),
    ]


def test_scores_of_many_articles_are_those_of_each_alone(site_to_compare_with):
    pks = [article.pk for article in site_to_compare_with]

    assert seo_scoring.update_scores(pks) == len(pks)

    for article in Article.objects.for_detail().filter(pk__in=pks):
        assert article.seo_score == seo_scoring.analyse_article(article).score


def test_worker_processes_score_many_articles_as_this_process_does(
    site_to_compare_with, monkeypatch
):
    pks = [article.pk for article in site_to_compare_with]
    seo_scoring.update_scores(pks, workers=1)
    alone = dict(Article.objects.filter(pk__in=pks).values_list("pk", "seo_score"))
    Article.objects.update(seo_score=None)
    monkeypatch.setattr(seo_scoring, "PARALLEL_MIN_ARTICLES", 1)

    def not_here(draft, *, site):
        raise AssertionError("scored in this process, not in a worker")

    monkeypatch.setattr(seo_scoring, "score_draft", not_here)
    seo_scoring.update_scores(pks, workers=2)

    assert (
        dict(Article.objects.filter(pk__in=pks).values_list("pk", "seo_score")) == alone
    )
    assert None not in alone.values()


def test_scoring_many_articles_reads_the_site_once(db):
    def queries_to_score(count):
        pks = [make_article(focus_keyphrases="heat").pk for _ in range(count)]
        with CaptureQueriesContext(connection) as queries:
            seo_scoring.update_scores(pks)
        return len(queries)

    assert queries_to_score(3) == queries_to_score(30)


@pytest.mark.parametrize(
    ("mine", "theirs"),
    [("Éczema relief", "éczema relief"), ("Straße", "STRASSE"), ("eczema", "ECZEMA")],
)
def test_keyphrases_differing_only_in_case_are_duplicates_either_way(db, mine, theirs):
    make_article(focus_keyphrases=theirs)
    article = make_article(focus_keyphrases=mine)

    for site in (seo_scoring.QueriedSite(), seo_scoring.PublishedSite.read()):
        assert site.duplicates(article) == ("focus_keyphrase",)
