"""
Clinical sign-off: health content goes live only once a medical reviewer,
asked by its writer or an editor, has signed it off; "Medically reviewed
by … on …" is set by that approval and cannot be typed; a minor change
keeps both the sign-off and the updated date readers see.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from articles import publishing
from articles.models import Article, AuditEntry, SignOff
from tests.factories import make_article, make_author, make_category, make_user
from tests.test_roles import change_url, form_data, own_article, run_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def health():
    return make_category(name="Back pain", slug="back-pain", requires_sign_off=True)


@pytest.fixture
def reviewer():
    user = make_user("Medical reviewer", first_name="Pieter", last_name="de Groot")
    return make_author(display_name="Dr. Pieter de Groot", user=user)


def draft_in(category, **fields):
    return make_article(
        status=Article.Status.DRAFT, primary_category=category, **fields
    )


def ask(client, article, reviewer, note="Please check the dosage."):
    page = client.get(change_url(article))
    return client.post(
        reverse("admin:articles_article_sign_off_request", args=[article.pk]),
        form_data(page)
        | {"sign_off_reviewer": [str(reviewer.pk)], "sign_off_note": [note]},
    )


def decide(client, article, decision, comment=""):
    return client.post(
        reverse("admin:articles_article_sign_off", args=[article.pk]),
        {"decision": decision, "comment": comment},
    )


def publish(client, article, **changes):
    data = form_data(client.get(change_url(article))) | {"status": ["published"]}
    return client.post(change_url(article), data | changes)


def test_health_content_is_not_published_without_a_sign_off(editor_client, health):
    article = draft_in(health)

    response = publish(editor_client, article)

    assert response.status_code == 200
    assert "A medical reviewer must sign off" in response.text
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    run_action(editor_client, "publish", article)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_a_category_without_sign_off_publishes_as_before(editor_client):
    article = draft_in(make_category())

    assert publish(editor_client, article).status_code == 302


def test_the_reviewer_is_asked_signs_off_and_then_it_publishes(
    client, editor, health, reviewer
):
    article = draft_in(health, title="Heat or ice?")
    client.force_login(editor)

    assert ask(client, article, reviewer).status_code == 302

    (request,) = SignOff.objects.all()
    assert request.decision == SignOff.Decision.REQUESTED
    (message,) = [m for m in mail.outbox if "Sign-off requested" in m.subject]
    assert message.to == [reviewer.user.email]
    assert f"/admin/articles/article/{article.pk}/sign-off/" in message.body

    client.force_login(reviewer.user)
    page = client.get(reverse("admin:articles_article_sign_off", args=[article.pk]))
    assert page.status_code == 200
    assert "The whole article" in page.text and "+Heat or ice?" in page.text
    assert decide(client, article, "approve").status_code == 302

    article.refresh_from_db()
    today = timezone.localdate()
    assert (article.reviewer, article.last_reviewed_on) == (reviewer, today)
    assert article.next_review_due == today + timedelta(days=365)
    assert article.revisions.first().summary == "Signed off by Dr. Pieter de Groot, MD"
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.SIGN_OFF).get()
    assert entry.user == reviewer.user
    assert any(
        "Signed off" in m.subject and m.to == [editor.email] for m in mail.outbox
    )

    client.force_login(editor)
    assert publish(client, article).status_code == 302
    article.refresh_from_db()
    assert article.is_published


def test_an_author_cannot_make_an_article_say_medically_reviewed(
    client, health, reviewer
):
    writer = make_user("Author")
    article = own_article(writer, status=Article.Status.DRAFT, primary_category=health)
    client.force_login(writer)
    page = client.get(change_url(article))
    assert 'name="reviewer"' not in page.text
    assert 'name="last_reviewed_on"' not in page.text

    data = form_data(page) | {
        "reviewer": [str(reviewer.pk)],
        "last_reviewed_on_0": ["2026-01-01"],
        "title": ["Claimed review"],
    }
    assert client.post(change_url(article), data).status_code == 302

    article.refresh_from_db()
    assert article.title == "Claimed review"
    assert (article.reviewer, article.last_reviewed_on) == (None, None)
    # Nor can they decide a request, even one naming them.
    publishing.request_sign_off(article, user=writer, reviewer=reviewer)
    assert decide(client, article, "approve").status_code == 403
    assert SignOff.objects.get().decision == SignOff.Decision.REQUESTED


def test_only_the_reviewer_asked_decides(client, editor, health, reviewer):
    other = make_author(display_name="Dr. Other", user=make_user("Medical reviewer"))
    article = draft_in(health)
    publishing.request_sign_off(article, user=editor, reviewer=reviewer)

    client.force_login(other.user)
    assert decide(client, article, "approve").status_code == 403
    client.force_login(editor)
    assert decide(client, article, "approve").status_code == 403
    assert SignOff.objects.get().decision == SignOff.Decision.REQUESTED


def test_sending_back_tells_the_writer_what_to_change(client, editor, health, reviewer):
    article = draft_in(health)
    publishing.request_sign_off(article, user=editor, reviewer=reviewer)
    client.force_login(reviewer.user)

    assert decide(client, article, "send_back").status_code == 200  # Needs a comment.
    assert (
        decide(client, article, "send_back", "Step 2's dose is too high.").status_code
        == 302
    )

    assert SignOff.objects.get().decision == SignOff.Decision.SENT_BACK
    assert article.review_comments.get().text == "Step 2's dose is too high."
    assert any("Step 2's dose is too high." in m.body for m in mail.outbox)
    article.refresh_from_db()
    assert article.reviewer is None


def signed_off(article, *, by, editor):
    publishing.request_sign_off(article, user=editor, reviewer=by)
    publishing.decide_sign_off(
        SignOff.objects.get(article=article, decision="requested"),
        user=by.user,
        approve=True,
    )
    return Article.objects.get(pk=article.pk)


def test_a_minor_change_keeps_the_sign_off_and_the_updated_date(
    client, editor, health, reviewer
):
    article = signed_off(draft_in(health), by=reviewer, editor=editor)
    publishing.transition(article, "published", user=editor)
    article.refresh_from_db()
    updated = article.content_updated_at
    client.force_login(editor)

    data = form_data(client.get(change_url(article)))
    response = client.post(
        change_url(article),
        data
        | {"body": ["<h2>Section</h2><p>A typo fixed.</p>"], "minor_change": ["on"]},
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_published
    assert article.content_updated_at == updated
    assert article.revisions.first().substantive is False


def test_a_substantive_change_needs_a_new_sign_off(client, editor, health, reviewer):
    article = signed_off(draft_in(health), by=reviewer, editor=editor)
    publishing.transition(article, "published", user=editor)
    client.force_login(editor)

    data = form_data(client.get(change_url(article)))
    response = client.post(
        change_url(article), data | {"body": ["<p>New advice on the dose.</p>"]}
    )

    assert response.status_code == 200
    assert "A medical reviewer must sign off" in response.text
    assert "New advice on the dose." in response.text  # The text stays in the form.
    article.refresh_from_db()
    assert "New advice" not in article.body


def test_the_updated_date_moves_only_when_the_text_changes(client, editor):
    article = make_article(published_at=timezone.now() - timedelta(days=30))
    assert article.content_updated_at is None  # Never changed since it went live.
    client.force_login(editor)
    url = change_url(article)

    client.post(url, form_data(client.get(url)) | {"sticky": ["on"]})
    article.refresh_from_db()
    assert article.content_updated_at is None
    page = client.get(article.get_absolute_url())
    assert "Updated" not in page.text

    client.post(
        url,
        form_data(client.get(url))
        | {
            "body": ["<p>Rewritten advice.</p>"],
            "change_note": ["New advice from the 2026 guideline."],
        },
    )
    article.refresh_from_db()
    assert article.content_updated_at > article.published_at
    page = client.get(article.get_absolute_url()).text
    assert "Updated <time" in page
    assert "What changed: New advice from the 2026 guideline." in page
