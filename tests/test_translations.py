"""
Linked translations: texts that share a translation key translate each
other. Readers' pages, sitemaps and the language switcher name the live
ones (hreflang, og:locale, JSON-LD); categories have a name and slug per
language; the admin starts a translation as a linked draft through the
publishing service, and links two texts into one group.
"""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import publishing, seo
from articles.models import (
    Article,
    AuditEntry,
    FAQItem,
    KeyTakeaway,
    Page,
    Reference,
    Revision,
)
from tests.factories import make_article, make_category, make_image, make_user

pytestmark = pytest.mark.django_db

SITE_URL = "https://www.example.org"
SITEMAP = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}


@pytest.fixture(autouse=True)
def two_languages(settings):
    settings.SITE_URL = SITE_URL
    settings.LANGUAGE_CODE = "en"
    settings.LANGUAGES = [("en", "English"), ("nl", "Nederlands")]


@pytest.fixture
def health():
    return make_category(
        name="Health",
        slug="health",
        translations={"nl": {"name": "Gezondheid", "slug": "gezondheid"}},
    )


def pair(category, *, dutch_status=Article.Status.PUBLISHED):
    english = make_article(
        title="Back pain", slug="back-pain", primary_category=category
    )
    dutch = make_article(
        title="Rugpijn",
        slug="rugpijn",
        language="nl",
        primary_category=category,
        translation_key=english.translation_key,
        status=dutch_status,
    )
    return english, dutch


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def hreflangs(soup):
    return {
        link["hreflang"]: link["href"]
        for link in soup.head.find_all("link", rel="alternate", hreflang=True)
    }


def og(soup, prop):
    return [tag["content"] for tag in soup.find_all("meta", property=prop)]


def json_ld(soup):
    import json

    return json.loads(soup.find("script", type="application/ld+json").string)


def webpage_node(graph):
    return next(
        node
        for node in graph["@graph"]
        if node["@type"] in ("MedicalWebPage", "WebPage", "AboutPage")
    )


# The model


def test_live_translations_are_the_published_texts_of_the_group(health):
    english, dutch = pair(health, dutch_status=Article.Status.DRAFT)
    assert english.live_translations() == []

    publishing.transition(dutch, Article.Status.PUBLISHED, user=None)
    english = Article.objects.get(pk=english.pk)

    assert english.live_translations() == [dutch]
    assert [
        text.pk for text in Article.objects.get(pk=dutch.pk).live_translations()
    ] == [english.pk]


def test_a_list_reads_the_translations_of_all_its_texts_in_one_query(
    health, django_assert_num_queries
):
    for n in range(5):
        english = make_article(primary_category=health, slug=f"en-{n}")
        make_article(
            primary_category=health,
            slug=f"nl-{n}",
            language="nl",
            translation_key=english.translation_key,
        )

    with django_assert_num_queries(2):
        articles = list(Article.objects.filter(language="en").with_live_translations())
        languages = [
            [text.language for text in article.live_translations()]
            for article in articles
        ]

    assert languages == [["nl"]] * 5


def test_two_texts_of_a_group_cannot_share_a_language(health):
    english, _dutch = pair(health)
    with pytest.raises(Exception):  # noqa: B017 - the database's constraint
        make_article(
            primary_category=health,
            language="nl",
            translation_key=english.translation_key,
        )


# Categories per language


def test_a_category_answers_at_its_dutch_slug_and_its_english_url_stays(client, health):
    english, dutch = pair(health)

    assert dutch.get_absolute_url() == "/nl/gezondheid/rugpijn/"
    assert english.get_absolute_url() == "/en/health/back-pain/"
    assert client.get("/nl/gezondheid/rugpijn/").status_code == 200
    assert client.get("/en/health/back-pain/").status_code == 200
    archive = soup_of(client, "/nl/gezondheid/")
    assert archive.h1.get_text(strip=True) == "Gezondheid"
    assert [a.get_text(strip=True) for a in archive.select(".card__category a")] == [
        "Gezondheid"
    ]


def test_the_default_slug_under_another_language_moves_to_its_own(client, health):
    pair(health)

    assert client.get("/nl/health/").headers["Location"] == "/nl/gezondheid/"
    assert (
        client.get("/nl/health/rugpijn/").headers["Location"]
        == "/nl/gezondheid/rugpijn/"
    )


