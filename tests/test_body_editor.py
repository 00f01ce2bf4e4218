"""
The body editor's own blocks, driven in Chromium: pictures from the library,
videos and callouts, as an editor places them.
"""

import contextlib
import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import make_article, make_category, make_user
from tests.test_browser import PASSWORD, library_image, policy_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def sign_in(page, live_server):
    make_user("Editor", username="eva")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "eva")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def open_new_article(page, live_server):
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    body = page.locator(".prose-editor:has(#id_body)")
    return body, body.locator(".ProseMirror[contenteditable=true]")


def test_typing_after_a_picture_from_the_library_continues_below_it(live_server, page):
    image = library_image()
    body, editor = open_new_article(page, live_server)
    editor.click()
    page.keyboard.type("Before the picture")

    body.locator("button.material-icons", has_text=re.compile(r"^image$")).click()
    with page.expect_popup() as popup_info:
        page.locator("dialog button", has_text="Browse").click()
    picker = popup_info.value
    picker.wait_for_load_state()
    with picker.expect_event("close"), contextlib.suppress(PlaywrightError):
        picker.locator(f".image-picker__choice[data-id='{image.pk}']").click(
            no_wait_after=True
        )
    expect(page.locator("dialog input[name=imageUrl]")).not_to_have_value("")
    page.fill("dialog input[name=caption]", "Knee to chest")
    page.locator("dialog button[type=submit]").click()
    expect(page.locator("#id_body")).to_have_value(
        re.compile(f'data-file="{image.pk}"')
    )
    page.keyboard.type("After the picture")

    expect(page.locator("#id_body")).to_have_value(
        re.compile(r"Knee to chest</figcaption></figure><p>After the picture</p>$")
    )


def test_the_editing_surface_checks_spelling(live_server, page):
    _body, editor = open_new_article(page, live_server)
    expect(editor).to_have_attribute("spellcheck", "true")


def test_editor_writes_an_article_with_a_video_and_a_callout_that_readers_then_see(
    live_server, page, browser
):
    make_category(name="Back pain", slug="back-pain")
    refused = policy_violations(page)
    body, editor = open_new_article(page, live_server)
    page.fill("#id_title", "Stretches for back spasms")
    editor.click()
    page.keyboard.type("Stretch gently every morning.")

    body.locator("button[title='Insert a YouTube or Vimeo video']").click()
    dialog = page.locator("dialog[open]")
    dialog.locator("input[name=url]").fill("https://example.org/stretching.mp4")
    dialog.locator("input[name=title]").fill("Five gentle stretches")
    dialog.locator("button[type=submit]").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Only YouTube and Vimeo")
    dialog.locator("input[name=url]").fill("https://youtu.be/dQw4w9WgXcQ")
    dialog.locator("input[name=caption]").fill("A physiotherapist shows each one.")
    dialog.locator("button[type=submit]").click()
    expect(page.locator("dialog[open]")).to_have_count(0)
    page.keyboard.type("See a doctor if the pain spreads down a leg.")

    body.locator("button[title^='Callout']").click()
    page.locator("dialog[open] select[name=kind]").select_option("When to see a doctor")
    page.locator("dialog[open] button[type=submit]").click()
    expect(page.locator("#id_body")).to_have_value(
        re.compile('<aside class="callout callout-doctor">')
    )

    page.click(".field-primary_category .select2-selection")
    page.fill(".select2-container--open .select2-search__field", "Back")
    page.click(".select2-results__option >> text=Back pain")
    with page.expect_navigation():
        page.locator("input[name=_publish]").first.click()
    assert page.locator(".messagelist .success").count() == 1

    article = Article.objects.get(slug="stretches-for-back-spasms")
    assert article.body == (
        "<p>Stretch gently every morning.</p>"
        '<figure data-embed="youtube:dQw4w9WgXcQ">'
        '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">Five gentle stretches</a>'
        "<figcaption>A physiotherapist shows each one.</figcaption></figure>"
        '<aside class="callout callout-doctor">'
        "<p>See a doctor if the pain spreads down a leg.</p></aside>"
    )

    reader = browser.new_context().new_page()
    reader_refused = policy_violations(reader)
    reader.route(
        "https://www.youtube-nocookie.com/**",
        lambda route: route.fulfill(body="<p>player</p>", content_type="text/html"),
    )
    reader.goto(f"{live_server.url}/en/back-pain/stretches-for-back-spasms/")
    callout = reader.get_by_role("note")
    expect(callout.locator(".callout__label")).to_have_text("When to see a doctor")
    expect(callout).to_contain_text("See a doctor if the pain spreads down a leg.")
    expect(reader.locator("iframe")).to_have_count(0)
    reader.click("text=Five gentle stretches")
    player = reader.frame_locator("figure.video-embed iframe")
    expect(player.locator("p")).to_have_text("player")
    reader.context.close()
    # The editor's modules, its question to the server and the player ran
    # under the admin's and the readers' policies.
    assert refused == reader_refused == []


def test_an_imported_video_survives_a_save_from_the_editor(live_server, page):
    stored = (
        '<figure data-embed="vimeo:76979871">'
        '<a href="https://vimeo.com/76979871">Watch the video on Vimeo</a>'
        "<figcaption>The <em>new</em> player</figcaption></figure>"
        '<aside class="callout callout-warning"><p>Stop if it hurts.</p></aside>'
    )
    article = make_article(body=stored)
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    body = page.locator(".prose-editor:has(#id_body)")
    body.locator(".ProseMirror aside.callout").click()
    page.keyboard.press("End")
    page.keyboard.type(" Then rest.")
    expect(page.locator("#id_body")).to_have_value(re.compile("Then rest."))
    with page.expect_navigation():
        page.locator("input[name=_update]").first.click()
    assert page.locator(".messagelist .success").count() == 1

    article.refresh_from_db()
    assert article.body == stored.replace("hurts.", "hurts. Then rest.")


def test_a_callout_changes_its_kind_and_is_removed_as_a_whole(live_server, page):
    article = make_article(
        body='<aside class="callout callout-warning">'
        "<p>Stop if it hurts.</p><p>Rest a day.</p></aside><p>Then walk.</p>"
    )
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    body = page.locator(".prose-editor:has(#id_body)")
    body.locator(".ProseMirror aside.callout p", has_text="Rest a day.").click()

    body.locator("button[title^='Callout']").click()
    kind = page.locator("dialog[open] select[name=kind]")
    expect(kind).to_have_value("Warning")
    kind.select_option("Note")
    page.locator("dialog[open] button[type=submit]").click()
    expect(page.locator("#id_body")).to_have_value(
        re.compile('^<aside class="callout callout-note">')
    )

    body.locator("button[title^='Callout']").click()
    page.locator("dialog[open] button", has_text="Remove the callout").click()
    expect(page.locator("#id_body")).to_have_value(
        "<p>Stop if it hurts.</p><p>Rest a day.</p><p>Then walk.</p>"
    )
