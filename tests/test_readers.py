"""
Readers on phones, screen readers and paper, measured in a real browser:
axe-core finds no violation on the readers' pages at a phone's and a
desktop's size, the article works from the keyboard alone, and it prints
with its references' addresses and without the site's navigation.

Screenshots of every page at both sizes are saved under artifacts/ (ignored
by git) for a person to look at; the test prints where.
"""

import io
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from pypdf import PdfReader

from articles.models import Article, FAQItem, Reference
from tests.factories import make_article, make_category

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
VIEWPORTS = {"phone": (390, 844), "desktop": (1280, 800)}
SEED = "/en/beauty/back-spasm-remedy/"


def dutch_article():
    article = make_article(
        language="nl",
        title="Rugkrampen: wat helpt thuis",
        slug="rugkrampen",
        primary_category=make_category(name="Rug", slug="rug"),
        body='<h2 id="oorzaken">Oorzaken</h2><p>Een kramp komt vaak door overbelasting.</p>'
        '<aside class="callout callout-doctor"><p>Bel de huisarts bij koorts.</p></aside>',
    )
    FAQItem.objects.create(
        article=article,
        question="Hoe lang duurt een rugkramp?",
        answer="<p>Meestal een paar dagen.</p>",
        order=1,
    )
    Reference.objects.create(
        article=article,
        title="Lage rugpijn",
        url="https://www.thuisarts.nl/lage-rugpijn",
        order=1,
    )
    return article


@pytest.fixture
def site():
    """The demo site of `make run`, and a Dutch article beside it."""
    call_command("load_demo", stdout=io.StringIO())
    return {
        "home": "/en/",
        "article": SEED,
        "category": "/en/beauty/",
        "page": "/en/about-us/",
        "search": "/en/search/?q=back+spasm",
        "dutch-article": dutch_article().get_absolute_url(),
        "not-found": "/en/no-such-page/",
    }


def describe(violations):
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in violations
    ]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_axe_finds_no_violation_on_the_readers_pages(
    live_server, browser, site, viewport
):
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15_000)
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    axe = Axe()
    found = {}
    try:
        for name, path in site.items():
            response = page.goto(live_server.url + path)
            assert response.status == (404 if name == "not-found" else 200), path
            page.screenshot(path=folder / f"{name}-{viewport}.png", full_page=True)
            results = axe.run(page).response
            assert results["passes"], "axe-core checked nothing"
            violations = results["violations"]
            if violations:
                found[path] = describe(violations)
    finally:
        context.close()
    print(f"\nScreenshots ({viewport}): {folder}")

    assert found == {}


def test_the_article_works_from_the_keyboard_alone(live_server, page, seed_article):
    article = Article.objects.get(pk=seed_article.pk)
    page.goto(live_server.url + article.get_absolute_url())

    # The first Tab reaches the skip link, which moves focus to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#content"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")

    # A table of contents link moves focus to its section.
    first_entry = page.locator(".toc a").first
    target = first_entry.get_attribute("href")
    tab_to(page, ".toc a")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == target
    # The section is shown at the top, and focus navigation starts there: the
    # next Tab goes on from the section, not from the table of contents.
    top = page.evaluate(
        f"document.querySelector({target!r}).getBoundingClientRect().top"
    )
    assert 0 <= top < 100
    page.keyboard.press("Tab")
    assert page.evaluate(
        f"""document.querySelector({target!r}).compareDocumentPosition(document.activeElement)
            & Node.DOCUMENT_POSITION_FOLLOWING"""
    )

    # An FAQ question opens with Enter.
    tab_to(page, ".faq summary")
    assert page.evaluate("document.activeElement.parentElement.open") is False
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.parentElement.open") is True

    # The references' links are reached by Tab.
    tab_to(page, ".references a")
    assert page.evaluate("document.activeElement.href").startswith("http")


def tab_to(page, selector, *, limit=400):
    """Press Tab until the focus is on an element matching selector."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_printed_article_has_its_references_addresses_and_no_menu(
    live_server, browser
):
    call_command("load_demo", stdout=io.StringIO())
    article = Article.objects.get(slug="back-spasm-remedy")
    context = browser.new_context()
    page = context.new_page()
    page.goto(live_server.url + article.get_absolute_url())
    reference_urls = page.locator(".references a").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    menu = page.locator(".site-nav a").all_inner_texts()
    footer = page.locator(".site-footer").inner_text()
    pdf = page.pdf(format="A4")
    context.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "article.pdf").write_bytes(pdf)
    print(f"\nPrinted article: {ARTIFACTS / 'article.pdf'}")

    text = "".join(
        page_text.extract_text() for page_text in PdfReader(io.BytesIO(pdf)).pages
    )
    flat = re.sub(r"\s+", "", text)

    assert article.title.split(":")[0] in text
    assert article.author.display_name in text
    assert article.reviewer.display_name in text
    assert "Published" in text and "Medically reviewed by" in text
    assert reference_urls
    for url in reference_urls:
        # A long address wraps over lines on paper.
        assert re.sub(r"\s+", "", url) in flat, url
    assert f"{article.get_absolute_url()}" in flat
    assert menu and not any(f"\n{label}\n" in f"\n{text}\n" for label in menu)
    assert "Search articles" not in text
    assert footer.split(".")[0] not in text


def test_no_page_scrolls_sideways_on_a_320_pixel_phone(live_server, browser, site):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    wide = {}
    try:
        for path in site.values():
            page.goto(live_server.url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 320:
                wide[path] = width
    finally:
        context.close()

    assert wide == {}


def test_the_article_is_shared_without_loading_anything_from_elsewhere(
    live_server, page, site
):
    external = []
    page.on(
        "request",
        lambda request: (
            external.append(request.url)
            if not request.url.startswith(live_server.url)
            else None
        ),
    )
    page.goto(live_server.url + SEED)
    share = page.locator("aside.share")

    assert share.locator('a[href^="mailto:"]').count() == 1
    assert share.locator('a[href^="https://wa.me/"]').count() == 1
    assert share.locator("button.share__copy").is_visible()
    assert external == []