def test_a_category_without_a_dutch_name_keeps_its_own_under_nl(client):
    category = make_category(name="Sleep", slug="sleep")
    make_article(language="nl", slug="slaap", primary_category=category)

    assert client.get("/nl/sleep/slaap/").status_code == 200
    assert soup_of(client, "/nl/sleep/").h1.get_text(strip=True) == "Sleep"


def test_a_dutch_category_slug_may_not_take_another_categorys_slug():
    from django.core.exceptions import ValidationError

    make_category(slug="rug", name="Back")
    category = make_category(slug="spine", name="Spine")
    category.translations = {"nl": {"name": "Rug", "slug": "rug"}}

    with pytest.raises(ValidationError):
        category.full_clean()


# Readers' pages


def test_both_pages_of_a_pair_name_each_other_and_x_default(client, health):
    english, dutch = pair(health)
    expected = {
        "en": f"{SITE_URL}/en/health/back-pain/",
        "nl": f"{SITE_URL}/nl/gezondheid/rugpijn/",
        "x-default": f"{SITE_URL}/en/health/back-pain/",
    }

    assert hreflangs(soup_of(client, english.get_absolute_url())) == expected
    assert hreflangs(soup_of(client, dutch.get_absolute_url())) == expected


def test_no_hreflang_names_a_draft_translation(client, health):
    english, dutch = pair(health, dutch_status=Article.Status.DRAFT)

    soup = soup_of(client, english.get_absolute_url())

    assert hreflangs(soup) == {}
    assert og(soup, "og:locale:alternate") == []
    assert "workTranslation" not in webpage_node(json_ld(soup))


def test_open_graph_names_the_locale_and_the_translations_locale(client, health):
    english, dutch = pair(health)

    soup = soup_of(client, dutch.get_absolute_url())

    assert og(soup, "og:locale") == ["nl_NL"]
    assert og(soup, "og:locale:alternate") == ["en_US"]


def test_open_graph_locales_come_from_the_languages():
    assert seo.og_locales(["en", "nl", "de", "pt-br", "sv"]) == {
        "en": "en_US",
        "nl": "nl_NL",
        "de": "de_DE",
        "pt-br": "pt_BR",
        "sv": "sv_SE",
    }


def test_json_ld_links_the_source_and_its_translation(client, health):
    english, dutch = pair(health)
    english_id = f"{SITE_URL}/en/health/back-pain/#webpage"
    dutch_id = f"{SITE_URL}/nl/gezondheid/rugpijn/#webpage"

    source = webpage_node(json_ld(soup_of(client, english.get_absolute_url())))
    translation = webpage_node(json_ld(soup_of(client, dutch.get_absolute_url())))

    assert source["inLanguage"] == "en"
    assert source["workTranslation"] == [{"@id": dutch_id}]
    assert translation["inLanguage"] == "nl"
    assert translation["translationOfWork"] == {"@id": english_id}


def test_pages_of_a_pair_name_each_other(client):
    about = Page.objects.create(
        title="About us", slug="about-us", status=Page.Status.PUBLISHED
    )
    Page.objects.create(
        title="Over ons",
        slug="over-ons",
        language="nl",
        status=Page.Status.PUBLISHED,
        translation_key=about.translation_key,
    )
    expected = {
        "en": f"{SITE_URL}/en/about-us/",
        "nl": f"{SITE_URL}/nl/over-ons/",
        "x-default": f"{SITE_URL}/en/about-us/",
    }

    assert hreflangs(soup_of(client, "/en/about-us/")) == expected
    assert hreflangs(soup_of(client, "/nl/over-ons/")) == expected
    assert og(soup_of(client, "/nl/over-ons/"), "og:locale") == ["nl_NL"]


def test_home_and_archives_name_their_other_language(client, health):
    pair(health)

    assert hreflangs(soup_of(client, "/nl/")) == {
        "en": f"{SITE_URL}/en/",
        "nl": f"{SITE_URL}/nl/",
        "x-default": f"{SITE_URL}/en/",
    }
    assert hreflangs(soup_of(client, "/en/health/")) == {
        "en": f"{SITE_URL}/en/health/",
        "nl": f"{SITE_URL}/nl/gezondheid/",
        "x-default": f"{SITE_URL}/en/health/",
    }


