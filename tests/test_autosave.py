"""The article form's content is kept while an editor types, and offered back."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, Autosave
from tests.factories import make_article, make_user
from tests.test_roles import change_url, form_data, form_errors, submit

pytestmark = pytest.mark.django_db


def autosave_url(article):
    return reverse("admin:articles_article_autosave", args=[article.pk])


def restore_url(article):
    return reverse("admin:articles_article_autosave_restore", args=[article.pk])


def type_into_the_form(client, article, **changes):
    """What autosave.js posts: the whole form as it is now."""
    data = form_data(client.get(change_url(article))) | changes
    return client.post(autosave_url(article), data)


def test_the_form_loads_the_autosave_script(editor_client):
    article = make_article()

    html = editor_client.get(change_url(article)).content.decode()

    assert "articles/admin/autosave.js" in html
    assert f'data-url="{autosave_url(article)}"' in html


def test_typing_is_kept_per_person_and_article(editor_client, editor):
    article = make_article(title="Before")

    response = type_into_the_form(editor_client, article, title=["Half-written title"])

    assert response.status_code == 204
    kept = Autosave.objects.get(article=article, user=editor)
    assert kept.form_data["title"] == ["Half-written title"]
    assert "csrfmiddlewaretoken" not in kept.form_data
    assert Article.objects.get(pk=article.pk).title == "Before"


def test_reopening_the_article_offers_the_unsaved_changes(editor_client):
    article = make_article()
    type_into_the_form(editor_client, article, title=["Half-written title"])

    html = editor_client.get(change_url(article)).content.decode()

    assert "You have unsaved changes from" in html
    assert f'action="{restore_url(article)}"' in html


def test_restoring_saves_the_kept_form_as_a_new_revision(editor_client):
    article = make_article(title="Before")
    editor_client.get(change_url(article))
    type_into_the_form(editor_client, article, title=["Written before the crash"])

    response = editor_client.post(restore_url(article), {"restore": ""})

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Written before the crash"
    assert (
        article.revisions.first().snapshot["fields"]["title"]
        == "Written before the crash"
    )
    assert not Autosave.objects.filter(article=article).exists()


def test_discarding_keeps_the_article_as_it_was(editor_client):
    article = make_article(title="Before")
    type_into_the_form(editor_client, article, title=["Not wanted"])

    editor_client.post(restore_url(article), {"discard": ""})

    assert Article.objects.get(pk=article.pk).title == "Before"
    assert not Autosave.objects.filter(article=article).exists()


def test_a_save_clears_the_autosave_and_the_offer(editor_client):
    article = make_article()
    type_into_the_form(editor_client, article, title=["Typed"])

    submit(editor_client, change_url(article), title=["Saved properly"])

    assert not Autosave.objects.filter(article=article).exists()
    assert (
        "You have unsaved changes"
        not in editor_client.get(change_url(article)).content.decode()
    )


def test_restoring_after_someone_else_saved_is_refused_not_an_overwrite(
    editor_client,
):
    article = make_article(title="Before")
    type_into_the_form(editor_client, article, title=["Mine, autosaved"])
    others_browser = Client()
    others_browser.force_login(make_user("Editor", username="otto"))
    submit(others_browser, change_url(article), title=["Theirs, saved"])

    response = editor_client.post(restore_url(article), {"restore": ""})

    assert response.status_code == 200
    assert "otto" in str(form_errors(response))
    assert 'value="Mine, autosaved"' in response.content.decode()
    assert Article.objects.get(pk=article.pk).title == "Theirs, saved"


def test_an_author_cannot_autosave_someone_elses_article(client):
    author = make_user("Author")
    client.force_login(author)
    article = make_article()

    response = client.post(autosave_url(article), {"title": "Hijack"})

    assert response.status_code in (302, 403)
    assert not Autosave.objects.exists()
