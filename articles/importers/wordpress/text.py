"""
WordPress's rule for plain-text fields, sanitize_text_field(), for the
values the importer stores as text: SEO titles and descriptions, focus
keyphrases, image alt text and captions, names. Pure: no database, no settings.
"""

from __future__ import annotations

import html
import re

import nh3

# Elements whose content is no text either (wp_strip_all_tags() drops script and style whole).
_tag_stripper = nh3.Cleaner(
    tags=set(), clean_content_tags={"script", "style", "template", "noscript"}
)
# The white space _sanitize_text_fields() folds: not the no-break space, which is meant.
_WHITESPACE = re.compile(r"[\r\n\t ]+")
_OCTET = re.compile(r"%[a-f0-9]{2}", re.IGNORECASE)
_NEEDS_WORK = re.compile(r"[<&%]")


def plain_text(value: str, *, keep: re.Pattern[str] | None = None) -> str:
    """
    Return value as WordPress's sanitize_text_field() leaves it: tags
    removed (their text kept, scripts and styles dropped whole), white space
    folded and trimmed, percent-encoded octets ("%20") removed. Entities are
    decoded, since the site escapes text where it prints it (WordPress keeps
    them encoded). keep matches the spans whose octets stay, such as the
    %category% of an SEO template, which is no octet.
    """
    if not _NEEDS_WORK.search(value):
        return _WHITESPACE.sub(" ", value).strip()
    text = _tag_stripper.clean(value) if "<" in value else value
    text = _WHITESPACE.sub(" ", text).strip()
    if "%" in text:
        text = _WHITESPACE.sub(" ", _without_octets(text, keep=keep)).strip()
    return html.unescape(text)


def _without_octets(text: str, *, keep: re.Pattern[str] | None) -> str:
    if keep is None:
        return _remove_octets(text)
    pieces, start = [], 0
    for match in keep.finditer(text):
        pieces += [_remove_octets(text[start : match.start()]), match.group(0)]
        start = match.end()
    return "".join([*pieces, _remove_octets(text[start:])])


def _remove_octets(text: str) -> str:
    # WordPress repeats until none is left: removing one may join another ("%%4141").
    while _OCTET.search(text):
        text = _OCTET.sub("", text)
    return text
