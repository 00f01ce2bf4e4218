"""
The image library's scripts in a real browser (Debian's Chromium through
Playwright, headless): files dropped on the library page, an upload from
inside the picker, and the featured image's thumbnail following the choice.
"""

import base64
import contextlib
import re

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from articles import publishing
from articles.models import Image
from tests.factories import make_article, make_user
from tests.images import photo_bytes
from tests.test_browser import PASSWORD, policy_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

DROP_FILES = """(zone, files) => {
    const transfer = new DataTransfer()
    for (const [name, type, data] of files) {
        const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0))
        transfer.items.add(new File([bytes], name, { type }))
    }
    for (const kind of ["dragenter", "dragover", "drop"]) {
        zone.dispatchEvent(
            new DragEvent(kind, { dataTransfer: transfer, bubbles: true, cancelable: true })
        )
    }
}"""


def log_in(page, live_server):
    make_user("Editor", username="eva")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "eva")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")


def encoded(data):
    return base64.b64encode(data).decode()


def library_image(title, alt_text):
    image = Image(title=title, alt_text=alt_text)
    image.file = ContentFile(photo_bytes(900, 600), name=f"{title}.jpg")
    publishing.save_image(image, user=None, new_file=True, focal_point_moved=False)
    return image


def test_two_files_dropped_on_the_library_page_are_both_uploaded(live_server, page):
    refused = policy_violations(page)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/image/")
    zone = page.locator(".image-upload")

    with page.expect_navigation():
        zone.evaluate(
            DROP_FILES,
            [
                ["knee-to-chest.jpg", "image/jpeg", encoded(photo_bytes(900, 600))],
                [
                    "pelvic_tilt.png",
                    "image/png",
                    encoded(photo_bytes(640, 480, fmt="PNG")),
                ],
            ],
        )

    expect(page.locator(".messagelist .success")).to_have_text(
        "Uploaded 2 images: “knee to chest”, “pelvic tilt”"
    )
    assert sorted(Image.objects.values_list("title", flat=True)) == [
        "knee to chest",
        "pelvic tilt",
    ]
    tiles = page.locator(".image-library__tile")
    expect(tiles).to_have_count(2)
    for tile in tiles.all():
        expect(tile.locator("img.image-thumbnail")).to_have_attribute(
            "src", re.compile(r"^/media/renditions/")
        )
    assert refused == []


def test_a_dropped_file_that_is_no_image_is_named_and_the_other_is_saved(
    live_server, page
):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/image/")

    with page.expect_navigation():
        page.locator(".image-upload").evaluate(
            DROP_FILES,
            [
                ["notes.jpg", "image/jpeg", encoded(b"Not a picture at all")],
                ["knee.jpg", "image/jpeg", encoded(photo_bytes(900, 600))],
            ],
        )

    expect(page.locator(".messagelist .error")).to_have_text(
        re.compile(r"^“notes\.jpg” was not uploaded: ")
    )
    expect(page.locator(".messagelist .success")).to_have_text(
        "Uploaded 1 image: “knee”"
    )
    assert list(Image.objects.values_list("title", flat=True)) == ["knee"]


def test_editor_uploads_an_image_inside_the_picker_and_places_it(live_server, page):
    refused = policy_violations(page)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    body = page.locator(".prose-editor:has(#id_body)")
    body.locator(".ProseMirror[contenteditable=true]").click()
    body.locator("button.material-icons", has_text=re.compile(r"^image$")).click()
    with page.expect_popup() as popup_info:
        page.locator("dialog button", has_text="Browse").click()
    picker = popup_info.value
    picker.wait_for_load_state()

    picker.set_input_files(
        "#image-upload-files",
        files=[
            {
                "name": "knee-brace.jpg",
                "mimeType": "image/jpeg",
                "buffer": photo_bytes(900, 600),
            }
        ],
    )
    with picker.expect_navigation():
        picker.locator(".image-upload button[type=submit]").click()
    image = Image.objects.get(title="knee brace")
    choice = picker.locator(f".image-picker__choice[data-id='{image.pk}']")
    expect(choice).to_be_focused()
    expect(choice).to_contain_text("Just uploaded")
    picker.wait_for_load_state()  # Its script, which answers the click, has run.
    # The picker closes itself on the choice, sometimes before the click returns.
    with picker.expect_event("close"), contextlib.suppress(PlaywrightError):
        choice.click(no_wait_after=True)

    expect(page.locator("dialog input[name=imageUrl]")).to_have_value(
        re.compile(re.escape(image.file.url) + "$")
    )
    page.locator("dialog button[type=submit]").click()
    expect(page.locator("#id_body")).to_have_value(
        re.compile(f'data-file="{image.pk}"')
    )
    assert refused == []


def test_featured_image_thumbnail_follows_the_choice(live_server, page):
    first = library_image("Knee brace", "A knee brace")
    second = library_image("Lumbar roll", "A lumbar roll on a chair")
    article = make_article(featured_image=first)
    refused = policy_violations(page)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    preview = page.locator(".field-featured_image .image-choice__preview img")
    expect(preview).to_have_attribute("alt", "A knee brace")

    page.click(".field-featured_image .select2-selection")
    page.fill(".select2-container--open .select2-search__field", "Lumbar")
    page.click(".select2-results__option >> text=Lumbar roll")

    expect(preview).to_have_attribute("alt", "A lumbar roll on a chair")
    rendition_names = {r.file.name for r in second.renditions.all()}
    source = preview.get_attribute("src").removeprefix("/media/")
    assert source in rendition_names
    assert refused == []
