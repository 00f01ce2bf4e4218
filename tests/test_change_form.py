"""
The article (and page) change form: the text first and the settings after
it, buttons named for what they do and offered by role and state, dates in
the site's time zone, and the SEO analysis of what is typed.
"""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Autosave, Reference, Revision, Tag
from articles.publishing.gates import SIGN_OFF_NEEDED
from tests.factories import make_article, make_category, make_user
from tests.test_roles import change_url, form_data, own_article

pytestmark = pytest.mark.django_db

ADD_ARTICLE = reverse("admin:articles_article_add")
DJANGO_BUTTONS = ('name="_save"', 'name="_continue"', 'name="_addanother"')


def buttons(response):
    """The names and labels of the publishing buttons, once each, in order."""
    found = re.findall(
        r'<input type="submit" name="(_[a-z_]+)" value="([^"]+)"', response.text
    )
    return list(dict.fromkeys(found))


def revisions_of(obj):
    return Revision.objects.filter(object_id=obj.pk).count()


def said(response):
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def writer():
    return make_user("Author")


@pytest.fixture
def editor_user():
    return make_user("Editor")


# Who sees which button


def test_an_author_saves_a_draft_or_submits_it_for_review(client, writer):
    client.force_login(writer)

    for page in (client.get(ADD_ARTICLE), client.get(change_url(own_article(writer)))):
        assert buttons(page) == [
            ("_save_draft", "Save draft"),
            ("_submit_review", "Submit for review"),
        ]
        assert 'name="_preview"' in page.text
        assert not any(button in page.text for button in DJANGO_BUTTONS)


def test_an_author_updates_an_article_pending_review_and_cannot_publish_it(
    client, writer
):
    client.force_login(writer)

    page = client.get(change_url(own_article(writer, status=Article.Status.PENDING)))

    assert buttons(page) == [("_update", "Update")]


def test_an_author_sees_no_button_on_an_article_an_editor_published(client, writer):
    client.force_login(writer)

    page = client.get(change_url(own_article(writer, status=Article.Status.PUBLISHED)))

    assert buttons(page) == []


def test_an_editor_saves_a_draft_or_publishes_it(client, editor_user):
    client.force_login(editor_user)

    page = client.get(change_url(make_article(status=Article.Status.DRAFT)))

    assert buttons(page) == [("_save_draft", "Save draft"), ("_publish", "Publish")]


def test_an_editor_schedules_a_draft_whose_date_is_to_come(client, editor_user):
    client.force_login(editor_user)
    article = make_article(
        status=Article.Status.DRAFT, published_at=timezone.now() + timedelta(days=2)
    )

    assert buttons(client.get(change_url(article))) == [
        ("_save_draft", "Save draft"),
        ("_publish", "Schedule"),
    ]


def test_an_editor_updates_or_publishes_an_article_pending_review(client, editor_user):
    client.force_login(editor_user)

    page = client.get(change_url(make_article(status=Article.Status.PENDING)))

    assert buttons(page) == [("_update", "Update"), ("_publish", "Publish")]


@pytest.mark.parametrize(
    "published_at", [timedelta(days=-1), timedelta(days=3)], ids=["live", "scheduled"]
)
def test_an_editor_updates_a_published_or_scheduled_article(
    client, editor_user, published_at
):
    client.force_login(editor_user)
    article = make_article(published_at=timezone.now() + published_at)

    page = client.get(change_url(article))

    assert buttons(page) == [("_update", "Update")]
    assert not any(button in page.text for button in DJANGO_BUTTONS)


def test_a_page_has_the_same_buttons(client, editor_user):
    client.force_login(editor_user)

    page = client.get(reverse("admin:articles_page_add"))

    assert buttons(page) == [("_save_draft", "Save draft"), ("_publish", "Publish")]


# What each button does


