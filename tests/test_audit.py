"""
The audit log records every change to content (creating, changing,
publishing, unpublishing, scheduling, trashing, restoring) and role
changes, with who did it; only Administrators read it, and no one can add,
change or delete entries in the admin.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles import audit
from articles.models import Article, AuditEntry
from tests.factories import make_article, make_user
from tests.test_roles import change_url, form_data, run_action

pytestmark = pytest.mark.django_db

LOG = reverse("admin:articles_auditentry_changelist")


def actions_for(obj):
    return list(
        AuditEntry.objects.filter(object_id=str(obj.pk))
        .exclude(action=AuditEntry.Action.ROLE_CHANGE)
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_publishing_through_the_form_is_recorded_with_who_did_it(editor_client, editor):
    article = make_article(status=Article.Status.DRAFT)
    page = editor_client.get(change_url(article))
    editor_client.post(change_url(article), form_data(page) | {"status": "published"})
    entry = AuditEntry.objects.get(action="publish")
    assert entry.user == editor
    assert entry.user_repr == editor.username
    assert entry.object_repr == article.title
    assert entry.details == {
        "old": "draft",
        "new": "published",
        "revision": article.revisions.first().pk,
        "summary": "Changed status",
    }


def test_scheduling_is_recorded_with_the_publish_date(editor_client):
    article = make_article(status=Article.Status.DRAFT)
    page = editor_client.get(change_url(article))
    later = timezone.localtime() + timedelta(days=5)
    editor_client.post(
        change_url(article),
        form_data(page)
        | {
            "status": "published",
            "published_at_0": later.strftime("%Y-%m-%d"),
            "published_at_1": later.strftime("%H:%M:%S"),
        },
    )
    entry = AuditEntry.objects.exclude(action="role_change").latest("pk")
    assert entry.action == "schedule"
    assert "published_at" in entry.details


def test_bulk_actions_record_publish_unpublish_and_trash(editor_client):
    article = make_article(status=Article.Status.DRAFT)
    run_action(editor_client, "publish", article)
    run_action(editor_client, "move_to_draft", article)
    run_action(editor_client, "move_to_trash", article)
    assert actions_for(article) == ["create", "publish", "unpublish", "trash"]


def test_leaving_the_trash_is_recorded_as_a_restore(editor):
    article = make_article(status=Article.Status.TRASH)
    assert audit.status_action(Article.Status.TRASH, Article.Status.DRAFT) == (
        "restore"
    )
    audit.record(editor, "restore", article, to="draft")
    assert AuditEntry.objects.get(action="restore").details == {"to": "draft"}


def test_saving_without_a_status_change_is_recorded_as_a_change(editor_client, editor):
    article = make_article()
    page = editor_client.get(change_url(article))
    editor_client.post(change_url(article), form_data(page) | {"title": "New"})
    assert actions_for(article) == ["publish", "change"]
    change = AuditEntry.objects.latest("pk")
    assert (change.user, change.details["summary"]) == (editor, "Changed title")


def test_role_changes_in_the_user_admin_are_recorded(client):
    administrator = make_user("Administrator")
    user = make_user("Author")
    client.force_login(administrator)
    url = reverse("admin:auth_user_change", args=[user.pk])
    page = client.get(url)
    data = form_data(page, form_id="user_form")
    data["role"] = [str(Group.objects.get(name="Editor").pk)]
    response = client.post(url, data)
    assert response.status_code == 302
    entries = AuditEntry.objects.filter(action="role_change", object_id=str(user.pk))
    changes = {
        k: v for e in entries.filter(user=administrator) for k, v in e.details.items()
    }
    assert changes == {"added": ["Editor"], "removed": ["Author"]}


def test_adding_a_user_to_a_group_from_the_group_side_is_recorded():
    user = make_user()
    Group.objects.get(name="Editor").user_set.add(user)
    entry = AuditEntry.objects.get(action="role_change", object_id=str(user.pk))
    assert entry.details == {"added": ["Editor"]}


def test_administrators_read_the_log(client):
    article = make_article()
    audit.record(None, "publish", article)
    client.force_login(make_user("Administrator"))
    response = client.get(LOG)
    assert response.status_code == 200
    assert article.title in response.text
    assert change_url(article) in response.text


@pytest.mark.parametrize("role", ["Editor", "Author"])
def test_editors_and_authors_cannot_read_the_log(client, role):
    client.force_login(make_user(role))
    assert client.get(LOG).status_code == 403


def test_no_one_adds_changes_or_deletes_entries(client):
    entry = audit.record(None, "publish", make_article())
    client.force_login(make_user(is_superuser=True, is_staff=True))
    assert client.get(reverse("admin:articles_auditentry_add")).status_code == 403
    url = reverse("admin:articles_auditentry_change", args=[entry.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert client.post(url, {"action": "trash"}).status_code == 403
    delete = reverse("admin:articles_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).action == "publish"


def test_administrator_role_has_only_the_view_permission_on_the_log():
    codenames = set(
        Group.objects.get(name="Administrator")
        .permissions.filter(content_type__model="auditentry")
        .values_list("codename", flat=True)
    )
    assert codenames == {"view_auditentry"}
    assert (
        not Group.objects.get(name="Editor")
        .permissions.filter(content_type__model="auditentry")
        .exists()
    )
