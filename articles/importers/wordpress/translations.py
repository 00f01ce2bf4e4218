"""
Read which posts translate which from the shapes WordPress's multilingual
plugins give them. Pure: no database.

Polylang (github.com/polylang/polylang):
- REST: Polylang Pro's PLL_REST_Translated_Object
  (modules/rest/rest-translated-object.php) registers a `lang` field (the
  language's slug, or false) and a `translations` field, the array
  get_translations() returns: language slug → post id, the post included.
- WXR: a post is filed under a term of the `language` taxonomy and a term
  of the `post_translations` taxonomy (its slug uniqid('pll_'), see
  save_translations() in src/translated-object.php) whose description is
  maybe_serialize() of that same array, a:2:{s:2:"en";i:9580;s:2:"nl";i:9581;}.
  The description may hold other keys ("Take care not to overwrite extra
  data stored in the description field"), which PLL_WP_Import::remap_translations()
  (src/integrations/wp-importer/wp-import.php) keeps apart from the
  language slugs: here too only language slug → positive id pairs are links.

WPML (github.com/shawnhooper/wpml-rest-api, wpml-rest-api.php, the REST
add-on WPML's users install; WPML itself adds no fields to wp/v2):
- REST: `wpml_current_locale` ("nl_NL", wpml_get_language_information()'s
  locale) and `wpml_translations`, the other published translations: a
  list of {"locale", "id", "post_title", "href"} in version 1.1, an object
  keyed by locale of {"locale", "id", "slug", "post_title", "href"} since.
- WXR: WordPress's exporter knows nothing of WPML's icl_translations
  table; WPML Export and Import writes each post's language details
  (wpml_element_language_details: trid, language_code,
  source_language_code) as post meta, which the export carries:
  _wpml_import_language_code, _wpml_import_source_language_code and
  _wpml_import_translation_group (the trid every translation shares).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from articles.importers.wordpress.php import PHPSerializeError, unserialize

# The post meta of WPML Export and Import (see above).
WPML_LANGUAGE_META = "_wpml_import_language_code"
WPML_SOURCE_LANGUAGE_META = "_wpml_import_source_language_code"
WPML_GROUP_META = "_wpml_import_translation_group"
WPML_META = (WPML_LANGUAGE_META, WPML_SOURCE_LANGUAGE_META, WPML_GROUP_META)

# WordPress's ids are MySQL BIGINT UNSIGNED, the site's signed 64-bit numbers.
MAX_ID = 2**63 - 1
# A language slug or locale ("nl", "pt-br", "zh_Hans"); longer is no language.
MAX_LANGUAGE_LENGTH = 35
# More translations than any site has languages: a group is refused past it.
MAX_TRANSLATIONS = 200
# A WPML trid is a number; a hand-made export may carry any short string.
MAX_GROUP_LENGTH = 200


class TranslationsError(ValueError):
    """The translations a plugin wrote cannot be read: none of them is used."""


def polylang_description(text: str) -> dict[str, int]:
    """
    The translations a Polylang post_translations term's description
    lists, language slug → post id. Keys that are no language slug with an
    id (Polylang's extra data) are left out; anything that is not a PHP
    array, or is malformed, raises TranslationsError, so a group is read
    whole or not at all.
    """
    try:
        value = unserialize(text.strip())
    except PHPSerializeError as exc:
        raise TranslationsError(
            f"the post_translations description is not PHP's serialize() format: {exc}"
        ) from exc
    if not isinstance(value, dict):
        raise TranslationsError(
            "the post_translations description is not a serialized array"
        )
    return _links(value.items())


def polylang_rest(value: object) -> dict[str, int]:
    """Polylang Pro's REST `translations` field (language slug → id), or {} when absent."""
    if value is None or value is False or value == []:
        # PHP sends an empty array as [], and a missing field as nothing.
        return {}
    if not isinstance(value, dict):
        raise TranslationsError(
            "Polylang's translations field is not an object of language → id"
        )
    # Sites that add the field themselves often give {"id": …, "slug": …}.
    return _links(
        (language, post_id.get("id") if isinstance(post_id, dict) else post_id)
        for language, post_id in value.items()
    )


def wpml_rest(value: object) -> dict[str, int]:
    """
    The WPML REST add-on's `wpml_translations` field as locale → id: a
    list of entries (version 1.1) or an object keyed by locale (later).
    """
    if value is None or value == [] or value == {}:
        return {}
    if isinstance(value, dict):
        entries = list(value.values())
    elif isinstance(value, list):
        entries = value
    else:
        raise TranslationsError("WPML's wpml_translations field is not a list")
    pairs = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise TranslationsError("an entry of wpml_translations is not an object")
        pairs.append((entry.get("locale"), entry.get("id")))
    return _links(pairs, strict=True)


def wpml_group(meta: Mapping[str, Any]) -> str:
    """The WPML trid a WXR item's post meta names, as a group reference, or ""."""
    value = meta.get(WPML_GROUP_META)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        return ""
    value = value.strip()
    if len(value) > MAX_GROUP_LENGTH:
        raise TranslationsError("WPML's translation group is too long to be one")
    return f"wpml:{value}"


def _links(pairs, *, strict: bool = False) -> dict[str, int]:
    """
    Language → id pairs as links. A pair that is not a language with a
    positive id is extra data and left out, unless strict (a list that
    holds only translations), where it makes the whole value unreadable.
    """
    links: dict[str, int] = {}
    for language, post_id in pairs:
        number = _id(post_id)
        if not _is_language(language) or number is None:
            if strict:
                raise TranslationsError(
                    f"a translation without a language and an id: {language!r} → {post_id!r}"
                )
            continue
        if language in links and links[language] != number:
            raise TranslationsError(f"two translations in {language!r}")
        links[language] = number
        if len(links) > MAX_TRANSLATIONS:
            raise TranslationsError("more translations than a site has languages")
    return links


def _is_language(value: object) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_LANGUAGE_LENGTH
        and value.replace("-", "").replace("_", "").isascii()
        and value.replace("-", "").replace("_", "").isalnum()
    )


def _id(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if (
        isinstance(value, str)
        and 0 < len(value) <= 19
        and value.isascii()
        and value.isdigit()
    ):
        value = int(value)
    if isinstance(value, int) and 0 < value <= MAX_ID:
        return value
    return None
