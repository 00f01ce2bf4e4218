"""
Deleting an article moves it to the trash, from where editors restore it;
only Administrators delete for good. Deleting anything else keeps articles.
"""

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.urls import reverse

from articles.models import Article, Category, Image, Tag
from tests.factories import (
    make_article,
    make_author,
    make_category,
    make_image,
    make_user,
)

pytestmark = pytest.mark.django_db

ARTICLES = reverse("admin:articles_article_changelist")


def delete_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[obj.pk])


def run_action(client, action, *objects, url=ARTICLES):
    return client.post(
        url,
        {"action": action, "_selected_action": [o.pk for o in objects], "index": 0},
    )


def test_admin_delete_moves_the_article_to_the_trash_keeping_its_status(
    editor_client,
):
    article = make_article(status=Article.Status.PENDING)

    response = editor_client.post(delete_url(article), {"post": "yes"})

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.TRASH
    assert article.status_before_trash == Article.Status.PENDING
    assert article.trashed_at is not None
    assert article not in Article.objects.published()


def test_delete_confirmation_says_the_article_goes_to_the_trash(editor_client):
    article = make_article()

    response = editor_client.get(delete_url(article))

    assert "moved to the trash, from where they can be restored" in (
        response.content.decode()
    )


def test_delete_selected_moves_articles_to_the_trash(editor_client):
    articles = [make_article(), make_article()]

    editor_client.post(
        ARTICLES,
        {
            "action": "delete_selected",
            "_selected_action": [a.pk for a in articles],
            "post": "yes",
        },
    )

    assert set(Article.objects.values_list("status", flat=True)) == {
        Article.Status.TRASH
    }


def test_restore_from_trash_brings_back_the_previous_status(editor_client):
    article = make_article()
    run_action(editor_client, "move_to_trash", article)

    run_action(editor_client, "restore_from_trash", article)

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.trashed_at is None
    assert article in Article.objects.published()
    assert [r.summary for r in article.revisions.order_by("pk")] == [
        "First saved version",
        "Moved to the trash",
        "Restored from the trash",
    ]


def test_editor_cannot_delete_for_good(editor_client):
    article = make_article()
    run_action(editor_client, "move_to_trash", article)

    assert editor_client.post(delete_url(article), {"post": "yes"}).status_code == 403
    run_action(editor_client, "empty_trash", article)

    assert Article.objects.filter(pk=article.pk).exists()
    actions = dict(
        editor_client.get(ARTICLES).context["action_form"].fields["action"].choices
    )
    assert "empty_trash" not in actions


def test_administrator_empties_the_trash(client, administrator):
    client.force_login(administrator)
    trashed, kept = make_article(), make_article()
    run_action(client, "move_to_trash", trashed)

    run_action(client, "empty_trash", trashed, kept)

    assert not Article.objects.filter(pk=trashed.pk).exists()
    assert Article.objects.filter(pk=kept.pk).exists()


def test_administrator_deletes_a_trashed_article_for_good(client, administrator):
    client.force_login(administrator)
    article = make_article(status=Article.Status.TRASH)

    client.post(delete_url(article), {"post": "yes"})

    assert not Article.objects.filter(pk=article.pk).exists()


def test_only_administrators_hold_the_empty_trash_permission(editor, administrator):
    assert administrator.has_perm("articles.empty_trash")
    assert not editor.has_perm("articles.empty_trash")


def test_deleting_a_category_never_deletes_articles(client, administrator):
    client.force_login(administrator)
    primary, secondary = make_category(), make_category()
    article = make_article(primary_category=primary, categories=[secondary])

    client.post(delete_url(secondary), {"post": "yes"})
    client.post(delete_url(primary), {"post": "yes"})

    assert not Category.objects.filter(pk=secondary.pk).exists()
    assert Category.objects.filter(pk=primary.pk).exists()  # protected
    assert Article.objects.filter(pk=article.pk).exists()


def test_deleting_a_tag_only_unlinks_it(client, administrator):
    client.force_login(administrator)
    article = make_article(tags=["spine"])

    client.post(delete_url(Tag.objects.get(name="spine")), {"post": "yes"})

    assert not Tag.objects.exists()
    assert list(Article.objects.get(pk=article.pk).tags.all()) == []


def test_deleting_an_image_keeps_the_articles_that_use_it(client, administrator):
    client.force_login(administrator)
    image = make_image()
    article = make_article(featured_image=image)

    client.post(delete_url(image), {"post": "yes"})

    article.refresh_from_db()
    assert not Image.objects.exists()
    assert article.featured_image is None


def test_deleting_a_user_keeps_their_articles(administrator):
    user = make_user("Author")
    article = make_article(author=make_author(user=user))

    User.objects.filter(pk=user.pk).delete()

    article.refresh_from_db()
    assert article.author.user is None


def test_image_delete_confirmation_lists_the_articles_using_it(client, administrator):
    client.force_login(administrator)
    image = make_image()
    article = make_article(title="Stretching guide", featured_image=image)

    response = client.get(delete_url(image))

    notices = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Stretching guide" in n for n in notices), notices
    assert "Stretching guide" in response.content.decode()
    assert Article.objects.filter(pk=article.pk).exists()


def test_bulk_image_delete_confirmation_lists_the_articles_using_it(
    client, administrator
):
    client.force_login(administrator)
    image = make_image()
    make_article(title="Stretching guide", featured_image=image)

    response = run_action(
        client, "delete_selected", image, url=reverse("admin:articles_image_changelist")
    )

    assert "Stretching guide" in response.content.decode()
    assert Image.objects.filter(pk=image.pk).exists()
