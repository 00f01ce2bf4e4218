"""
A multilingual WordPress site moved whole: the translation links of
Polylang and WPML (REST and WXR, in the shapes importers/wordpress/
translations.py cites) become translation groups, the language comes from
the data or the permalink, and the sections are recognised in either
language.
"""

import contextlib
import json
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.importers.wordpress import translations
from articles.importers.wordpress.load import import_items
from articles.importers.wordpress.load.translations import derived_key
from articles.importers.wordpress.sources import parse_post, read_posts
from articles.models import Article, Page, Redirect
from tests import wxr

SEED = Path(django_settings.BASE_DIR) / "demo" / "back-spasm-remedy.json"
SITE = wxr.SITE
ENGLISH_LINK = f"{SITE}/en/beauty/back-spasm-remedy/"
DUTCH_LINK = f"{SITE}/nl/beauty/rugkramp/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def wordpress_site(settings):
    settings.WORDPRESS_SITE_URL = SITE
    settings.LANGUAGES = [("en", "English"), ("nl", "Nederlands")]
    settings.LANGUAGE_CODE = "en"


def rest_post(wordpress_id, *, link, slug, **fields):
    data = json.loads(SEED.read_text())
    data.update(id=wordpress_id, link=link, slug=slug, **fields)
    data["guid"] = {"rendered": f"{SITE}/?p={wordpress_id}"}
    return data


def english(**fields):
    return rest_post(9580, link=ENGLISH_LINK, slug="back-spasm-remedy", **fields)


def dutch(wordpress_id=9581, *, slug="rugkramp", **fields):
    return rest_post(
        wordpress_id, link=f"{SITE}/nl/beauty/{slug}/", slug=slug, **fields
    )


def run_rest(tmp_path, *posts, name="posts.json"):
    path = tmp_path / name
    path.write_text(json.dumps(list(posts)))
    return list(import_items(read_posts([path])))


def run_wxr(tmp_path, *items, name="export.xml", **channel):
    path = tmp_path / name
    path.write_text(wxr.export(*items, **channel))
    return list(import_items(read_posts([path])))


def keys(model=Article):
    return dict(model.objects.values_list("wordpress_id", "translation_key"))


POLYLANG = {"en": 9580, "nl": 9581}


def test_a_polylang_rest_pair_is_one_translation_group(tmp_path):
    """PLL_REST_Translated_Object's lang and translations fields (language slug → id)."""
    outcomes = run_rest(
        tmp_path,
        english(lang="en", translations=POLYLANG),
        dutch(lang="nl", translations=POLYLANG),
    )

    assert [outcome.action for outcome in outcomes] == ["created", "created"]
    by_id = keys()
    assert by_id[9580] == by_id[9581] == derived_key("wordpress:9580")
    dutch_article = Article.objects.get(wordpress_id=9581)
    assert (dutch_article.language, dutch_article.get_absolute_url()) == (
        "nl",
        "/nl/beauty/rugkramp/",
    )


def test_the_dutch_export_imported_after_the_english_one_joins_its_group(tmp_path):
    run_rest(tmp_path, english(lang="en", translations=POLYLANG), name="en.json")
    run_rest(tmp_path, dutch(lang="nl", translations=POLYLANG), name="nl.json")

    assert len(set(keys().values())) == 1


def test_a_translation_imported_before_without_links_is_joined(tmp_path):
    """A Dutch post imported alone (say from an export without Polylang) is found by its id."""
    run_rest(tmp_path, dutch(), name="nl.json")
    alone = keys()[9581]

    run_rest(tmp_path, english(lang="en", translations=POLYLANG), name="en.json")

    assert keys() == {9581: alone, 9580: alone}


