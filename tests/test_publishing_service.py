"""
Every way content changes goes through the publishing service and leaves
the same effects: one revision, one audit entry naming who acted, one
content_changed event; and every way a person can make an article live
meets the same publish gate.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.http import QueryDict
from django.urls import reverse

from articles import autosave, publishing
from articles.importers.wordpress.load import import_post
from articles.importers.wordpress.sources import parse_post
from articles.models import Article, AuditEntry
from tests.factories import make_article, make_image, save_article
from tests.test_import_wordpress import seed_data
from tests.test_roles import change_url, form_data, run_action

pytestmark = pytest.mark.django_db

Status = Article.Status


@pytest.fixture
def announced():
    """The objects named by each content_changed event."""
    events = []

    def receive(instances, **kwargs):
        events.append(list(instances))

    publishing.content_changed.connect(receive, dispatch_uid="test-entry-points")
    yield events
    publishing.content_changed.disconnect(dispatch_uid="test-entry-points")


def post_change_form(client, article, **changes):
    data = form_data(client.get(change_url(article))) | changes
    return client.post(change_url(article), data)


def restore_autosave(client, article, **changes):
    data = form_data(client.get(change_url(article))) | {
        name: [value] for name, value in changes.items()
    }
    post = QueryDict(mutable=True)
    for name, values in data.items():
        post.setlist(name, values)
    autosave.keep(article, user=client.user, post=post)
    return client.post(
        reverse("admin:articles_article_autosave_restore", args=[article.pk]),
        {"restore": "1"},
    )


def review(client, article, decision, comment=""):
    return client.post(
        reverse("admin:articles_article_review", args=[article.pk]),
        {"decision": decision, "comment": comment},
    )


def restore_first_revision(client, article):
    first = article.revisions.order_by("pk").first()
    return client.post(
        reverse("admin:articles_article_restore_revision", args=[article.pk, first.pk])
    )


def delete_in_the_admin(client, article):
    return client.post(
        reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
    )


# (what the article is before, how a person changes it)
ENTRY_POINTS = {
    "change form": (Status.PUBLISHED, lambda c, a: post_change_form(c, a, title="New")),
    # The form's buttons an editor has; an Author's "Submit for review" is
    # proved in test_change_form.py.
    "save draft button": (
        Status.DRAFT,
        lambda c, a: post_change_form(c, a, _save_draft="1"),
    ),
    "publish button": (Status.DRAFT, lambda c, a: post_change_form(c, a, _publish="1")),
    "update button": (
        Status.PUBLISHED,
        lambda c, a: post_change_form(c, a, title="New", _update="1"),
    ),
    "autosave restore": (
        Status.PUBLISHED,
        lambda c, a: restore_autosave(c, a, title="Kept while typing"),
    ),
    "bulk publish": (Status.DRAFT, lambda c, a: run_action(c, "publish", a)),
    "bulk move to draft": (
        Status.PUBLISHED,
        lambda c, a: run_action(c, "move_to_draft", a),
    ),
    "bulk trash": (Status.PUBLISHED, lambda c, a: run_action(c, "move_to_trash", a)),
    "bulk restore from trash": (
        Status.TRASH,
        lambda c, a: run_action(c, "restore_from_trash", a),
    ),
    "delete button": (Status.PUBLISHED, delete_in_the_admin),
    "review approve": (Status.PENDING, lambda c, a: review(c, a, "approve")),
    "review send back": (
        Status.PENDING,
        lambda c, a: review(c, a, "send_back", comment="Cite a source."),
    ),
    "revision restore": (Status.PUBLISHED, restore_first_revision),
}


def prepared(status):
    article = make_article(title="Back pain")
    if status == Status.TRASH:
        article = publishing.trash(article, user=None).obj
    elif status != Status.PUBLISHED:
        article.status = status
        save_article(article)
    # The revision restore has an older version to go back to.
    article.title = "Back pain, revised"
    return Article.objects.get(pk=save_article(article).pk)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    client.user = editor
    return client


@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
def test_every_entry_point_leaves_a_revision_an_audit_entry_and_one_event(
    editor_client, editor, announced, entry_point
):
    before, change = ENTRY_POINTS[entry_point]
    article = prepared(before)
    revisions, entries = article.revisions.count(), AuditEntry.objects.count()
    announced.clear()

    response = change(editor_client, article)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert article.revisions.count() == revisions + 1
    assert article.revisions.first().author == editor
    (entry,) = AuditEntry.objects.order_by("pk")[entries:]
    assert (entry.user, entry.object_id) == (editor, str(article.pk))
    assert entry.details["revision"] == article.revisions.first().pk
    assert [[obj.pk for obj in event] for event in announced] == [[article.pk]]


def test_the_importer_leaves_a_revision_an_audit_entry_and_one_event(announced):
    post = parse_post(seed_data(), source="seed.json")

    outcome = import_post(post, site_url=settings.WORDPRESS_SITE_URL)

    article = Article.objects.get(pk=outcome.article_id)
    assert article.revisions.count() == 1
    entry = AuditEntry.objects.get(object_id=str(article.pk))
    assert (entry.user, entry.action) == (None, AuditEntry.Action.PUBLISH)
    assert [[obj.pk for obj in event] for event in announced] == [[article.pk]]


# The ways a person can make an article live: each meets the alt-text gate.
GOING_LIVE = {
    "change form": (
        Status.DRAFT,
        lambda c, a: post_change_form(c, a, status="published"),
    ),
    "autosave restore": (
        Status.DRAFT,
        lambda c, a: restore_autosave(c, a, status="published"),
    ),
    "bulk publish": (Status.DRAFT, lambda c, a: run_action(c, "publish", a)),
    "bulk restore from trash": (
        Status.TRASH,
        lambda c, a: run_action(c, "restore_from_trash", a),
    ),
    "review approve": (Status.PENDING, lambda c, a: review(c, a, "approve")),
    "revision restore": (Status.DRAFT, restore_first_revision),
}


@pytest.mark.parametrize("entry_point", GOING_LIVE)
def test_no_entry_point_publishes_an_image_without_alt_text(
    editor_client, announced, entry_point
):
    before, change = GOING_LIVE[entry_point]
    image = make_image(title="Stretching mat", alt_text="")
    article = make_article(
        body=f'<figure><img src="{image.url}" alt="" data-file="{image.pk}"></figure>'
    )
    # Published once (by the system, which keeps what it imports), then
    # brought to the state the entry point starts from.
    if before == Status.TRASH:
        publishing.trash(article, user=None)
    else:
        article.status = before
        save_article(article)
    article.refresh_from_db()
    revisions, entries = article.revisions.count(), AuditEntry.objects.count()
    announced.clear()

    response = change(editor_client, article)

    article.refresh_from_db()
    assert article.status == before
    assert article.revisions.count() == revisions
    assert AuditEntry.objects.count() == entries
    assert announced == []
    page = editor_client.get(response.url) if response.status_code == 302 else response
    assert "Stretching mat" in page.content.decode()


def test_approving_records_a_revision(editor_client, editor):
    article = prepared(Status.PENDING)

    review(editor_client, article, "approve")

    latest = article.revisions.first()
    assert latest.snapshot["fields"]["status"] == Status.PUBLISHED
    assert latest.author == editor


def test_restoring_a_revision_that_republishes_records_the_publishing(
    editor_client, editor
):
    article = make_article()
    article.status = Status.DRAFT
    save_article(article)

    restore_first_revision(editor_client, article)

    entry = AuditEntry.objects.latest("pk")
    assert (entry.user, entry.action) == (editor, AuditEntry.Action.PUBLISH)
    assert entry.details["summary"].startswith("Restored the version of")


SERVICE = Path(settings.BASE_DIR) / "articles" / "publishing"
# Where rows of the history are written: the service, and the module that
# writes role changes (not content) and whose functions the service calls.
WRITERS = {SERVICE, Path(settings.BASE_DIR) / "articles" / "audit.py"}


def writes_history(path):
    """Whether a module creates revisions or audit entries itself."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            text = ast.unparse(node.func)
            if text.startswith(("Revision.objects.", "AuditEntry.objects.")) and (
                text.endswith(("create", "bulk_create", "get_or_create"))
            ):
                return True
            if text in {"Revision", "AuditEntry"} or text.startswith("audit.record"):
                return True
    return False


def test_no_module_but_the_service_records_revisions_or_audit_entries():
    modules = [
        path
        for path in (Path(settings.BASE_DIR) / "articles").rglob("*.py")
        if "migrations" not in path.parts
        and not any(path == w or w in path.parents for w in WRITERS)
    ]

    assert [str(path) for path in modules if writes_history(path)] == []
    assert writes_history(SERVICE / "sequence.py")
