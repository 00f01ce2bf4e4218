"""
The SEO analysis editors see on the article form: a score out of 100 and
pass / warn / fail checks, the ones Rank Math and Yoast sell plus health
checks for "Your Money or Your Life" content.

Pure: analyse() takes a Draft (plain values, gathered by
articles.seo_scoring) and returns an Analysis. No queries, no request: its
labels and messages are lazy translations, put into the language of
whoever reads them when they are shown (the admin follows the editor's).
"""

from __future__ import annotations

import html as html_lib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

PASS, WARN, FAIL = "pass", "warn", "fail"
CREDIT = {PASS: 1.0, WARN: 0.5, FAIL: 0.0}
STATUS_LABELS = {
    PASS: pgettext_lazy("SEO check", "pass"),
    WARN: pgettext_lazy("SEO check", "warn"),
    FAIL: pgettext_lazy("SEO check", "fail"),
}
# What the caller may find another published article uses too (Draft.duplicates).
DUPLICABLE = {
    "seo_title": _("SEO title"),
    "meta_description": _("meta description"),
    "focus_keyphrase": _("focus keyphrase"),
}

# Google cuts titles at about 600 pixels (some 60 characters) and
# descriptions at about 920 pixels (some 155 to 160 characters).
TITLE_LENGTH = (30, 60)
DESCRIPTION_LENGTH = (120, 160)
# Rank Math's threshold; thorough health content is rarely shorter.
BODY_WORDS = (300, 600)
# A paragraph that starts like a list item: "- ", "• ", "1. ", "2) ".
_LIST_LIKE = re.compile(r"^\s*(?:[-•*–]\s|\d{1,2}[.)]\s)")
# A paragraph that starts with a short label and a colon: "Poor Posture: ...".
_LABELLED = re.compile(r"^\s*[A-Z][\w'’-]*(?:\s+[\w'’-]+){0,5}:\s+\S")
# Three labelled paragraphs in a row read as a list written as paragraphs.
LABELLED_RUN = 3


def list_like_paragraphs(soup: BeautifulSoup) -> list[str]:
    """
    Return the paragraphs that are list items in disguise: those starting
    with a bullet or a number, and runs of "Label: text" paragraphs.
    """
    found: list[str] = []
    run: list[str] = []
    for element in soup.find_all(recursive=False):
        text = element.get_text(" ", strip=True) if element.name == "p" else ""
        if element.name == "p" and _LIST_LIKE.match(text):
            found.append(text)
        if element.name == "p" and _LABELLED.match(text):
            run.append(text)
            continue
        if len(run) >= LABELLED_RUN:
            found.extend(run)
        run = []
    if len(run) >= LABELLED_RUN:
        found.extend(run)
    return found


def _put_in(message: str, values: dict) -> str:
    return message % values


def _join(items: tuple) -> str:
    return ", ".join(str(item) for item in items)


# A message's values are put in, and a list joined, when it is shown: a
# lazy translation put in at once would be translated into the language of
# the moment of the analysis, not of the reader.
filled = lazy(_put_in, str)
joined = lazy(_join, str)


@dataclass(frozen=True)
class Check:
    key: str
    label: str | Promise
    status: str
    message: str | Promise
    weight: int = 1

    @property
    def status_label(self) -> str | Promise:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class Analysis:
    checks: tuple[Check, ...]

    @property
    def score(self) -> int:
        total = sum(check.weight for check in self.checks)
        earned = sum(check.weight * CREDIT[check.status] for check in self.checks)
        return round(100 * earned / total) if total else 0

    @property
    def problems(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if check.status != PASS)

    def status_of(self, key: str) -> str:
        return next(check.status for check in self.checks if check.key == key)


@dataclass(frozen=True)
class Draft:
    title: str
    body: str
    slug: str = ""
    seo_title: str = ""
    meta_description: str = ""
    excerpt: str = ""
    keyphrases: tuple[str, ...] = ()
    featured_image_alt: str | None = None
    site_url: str = ""
    title_pattern: str = "{title} – {site_name}"
    site_name: str = ""
    reference_count: int = 0
    has_reviewer: bool = False
    last_reviewed_on: date | None = None
    today: date = field(default_factory=date.today)
    review_interval_days: int = 365
    # Found by the caller, which may query: internal links to no published
    # article, and fields another published article already uses (keys of
    # DUPLICABLE).
    broken_internal_links: tuple[str, ...] = ()
    duplicates: tuple[str, ...] = ()

    @property
    def full_title(self) -> str:
        return self.seo_title or self.title_pattern.format(
            title=self.title, site_name=self.site_name
        )

    @property
    def description(self) -> str:
        return self.meta_description or plain(self.excerpt)