def polylang_items():
    return (
        wxr.post(
            9580,
            slug="back-spasm-remedy",
            terms=(
                ("language", "en", "English"),
                ("post_translations", "pll_65a1b2c3d4e5f", "pll_65a1b2c3d4e5f"),
            ),
        ),
        wxr.post(
            9581,
            slug="rugkramp",
            link=DUTCH_LINK.replace("beauty", "health"),
            terms=(
                ("language", "nl", "Nederlands"),
                ("post_translations", "pll_65a1b2c3d4e5f", "pll_65a1b2c3d4e5f"),
            ),
        ),
    )


def test_a_polylang_wxr_pair_with_its_post_translations_term_is_one_group(tmp_path):
    """The post_translations term's description is save_translations()'s serialized array."""
    term = wxr.translation_term(
        71,
        slug="pll_65a1b2c3d4e5f",
        description='a:2:{s:2:"en";i:9580;s:2:"nl";i:9581;}',
    )

    run_wxr(tmp_path, *polylang_items(), more_terms=term)

    by_id = keys()
    assert by_id[9580] == by_id[9581] == derived_key("wordpress:9580")
    assert Article.objects.get(wordpress_id=9581).language == "nl"


def test_polylang_items_without_the_channels_term_are_grouped_by_the_term_they_share(
    tmp_path,
):
    """An export of posts only lists no channel terms, but each item still names its group."""
    run_wxr(tmp_path, *polylang_items())

    by_id = keys()
    assert by_id[9580] == by_id[9581] == derived_key("polylang:pll_65a1b2c3d4e5f")


def test_polylangs_extra_data_in_the_description_is_not_a_translation():
    """PLL_WP_Import::remap_translations() keeps keys that are no language slug apart."""
    assert translations.polylang_description(
        'a:3:{s:2:"en";i:9580;s:2:"nl";i:9581;s:4:"sync";a:1:{s:2:"nl";s:2:"en";}}'
    ) == {"en": 9580, "nl": 9581}


@pytest.mark.parametrize(
    "listing",
    [
        # wpml-rest-api 1.1: a list of the other published translations.
        lambda other_locale, other_id: [
            {"locale": other_locale, "id": other_id, "post_title": "T", "href": "h"}
        ],
        # Later versions: an object keyed by locale.
        lambda other_locale, other_id: {
            other_locale: {
                "locale": other_locale,
                "id": other_id,
                "slug": "s",
                "post_title": "T",
                "href": "h",
            }
        },
    ],
)
def test_a_wpml_rest_pair_is_one_translation_group(tmp_path, listing):
    """The WPML REST add-on's wpml_current_locale and wpml_translations (the others, not itself)."""
    run_rest(
        tmp_path,
        english(wpml_current_locale="en_US", wpml_translations=listing("nl_NL", 9581)),
        dutch(wpml_current_locale="nl_NL", wpml_translations=listing("en_US", 9580)),
    )

    by_id = keys()
    assert by_id[9580] == by_id[9581] == derived_key("wordpress:9580")
    assert Article.objects.get(wordpress_id=9581).language == "nl"


def wpml_meta(language, *, source=""):
    return {
        "_wpml_import_language_code": language,
        "_wpml_import_source_language_code": source,
        "_wpml_import_translation_group": "42",
    }


def test_a_wpml_wxr_pair_is_one_group_and_each_in_its_language(tmp_path):
    """WPML Export and Import's post meta: the language details and the trid they share."""
    run_wxr(
        tmp_path,
        wxr.post(9580, slug="back-spasm-remedy", meta=wpml_meta("en")),
        # No language in its permalink: the meta names it.
        wxr.post(
            9581,
            slug="rugkramp",
            link=f"{SITE}/rugkramp/",
            meta=wpml_meta("nl", source="en"),
        ),
    )

    by_id = keys()
    assert by_id[9580] == by_id[9581] == derived_key("wpml:42")
    dutch_article = Article.objects.get(wordpress_id=9581)
    assert dutch_article.language == "nl"
    assert "meta" not in dutch_article.wordpress_extra  # Read, not kept.
    # Its WordPress address still answers.
    assert Redirect.objects.filter(old_path="/rugkramp/").exists()


