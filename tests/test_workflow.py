"""
The review workflow: Authors submit, editors approve (now or at a date) or
send back with a comment, and the people concerned get an e-mail each time.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_author, make_user
from tests.test_roles import change_url, form_data, own_article

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:articles_pendingarticle_changelist")


def review_url(article):
    return reverse("admin:articles_article_review", args=[article.pk])


@pytest.fixture
def writer():
    return make_user("Author")


@pytest.fixture
def pending(writer):
    return own_article(writer, status=Article.Status.PENDING, title="Waiting")


def test_author_submit_for_review_button_makes_the_article_pending(client, writer):
    editor = make_user("Editor")
    article = own_article(writer)
    client.force_login(writer)
    page = client.get(change_url(article))
    assert b'name="_submit_review"' in page.content
    response = client.post(
        change_url(article), form_data(page) | {"_submit_review": "1"}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PENDING
    assert [m.to for m in mail.outbox] == [[editor.email]]
    assert "Review requested" in mail.outbox[0].subject
    assert change_url(article) in mail.outbox[0].body


def test_author_choosing_pending_review_in_the_status_field_notifies_editors(
    client, writer
):
    editor = make_user("Editor")
    article = own_article(writer)
    client.force_login(writer)
    page = client.get(change_url(article))
    client.post(change_url(article), form_data(page) | {"status": "pending"})
    assert Article.objects.get(pk=article.pk).status == Article.Status.PENDING
    assert [m.to for m in mail.outbox] == [[editor.email]]


def test_editors_see_pending_articles_in_the_review_queue(client, pending, writer):
    own_article(writer, title="Still a draft")
    client.force_login(make_user("Editor"))
    index = client.get(reverse("admin:index"))
    assert QUEUE.encode() in index.content
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert [a.title for a in response.context["cl"].result_list] == ["Waiting"]
    assert review_url(pending).encode() in response.content


def test_authors_have_no_review_queue(client, writer):
    client.force_login(writer)
    assert client.get(QUEUE).status_code == 403
    assert QUEUE.encode() not in client.get(reverse("admin:index")).content


def test_editor_approves_a_pending_article_and_it_goes_live_now(client, pending):
    client.force_login(make_user("Editor"))
    response = client.post(review_url(pending), {"decision": "approve"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Article.Status.PUBLISHED
    assert pending.is_published
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [pending.author.user.email]
    assert "Approved" in mail.outbox[0].subject
    assert "live now" in mail.outbox[0].body


def test_editor_approves_with_a_date_and_the_article_is_scheduled(client, pending):
    client.force_login(make_user("Editor"))
    when = timezone.localtime() + timedelta(days=3)
    client.post(
        review_url(pending),
        {"decision": "approve", "publish_at": when.strftime("%Y-%m-%dT%H:%M")},
    )
    pending.refresh_from_db()
    assert pending.status == Article.Status.SCHEDULED
    assert not Article.objects.published().filter(pk=pending.pk).exists()
    assert "goes live on" in mail.outbox[0].body


def test_editor_sends_back_with_a_comment_the_author_sees_and_receives(
    client, pending, writer
):
    client.force_login(make_user("Editor"))
    response = client.post(
        review_url(pending),
        {"decision": "send_back", "comment": "Cite a source for the dosage."},
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Article.Status.DRAFT
    assert pending.review_comments.get().text == ("Cite a source for the dosage.")
    assert mail.outbox[0].to == [writer.email]
    assert "Cite a source for the dosage." in mail.outbox[0].body
    client.force_login(writer)
    assert "Cite a source for the dosage." in client.get(change_url(pending)).text


def test_sending_back_needs_a_comment(client, pending):
    client.force_login(make_user("Editor"))
    response = client.post(review_url(pending), {"decision": "send_back"})
    assert response.status_code == 200
    assert "comment" in response.context["form"].errors
    pending.refresh_from_db()
    assert pending.status == Article.Status.PENDING
    assert mail.outbox == []


def test_authors_cannot_approve(client, pending, writer):
    client.force_login(writer)
    response = client.post(review_url(pending), {"decision": "approve"})
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == Article.Status.PENDING


def test_editor_publishing_a_pending_article_in_the_form_notifies_the_author(
    client, pending, writer
):
    client.force_login(make_user("Editor"))
    page = client.get(change_url(pending))
    client.post(change_url(pending), form_data(page) | {"status": "published"})
    pending.refresh_from_db()
    assert pending.status == Article.Status.PUBLISHED
    assert [m.to for m in mail.outbox] == [[writer.email]]


def test_no_mail_goes_to_an_author_without_a_login(client):
    article = make_article(author=make_author(), status=Article.Status.PENDING)
    client.force_login(make_user("Editor"))
    client.post(review_url(article), {"decision": "approve"})
    assert mail.outbox == []
