from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

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
