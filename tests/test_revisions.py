"""
Every save of an article keeps a complete revision; the admin shows, compares
and restores them, and refuses a save that would overwrite someone else's.
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from articles import publishing, revisions
from articles.models import Article, FAQItem, Reference
from tests.factories import (
    make_article,
    make_author,
    make_category,
    make_user,
    save_article,
)
from tests.test_roles import form_data

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def revisions_url(article):
    return reverse("admin:articles_article_revisions", args=[article.pk])


def restore_url(revision):
    return reverse(
        "admin:articles_article_restore_revision",
        args=[revision.object_id, revision.pk],
    )


def faq_data(*items):
    data = {
        "faq_items-TOTAL_FORMS": [str(len(items))],
        "faq_items-INITIAL_FORMS": ["0"],
    }
    for n, (question, answer) in enumerate(items):
        data[f"faq_items-{n}-question"] = [question]
        data[f"faq_items-{n}-answer"] = [answer]
        data[f"faq_items-{n}-order"] = [str(n)]
    return data


@pytest.fixture
def article(db):
    return make_article(title="Back pain", body="<p>Rest.</p><p>Stretch.</p>")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_admin_save_stores_a_revision_with_inlines_tags_and_categories(
    editor_client, editor, article
):
    extra = make_category(name="Pain")
    page = editor_client.get(change_url(article))
    data = form_data(page) | faq_data(("Is it serious?", "<p>Rarely.</p>"))
    data |= {
        "title": ["Back pain relief"],
        "tags": ["spine, stretching"],
        "categories": [str(article.primary_category_id), str(extra.pk)],
    }

    response = editor_client.post(change_url(article), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert article.revisions.count() == 2
    revision = article.revisions.first()
    assert revision.author == editor
    snapshot = revision.snapshot
    assert snapshot["fields"]["title"] == "Back pain relief"
    assert snapshot["faq_items"][0]["question"] == "Is it serious?"
    assert snapshot["tags"] == ["spine", "stretching"]
    assert sorted(snapshot["categories"]) == sorted(
        [article.primary_category_id, extra.pk]
    )


def test_each_save_adds_a_revision_saying_what_changed(editor_client, article):
    for title in ["First title", "Second title"]:
        data = form_data(editor_client.get(change_url(article))) | {"title": [title]}
        assert editor_client.post(change_url(article), data).status_code == 302

    latest, first, created = article.revisions.order_by("-pk")
    assert created.summary == "First saved version"
    assert first.snapshot["fields"]["title"] == "First title"
    assert latest.snapshot["fields"]["title"] == "Second title"
    assert latest.summary == "Changed title"
    assert article.revision_count == 3


def test_bulk_publish_and_import_record_revisions(editor_client, editor):
    draft = make_article(status=Article.Status.DRAFT)

    editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [draft.pk], "index": 0},
    )

    revision = draft.revisions.first()
    assert revision.snapshot["fields"]["status"] == Article.Status.PUBLISHED
    assert revision.author == editor


def test_diff_shows_changed_body_lines_escaped(editor_client, article):
    old = article.revisions.first()
    article.body = "<p>Rest.</p><p>Stretch <script>x</script>gently.</p>"
    article.title = "Back pain <b>now</b>"
    save_article(article)
    new = article.revisions.first()

    changes = {
        d.label: d.lines
        for d in revisions.diff(old.snapshot, new.snapshot, model=Article)
    }
    assert "-<p>Stretch.</p>" in changes["body"]
    assert changes["title"] == ["-Back pain", "+Back pain <b>now</b>"]

    page = editor_client.get(revisions_url(article), {"a": old.pk, "b": new.pk})
    html = page.content.decode()
    assert "+Back pain &lt;b&gt;now&lt;/b&gt;" in html
    assert "<b>now</b>" not in html


def test_restore_writes_back_fields_and_children_as_a_new_revision(
    editor_client, editor, article
):
    Reference.objects.create(article=article, title="Cochrane review")
    FAQItem.objects.create(article=article, question="Why?", answer="<p>Because.</p>")
    article.tags.add("spine")
    save_article(article)
    old = article.revisions.first()
    article.references.all().delete()
    article.faq_items.all().delete()
    article.tags.set(["other"])
    article.title = "Rewritten"
    save_article(article)

    response = editor_client.post(restore_url(old))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Back pain"
    assert [r.title for r in article.references.all()] == ["Cochrane review"]
    assert [f.question for f in article.faq_items.all()] == ["Why?"]
    assert list(article.tags.names()) == ["spine"]
    latest = article.revisions.order_by("-pk").first()
    assert article.revisions.count() == 4
    assert latest.summary.startswith("Restored the version of")
    assert latest.snapshot["fields"]["title"] == "Back pain"


def test_restore_needs_post_and_change_permission(client, article):
    revision = article.revisions.get()
    outsider = make_user("Author")
    client.force_login(outsider)

    assert client.post(restore_url(revision)).status_code in {403, 302}
    article.refresh_from_db()
    assert article.revisions.count() == 1

    editor = make_user("Editor")
    client.force_login(editor)
    assert client.get(restore_url(revision)).status_code == 302
    assert article.revisions.count() == 1


def test_second_save_is_refused_naming_the_other_and_keeping_the_text(client, article):
    alice = make_user("Editor", first_name="Alice", last_name="Smith")
    bob = make_user("Editor", first_name="Bob", last_name="Jones")
    client.force_login(bob)
    bobs_form = form_data(client.get(change_url(article)))
    client.force_login(alice)
    alices = form_data(client.get(change_url(article))) | {"title": ["Alice's title"]}
    assert client.post(change_url(article), alices).status_code == 302

    client.force_login(bob)
    response = client.post(
        change_url(article), bobs_form | {"excerpt": ["<p>Bob's summary</p>"]}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Alice Smith saved this article" in html
    assert "+Alice&#x27;s title" in html
    assert "Bob&#x27;s summary" in html or "Bob's summary" in html
    article.refresh_from_db()
    assert article.title == "Alice's title"
    # Having seen the change, Bob saves again and it goes through.
    again = form_data(response) | {"excerpt": ["<p>Bob's summary</p>"]}
    assert client.post(change_url(article), again).status_code == 302
    article.refresh_from_db()
    assert "Bob's summary" in article.excerpt


def test_change_form_warns_when_someone_else_opened_it(client, article):
    alice = make_user("Editor", first_name="Alice", last_name="Smith")
    client.force_login(alice)
    client.get(change_url(article))
    client.force_login(make_user("Editor"))

    response = client.get(change_url(article))

    notices = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Alice Smith opened this article for editing" in n for n in notices)
    assert "Alice Smith opened this article" in response.content.decode()


def test_no_warning_for_the_only_person_editing(editor_client, article):
    editor_client.get(change_url(article))

    response = editor_client.get(change_url(article))

    assert "opened this article for editing" not in response.content.decode()


def test_revision_count_is_served_as_version_history(client, article):
    save_article(article)

    data = client.get(f"/wp-json/wp/v2/posts/{article.pk}").json()

    assert data["_links"]["version-history"][0]["count"] == 2


def test_deleting_the_user_keeps_revisions(editor, article):
    publishing.save(article, user=editor)

    editor.delete()

    assert [revision.author for revision in article.revisions.all()] == [None, None]
    assert Article.objects.filter(pk=article.pk).exists()


def test_author_restoring_keeps_the_status(client):
    user = make_user("Author")
    article = make_article(
        author=make_author(user=user), status=Article.Status.PUBLISHED
    )
    published = article.revisions.get()
    article.status = Article.Status.DRAFT
    save_article(article)
    client.force_login(user)

    client.post(restore_url(published))

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
