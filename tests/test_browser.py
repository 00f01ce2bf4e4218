"""
The editor is JavaScript, so one test drives it in a real browser: Debian's
Chromium through Playwright, headless.
"""

import contextlib
import io
import re

import pytest
from django.core.files.base import ContentFile
from PIL import Image as PillowImage
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from articles.models import Article, Autosave, Image
from tests.factories import make_article, make_category, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "correct-horse-battery"


def policy_violations(page):
    """What the browser refuses under the Content-Security-Policy, as it reports it."""
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return refused


def library_image():
    buffer = io.BytesIO()
    PillowImage.new("RGB", (800, 533), (120, 160, 200)).save(buffer, format="WEBP")
    image = Image(
        title="Stretching",
        alt_text="A woman stretching her lower back",
        width=800,
        height=533,
    )
    image.file.save("stretching.webp", ContentFile(buffer.getvalue()), save=False)
    image.save()
    return image


def test_editor_writes_and_publishes_an_article_that_readers_then_see(
    live_server, page, browser
):
    make_user("Editor", username="eva")
    make_category(name="Back pain", slug="back-pain")
    image = library_image()
    refused = policy_violations(page)

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "eva")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/articles/article/add/")

    page.fill("#id_title", "Stretches for back spasms")
    body = page.locator(".prose-editor:has(#id_body)")
    editor = body.locator(".ProseMirror[contenteditable=true]")
    editor.click()
    # Tiptap's input rules: "## " starts a heading and "- " a bulleted list.
    page.keyboard.type("## Gentle stretches")
    page.keyboard.press("Enter")
    page.keyboard.type("- Knee to chest")
    page.keyboard.press("Enter")
    page.keyboard.type("Pelvic tilt")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("Read the guidance")
    page.keyboard.press("Enter")

    body.locator("button.material-icons", has_text=re.compile(r"^image$")).click()
    with page.expect_popup() as popup_info:
        page.locator("dialog button", has_text="Browse").click()
    picker = popup_info.value
    picker.wait_for_load_state()  # Its script, which answers the click, has run.
    # The picker closes itself on the choice, sometimes before the click returns.
    with picker.expect_event("close"), contextlib.suppress(PlaywrightError):
        picker.locator(f".image-picker__choice[data-id='{image.pk}']").click(
            no_wait_after=True
        )
    # The picker fills the dialog from its own window: wait for it under load.
    expect(page.locator("dialog input[name=imageUrl]")).not_to_have_value("")
    page.locator("dialog button[type=submit]").click()
    expect(page.locator("#id_body")).to_have_value(
        re.compile(f'data-file="{image.pk}"')
    )

    editor.locator("p", has_text="Read the guidance").click()
    page.keyboard.press("End")
    for _ in range(len("guidance")):
        page.keyboard.press("Shift+ArrowLeft")
    body.locator("button[title='insert link']").click()
    page.fill("dialog input[name=href]", "https://www.nhs.uk/conditions/back-pain/")
    page.locator("dialog button[type=submit]").click()
    expect(page.locator("#id_body")).to_have_value(re.compile("guidance</a>"))

    page.click("text=Add another FAQ item")
    page.fill("#id_faq_items-0-question", "How long should I hold a stretch?")
    page.locator(
        ".prose-editor:has(#id_faq_items-0-answer) .ProseMirror[contenteditable=true]"
    ).click()
    page.keyboard.type("About thirty seconds.")

    page.click(".field-primary_category .select2-selection")
    page.fill(".select2-container--open .select2-search__field", "Back")
    page.click(".select2-results__option >> text=Back pain")
    with page.expect_navigation():
        page.locator("input[name=_publish]").first.click()
    assert page.locator(".messagelist .success").count() == 1

    article = Article.objects.get(slug="stretches-for-back-spasms")
    assert article.is_published
    assert '<h2 id="gentle-stretches">Gentle stretches</h2>' in article.body
    assert (
        "<ul><li><p>Knee to chest</p></li><li><p>Pelvic tilt</p></li></ul>"
        in article.body
    )
    assert (
        '<a href="https://www.nhs.uk/conditions/back-pain/">guidance</a>'
        in article.body
    )
    assert f'data-file="{image.pk}"' in article.body

    reader = browser.new_context().new_page()
    reader.goto(f"{live_server.url}/en/back-pain/stretches-for-back-spasms/")
    assert reader.locator("h1").inner_text() == "Stretches for back spasms"
    assert (
        reader.locator(".prose h2#gentle-stretches").inner_text() == "Gentle stretches"
    )
    assert reader.locator(".prose li").all_inner_texts() == [
        "Knee to chest",
        "Pelvic tilt",
    ]
    link = reader.locator(".prose a", has_text="guidance")
    assert link.get_attribute("href") == "https://www.nhs.uk/conditions/back-pain/"
    assert link.get_attribute("rel") == "noopener"
    picture = reader.locator(".prose img")
    assert picture.get_attribute("alt") == "A woman stretching her lower back"
    assert picture.get_attribute("width") == "800"
    assert picture.evaluate("img => img.complete && img.naturalWidth") == 800
    reader.locator("summary", has_text="How long should I hold a stretch?").click()
    assert (
        reader.locator(".faq details[open] .prose").inner_text()
        == "About thirty seconds."
    )
    reader.context.close()

    # Typing in the change form is kept by autosave.js within a few seconds.
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.fill("#id_title", "Stretches for back spasms, revised")
    page.wait_for_timeout(6500)
    kept = Autosave.objects.get(article=article)
    assert kept.form_data["title"] == ["Stretches for back spasms, revised"]
    assert Article.objects.get(pk=article.pk).title == "Stretches for back spasms"
    # The editor, its import map and the admin's scripts ran under a policy
    # without 'unsafe-inline'.
    assert refused == []


