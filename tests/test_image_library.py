"""
The image library in the admin: a grid of small copies (never the uploaded
original), uploads of many files at once that name each refused file, the
picker's own upload, and the thumbnail of a chosen featured image.
"""

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import publishing
from articles.models import AuditEntry, Image
from tests.factories import make_article, make_image, make_user
from tests.images import bomb_bytes, photo_bytes
from tests.test_media_failures import RefusingStorage
from tests.test_renditions import stored_files

pytestmark = pytest.mark.django_db

LIBRARY = reverse("admin:articles_image_changelist")
UPLOAD = reverse("admin:articles_image_upload")
PICKER = reverse("admin:articles_image_picker")
THUMBNAIL = reverse("admin:articles_image_thumbnail")


def jpeg(name, width=900, height=600):
    return SimpleUploadedFile(name, photo_bytes(width, height), "image/jpeg")


def png(name):
    return SimpleUploadedFile(name, photo_bytes(640, 480, fmt="PNG"), "image/png")


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def uploaded_image(name="knee.jpg", **fields):
    """An image uploaded through the publishing service, as the admin does."""
    image = Image(title=name, **fields)
    image.file = ContentFile(photo_bytes(900, 600), name=name)
    publishing.save_image(image, user=None, new_file=True, focal_point_moved=False)
    return image


def image_sources(html):
    return [
        part.split('"', 1)[0]
        for part in html.split('<img class="image-thumbnail" src="')[1:]
    ]


# Uploading many files at once


def test_good_files_are_saved_and_each_refused_file_is_named_with_its_reason(
    editor_client, settings
):
    settings.IMAGE_UPLOAD_MAX_BYTES = 1024 * 1024
    files = [
        jpeg("knee-to_chest.jpg"),
        SimpleUploadedFile("notes.txt", b"Not a picture at all", "text/plain"),
        SimpleUploadedFile("bomb.png", bomb_bytes(), "image/png"),
        SimpleUploadedFile("huge.jpg", b"\xff" * 1_600_000, "image/jpeg"),
        png("pelvic-tilt.png"),
    ]

    response = editor_client.post(UPLOAD, {"files": files})

    assert response.status_code == 302
    assert response["Location"] == LIBRARY
    assert sorted(Image.objects.values_list("title", flat=True)) == [
        "knee to chest",
        "pelvic tilt",
    ]
    said = messages_of(response)
    assert "Uploaded 2 images: “knee to chest”, “pelvic tilt”" in said
    refused = [message for message in said if "was not uploaded" in message]
    assert refused == [
        "“notes.txt” was not uploaded: This file is not an image. Upload a JPEG, "
        "PNG, GIF, WebP or AVIF file.",
        "“bomb.png” was not uploaded: This image has too many pixels: at most 50 "
        "million are accepted. Resize it before uploading.",
        "“huge.jpg” was not uploaded: This file is 1.5 MB; the limit is 1 MB. "
        "Resize or compress it first.",
    ]
    # Only the two saved originals and their renditions were written.
    originals = [
        name for name in stored_files(default_storage) if name.startswith("images/")
    ]
    assert len(originals) == 2
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE).count() == 2


def test_uploaded_images_are_credited_to_the_uploader_and_get_renditions(
    editor_client, editor
):
    editor_client.post(UPLOAD, {"files": [jpeg("knee.jpg")]})

    image = Image.objects.get()
    assert image.uploaded_by == editor
    assert (image.width, image.height, image.format) == (900, 600, "jpeg")
    assert image.renditions.exists()


def test_a_file_already_in_the_library_is_refused_with_a_link_to_it(editor_client):
    editor_client.post(UPLOAD, {"files": [jpeg("knee.jpg")]})
    existing = Image.objects.get()

    response = editor_client.post(UPLOAD, {"files": [jpeg("knee again.jpg")]})

    (refused,) = [m for m in messages_of(response) if "was not uploaded" in m]
    assert reverse("admin:articles_image_change", args=[existing.pk]) in refused
    assert Image.objects.count() == 1


