from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from articles.views import server_error
from tests.factories import make_article, make_image
from tests.test_roles import change_url, form_data

pytestmark = pytest.mark.django_db


def test_review_overdue_filter_lists_articles_past_their_review_date(editor_client):
    today = timezone.localdate()
    overdue = make_article(
        title="Overdue review", next_review_due=today - timedelta(days=1)
    )
    make_article(title="Review next year", next_review_due=today + timedelta(days=365))

    response = editor_client.get("/admin/articles/article/", {"review": "overdue"})

    assert list(response.context["cl"].result_list) == [overdue]


def test_article_list_shows_status_category_author_and_thumbnail(editor_client):
    article = make_article(
        featured_image=make_image(source_url="https://cdn.example.org/hero.webp")
    )

    html = editor_client.get("/admin/articles/article/").content.decode()

    assert article.title in html
    assert article.primary_category.name in html
    assert article.author.display_name in html
    assert (
        '<img src="https://cdn.example.org/hero.webp" alt="" width="80" height="53"'
        in html
    )


def test_change_form_links_to_the_article_on_the_site(editor_client):
    article = make_article()

    html = editor_client.get(
        f"/admin/articles/article/{article.pk}/change/"
    ).content.decode()

    assert 'href="/admin/r/' in html
    assert "View on site" in html


def test_image_picker_offers_library_images_to_the_editor(editor_client):
    image = make_image(title="Knee to chest", alt_text="A man hugging his knee")

    html = editor_client.get(
        "/admin/articles/image/picker/", {"CKEditorFuncNum": "-1"}
    ).content.decode()

    assert 'data-callback="-1"' in html
    assert f'data-id="{image.pk}"' in html
    assert 'data-alt="A man hugging his knee"' in html


def test_image_picker_is_for_staff_only(client):
    response = client.get("/admin/articles/image/picker/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_server_error_page_needs_no_database_or_context():
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


@pytest.mark.parametrize("value", ["None", "abc", "-1", "1e9", "\x00"])
def test_a_crafted_category_value_is_a_form_error_not_a_crash(editor_client, value):
    article = make_article()
    data = form_data(editor_client.get(change_url(article)))
    data["primary_category"] = [value]
    data["categories"] = [value]

    response = editor_client.post(change_url(article), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "primary_category" in errors


def test_submitting_for_review_says_it_went_to_the_editors(client):
    from articles.models import Article
    from tests.factories import make_user
    from tests.test_roles import own_article

    writer = make_user("Author")
    article = own_article(writer, status=Article.Status.DRAFT)
    client.force_login(writer)
    data = form_data(client.get(change_url(article))) | {"_submit_review": ["1"]}

    response = client.post(change_url(article), data, follow=True)

    said = [str(message) for message in response.context["messages"]]
    assert f"“{article.title}” is sent for review to the editors." in said
    assert not any("successfully" in message for message in said)


def test_the_dashboard_shows_what_waits_for_the_person(editor_client, editor):
    from articles.models import Article, NotFound
    from tests.factories import make_author

    mine = make_article(
        status=Article.Status.DRAFT, author=make_author(user=editor), title="My draft"
    )
    pending = make_article(status=Article.Status.PENDING, title="Please review")
    NotFound.objects.create(path="/old-page/", hits=12)

    html = editor_client.get("/admin/").text

    assert "My drafts" in html and f"/admin/articles/article/{mine.pk}/change/" in html
    assert "Waiting for your review" in html
    assert f"/admin/articles/article/{pending.pk}/review/" in html
    assert "Broken links worth a redirect" in html and "/old-page/" in html


def test_app_names_are_plain_and_tags_appear_once(client, administrator):
    client.force_login(administrator)

    html = client.get("/admin/").text

    assert "AXES" not in html and "OTP_TOTP" not in html
    assert "Sign-in lockout" in html and "Two-factor devices" in html
    assert html.count(">Tags</a>") == 1


def test_a_persons_role_is_one_choice_on_their_page(client, administrator):
    from django.contrib.auth.models import Group

    from articles.models import AuditEntry
    from tests.factories import make_user

    person = make_user("Author")
    client.force_login(administrator)
    url = f"/admin/auth/user/{person.pk}/change/"
    page = client.get(url)
    assert 'name="role"' in page.text and 'name="groups"' not in page.text
    data = form_data(page, form_id="user_form")
    data["role"] = [str(Group.objects.get(name="Editor").pk)]

    assert client.post(url, data).status_code == 302

    assert list(person.groups.values_list("name", flat=True)) == ["Editor"]
    entry = AuditEntry.objects.filter(action="role_change").latest("pk")
    assert entry.user == administrator


def test_two_new_faq_items_without_anchors_are_saved(editor_client):
    article = make_article()
    data = form_data(editor_client.get(change_url(article))) | {
        "faq_items-TOTAL_FORMS": ["2"],
        "faq_items-INITIAL_FORMS": ["0"],
        "faq_items-0-question": ["Is it serious?"],
        "faq_items-0-answer": ["<p>Rarely.</p>"],
        "faq_items-0-order": ["1"],
        "faq_items-1-question": ["Is it serious?"],
        "faq_items-1-answer": ["<p>Sometimes.</p>"],
        "faq_items-1-order": ["2"],
    }

    response = editor_client.post(change_url(article), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(article.faq_items.values_list("anchor", flat=True)) == [
        "faq-is-it-serious",
        "faq-is-it-serious-2",
    ]


def test_a_tag_typed_in_another_case_is_the_same_tag(editor_client):
    from articles.models import Tag

    article = make_article(tags=["Back pain"])
    other = make_article()
    data = form_data(editor_client.get(change_url(other))) | {"tags": ["back pain"]}

    assert editor_client.post(change_url(other), data).status_code == 302

    assert Tag.objects.count() == 1
    assert list(other.tags.names()) == ["Back pain"] == list(article.tags.names())


def test_existing_tags_are_suggested_while_typing(editor_client):
    make_article(tags=["Back pain", "Backache", "Sleep"])

    response = editor_client.get("/admin/articles/tag/suggest/", {"q": "bac"})

    assert sorted(response.json()["tags"]) == ["Back pain", "Backache"]
    page = editor_client.get(change_url(make_article())).text
    assert 'data-suggest-url="/admin/articles/tag/suggest/"' in page


@given(st.text(max_size=200))
def test_typed_tags_read_back_as_the_same_tags(text):
    from types import SimpleNamespace

    from articles.tag_input import edit_string, parse_tags

    names = parse_tags(text)
    again = parse_tags(edit_string([SimpleNamespace(name=name) for name in names]))

    assert sorted(again, key=str.casefold) == sorted(names, key=str.casefold)
    assert all(name and name == " ".join(name.split()) for name in names)


def test_a_filtered_article_list_never_counts_the_whole_table(editor_client):
    make_article(status="draft")
    make_article()

    with CaptureQueriesContext(connection) as queries:
        response = editor_client.get(
            "/admin/articles/article/", {"status__exact": "draft"}
        )

    assert response.status_code == 200
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("WHERE" in sql.upper() for sql in counts), counts
