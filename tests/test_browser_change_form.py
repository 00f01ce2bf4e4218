"""
The change form in a real browser: the SEO panel follows the typing, an
Author submits with the button, and the publish date speaks the site's
time zone whatever the browser's.
"""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import make_article, make_user
from tests.test_browser import PASSWORD
from tests.test_roles import own_article

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")


def change_page(live_server, article):
    return f"{live_server.url}/admin/articles/article/{article.pk}/change/"


def test_the_seo_panel_follows_what_the_editor_types(live_server, page):
    make_user("Editor", username="eva")
    article = make_article(
        title="Back pain", focus_keyphrases="stretches", status=Article.Status.DRAFT
    )
    sign_in(page, live_server, "eva")
    page.goto(change_page(live_server, article))
    score = page.locator(".seo-panel__score strong")
    expect(score).to_have_text(re.compile(r"^\d+$"))
    before = score.inner_text()
    title_check = page.locator(".seo-check[data-key=keyphrase_title]")
    expect(title_check).not_to_have_class(re.compile("seo-check--pass"))

    page.fill("#id_title", "Stretches for back pain")

    expect(title_check).to_have_class(re.compile("seo-check--pass"))
    expect(score).not_to_have_text(before)
    page.fill("#id_focus_keyphrases", "back pain")
    page.fill("#id_meta_description", "Five gentle moves that ease back pain.")
    expect(page.locator(".seo-check[data-key=keyphrase_description]")).to_have_class(
        re.compile("seo-check--pass")
    )
    subheading = page.locator(".seo-check[data-key=keyphrase_subheading]")
    expect(subheading).not_to_have_class(re.compile("seo-check--pass"))
    editor = page.locator(
        ".prose-editor:has(#id_body) .ProseMirror[contenteditable=true]"
    )
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("## Moves for back pain")
    expect(subheading).to_have_class(re.compile("seo-check--pass"))
    # Analysed, never saved.
    assert Article.objects.get(pk=article.pk).title == "Back pain"


def test_an_author_submits_a_draft_for_review_with_the_button(live_server, page):
    writer = make_user("Author", username="ana")
    make_user("Editor")
    article = own_article(writer, title="Knee pain")
    sign_in(page, live_server, "ana")
    page.goto(change_page(live_server, article))
    buttons = page.locator(".publishing-buttons").first.locator("input[type=submit]")
    assert buttons.evaluate_all("inputs => inputs.map(input => input.value)") == [
        "Save draft",
        "Submit for review",
        "Preview",
    ]

    page.fill("#id_title", "Knee pain when climbing stairs")
    with page.expect_navigation():
        page.locator("input[name=_submit_review]").last.click()

    expect(page.locator(".messagelist .success")).to_have_text(
        "“Knee pain when climbing stairs” is sent for review to the editors."
    )
    article.refresh_from_db()
    assert article.status == Article.Status.PENDING
    assert article.title == "Knee pain when climbing stairs"
    expect(page.locator("input[name=_submit_review]")).to_have_count(0)
    expect(page.locator("input[name=_update]").first).to_be_visible()


def test_the_publish_date_is_the_sites_time_and_a_future_one_schedules(
    live_server, browser, settings
):
    settings.TIME_ZONE = "Europe/Amsterdam"
    make_user("Editor", username="eva")
    article = make_article(status=Article.Status.DRAFT)
    context = browser.new_context(timezone_id="America/New_York")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, "eva")
    page.goto(change_page(live_server, article))

    # Django's calendar and clock shortcuts ran, which add the note.
    expect(page.locator(".field-published_at .datetimeshortcuts").first).to_be_visible()
    note = page.locator(".field-published_at .timezonewarning")
    expect(note).to_have_count(1)
    expect(note).to_be_hidden()
    expect(
        page.locator(".field-published_at .help:not(.timezonewarning)")
    ).to_contain_text("Times are the site’s, Europe/Amsterdam, wherever you are.")
    publish = page.locator("input[name=_publish]")
    expect(publish.first).to_have_value("Publish")
    page.fill("#id_published_at_0", "2030-12-03")
    expect(publish.first).to_have_value("Schedule")
    expect(publish.last).to_have_value("Schedule")
    context.close()