def test_a_storage_failure_refuses_that_file_and_leaves_nothing_of_it(
    editor_client, settings, monkeypatch
):
    # The first file and its renditions may be written; the second's original not.
    monkeypatch.setattr(RefusingStorage, "writes", 0)
    monkeypatch.setattr(RefusingStorage, "writes_allowed", 1)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.test_media_failures.RefusingStorage"},
    }
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }

    response = editor_client.post(
        UPLOAD, {"files": [jpeg("knee.jpg"), png("tilt.png")]}
    )

    assert response.status_code == 302
    assert list(Image.objects.values_list("title", flat=True)) == ["knee"]
    (refused,) = [m for m in messages_of(response) if "was not uploaded" in m]
    assert refused.startswith("“tilt.png” was not uploaded: The media storage could")
    assert len(stored_files(default_storage)) == 1


def test_an_upload_without_files_asks_for_one(editor_client):
    response = editor_client.post(UPLOAD, {})

    assert messages_of(response) == ["Choose or drop at least one file."]
    assert not Image.objects.exists()


def test_only_users_who_may_add_images_upload_them(client):
    client.force_login(make_user("Medical reviewer"))

    response = client.post(UPLOAD, {"files": [jpeg("knee.jpg")]})

    assert response.status_code == 403
    assert not Image.objects.exists()
    assert stored_files(default_storage) == []


def test_authors_upload_images_too(client):
    client.force_login(make_user("Author"))

    client.post(UPLOAD, {"files": [jpeg("knee.jpg")]})

    assert Image.objects.count() == 1


def test_an_upload_without_login_goes_to_the_login_page(client):
    response = client.post(UPLOAD, {"files": [jpeg("knee.jpg")]})

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert not Image.objects.exists()


