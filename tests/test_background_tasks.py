"""
Background work: an upload answers once its original is stored, e-mails
and SEO re-scores leave the request, and the worker (`manage.py db_worker`)
does them from the database queue. Tasks take ids, do nothing for what was
deleted, and do no harm when they run twice.
"""

import os
import re
import signal
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles import publishing, renditions, tasks
from articles.models import Article, AuditEntry, Image, Rendition, SentMail
from tests.factories import make_article, make_author, make_user
from tests.images import photo_bytes
from tests.test_roles import change_url, form_data, own_article
from tests.test_settings import BASE_DIR, PRODUCTION

pytestmark = pytest.mark.django_db

ADD_IMAGE = reverse("admin:articles_image_add")


def upload(client, *, width=1600, height=1200, alt_text="A knee brace"):
    return client.post(
        ADD_IMAGE,
        {
            "file": SimpleUploadedFile("knee.jpg", photo_bytes(width, height)),
            "title": "Knee",
            "alt_text": alt_text,
        },
    )


def queued(task):
    return DBTaskResult.objects.filter(task_path=task.module_path)


def database_address():
    """The test database as a DATABASE_URL, for a worker in another process."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    return f"postgres://{auth}@{params['HOST']}:{params['PORT']}/{params['NAME']}"


def run_worker_process(settings):
    """`manage.py db_worker --batch` in a process of its own, on the test database."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    } | PRODUCTION
    environment |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_address(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    return subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload"]
        + ["--no-startup-delay", "--verbosity", "2"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def run_worker_here():
    """`db_worker --batch` in this process: its e-mails land in mail.outbox."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command(
            "db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0
        )
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


class Images(HTMLParser):
    """The <img> tags of a page, and whether every <picture> it opens is closed."""

    def __init__(self):
        super().__init__()
        self.images, self.open_pictures = [], 0

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))
        elif tag == "picture":
            self.open_pictures += 1

    def handle_endtag(self, tag):
        if tag == "picture":
            self.open_pictures -= 1


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_an_upload_answers_before_its_renditions_and_the_worker_makes_them(
    editor_client, settings, database_tasks
):
    response = upload(editor_client, width=3000, height=2000)

    assert response.status_code == 302
    image = Image.objects.get()
    assert image.file and (image.width, image.height) == (3000, 2000)
    assert not Rendition.objects.exists()
    (job,) = queued(tasks.make_renditions)
    assert job.status == TaskResultStatus.READY
    assert job.args_kwargs == {"args": [image.pk, False], "kwargs": {}}

    worker = run_worker_process(settings)

    assert worker.returncode == 0, worker.stderr + worker.stdout
    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL, job.traceback
    formats = set(image.renditions.values_list("format", flat=True))
    assert formats == {"avif", "webp", "jpeg"}
    assert all(
        (settings.MEDIA_ROOT / rendition.file.name).exists()
        for rendition in image.renditions.all()
    )


def test_until_the_renditions_exist_the_page_draws_the_original_with_its_alt(
    client, editor_client, database_tasks
):
    upload(editor_client, alt_text="A knee brace on a runner")
    image = Image.objects.get()
    article = make_article(featured_image=image)

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    page = Images()
    page.feed(response.content.decode())
    assert page.open_pictures == 0
    (hero,) = [img for img in page.images if img["src"] == image.file.url]
    assert hero["alt"] == "A knee brace on a runner"
    assert (hero["width"], hero["height"]) == ("1600", "1200")
    assert "srcset" not in hero
    # The original is what the library stored: without its metadata.
    with image.file.open("rb") as handle:
        assert b"Exif" not in handle.read(4096)


def test_publishing_goes_ahead_while_the_renditions_are_pending(
    editor, editor_client, database_tasks
):
    upload(editor_client)
    image = Image.objects.get()
    article = make_article(featured_image=image, status=Article.Status.DRAFT)

    outcome = publishing.transition(article, Article.Status.PUBLISHED, user=editor)

    assert outcome.obj.is_published
    assert not Rendition.objects.exists()
    assert queued(tasks.make_renditions).count() == 1


def test_a_change_that_rolls_back_enqueues_nothing(editor, database_tasks):
    image = Image(title="Knee", alt_text="A knee brace")
    image.file.save("knee.jpg", ContentFile(photo_bytes(800, 600)), save=False)

    with pytest.raises(RuntimeError), transaction.atomic():
        publishing.save_image(
            image, user=editor, new_file=True, focal_point_moved=False
        )
        raise RuntimeError("the request failed after the save")

    assert not Image.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_a_submission_is_mailed_by_the_worker_not_in_the_request(
    client, database_tasks
):
    editor = make_user("Editor")
    writer = make_user("Author")
    article = own_article(writer)
    client.force_login(writer)
    page = client.get(change_url(article))

    response = client.post(
        change_url(article), form_data(page) | {"_submit_review": "1"}
    )

    assert response.status_code == 302
    assert mail.outbox == []
    assert queued(tasks.send_status_mail).count() == 1
    assert [[article.pk]] in [job.args_kwargs["args"] for job in queued(tasks.rescore)]

    run_worker_here()

    assert [m.to for m in mail.outbox] == [[editor.email]]
    assert "Review requested" in mail.outbox[0].subject
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {
        TaskResultStatus.SUCCESSFUL
    }


def test_a_status_mail_task_run_twice_sends_one_mail(author_user, editor):
    article = own_article(author_user)
    publishing.save(article, user=author_user, submit_for_review=True)
    assert len(mail.outbox) == 1
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SUBMIT)

    assert tasks.send_status_mail.call(entry.pk) is False

    assert len(mail.outbox) == 1
    assert SentMail.objects.get().key == f"audit:{entry.pk}"


def test_a_mail_that_fails_to_send_is_sent_by_the_next_run(
    author_user, editor, monkeypatch
):
    article = own_article(author_user)
    monkeypatch.setattr(publishing.events, "_announce", lambda *a, **k: None)
    publishing.save(article, user=author_user, submit_for_review=True)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SUBMIT)

    def refused(*args, **kwargs):
        raise ConnectionRefusedError("the mail server is down")

    with monkeypatch.context() as patched:
        patched.setattr("articles.notifications.send_mail", refused)
        with pytest.raises(ConnectionRefusedError):
            tasks.send_status_mail.call(entry.pk)

    assert tasks.send_status_mail.call(entry.pk) is True
    assert len(mail.outbox) == 1


def test_a_sign_off_request_is_mailed_by_a_task(editor):
    reviewer_user = make_user("Medical reviewer")
    reviewer = make_author(display_name="Dr. Vos", user=reviewer_user)
    article = make_article(status=Article.Status.DRAFT)

    request = publishing.request_sign_off(article, user=editor, reviewer=reviewer)

    assert [m.to for m in mail.outbox] == [[reviewer_user.email]]
    assert tasks.send_sign_off_mail.call(request.pk) is False
    assert len(mail.outbox) == 1


def test_tasks_for_what_was_deleted_do_nothing(editor_client):
    upload(editor_client)
    image = Image.objects.get()
    article = make_article()
    image_pk, article_pk = image.pk, article.pk
    image.delete()
    article.delete()

    assert tasks.make_renditions.call(image_pk) == 0
    assert tasks.make_renditions.call(image_pk, remake_crops=True) == 0
    assert tasks.rescore.call([article_pk]) == 0
    assert tasks.send_status_mail.call(10**9) is False
    assert tasks.send_sign_off_mail.call(10**9) is False
    assert not Rendition.objects.exists() and mail.outbox == []


def test_a_rendition_task_run_twice_makes_the_renditions_once(editor_client):
    upload(editor_client)
    image = Image.objects.get()
    made = sorted(image.renditions.values_list("file", flat=True))
    assert made

    assert tasks.make_renditions.call(image.pk) == 0

    assert sorted(image.renditions.values_list("file", flat=True)) == made


def test_renditions_of_a_replaced_file_are_not_recorded(editor_client, monkeypatch):
    """A run that started before the image got a new file leaves nothing behind."""
    upload(editor_client)
    image = Image.objects.get()
    image.renditions.all().delete()
    read = renditions._read

    def replaced_while_reading(image):
        data = read(image)
        Image.objects.filter(pk=image.pk).update(file="images/another.jpg")
        return data

    monkeypatch.setattr(renditions, "_read", replaced_while_reading)

    assert tasks.make_renditions.call(image.pk) == 0
    assert not Rendition.objects.exists()


def test_a_new_file_drops_the_old_renditions_at_once(editor_client, database_tasks):
    upload(editor_client)
    image = Image.objects.get()
    renditions.make_renditions(image)
    old = list(image.renditions.values_list("file", flat=True))
    assert old

    response = editor_client.post(
        reverse("admin:articles_image_change", args=[image.pk]),
        {
            "file": SimpleUploadedFile("other.jpg", photo_bytes(1200, 800)),
            "title": "Knee",
            "alt_text": "A knee brace",
        },
    )

    assert response.status_code == 302
    assert not image.renditions.exists()
    image.refresh_from_db()
    assert re.search(r"other.*\.jpg$", image.file.name)
    assert not any(image.file.storage.exists(name) for name in old)


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_an_invitation_is_mailed_by_the_worker_not_in_the_request(
    client, database_tasks
):
    administrator = make_user("Administrator")
    client.force_login(administrator)

    response = client.post(
        reverse("admin:auth_user_invite"),
        {
            "email": "nina@example.org",
            "first_name": "Nina",
            "last_name": "Jansen",
            "role": Group.objects.get(name="Author").pk,
        },
    )

    assert response.status_code == 302
    assert mail.outbox == []
    (job,) = queued(tasks.send_invitation_mail)
    # The link is made when the mail is: no token waits in the queue.
    assert "/invitation/" not in str(job.args_kwargs)

    run_worker_here()

    assert [m.to for m in mail.outbox] == [["nina@example.org"]]
    assert "http://testserver/" in mail.outbox[0].body
    assert (
        tasks.send_invitation_mail.call(
            job.args_kwargs["args"][0], **job.args_kwargs["kwargs"]
        )
        is False
    )  # Run twice, sent once.
    assert len(mail.outbox) == 1