def test_a_clicked_video_player_is_allowed_by_the_policy(live_server, page):
    article = make_article(
        body='<figure data-embed="youtube:dQw4w9WgXcQ">'
        '<a href="https://youtu.be/dQw4w9WgXcQ">Watch the video</a></figure>'
    )
    refused = policy_violations(page)
    # No network here: answer the player's request so the frame can load.
    page.route(
        "https://www.youtube-nocookie.com/**",
        lambda route: route.fulfill(body="<p>player</p>", content_type="text/html"),
    )

    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    page.click("text=Watch the video")

    player = page.frame_locator("figure.video-embed iframe")
    expect(player.locator("p")).to_have_text("player")
    assert refused == []


def test_editor_finds_the_dutch_text_by_its_title_and_links_it(live_server, page):
    make_user("Editor", username="eva")
    english = make_article(title="Back pain", slug="back-pain")
    dutch = make_article(title="Rugpijn", slug="rugpijn", language="nl")
    make_article(title="Rugpijn bij kinderen", slug="kinderen", language="nl")
    refused = policy_violations(page)

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "eva")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    change_url = f"{live_server.url}/admin/articles/article/{english.pk}/change/"
    page.goto(change_url)
    search = page.locator("#id_translation_search")
    collapsed = page.locator(
        "details:not([open]):has(#id_translation_search) > summary"
    )
    if collapsed.count():
        collapsed.click()

    search.press_sequentially("rugpijn")
    options = page.locator("#id_translation_search-results [role=option]")
    expect(options).to_have_count(2)
    expect(options.first).to_have_text("Rugpijn (Dutch, Published)")
    search.press("ArrowDown")
    search.press("Enter")

    expect(page.locator("#id_translation_id")).to_have_value(str(dutch.pk))
    expect(search).to_have_value("Rugpijn (Dutch, Published)")
    assert page.url == change_url  # Enter chose; it did not save the form.
    page.click("button[name=_link_translation]")
    expect(page.locator(".messagelist")).to_contain_text(
        "“Rugpijn” is linked as a translation of “Back pain”."
    )
    dutch.refresh_from_db()
    assert dutch.translation_key == english.translation_key
    assert refused == []