def plain(html: str) -> str:
    return " ".join(
        html_lib.unescape(
            BeautifulSoup(html or "", "html.parser").get_text(" ")
        ).split()
    )


def contains(text: str, phrase: str) -> bool:
    return phrase.casefold() in " ".join(text.split()).casefold()


def link_paths(
    body: str, *, site_url: str, soup: BeautifulSoup | None = None
) -> tuple[list[str], list[str]]:
    """Return the internal paths and the external URLs a body (or its soup, if parsed) links to."""
    own_host = urlsplit(site_url).netloc
    internal, external = [], []
    if soup is None:
        soup = parse(body)
    for anchor in soup.find_all("a", href=True):
        href = anchor["href"]
        parts = urlsplit(href)
        if parts.scheme in ("mailto", "tel") or href.startswith("#"):
            continue
        if parts.netloc and parts.netloc != own_host:
            external.append(href)
        else:
            internal.append(parts.path or "/")
    return internal, external


def _check(key: str, label, ok: bool, good, bad, *, warn=False, weight=1) -> Check:
    status = PASS if ok else (WARN if warn else FAIL)
    return Check(key, label, status, good if ok else bad, weight)


def _length_check(key, label, length, bounds, *, empty_fails=True) -> Check:
    low, high = bounds
    if length == 0 and empty_fails:
        return Check(key, label, FAIL, _("Empty."))
    values = {"length": length, "low": low, "high": high}
    if low <= length <= high:
        within = ngettext_lazy(
            "%(length)s character, within %(low)s–%(high)s.",
            "%(length)s characters, within %(low)s–%(high)s.",
            "length",
        )
        return Check(key, label, PASS, filled(within, values))
    if length < low:
        advice = ngettext_lazy(
            "%(length)s character, too short (%(low)s–%(high)s).",
            "%(length)s characters, too short (%(low)s–%(high)s).",
            "length",
        )
    else:
        advice = ngettext_lazy(
            "%(length)s character, too long: search results cut it off "
            "(%(low)s–%(high)s).",
            "%(length)s characters, too long: search results cut it off "
            "(%(low)s–%(high)s).",
            "length",
        )
    return Check(key, label, WARN, filled(advice, values))