def test_an_upload_without_the_csrf_token_is_refused(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    response = client.post(UPLOAD, {"files": [jpeg("knee.jpg")]})

    assert response.status_code == 403
    assert not Image.objects.exists()


def test_the_upload_address_only_takes_posts(editor_client):
    assert editor_client.get(UPLOAD).status_code == 405


def test_the_library_offers_the_upload_form_only_to_who_may_add_images(client):
    client.force_login(make_user("Editor"))
    offered = client.get(LIBRARY).content.decode()
    client.force_login(make_user("Medical reviewer"))
    not_offered = client.get(LIBRARY).content.decode()

    assert f'action="{UPLOAD}"' in offered
    assert 'type="file" name="files" multiple' in offered
    assert 'enctype="multipart/form-data"' in offered
    assert f'action="{UPLOAD}"' not in not_offered


# The grid


def test_grid_shows_a_small_rendition_never_the_original(editor_client, settings):
    image = uploaded_image(alt_text="A knee brace")

    html = editor_client.get(LIBRARY).content.decode()

    (source,) = image_sources(html)
    rendition = image.renditions.get(file=source.removeprefix(settings.MEDIA_URL))
    assert (rendition.width, rendition.format, rendition.crop) == (300, "webp", "")
    assert image.file.url not in html
    assert 'alt="A knee brace"' in html


def test_grid_shows_a_placeholder_until_the_renditions_are_made(
    editor_client, database_tasks
):
    image = uploaded_image(alt_text="A knee brace")
    assert not image.renditions.exists()

    html = editor_client.get(LIBRARY).content.decode()

    assert image_sources(html) == []
    assert image.file.url not in html
    assert "Thumbnail being made" in html


def test_grid_links_each_tile_to_its_image_and_flags_missing_alt_text(editor_client):
    described = make_image(title="Described", alt_text="A knee brace")
    undescribed = make_image(title="Undescribed", alt_text="")

    html = editor_client.get(LIBRARY).content.decode()

    for image in (described, undescribed):
        assert (
            f'href="{reverse("admin:articles_image_change", args=[image.pk])}"' in html
        )
    assert html.count("No alt text") == 1
    assert f'name="_selected_action" value="{described.pk}"' in html


def test_grid_searches_title_alt_text_and_caption(editor_client):
    by_title = make_image(title="Lumbar stretch")
    by_alt = make_image(alt_text="A lumbar roll on a chair")
    by_caption = make_image(caption="Lumbar support at work")
    make_image(title="Knee brace")

    response = editor_client.get(LIBRARY, {"q": "lumbar"})

    shown = {tile.image for tile in response.context["cl"].tiles}
    assert shown == {by_title, by_alt, by_caption}


def test_grid_keeps_the_filters(editor_client):
    decorative = make_image(decorative=True)
    make_image()

    response = editor_client.get(LIBRARY, {"decorative__exact": "1"})

    assert [tile.image for tile in response.context["cl"].tiles] == [decorative]
    assert 'id="changelist-filter"' in response.content.decode()


def test_grid_runs_as_many_queries_with_30_images_as_with_3(
    editor_client, django_assert_num_queries
):
    for n in range(3):
        uploaded_image(f"photo-{n}.jpg")
    editor_client.get(LIBRARY)  # Warm the session and the site's settings.
    with CaptureQueriesContext(connection) as few:
        editor_client.get(LIBRARY)
    for n in range(3, 29):
        make_image(title=f"Remote {n}")
    uploaded_image("photo-last.jpg")

    with django_assert_num_queries(len(few)):
        response = editor_client.get(LIBRARY)
    assert len(response.context["cl"].tiles) == 30


# The picker


def test_picker_offers_an_upload_that_returns_to_the_picker(editor_client):
    html = editor_client.get(PICKER, {"CKEditorFuncNum": "7"}).content.decode()

    assert f'action="{UPLOAD}"' in html
    assert '<input type="hidden" name="CKEditorFuncNum" value="7">' in html


def test_picker_upload_shows_the_new_image_first_ready_to_choose(editor_client):
    make_image(title="Older")

    response = editor_client.post(
        UPLOAD, {"files": [jpeg("knee.jpg")], "CKEditorFuncNum": "7"}, follow=True
    )

    new = Image.objects.get(title="knee")
    assert response.redirect_chain[0][0] == f"{PICKER}?CKEditorFuncNum=7&new={new.pk}"
    first = response.context["tiles"][0]
    assert (first.image, first.is_new) == (new, True)
    html = response.content.decode()
    assert f'data-id="{new.pk}" data-url="{new.file.url}"' in html
    assert "autofocus" in html
    assert 'data-callback="7"' in html


def test_picker_shows_small_copies_not_originals(editor_client):
    image = uploaded_image()

    html = editor_client.get(PICKER, {"CKEditorFuncNum": "1"}).content.decode()

    (source,) = image_sources(html)
    assert source.startswith("/media/renditions/")
    # The original is what the editor places (pages draw its renditions).
    assert f'data-url="{image.file.url}"' in html


def test_picker_offers_no_upload_to_who_may_not_add_images(client):
    client.force_login(make_user("Medical reviewer"))

    html = client.get(PICKER).content.decode()

    assert f'action="{UPLOAD}"' not in html


def test_picker_searches_captions_too(editor_client):
    found = make_image(caption="Lumbar support at work")
    make_image(title="Knee brace")

    response = editor_client.get(PICKER, {"q": "lumbar"})

    assert [tile.image for tile in response.context["tiles"]] == [found]


# The featured image's thumbnail


def test_featured_image_choice_shows_the_chosen_images_thumbnail(editor_client):
    image = uploaded_image(alt_text="A knee brace")
    article = make_article(featured_image=image)

    html = editor_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()

    preview = html.split('class="image-choice__preview"', 1)[1].split("</div>", 1)[0]
    (source,) = image_sources(preview)
    assert source.startswith("/media/renditions/")
    assert 'alt="A knee brace"' in preview
    assert f'data-thumbnail-url="{THUMBNAIL}"' in html
    assert "articles/admin/image-choice.js" in html


def test_thumbnail_view_draws_one_images_small_copy(editor_client):
    image = uploaded_image(alt_text="A knee brace")

    response = editor_client.get(THUMBNAIL, {"id": image.pk})

    (source,) = image_sources(response.content.decode())
    assert source.startswith("/media/renditions/")
    assert editor_client.get(THUMBNAIL, {"id": "abc"}).status_code == 404
    assert editor_client.get(THUMBNAIL, {"id": image.pk + 1}).status_code == 404


def test_thumbnail_view_is_for_staff_only(client):
    image = make_image()

    response = client.get(THUMBNAIL, {"id": image.pk})

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
