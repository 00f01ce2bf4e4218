"""
The SEO analysis editors see on the article form: a score out of 100 and
pass / warn / fail checks, the ones Rank Math and Yoast sell plus health
checks for "Your Money or Your Life" content.

Pure: analyse() takes a Draft (plain values, gathered by
articles.seo_scoring) and returns an Analysis. No Django, no queries.
"""

from __future__ import annotations

import html as html_lib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

PASS, WARN, FAIL = "pass", "warn", "fail"
CREDIT = {PASS: 1.0, WARN: 0.5, FAIL: 0.0}

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


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    status: str
    message: str
    weight: int = 1


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
    # article, and fields another published article already uses.
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


def _check(
    key: str, label: str, ok: bool, good: str, bad: str, *, warn=False, weight=1
):
    status = PASS if ok else (WARN if warn else FAIL)
    return Check(key, label, status, good if ok else bad, weight)


def _length_check(key, label, length, bounds, *, empty_fails=True):
    low, high = bounds
    if length == 0 and empty_fails:
        return Check(key, label, FAIL, "Empty.")
    if low <= length <= high:
        return Check(key, label, PASS, f"{length} characters, within {low}–{high}.")
    where = "short" if length < low else "long: search results cut it off"
    return Check(key, label, WARN, f"{length} characters, too {where} ({low}–{high}).")


def keyphrase_checks(draft: Draft, soup: BeautifulSoup, text: str) -> list[Check]:
    if not draft.keyphrases:
        return [
            Check(
                "keyphrase",
                "Focus keyphrase",
                FAIL,
                "Set a focus keyphrase to check the page against it.",
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
    q = f"“{phrase}”"
    return [
        Check("keyphrase", "Focus keyphrase", PASS, f"Checking against {q}.", 3),
        _check(
            "keyphrase_title",
            "Keyphrase in SEO title",
            position >= 0,
            f"{q} is in the title.",
            f"Add {q} to the SEO title.",
            weight=3,
        ),
        _check(
            "keyphrase_title_start",
            "Keyphrase near the title's start",
            0 <= position <= len(title) // 3,
            f"{q} opens the title.",
            f"Move {q} to the start of the title.",
            warn=True,
        ),
        _check(
            "keyphrase_description",
            "Keyphrase in meta description",
            contains(draft.description, phrase),
            f"{q} is in the description.",
            f"Use {q} in the meta description.",
            weight=2,
        ),
        _check(
            "keyphrase_url",
            "Keyphrase in URL",
            slug_phrase in draft.slug,
            f"{q} is in the URL.",
            f"Put {q} in the slug.",
            warn=True,
        ),
        _check(
            "keyphrase_intro",
            "Keyphrase in the introduction",
            contains(intro, phrase),
            f"{q} appears in the first 10% of the text.",
            f"Use {q} in the first 10% of the text.",
            weight=2,
        ),
        _check(
            "keyphrase_subheading",
            "Keyphrase in a subheading",
            any(contains(h, phrase) for h in headings),
            f"{q} is in a subheading.",
            f"Use {q} in an h2 or h3.",
            warn=True,
        ),
        _check(
            "keyphrase_alt",
            "Keyphrase in an image's alt text",
            any(contains(alt, phrase) for alt in alts),
            f"An image's alt text mentions {q}.",
            f"Describe an image with {q} where it fits.",
            warn=True,
        ),
    ]


def heading_skips(levels: list[int]) -> list[str]:
    """Return each heading that skips a level; the page's own h1 comes first."""
    skips, previous = [], 1
    for level in levels:
        if level > previous + 1:
            skips.append(f"h{level} after h{previous}")
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
            "Body length",
            PASS if words >= high else WARN if words >= low else FAIL,
            f"{words} words (aim for {high} or more).",
            2,
        ),
        _length_check(
            "title_length", "SEO title length", len(draft.full_title), TITLE_LENGTH
        ),
        _length_check(
            "description_length",
            "Meta description length",
            len(draft.description),
            DESCRIPTION_LENGTH,
        ),
        _check(
            "internal_links",
            "Internal links",
            bool(internal),
            f"{len(internal)} links to this site.",
            "Link to related articles on this site.",
            warn=True,
        ),
        _check(
            "external_links",
            "External links",
            bool(external),
            f"{len(external)} links to other sites.",
            "Link to your sources.",
            warn=True,
        ),
        _check(
            "image_alt",
            "Every image has alt text",
            not without_alt,
            "Every image is described.",
            f"{len(without_alt)} of {len(images)} images have no alt text.",
        ),
        _check(
            "single_h1",
            "Exactly one h1",
            h1s == 0,
            "The title is the page's only h1.",
            f"The body adds {h1s} h1; use h2 for sections.",
        ),
        _check(
            "broken_links",
            "Internal links reach published articles",
            not draft.broken_internal_links,
            "Every internal link works.",
            "Missing or unpublished: " + ", ".join(draft.broken_internal_links),
            weight=2,
        ),
        _check(
            "unique",
            "No other article uses the same title, description or keyphrase",
            not draft.duplicates,
            "Nothing is duplicated.",
            "Also used by another published article: " + ", ".join(draft.duplicates),
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
            "At least one reference",
            draft.reference_count > 0,
            f"{draft.reference_count} references.",
            "Cite the evidence: add a reference.",
            weight=3,
        ),
        _check(
            "reviewer",
            "Medical reviewer",
            draft.has_reviewer,
            "A medical reviewer is named.",
            "Name a medical reviewer.",
            weight=2,
        ),
        _check(
            "review_fresh",
            "Recent medical review",
            age is not None and age <= draft.review_interval_days,
            f"Reviewed {age} days ago." if age is not None else "",
            "Never reviewed."
            if age is None
            else f"Last reviewed {age} days ago, more than "
            f"{draft.review_interval_days}.",
            weight=2,
        ),
        _check(
            "heading_order",
            "Headings in order",
            not skips,
            "No heading level is skipped.",
            "Skipped levels: " + ", ".join(skips),
        ),
        _check(
            "real_lists",
            "Lists written as lists",
            len(list_like) < 2,
            "Lists use list markup.",
            f"{len(list_like)} paragraphs look like list items, e.g. “{list_like[0][:60] if list_like else ''}”; make them a list.",
            warn=True,
        ),
        _check(
            "alt_quality",
            "Alt text describes each picture",
            not repeated and not as_title,
            "Each alt text is its own.",
            "Alt text repeats the title or another image: "
            + ", ".join(dict.fromkeys([*as_title, *repeated])),
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