def test_a_wpml_wxr_export_of_each_language_apart_joins_one_group(tmp_path):
    run_wxr(
        tmp_path,
        wxr.post(9580, slug="back-spasm-remedy", meta=wpml_meta("en")),
        name="en.xml",
    )
    run_wxr(
        tmp_path,
        wxr.post(9581, slug="rugkramp", meta=wpml_meta("nl", source="en")),
        name="nl.xml",
    )

    assert len(set(keys().values())) == 1


def test_polylang_pages_are_one_translation_group(tmp_path):
    term = wxr.translation_term(
        72, slug="pll_about", description='a:2:{s:2:"en";i:10;s:2:"nl";i:11;}'
    )
    run_wxr(
        tmp_path,
        wxr.page(
            10,
            slug="about-us",
            path="en/about-us",
            terms=(
                ("language", "en", "English"),
                ("post_translations", "pll_about", "pll_about"),
            ),
        ),
        wxr.page(
            11,
            slug="over-ons",
            path="nl/over-ons",
            terms=(
                ("language", "nl", "Nederlands"),
                ("post_translations", "pll_about", "pll_about"),
            ),
        ),
        more_terms=term,
    )

    assert keys(Page)[10] == keys(Page)[11] == derived_key("wordpress:10")
    assert Page.objects.get(wordpress_id=11).get_absolute_url() == "/nl/over-ons/"


def test_the_language_comes_from_the_permalinks_prefix_for_any_site_language(
    tmp_path, settings
):
    settings.LANGUAGES = [("en", "English"), ("nl", "Nederlands"), ("de", "Deutsch")]
    run_rest(
        tmp_path,
        rest_post(1, link=f"{SITE}/de/beauty/rueckenkrampf/", slug="rueckenkrampf"),
        dutch(),
        rest_post(3, link=f"{SITE}/beauty/no-prefix/", slug="no-prefix"),
    )

    languages = dict(Article.objects.values_list("wordpress_id", "language"))
    assert languages == {1: "de", 9581: "nl", 3: "en"}
    assert Article.objects.get(wordpress_id=1).get_absolute_url() == (
        "/de/beauty/rueckenkrampf/"
    )


def test_importing_again_keeps_the_groups(tmp_path):
    posts = (
        english(lang="en", translations=POLYLANG),
        dutch(lang="nl", translations=POLYLANG),
    )
    run_rest(tmp_path, *posts)
    first = keys()

    again = run_rest(tmp_path, *posts)
    changed = run_rest(
        tmp_path,
        *(post | {"title": {"rendered": "Changed"}} for post in posts),
    )

    assert [outcome.action for outcome in again] == ["unchanged", "unchanged"]
    assert [outcome.action for outcome in changed] == ["updated", "updated"]
    assert keys() == first
    assert len(set(first.values())) == 1
    assert Article.objects.count() == 2


def test_the_keys_are_derived_from_the_links_not_drawn(tmp_path):
    """Another site (or the same one emptied) importing the same export gets the same keys."""
    posts = (
        english(lang="en", translations=POLYLANG),
        dutch(lang="nl", translations=POLYLANG),
        rest_post(77, link=f"{SITE}/en/beauty/alone/", slug="alone"),
    )
    run_rest(tmp_path, *posts)
    first = keys()
    Redirect.objects.all().delete()
    Article.objects.all().delete()

    run_rest(tmp_path, *posts)

    assert keys() == first
    assert first[77] not in (first[9580], first[9581])