SCHEDULED_FOR = datetime(2030, 12, 3, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.mark.parametrize(
    ("role", "stored", "button", "status", "message"),
    [
        ("Author", {}, "_save_draft", "draft", "is saved as a draft."),
        (
            "Author",
            {},
            "_submit_review",
            "pending",
            "is sent for review to the editors.",
        ),
        (
            "Author",
            {"status": "pending"},
            "_update",
            "pending",
            "is updated, and still waits for review.",
        ),
        ("Editor", {}, "_save_draft", "draft", "is saved as a draft."),
        ("Editor", {}, "_publish", "published", "is published: readers see it now."),
        (
            "Editor",
            {"published_at": SCHEDULED_FOR},
            "_publish",
            "scheduled",
            "is scheduled for 3 December 2030, 09:00.",
        ),
        (
            "Editor",
            {"status": "pending"},
            "_publish",
            "published",
            "is published: readers see it now.",
        ),
        (
            "Editor",
            {"status": "published"},
            "_update",
            "published",
            "is updated: readers see the change now.",
        ),
    ],
)
def test_each_button_ends_in_its_state_with_a_revision_and_says_so(
    client, settings, role, stored, button, status, message
):
    settings.TIME_ZONE = "Europe/Amsterdam"
    user = make_user(role)
    article = own_article(user, **({"status": "draft"} | stored))
    client.force_login(user)
    before = revisions_of(article)
    data = form_data(client.get(change_url(article))) | {
        "title": ["A new title"],
        button: ["1"],
    }

    response = client.post(change_url(article), data)

    assert response.status_code == 302
    assert response["Location"] == change_url(article)
    article.refresh_from_db()
    assert (article.status, article.title) == (status, "A new title")
    assert revisions_of(article) == before + 1
    assert said(client.get(response["Location"])) == [f"“A new title” {message}"]


def test_a_new_draft_is_saved_and_its_form_opened_again(client, writer):
    client.force_login(writer)
    data = form_data(client.get(ADD_ARTICLE)) | {
        "title": ["First steps"],
        "slug": ["first-steps"],
        "body": ["<p>Walk.</p>"],
        "primary_category": [str(make_category().pk)],
        "_save_draft": ["1"],
    }

    response = client.post(ADD_ARTICLE, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="first-steps")
    assert response["Location"] == change_url(article)
    assert article.status == Article.Status.DRAFT
    assert revisions_of(article) == 1


# Forged buttons


@pytest.mark.parametrize(
    ("stored", "button", "message"),
    [
        (
            "draft",
            "_publish",
            "Only editors can publish. Submit the article for review instead.",
        ),
        (
            "draft",
            "_update",
            "That button is not one of yours for this content now: nothing was saved.",
        ),
        (
            "pending",
            "_submit_review",
            "That button is not one of yours for this content now: nothing was saved.",
        ),
    ],
)
def test_a_forged_button_of_an_author_is_refused_and_nothing_is_saved(
    client, writer, stored, button, message
):
    article = own_article(writer, status=stored)
    client.force_login(writer)
    before = revisions_of(article)
    data = form_data(client.get(change_url(article))) | {
        "title": ["Changed"],
        button: ["1"],
    }

    response = client.post(change_url(article), data)

    assert response.status_code == 200
    assert message in response.context["adminform"].form.non_field_errors()
    assert 'value="Changed"' in response.text
    article.refresh_from_db()
    assert (article.status, article.title) == (stored, article.title)
    assert article.title != "Changed"
    assert revisions_of(article) == before


def test_an_editor_cannot_publish_again_what_is_live(client, editor_user):
    article = make_article()
    client.force_login(editor_user)
    data = form_data(client.get(change_url(article))) | {
        "status": ["draft"],
        "_publish": ["1"],
    }

    response = client.post(change_url(article), data)

    assert response.status_code == 200
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED


def test_a_publish_the_service_refuses_keeps_the_text_and_says_why(client, editor_user):
    article = make_article(
        status=Article.Status.DRAFT,
        primary_category=make_category(requires_sign_off=True),
    )
    client.force_login(editor_user)
    before = revisions_of(article)
    data = form_data(client.get(change_url(article))) | {
        "title": ["Unreviewed claims"],
        "_publish": ["1"],
    }

    response = client.post(change_url(article), data)

    assert response.status_code == 200
    assert str(SIGN_OFF_NEEDED) in response.context["adminform"].form.non_field_errors()
    assert 'value="Unreviewed claims"' in response.text
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    assert revisions_of(article) == before


def test_two_buttons_at_once_are_refused(client, editor_user):
    article = make_article(status=Article.Status.DRAFT)
    client.force_login(editor_user)
    data = form_data(client.get(change_url(article))) | {
        "_save_draft": ["1"],
        "_publish": ["1"],
    }

    response = client.post(change_url(article), data)

    assert response.status_code == 200
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


# Layout and dates


def test_the_text_and_its_parts_come_before_the_settings(editor_client):
    response = editor_client.get(change_url(make_article()))

    names = [str(fieldset.name) for fieldset in response.context["adminform"]]
    assert names == [
        "Content",
        "Publishing",
        "Categories and tags",
        "Images",
        "Search engines",
        "Search engines: canonical address and robots",
        "Medical review",
        "WordPress origin",
        "Translations",
        "Revisions",
    ]
    content = response.context["adminform"].fieldsets[0][1]["fields"]
    assert content == ["title", "body", "excerpt"]
    html = response.text
    order = [
        html.index(marker)
        for marker in (
            'id="id_title"',
            'id="id_body"',
            'id="id_excerpt"',
            'id="takeaways-group"',
            'id="faq_items-group"',
            'id="references-group"',
            ">Publishing</h2>",
            ">Categories and tags</h2>",
            ">Search engines</h2>",
            ">Medical review</h2>",
        )
    ]
    assert order == sorted(order)


def test_rarely_used_groups_are_collapsed(editor_client):
    response = editor_client.get(change_url(make_article()))

    collapsed = [
        str(fieldset.name)
        for fieldset in response.context["adminform"]
        if fieldset.is_collapsible
    ]
    assert collapsed == [
        "Search engines: canonical address and robots",
        "WordPress origin",
        "Revisions",
    ]


def test_the_publish_date_is_shown_in_the_sites_time_zone_and_says_so(
    editor_client, settings
):
    settings.TIME_ZONE = "Asia/Tokyo"
    article = make_article(
        published_at=datetime(2026, 3, 1, 22, 30, tzinfo=ZoneInfo("UTC"))
    )

    html = editor_client.get(change_url(article)).text

    assert 'name="published_at_0" value="2026-03-02"' in html
    assert 'name="published_at_1" value="07:30:00"' in html
    assert "Times are the site’s, Asia/Tokyo, wherever you are." in html


def test_a_date_typed_in_the_form_is_the_sites_time(editor_client, settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    article = make_article(status=Article.Status.DRAFT)
    data = form_data(editor_client.get(change_url(article))) | {
        "published_at_0": ["2030-01-10"],
        "published_at_1": ["09:00:00"],
        "_save_draft": ["1"],
    }

    editor_client.post(change_url(article), data)

    article.refresh_from_db()
    assert article.published_at == datetime(2030, 1, 10, 0, 0, tzinfo=ZoneInfo("UTC"))


# The live SEO analysis


def analysis_url(article):
    return reverse("admin:articles_article_seo_analysis", args=[article.pk])


def typed(client, article, **changes):
    return form_data(client.get(change_url(article))) | {
        name: [value] for name, value in changes.items()
    }


def test_the_analysis_follows_what_is_typed_not_what_is_saved(editor_client):
    article = make_article(title="Back pain", focus_keyphrases="")
    data = typed(
        editor_client,
        article,
        title="Stretches for back pain",
        focus_keyphrases="stretches",
        meta_description="Gentle stretches that ease back pain, from a physiotherapist.",
    )

    answer = editor_client.post(analysis_url(article), data).json()

    saved = editor_client.post(analysis_url(article), typed(editor_client, article))
    assert answer["score"] != saved.json()["score"]
    checks = {check["key"]: check for check in answer["checks"]}
    assert set(checks["keyphrase_title"]) == {
        "key",
        "label",
        "status",
        "status_label",
        "message",
    }
    assert checks["keyphrase_title"]["status"] == "pass"


def test_a_new_article_is_analysed_as_typed(editor_client):
    data = form_data(editor_client.get(ADD_ARTICLE)) | {
        "title": ["Knee pain"],
        "body": ["<h2>Causes</h2><p>Knee pain has many causes.</p>"],
    }

    response = editor_client.post(
        reverse("admin:articles_article_seo_analysis_add"), data
    )

    assert response.status_code == 200
    assert 0 <= response.json()["score"] <= 100
    assert not Article.objects.filter(title="Knee pain").exists()


def test_the_analysis_writes_nothing(editor_client):
    article = make_article()
    data = typed(
        editor_client, article, title="Something else entirely", tags="new, tags"
    )
    before = revisions_of(article)

    with CaptureQueriesContext(connection) as queries:
        response = editor_client.post(analysis_url(article), data)

    assert response.status_code == 200
    written = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        # The session and the login lockout's bookkeeping are the request's own.
        and "django_session" not in query["sql"]
    ]
    assert written == []
    article.refresh_from_db()
    assert article.title != "Something else entirely"
    assert revisions_of(article) == before
    assert not Autosave.objects.exists()
    assert not Tag.objects.exists()


def test_the_analysis_is_for_who_may_edit_the_article(client, writer):
    someone_elses = make_article(status=Article.Status.DRAFT)
    mine = own_article(writer)

    assert client.post(analysis_url(mine), {}).status_code == 302  # to the login
    client.force_login(make_user())  # not staff
    assert client.post(analysis_url(mine), {}).status_code == 302
    client.force_login(writer)
    assert client.post(analysis_url(someone_elses), {}).status_code == 403
    assert client.get(analysis_url(mine)).status_code == 403
    assert client.post(analysis_url(mine), typed(client, mine)).status_code == 200


def test_the_analysis_needs_the_csrf_token(writer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(writer)
    mine = own_article(writer)
    data = typed(client, mine)

    assert client.post(analysis_url(mine), data).status_code == 403


def test_the_analysis_counts_the_references_typed(editor_client):
    article = make_article()
    without = typed(editor_client, article)
    with_one = without | {
        "references-TOTAL_FORMS": ["1"],
        "references-0-title": ["NICE guideline NG59"],
        "references-0-order": ["0"],
    }

    checks = [
        {
            check["key"]: check["status"]
            for check in editor_client.post(analysis_url(article), data).json()[
                "checks"
            ]
        }
        for data in (without, with_one)
    ]

    assert checks[0]["references"] != checks[1]["references"]


def test_the_analysis_asks_the_same_few_queries_however_long_the_article(
    editor_client, django_assert_max_num_queries
):
    short = make_article()
    Reference.objects.create(article=short, title="Study", order=0)
    long = make_article(body="<h2>Part</h2><p>Text and more.</p>" * 50)
    for order in range(12):
        Reference.objects.create(article=long, title=f"Study {order}", order=order)
    counts = []
    for article in (short, long):
        data = typed(editor_client, article)
        with CaptureQueriesContext(connection) as queries:
            editor_client.post(analysis_url(article), data)
        counts.append(len(queries))

    assert counts[0] == counts[1]
    data = typed(editor_client, long)
    with django_assert_max_num_queries(25):
        editor_client.post(analysis_url(long), data)