def keyphrase_checks(draft: Draft, soup: BeautifulSoup, text: str) -> list[Check]:
    if not draft.keyphrases:
        return [
            Check(
                "keyphrase",
                _("Focus keyphrase"),
                FAIL,
                _("Set a focus keyphrase to check the page against it."),
                3,
            )
        ]
    phrase = draft.keyphrases[0]
    slug_phrase = re.sub(r"[^\w]+", "-", phrase.casefold()).strip("-")
    title = draft.full_title
    position = title.casefold().find(phrase.casefold())
    words = text.split()
    intro = " ".join(words[: max(1, len(words) // 10)])
    headings = [h.get_text(" ") for h in soup.find_all(["h2", "h3", "h4"])]
    alts = [img.get("alt", "") for img in soup.find_all("img")]
    if draft.featured_image_alt is not None:
        alts.append(draft.featured_image_alt)
    q = {"keyphrase": phrase}
    return [
        Check(
            "keyphrase",
            _("Focus keyphrase"),
            PASS,
            filled(_("Checking against “%(keyphrase)s”."), q),
            3,
        ),
        _check(
            "keyphrase_title",
            _("Keyphrase in SEO title"),
            position >= 0,
            filled(_("“%(keyphrase)s” is in the title."), q),
            filled(_("Add “%(keyphrase)s” to the SEO title."), q),
            weight=3,
        ),
        _check(
            "keyphrase_title_start",
            _("Keyphrase near the title's start"),
            0 <= position <= len(title) // 3,
            filled(_("“%(keyphrase)s” opens the title."), q),
            filled(_("Move “%(keyphrase)s” to the start of the title."), q),
            warn=True,
        ),
        _check(
            "keyphrase_description",
            _("Keyphrase in meta description"),
            contains(draft.description, phrase),
            filled(_("“%(keyphrase)s” is in the description."), q),
            filled(_("Use “%(keyphrase)s” in the meta description."), q),
            weight=2,
        ),
        _check(
            "keyphrase_url",
            _("Keyphrase in URL"),
            slug_phrase in draft.slug,
            filled(_("“%(keyphrase)s” is in the URL."), q),
            filled(_("Put “%(keyphrase)s” in the slug."), q),
            warn=True,
        ),
        _check(
            "keyphrase_intro",
            _("Keyphrase in the introduction"),
            contains(intro, phrase),
            filled(_("“%(keyphrase)s” appears in the first 10%% of the text."), q),
            filled(_("Use “%(keyphrase)s” in the first 10%% of the text."), q),
            weight=2,
        ),
        _check(
            "keyphrase_subheading",
            _("Keyphrase in a subheading"),
            any(contains(h, phrase) for h in headings),
            filled(_("“%(keyphrase)s” is in a subheading."), q),
            filled(_("Use “%(keyphrase)s” in an h2 or h3."), q),
            warn=True,
        ),
        _check(
            "keyphrase_alt",
            _("Keyphrase in an image's alt text"),
            any(contains(alt, phrase) for alt in alts),
            filled(_("An image's alt text mentions “%(keyphrase)s”."), q),
            filled(_("Describe an image with “%(keyphrase)s” where it fits."), q),
            warn=True,
        ),
    ]


def heading_skips(levels: list[int]) -> list[str | Promise]:
    """Return each heading that skips a level; the page's own h1 comes first."""
    skips, previous = [], 1
    for level in levels:
        if level > previous + 1:
            skips.append(
                filled(
                    _("h%(level)s after h%(previous)s"),
                    {"level": level, "previous": previous},
                )
            )
        previous = level
    return skips


def structure_checks(draft: Draft, soup: BeautifulSoup, text: str) -> list[Check]:
    words = len(text.split())
    low, high = BODY_WORDS
    internal, external = link_paths(draft.body, site_url=draft.site_url, soup=soup)
    images = soup.find_all("img")
    without_alt = [img for img in images if not img.get("alt", "").strip()]
    h1s = len(soup.find_all("h1"))
    checks = [
        Check(
            "body_length",
            _("Body length"),
            PASS if words >= high else WARN if words >= low else FAIL,
            filled(
                ngettext_lazy(
                    "%(count)s word (aim for %(aim)s or more).",
                    "%(count)s words (aim for %(aim)s or more).",
                    "count",
                ),
                {"count": words, "aim": high},
            ),
            2,
        ),
        _length_check(
            "title_length", _("SEO title length"), len(draft.full_title), TITLE_LENGTH
        ),
        _length_check(
            "description_length",
            _("Meta description length"),
            len(draft.description),
            DESCRIPTION_LENGTH,
        ),
        _check(
            "internal_links",
            _("Internal links"),
            bool(internal),
            filled(
                ngettext_lazy(
                    "%(count)s link to this site.",
                    "%(count)s links to this site.",
                    "count",
                ),
                {"count": len(internal)},
            ),
            _("Link to related articles on this site."),
            warn=True,
        ),
        _check(
            "external_links",
            _("External links"),
            bool(external),
            filled(
                ngettext_lazy(
                    "%(count)s link to other sites.",
                    "%(count)s links to other sites.",
                    "count",
                ),
                {"count": len(external)},
            ),
            _("Link to your sources."),
            warn=True,
        ),
        _check(
            "image_alt",
            _("Every image has alt text"),
            not without_alt,
            _("Every image is described."),
            filled(
                ngettext_lazy(
                    "%(missing)s of %(count)s image has no alt text.",
                    "%(missing)s of %(count)s images have no alt text.",
                    "count",
                ),
                {"missing": len(without_alt), "count": len(images)},
            ),
        ),
        _check(
            "single_h1",
            _("Exactly one h1"),
            h1s == 0,
            _("The title is the page's only h1."),
            filled(
                ngettext_lazy(
                    "The body adds %(count)s h1 heading; use h2 for sections.",
                    "The body adds %(count)s h1 headings; use h2 for sections.",
                    "count",
                ),
                {"count": h1s},
            ),
        ),
        _check(
            "broken_links",
            _("Internal links reach published articles"),
            not draft.broken_internal_links,
            _("Every internal link works."),
            filled(
                _("Missing or unpublished: %(links)s"),
                {"links": joined(draft.broken_internal_links)},
            ),
            weight=2,
        ),
        _check(
            "unique",
            _("No other article uses the same title, description or keyphrase"),
            not draft.duplicates,
            _("Nothing is duplicated."),
            filled(
                _("Also used by another published article: %(fields)s"),
                {
                    "fields": joined(
                        tuple(DUPLICABLE[name] for name in draft.duplicates)
                    )
                },
            ),
            weight=2,
        ),
    ]
    return checks


def health_checks(draft: Draft, soup: BeautifulSoup) -> list[Check]:
    skips = heading_skips(
        [int(h.name[1]) for h in soup.find_all(["h2", "h3", "h4", "h5", "h6"])]
    )
    list_like = list_like_paragraphs(soup)
    alts = [img.get("alt", "").strip() for img in soup.find_all("img")]
    if draft.featured_image_alt:
        alts.append(draft.featured_image_alt.strip())
    alts = [alt for alt in alts if alt]
    repeated = [alt for alt, n in Counter(alts).items() if n > 1]
    as_title = [alt for alt in alts if alt.casefold() == draft.title.casefold()]
    age = (
        (draft.today - draft.last_reviewed_on).days if draft.last_reviewed_on else None
    )
    return [
        _check(
            "references",
            _("At least one reference"),
            draft.reference_count > 0,
            filled(
                ngettext_lazy("%(count)s reference.", "%(count)s references.", "count"),
                {"count": draft.reference_count},
            ),
            _("Cite the evidence: add a reference."),
            weight=3,
        ),
        _check(
            "reviewer",
            _("Medical reviewer"),
            draft.has_reviewer,
            _("A medical reviewer is named."),
            _("Name a medical reviewer."),
            weight=2,
        ),
        _check(
            "review_fresh",
            _("Recent medical review"),
            age is not None and age <= draft.review_interval_days,
            filled(
                ngettext_lazy(
                    "Reviewed %(days)s day ago.", "Reviewed %(days)s days ago.", "days"
                ),
                {"days": age},
            )
            if age is not None
            else "",
            _("Never reviewed.")
            if age is None
            else filled(
                ngettext_lazy(
                    "Last reviewed %(days)s day ago; a review is due every "
                    "%(interval)s days.",
                    "Last reviewed %(days)s days ago; a review is due every "
                    "%(interval)s days.",
                    "days",
                ),
                {"days": age, "interval": draft.review_interval_days},
            ),
            weight=2,
        ),
        _check(
            "heading_order",
            _("Headings in order"),
            not skips,
            _("No heading level is skipped."),
            filled(_("Skipped levels: %(skips)s"), {"skips": joined(tuple(skips))}),
        ),
        _check(
            "real_lists",
            _("Lists written as lists"),
            len(list_like) < 2,
            _("Lists use list markup."),
            filled(
                ngettext_lazy(
                    "%(count)s paragraph looks like a list item, e.g. "
                    "“%(example)s”; make it a list.",
                    "%(count)s paragraphs look like list items, e.g. "
                    "“%(example)s”; make them a list.",
                    "count",
                ),
                {
                    "count": len(list_like),
                    "example": list_like[0][:60] if list_like else "",
                },
            ),
            warn=True,
        ),
        _check(
            "alt_quality",
            _("Alt text describes each picture"),
            not repeated and not as_title,
            _("Each alt text is its own."),
            filled(
                _("Alt text repeats the title or another image: %(alts)s"),
                {"alts": joined(tuple(dict.fromkeys([*as_title, *repeated])))},
            ),
            warn=True,
        ),
    ]


def parse(html: str) -> BeautifulSoup:
    return BeautifulSoup(html or "", "html.parser")


def analyse(draft: Draft, *, soup: BeautifulSoup | None = None) -> Analysis:
    """Analyse a draft; soup is its body already parsed, when the caller has it."""
    if soup is None:
        soup = parse(draft.body)
    text = " ".join(html_lib.unescape(soup.get_text(" ")).split())
    return Analysis(
        checks=tuple(
            keyphrase_checks(draft, soup, text)
            + structure_checks(draft, soup, text)
            + health_checks(draft, soup)
        )
    )