def test_a_second_text_of_one_language_stays_out_of_the_group_with_a_warning(
    tmp_path,
):
    """Two Dutch posts that both claim the group: the first keeps it, the second stays alone."""
    links = {"en": 9580, "nl": 9581}
    outcomes = run_rest(
        tmp_path,
        english(lang="en", translations=links),
        dutch(lang="nl", translations=links),
        dutch(9582, slug="rugkramp-kopie", lang="nl", translations=links),
    )

    assert [outcome.action for outcome in outcomes] == ["created"] * 3
    by_id = keys()
    assert by_id[9580] == by_id[9581] != by_id[9582]
    assert Article.objects.filter(translation_key=by_id[9582]).count() == 1
    assert outcomes[2].notice == (
        "Not linked to its translations: their Nederlands text is “Back Spasm "
        "Remedy: Incredible Home Treatments” (WordPress id 9581), "
        "and a translation group holds one text per language. It stays on its own."
    )
    again = run_rest(
        tmp_path,
        dutch(9582, slug="rugkramp-kopie", lang="nl", translations=links)
        | {"title": {"rendered": "Kopie"}},
        name="again.json",
    )
    assert keys()[9582] == by_id[9582]
    assert "It stays on its own." in again[0].notice


def test_a_hostile_post_translations_description_links_nothing_and_says_why(
    tmp_path,
):
    term = wxr.translation_term(
        71,
        slug="pll_65a1b2c3d4e5f",
        description='O:8:"stdClass":1:{s:2:"en";i:9580;}',
    )

    outcomes = run_wxr(tmp_path, *polylang_items(), more_terms=term)

    assert [outcome.action for outcome in outcomes[1:]] == ["created", "created"]
    assert len(set(keys().values())) == 2
    assert outcomes[1].notice.startswith(
        "Its translations are not linked: pll_65a1b2c3d4e5f: the post_translations "
        "description is not PHP's serialize() format: unsupported value 'O:'"
    )


# Hostile input: the plugins' values are read whole or not at all.

_php_scalars = st.one_of(
    st.integers(-(2**63), 2**63 - 1).map(lambda number: f"i:{number};"),
    st.text(max_size=8).map(lambda text: f's:{len(text.encode())}:"{text}";'),
    st.just("N;"),
    st.sampled_from(["b:0;", "b:1;"]),
)
_php_arrays = st.lists(st.tuples(_php_scalars, _php_scalars), max_size=6).map(
    lambda pairs: f"a:{len(pairs)}:{{{''.join(key + value for key, value in pairs)}}}"
)


@given(
    st.one_of(
        _php_arrays,
        _php_arrays.flatmap(
            lambda text: st.integers(0, len(text)).map(
                lambda cut: text[:cut] + text[cut + 1 :]
            )
        ),
        st.text(alphabet='aisdbNOCr:;{}"0123456789-', max_size=120),
    )
)
@example('a:1:{s:2:"nl";i:99999999999999999999999;}')
@example('a:2:{s:2:"nl";i:1;s:2:"nl";i:2;}')
@example('a:1:{s:2:"nl";O:8:"stdClass":0:{}}')
@example('a:1:{s:2:"nl";r:1;}')
@example("a:1:{" * 200)
@hypothesis_settings(max_examples=300, deadline=None)
def test_a_post_translations_description_is_read_whole_or_refused(text):
    """polylang_description() raises only its own error, and returns only language → id pairs."""
    with contextlib.suppress(translations.TranslationsError):
        links = translations.polylang_description(text)
        assert all(
            isinstance(language, str) and isinstance(post_id, int) and post_id > 0
            for language, post_id in links.items()
        )


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=12,
)


@given(_json, _json)
@example({"nl": True}, [{"locale": "nl_NL", "id": "12"}])
@example({"nl": {"id": -1}}, {"nl_NL": {"locale": "nl_NL"}})
@hypothesis_settings(max_examples=300, deadline=None)
def test_any_rest_translations_field_is_read_whole_or_left_out(polylang, wpml):
    """A REST post with any value in its translation fields is still a post."""
    data = english(translations=polylang, wpml_translations=wpml)

    post = parse_post(data, source="test.json")

    assert bool(post.translations) != bool(post.translation_error) or not (
        post.translations or post.translation_error
    )
    assert all(
        isinstance(post_id, int) and post_id > 0
        for post_id in post.translations.values()
    )
