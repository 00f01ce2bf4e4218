"""
Previews show an unpublished article exactly as readers will see it, to
editors, to its own author and to holders of a signed link, and never to
anyone else; they are never cached or indexed and change nothing public.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import signing
from django.urls import reverse

from articles import languages, preview, publishing
from articles.models import Article, AuditEntry
from tests.factories import make_article, make_author, make_user, save_article
from tests.test_roles import change_url, form_data, own_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return make_article(status=Article.Status.DRAFT, title="Unfinished")


def assert_is_preview(response):
    assert response.status_code == 200
    assert 'class="preview-banner"' in response.text
    cache_control = response["Cache-Control"]
    for directive in ("no-cache", "no-store", "private"):
        assert directive in cache_control
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.text


def test_readers_cannot_see_a_draft_even_with_the_preview_parameter(client, draft):
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(preview.staff_url(draft)).status_code == 404


def test_editor_previews_a_draft_through_the_reader_template(editor_client, draft):
    response = editor_client.get(preview.staff_url(draft))
    assert_is_preview(response)
    assert "articles/article_detail.html" in [t.name for t in response.templates]
    assert "<h1>Unfinished</h1>" in response.text


def test_editor_previews_a_scheduled_article(editor_client):
    article = make_article(
        published_at=Article._meta.get_field("published_at").default()
        + timedelta(days=2)
    )
    assert article.status == Article.Status.SCHEDULED
    assert_is_preview(editor_client.get(preview.staff_url(article)))


def test_author_previews_their_own_draft_but_not_someone_elses(client, draft):
    writer = make_user("Author")
    mine = own_article(writer, title="Mine")
    client.force_login(writer)
    assert_is_preview(client.get(preview.staff_url(mine)))
    assert client.get(preview.staff_url(draft)).status_code == 404


def test_public_page_of_a_published_article_is_not_a_preview(client):
    article = make_article()
    response = client.get(article.get_absolute_url())
    assert 'class="preview-banner"' not in response.text
    assert "X-Robots-Tag" not in response


def test_preview_leaves_the_public_site_unchanged(editor_client, client, draft):
    editor_client.get(preview.staff_url(draft))
    assert not Article.objects.published().filter(pk=draft.pk).exists()
    assert (
        client.get(languages.reverse_in("en", "articles:home")).text.count("Unfinished")
        == 0
    )


def test_shared_link_shows_the_article_to_anyone(client, draft):
    response = client.get(preview.share_url(draft).split("8000", 1)[-1])
    assert_is_preview(response)


def test_shared_link_shows_that_one_article_only(client, draft):
    other = make_article(
        status=Article.Status.DRAFT, primary_category=draft.primary_category
    )
    token = preview.token_for(draft)
    assert client.get(f"{other.get_absolute_url()}?preview={token}").status_code == 404


def test_tampered_shared_link_is_a_404(client, draft):
    token = preview.token_for(draft)
    assert client.get(f"{draft.get_absolute_url()}?preview={token}x").status_code == 404
    forged = f"{draft.pk}:{token.split(':', 2)[1]}:forged"
    assert client.get(f"{draft.get_absolute_url()}?preview={forged}").status_code == 404


def test_expired_shared_link_is_a_friendly_410(client, draft, settings, monkeypatch):
    token = preview.token_for(draft)
    settings.PREVIEW_LINK_MAX_AGE = 60
    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + 61)
    response = client.get(f"{draft.get_absolute_url()}?preview={token}")
    assert response.status_code == 410
    assert "removed" in response.text


def test_unsaved_changes_preview_renders_the_posted_form_without_saving(
    editor_client, draft
):
    page = editor_client.get(change_url(draft))
    data = form_data(page) | {
        "title": "A better title",
        "takeaways-TOTAL_FORMS": "1",
        "takeaways-0-text": "Drink water",
        "takeaways-0-order": "0",
    }
    response = editor_client.post(
        reverse("admin:articles_article_preview", args=[draft.pk]), data
    )
    assert_is_preview(response)
    assert "<h1>A better title</h1>" in response.text
    assert "Drink water" in response.text
    draft.refresh_from_db()
    assert draft.title == "Unfinished"
    assert not draft.takeaways.exists()


def test_unsaved_new_article_preview_saves_nothing(editor_client):
    page = editor_client.get(reverse("admin:articles_article_add"))
    category = make_article().primary_category
    before = Article.objects.count()
    data = form_data(page) | {
        "title": "Brand new",
        "slug": "brand-new",
        "primary_category": str(category.pk),
        "author": str(make_author().pk),
    }
    response = editor_client.post(reverse("admin:articles_article_preview_add"), data)
    assert_is_preview(response)
    assert "<h1>Brand new</h1>" in response.text
    assert Article.objects.count() == before


def test_invalid_unsaved_preview_shows_the_errors(editor_client, draft):
    page = editor_client.get(change_url(draft))
    response = editor_client.post(
        reverse("admin:articles_article_preview", args=[draft.pk]),
        form_data(page) | {"title": ""},
    )
    assert response.status_code == 400
    assert "This field is required" in response.text


def test_change_form_offers_preview_button_and_share_link(editor_client, draft):
    response = editor_client.get(change_url(draft))
    assert 'name="_preview"' in response.text
    assert "?preview=" in response.text


def moved(article):
    article.slug = "moved-elsewhere"
    return article


@pytest.mark.parametrize(
    "change",
    [
        lambda article: publishing.trash(article, user=None),
        lambda article: publishing.transition(article, "draft", user=None),
        lambda article: save_article(moved(article)),
    ],
    ids=["trashed", "unpublished", "moved"],
)
def test_shared_link_dies_when_the_article_is_trashed_unpublished_or_moved(
    client, change
):
    article = make_article(title="Was public")
    link = preview.share_url(article).removeprefix(settings.SITE_URL.rstrip("/"))

    change(article)

    response = client.get(link, follow=True)
    assert "Was public" not in response.text


def test_shared_link_of_a_draft_lives_through_its_edits(client, draft):
    link = preview.share_url(draft).removeprefix(settings.SITE_URL.rstrip("/"))
    draft.title = "Still unfinished"
    save_article(draft)

    assert "Still unfinished" in client.get(link).text


def test_editor_revokes_the_shared_links(editor_client, client, draft, editor):
    link = preview.share_url(draft).removeprefix(settings.SITE_URL.rstrip("/"))
    page = editor_client.get(change_url(draft))
    assert "Revoke the links shared so far" in page.text

    response = editor_client.post(
        reverse("admin:articles_article_revoke_preview_links", args=[draft.pk]),
        form_data(page),
    )

    assert response.status_code == 302
    assert client.get(link).status_code == 404
    entry = AuditEntry.objects.latest("pk")
    assert (entry.user, entry.action) == (editor, AuditEntry.Action.REVOKE_LINKS)
    new_link = preview.share_url(Article.objects.get(pk=draft.pk))
    response = client.get(new_link.removeprefix(settings.SITE_URL.rstrip("/")))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "token",
    [
        "1",
        "abc",
        "1:x",
        ":",
        "1:key:zzzz!:bad",
        signing.TimestampSigner(salt="another").sign("1:key"),
        # A genuine signature over an absurd timestamp.
        signing.Signer(salt="articles.preview.article").sign("1:key:" + "z" * 400),
        signing.TimestampSigner(salt="articles.preview.article").sign(
            "not-a-number:key"
        ),
        signing.TimestampSigner(salt="articles.preview.article").sign("1"),
    ],
)
def test_a_token_signed_the_wrong_way_is_a_404(client, draft, token):
    response = client.get(draft.get_absolute_url(), {"preview": token})

    assert response.status_code == 404