def test_the_partner_page_names_a_translation_once_it_is_published(
    client, settings, health
):
    settings.PAGE_CACHE = True
    english, dutch = pair(health, dutch_status=Article.Status.DRAFT)
    assert hreflangs(soup_of(client, english.get_absolute_url())) == {}
    assert client.get(english.get_absolute_url())["X-Page-Cache"] == "hit"

    publishing.transition(dutch, Article.Status.PUBLISHED, user=None)

    response = client.get(english.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "nl" in hreflangs(BeautifulSoup(response.content, "html.parser"))


def article_page_queries(client, article):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(article.get_absolute_url()).status_code == 200
    return len(queries)


def test_the_article_page_costs_the_same_queries_whatever_its_translations(
    client, settings, health
):
    settings.LANGUAGES = [("en", "English"), ("nl", "Nederlands"), ("de", "Deutsch")]
    english = make_article(primary_category=health, slug="back-pain")
    alone = article_page_queries(client, english)
    make_article(
        primary_category=health,
        language="nl",
        slug="rugpijn",
        translation_key=english.translation_key,
    )
    with_one = article_page_queries(client, english)
    make_article(
        primary_category=health,
        language="de",
        slug="rueckenschmerzen",
        translation_key=english.translation_key,
    )

    assert article_page_queries(client, english) == with_one == alone
    assert set(hreflangs(soup_of(client, english.get_absolute_url()))) == {
        "en",
        "nl",
        "de",
        "x-default",
    }


# The language switcher


def switcher_links(soup):
    return {
        a["hreflang"]: (a["href"], a.get("aria-current"), a["lang"])
        for a in soup.select("header nav.language-switcher a")
    }


def test_the_switcher_leads_to_the_translation(client, health):
    english, dutch = pair(health)

    links = switcher_links(soup_of(client, english.get_absolute_url()))

    assert links == {
        "en": (f"{SITE_URL}/en/health/back-pain/", "true", "en"),
        "nl": (f"{SITE_URL}/nl/gezondheid/rugpijn/", None, "nl"),
    }


def test_without_a_live_translation_the_switcher_leads_to_the_other_home(
    client, health
):
    english, dutch = pair(health, dutch_status=Article.Status.DRAFT)

    links = switcher_links(soup_of(client, english.get_absolute_url()))

    assert links["nl"] == ("/nl/", None, "nl")
    assert links["en"][1] == "true"


def test_the_switcher_of_a_dutch_page_marks_dutch(client):
    links = switcher_links(soup_of(client, "/nl/search/"))

    assert links == {"en": ("/en/", None, "en"), "nl": ("/nl/", "true", "nl")}


# Sitemaps


def sitemap_alternates(client, path):
    response = client.get(path)
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    root = ElementTree.fromstring(body)
    return {
        url.find("sm:loc", SITEMAP).text: {
            link.get("hreflang"): link.get("href")
            for link in url.findall("xhtml:link", SITEMAP)
        }
        for url in root.findall("sm:url", SITEMAP)
    }


def test_the_article_sitemap_pairs_each_text_with_its_translation(client, health):
    pair(health)
    make_article(primary_category=health, slug="alone")
    both = {
        "en": f"{SITE_URL}/en/health/back-pain/",
        "nl": f"{SITE_URL}/nl/gezondheid/rugpijn/",
        "x-default": f"{SITE_URL}/en/health/back-pain/",
    }

    assert sitemap_alternates(client, "/sitemap-articles.xml") == {
        f"{SITE_URL}/en/health/back-pain/": both,
        f"{SITE_URL}/nl/gezondheid/rugpijn/": both,
        f"{SITE_URL}/en/health/alone/": {},
    }


def test_the_article_sitemap_leaves_out_a_draft_translation(client, health):
    pair(health, dutch_status=Article.Status.DRAFT)

    assert sitemap_alternates(client, "/sitemap-articles.xml") == {
        f"{SITE_URL}/en/health/back-pain/": {}
    }


def test_the_page_and_category_sitemaps_pair_their_languages(client, health):
    pair(health)
    about = Page.objects.create(
        title="About", slug="about", status=Page.Status.PUBLISHED
    )
    Page.objects.create(
        title="Over",
        slug="over",
        language="nl",
        status=Page.Status.PUBLISHED,
        translation_key=about.translation_key,
    )

    pages = sitemap_alternates(client, "/sitemap-pages.xml")
    categories = sitemap_alternates(client, "/sitemap-categories.xml")

    assert pages[f"{SITE_URL}/nl/over/"] == {
        "en": f"{SITE_URL}/en/about/",
        "nl": f"{SITE_URL}/nl/over/",
        "x-default": f"{SITE_URL}/en/about/",
    }
    assert categories[f"{SITE_URL}/en/health/"] == {
        "en": f"{SITE_URL}/en/health/",
        "nl": f"{SITE_URL}/nl/gezondheid/",
        "x-default": f"{SITE_URL}/en/health/",
    }


def test_the_article_sitemap_costs_the_same_queries_with_more_translations(
    client, health
):
    pair(health)
    with CaptureQueriesContext(connection) as few:
        sitemap_alternates(client, "/sitemap-articles.xml")
    for n in range(6):
        english = make_article(primary_category=health, slug=f"more-{n}")
        make_article(
            primary_category=health,
            language="nl",
            slug=f"meer-{n}",
            translation_key=english.translation_key,
        )

    with CaptureQueriesContext(connection) as many:
        assert len(sitemap_alternates(client, "/sitemap-articles.xml")) == 14

    assert len(many) == len(few)


# Starting and linking translations


@pytest.fixture
def source(health):
    image = make_image(alt_text="A woman stretching")
    article = make_article(
        title="Back pain",
        slug="back-pain",
        primary_category=health,
        categories=[make_category(slug="spine")],
        tags=["stretching"],
        featured_image=image,
        featured_image_alt="Stretching the lower back",
        seo_title="Back pain: what helps",
        meta_description="Heat, movement and when to see a doctor.",
        focus_keyphrases="back pain",
    )
    KeyTakeaway.objects.create(article=article, text="<p>Keep moving</p>", order=0)
    FAQItem.objects.create(
        article=article, question="Does heat help?", answer="<p>Yes.</p>", order=0
    )
    Reference.objects.create(
        article=article, title="Low back pain", publisher="NICE", year=2020
    )
    return article


def test_translate_makes_a_linked_draft_with_the_structure_copied(source, editor):
    outcome = publishing.translate(source, "nl", user=editor)
    draft = Article.objects.get(pk=outcome.obj.pk)

    assert draft.language == "nl"
    assert draft.translation_key == source.translation_key
    assert draft.status == Article.Status.DRAFT
    assert draft.slug == "back-pain"
    assert draft.primary_category == source.primary_category
    assert set(draft.categories.all()) == set(source.categories.all())
    assert list(draft.tags.names()) == ["stretching"]
    assert draft.featured_image == source.featured_image
    assert draft.featured_image_alt == "Stretching the lower back"
    assert (draft.seo_title, draft.meta_description, draft.focus_keyphrases) == (
        source.seo_title,
        source.meta_description,
        source.focus_keyphrases,
    )
    assert [t.text for t in draft.takeaways.all()] == ["<p>Keep moving</p>"]
    assert [(f.question, f.answer) for f in draft.faq_items.all()] == [
        ("Does heat help?", "<p>Yes.</p>")
    ]
    assert [(r.title, r.publisher, r.year) for r in draft.references.all()] == [
        ("Low back pain", "NICE", 2020)
    ]
    # The source keeps its own parts.
    assert source.faq_items.count() == 1
    revision = Revision.objects.get(
        content_type=ContentType.objects.get_for_model(Article), object_id=draft.pk
    )
    assert revision.snapshot["faq_items"][0]["question"] == "Does heat help?"
    assert revision.author == editor
    entry = AuditEntry.objects.filter(object_id=str(draft.pk)).get()
    assert entry.action == AuditEntry.Action.CREATE and entry.user == editor
    # A draft: not named by the source's page, which it names.
    assert Article.objects.get(pk=source.pk).live_translations() == []
    assert draft.live_translations() == [source]


def test_a_draft_translation_gets_a_free_slug_in_its_language(source, editor):
    make_article(language="nl", slug="back-pain")

    outcome = publishing.translate(source, "nl", user=editor)

    assert outcome.obj.slug == "back-pain-2"


def test_translate_announces_the_change(source, editor):
    seen = []

    def receiver(instances, **kwargs):
        seen.extend(instances)

    publishing.content_changed.connect(receiver)
    try:
        outcome = publishing.translate(source, "nl", user=editor)
    finally:
        publishing.content_changed.disconnect(receiver)

    assert outcome.obj in seen


def test_a_language_already_translated_is_refused(source, editor):
    publishing.translate(source, "nl", user=editor)

    with pytest.raises(publishing.Refused, match="translation into Nederlands"):
        publishing.translate(source, "nl", user=editor)


def test_who_may_not_edit_the_source_may_not_translate_it(source):
    someone_else = make_user("Author")

    with pytest.raises(publishing.Refused):
        publishing.translate(source, "nl", user=someone_else)
    assert not Article.objects.filter(language="nl").exists()


def test_linking_joins_two_texts_into_one_group(source, editor, health):
    dutch = make_article(language="nl", slug="rugpijn", primary_category=health)

    publishing.link_translation(source, dutch, user=editor)

    dutch.refresh_from_db()
    assert dutch.translation_key == source.translation_key
    assert AuditEntry.objects.filter(object_id=str(dutch.pk), user=editor).exists()
    assert [t.pk for t in Article.objects.get(pk=source.pk).live_translations()] == [
        dutch.pk
    ]


def test_linking_refuses_a_second_text_of_the_same_language(source, editor, health):
    first = make_article(language="nl", slug="rugpijn", primary_category=health)
    publishing.link_translation(source, first, user=editor)
    second = make_article(language="nl", slug="rugklachten", primary_category=health)

    with pytest.raises(publishing.Refused, match="has a text in Nederlands already"):
        publishing.link_translation(source, second, user=editor)
    second.refresh_from_db()
    assert second.translation_key != source.translation_key


def test_unlinking_takes_a_text_out_of_its_group(client, editor, health):
    english, dutch = pair(health)
    seen = []

    def receiver(instances, **kwargs):
        seen.extend(instances)

    publishing.content_changed.connect(receiver)
    try:
        outcome = publishing.unlink_translation(dutch, user=editor)
    finally:
        publishing.content_changed.disconnect(receiver)

    dutch.refresh_from_db()
    assert dutch.translation_key != english.translation_key
    assert outcome.revision.summary == "No longer a translation of “Back pain”"
    entry = AuditEntry.objects.filter(object_id=str(dutch.pk)).latest("pk")
    assert entry.user == editor and entry.details["revision"] == outcome.revision.pk
    assert dutch in seen
    assert hreflangs(soup_of(client, english.get_absolute_url())) == {}
    assert hreflangs(soup_of(client, dutch.get_absolute_url())) == {}


def test_unlinking_a_text_that_translates_nothing_changes_nothing(editor, health):
    alone = make_article(primary_category=health)

    assert publishing.unlink_translation(alone, user=editor) is None
    assert not Revision.objects.filter(object_id=alone.pk, author=editor).exists()


def test_who_may_not_edit_a_translation_may_not_unlink_it(health):
    english, dutch = pair(health)

    with pytest.raises(publishing.Refused):
        publishing.unlink_translation(dutch, user=make_user("Author"))
    dutch.refresh_from_db()
    assert dutch.translation_key == english.translation_key


# The admin


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_the_admin_panel_offers_the_missing_translation(editor_client, source):
    soup = soup_of(editor_client, change_url(source))

    panel = soup.select_one(".translations-panel")
    assert "Missing" in panel.get_text()
    (button,) = panel.select("button[name=_translate]")
    assert button["formaction"] == reverse(
        "admin:articles_article_translate", args=[source.pk, "nl"]
    )


def test_the_admin_starts_a_translation_and_opens_it(editor_client, source):
    response = editor_client.post(
        reverse("admin:articles_article_translate", args=[source.pk, "nl"])
    )

    draft = Article.objects.get(language="nl")
    assert response.status_code == 302
    assert response["Location"] == change_url(draft)
    panel = soup_of(editor_client, change_url(source)).select_one(".translations-panel")
    assert panel.find("a", href=change_url(draft)) is not None
    assert "Draft" in panel.get_text()


def test_the_admin_shows_a_translation_older_than_its_source(
    editor_client, source, editor
):
    draft = publishing.translate(source, "nl", user=editor).obj
    Article.objects.filter(pk=source.pk).update(
        content_updated_at=timezone.now() + timedelta(minutes=5)
    )

    source_panel = soup_of(editor_client, change_url(source)).select_one(
        ".translations-panel"
    )
    draft_panel = soup_of(editor_client, change_url(draft)).select_one(
        ".translations-panel"
    )

    assert "older than its source" in source_panel.get_text()
    assert "Older than its source" in draft_panel.get_text()


def test_the_admin_refuses_to_link_a_second_text_of_a_language(
    editor_client, source, editor, health
):
    publishing.translate(source, "nl", user=editor)
    other = make_article(language="nl", slug="rugklachten", primary_category=health)

    response = editor_client.post(
        reverse("admin:articles_article_link_translation", args=[source.pk]),
        {"translation_id": other.pk},
        follow=True,
    )

    assert "has a text in Nederlands already" in response.content.decode()
    other.refresh_from_db()
    assert other.translation_key != source.translation_key


# Per language: feeds, archives, search


def test_feeds_archives_and_search_keep_to_their_language(client, health):
    pair(health)

    def titles(url, selector):
        return [
            node.get_text(strip=True) for node in soup_of(client, url).select(selector)
        ]

    assert titles("/nl/", ".card__title") == ["Rugpijn"]
    assert titles("/en/health/", ".card__title") == ["Back pain"]
    assert titles("/nl/gezondheid/", ".card__title") == ["Rugpijn"]
    feed = client.get("/nl/feed/").content.decode()
    assert "Rugpijn" in feed and "Back pain" not in feed
    dutch_category_feed = client.get("/nl/gezondheid/feed/").content.decode()
    assert "Rugpijn" in dutch_category_feed and "Back pain" not in dutch_category_feed
    dutch_results = client.get("/nl/search/", {"q": "rugpijn"}).content.decode()
    english_results = client.get("/en/search/", {"q": "rugpijn"}).content.decode()
    assert "Rugpijn" in dutch_results
    assert "Rugpijn" not in english_results


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's text search configurations"
)
def test_dutch_text_is_searched_with_the_dutch_configuration(client, health):
    # The Dutch stemmer makes "slapen" and "slaap" one word (slap); the
    # English one leaves them two.
    make_article(
        title="Beter slapen met rugpijn",
        slug="beter-slapen",
        language="nl",
        primary_category=health,
    )

    results = client.get("/nl/search/", {"q": "slaap"}).content.decode()

    assert "Beter slapen met rugpijn" in results


def test_the_category_form_has_a_name_and_slug_per_other_language(editor_client):
    category = make_category(name="Health", slug="health")
    url = reverse("admin:articles_category_change", args=[category.pk])
    assert soup_of(editor_client, url).find("input", attrs={"name": "name_nl"})

    response = editor_client.post(
        url,
        {
            "name": "Health",
            "slug": "health",
            "description": "",
            "requires_sign_off": "",
            "name_nl": "Gezondheid",
            "slug_nl": "",
        },
    )

    assert response.status_code == 302
    category.refresh_from_db()
    assert category.translations == {"nl": {"name": "Gezondheid", "slug": "gezondheid"}}
    assert category.get_absolute_url("nl") == "/nl/gezondheid/"


def test_a_page_translation_is_a_draft_under_the_parents_translation(editor):
    about = Page.objects.create(
        title="About us", slug="about-us", status=Page.Status.PUBLISHED
    )
    over = Page.objects.create(
        title="Over ons",
        slug="over-ons",
        language="nl",
        status=Page.Status.PUBLISHED,
        translation_key=about.translation_key,
    )
    team = Page.objects.create(
        title="Team", slug="team", parent=about, status=Page.Status.PUBLISHED
    )

    draft = publishing.translate(team, "nl", user=editor).obj

    assert draft.status == Page.Status.DRAFT
    assert draft.parent == over
    assert draft.get_absolute_url() == "/nl/over-ons/team/"
    assert draft.translation_key == team.translation_key


# The admin: unlinking, and finding the text to link by its title


def unlink_url(obj, other):
    return reverse("admin:articles_article_unlink_translation", args=[obj.pk, other.pk])


def test_the_admin_panel_offers_to_unlink_each_translation(editor_client, health):
    english, dutch = pair(health)

    panel = soup_of(editor_client, change_url(english)).select_one(
        ".translations-panel"
    )

    assert panel.find("a", href=unlink_url(english, dutch)).get_text() == "Unlink"


def test_the_admin_asks_before_unlinking(editor_client, health):
    english, dutch = pair(health)

    page = soup_of(editor_client, unlink_url(english, dutch))

    assert "“Rugpijn” will be a text of its own" in page.get_text()
    assert page.select_one("form[method=post] input[type=submit]") is not None
    dutch.refresh_from_db()
    assert dutch.translation_key == english.translation_key


def test_after_unlinking_in_the_admin_the_next_reader_sees_no_translation(
    client, editor, health
):
    english, dutch = pair(health)
    assert "nl" in hreflangs(soup_of(client, english.get_absolute_url()))
    staff = type(client)()
    staff.force_login(editor)

    response = staff.post(unlink_url(english, dutch), follow=True)

    assert "“Rugpijn” is no longer a translation of “Back pain”." in response.text
    response = client.get(english.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert hreflangs(BeautifulSoup(response.content, "html.parser")) == {}


def test_an_author_may_not_unlink_someone_elses_text(client, health):
    author = make_user("Author")
    english, dutch = pair(health)
    client.force_login(author)

    response = client.post(unlink_url(english, dutch))

    assert response.status_code in (403, 404)
    dutch.refresh_from_db()
    assert dutch.translation_key == english.translation_key


def candidates(client, obj, typed):
    response = client.get(
        reverse("admin:articles_article_translation_candidates", args=[obj.pk]),
        {"q": typed},
    )
    assert response.status_code == 200
    return [(text["title"], text["language"]) for text in response.json()["results"]]


def test_the_title_search_lists_texts_of_another_language_not_yet_translated(
    editor_client, health
):
    english = make_article(title="Back pain", primary_category=health)
    make_article(title="Rugpijn bij kinderen", language="nl", primary_category=health)
    taken_english, taken_dutch = pair(health)  # "Rugpijn" has its English text.
    make_article(title="Rugpijn in English", primary_category=health)
    make_article(
        title="Rugpijn in de prullenbak",
        language="nl",
        primary_category=health,
        status=Article.Status.TRASH,
    )

    assert candidates(editor_client, english, "rugpijn") == [
        ("Rugpijn bij kinderen", "Dutch")
    ]
    assert candidates(editor_client, english, "") == []


def test_the_title_search_offers_nothing_once_the_language_is_translated(
    editor_client, health
):
    english, dutch = pair(health)
    make_article(title="Rugpijn bij kinderen", language="nl", primary_category=health)

    assert candidates(editor_client, english, "rugpijn") == []


def test_the_panel_searches_by_title_and_links_by_the_chosen_id(editor_client, health):
    english = make_article(title="Back pain", primary_category=health)
    dutch = make_article(title="Rugpijn", language="nl", primary_category=health)

    panel = soup_of(editor_client, change_url(english)).select_one(
        ".translations-panel"
    )
    search = panel.select_one("input[type=search][data-candidates-url]")
    assert search["data-candidates-url"] == reverse(
        "admin:articles_article_translation_candidates", args=[english.pk]
    )
    assert panel.select_one("input[type=hidden][name=translation_id]") is not None
    editor_client.post(
        reverse("admin:articles_article_link_translation", args=[english.pk]),
        {"translation_id": dutch.pk},
    )
    dutch.refresh_from_db()
    assert dutch.translation_key == english.translation_key


def test_pages_are_unlinked_and_found_by_title_as_articles_are(editor_client, client):
    about = Page.objects.create(
        title="About us", slug="about-us", status=Page.Status.PUBLISHED
    )
    over_ons = Page.objects.create(
        title="Over ons",
        slug="over-ons",
        language="nl",
        status=Page.Status.PUBLISHED,
        translation_key=about.translation_key,
    )
    contact = Page.objects.create(
        title="Contact met ons", slug="contact", language="nl"
    )

    editor_client.post(
        reverse("admin:articles_page_unlink_translation", args=[about.pk, over_ons.pk])
    )
    found = editor_client.get(
        reverse("admin:articles_page_translation_candidates", args=[about.pk]),
        {"q": "ons"},
    ).json()["results"]

    assert hreflangs(soup_of(client, "/en/about-us/")) == {}
    assert [text["id"] for text in found] == [contact.pk, over_ons.pk]


def test_linking_without_choosing_a_text_asks_for_its_title(editor_client, source):
    response = editor_client.post(
        reverse("admin:articles_article_link_translation", args=[source.pk]),
        {"translation_id": ""},
        follow=True,
    )

    assert (
        "Type the title of the text to link, then choose it from the list."
        in response.content.decode()
    )
