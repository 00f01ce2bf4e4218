"""Redirects that never lose a visitor, and the 404 log."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, NotFound, Redirect
from tests.factories import make_article, make_category, make_user, save_article

pytestmark = pytest.mark.django_db


def test_renamed_article_answers_its_old_url_with_a_301(client):
    article = make_article(slug="back-spasm-remedy")
    old_url = article.get_absolute_url()

    article.slug = "back-spasm-home-remedies"
    save_article(article)

    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
    redirect = Redirect.objects.get(old_path=old_url)
    assert (redirect.target, redirect.hits) == (article, 1)


def test_moving_an_article_to_another_category_leaves_a_301(client):
    article = make_article()
    old_url = article.get_absolute_url()

    article.primary_category = make_category(slug="spine")
    save_article(article)

    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == f"/en/spine/{article.slug}/"


def test_renaming_twice_leaves_no_chain(client):
    article = make_article(slug="first")
    first = article.get_absolute_url()
    article.slug = "second"
    save_article(article)
    second = article.get_absolute_url()
    article.slug = "third"
    save_article(article)

    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {
        first: article.get_absolute_url(),
        second: article.get_absolute_url(),
    }


def test_renaming_back_leaves_no_loop(client):
    article = make_article(slug="original")
    original = article.get_absolute_url()
    article.slug = "renamed"
    save_article(article)
    renamed = article.get_absolute_url()

    article.slug = "original"
    save_article(article)

    assert list(Redirect.objects.values_list("old_path", "new_path")) == [
        (renamed, original)
    ]
    assert client.get(original).status_code == 200


def test_renaming_a_draft_leaves_no_redirect():
    article = make_article(status=Article.Status.DRAFT)

    article.slug = "new-draft-slug"
    save_article(article)

    assert not Redirect.objects.exists()


def test_saving_without_a_url_change_costs_no_redirect_query():
    article = Article.objects.get(pk=make_article().pk)
    article.title = "New title, same slug"

    with CaptureQueriesContext(connection) as queries:
        save_article(article)

    assert not [q for q in queries if "articles_redirect" in q["sql"]]


def test_manual_exact_302_redirect_keeps_the_query_string(client):
    Redirect.objects.create(old_path="/old/", new_path="/en/", status_code=302)

    response = client.get("/old/?utm_source=x")

    assert response.status_code == 302
    assert response["Location"] == "/en/?utm_source=x"


def test_prefix_rule_keeps_the_rest_of_the_path_and_the_longest_wins(client):
    Redirect.objects.create(old_path="/blog/", new_path="/en/", is_prefix=True)
    Redirect.objects.create(
        old_path="/blog/health/", new_path="/en/health/", is_prefix=True
    )

    assert client.get("/blog/health/knees/")["Location"] == "/en/health/knees/"
    assert client.get("/blog/other/")["Location"] == "/en/other/"


def test_gone_answers_410(client):
    Redirect.objects.create(old_path="/removed/", status_code=410)

    response = client.get("/removed/")

    assert response.status_code == 410
    assert b"removed" in response.content


def test_normal_page_costs_no_redirect_query(client, django_assert_num_queries):
    """The 200 page's query count is that of the page alone (asserted elsewhere)."""
    article = make_article()
    Redirect.objects.create(old_path=article.get_absolute_url(), new_path="/en/")

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200


def test_missing_path_is_logged_once_with_a_hit_counter(client):
    client.get("/en/no-such-thing/", headers={"referer": "https://ex.org/a"})
    client.get("/en/no-such-thing/")

    entry = NotFound.objects.get()
    assert (entry.path, entry.hits) == ("/en/no-such-thing/", 2)


@pytest.mark.parametrize("path", ["/wp-login.php", "/wp-admin/", "/.env", "/x.php"])
def test_probes_are_not_logged(client, path):
    assert client.get(path).status_code == 404

    assert not NotFound.objects.exists()


def test_admin_404_log_offers_create_redirect_prefilled(client):
    client.force_login(make_user("Editor"))
    NotFound.objects.create(path="/en/old-link/", hits=3)

    listing = client.get("/admin/articles/notfound/").content.decode()
    add_url = "/admin/articles/redirect/add/?old_path=/en/old-link/"
    assert add_url in listing

    form = client.get(add_url).content.decode()
    assert 'value="/en/old-link/"' in form


def test_creating_a_redirect_clears_its_404_log_entry(client):
    NotFound.objects.create(path="/en/old-link/", hits=3)

    Redirect.objects.create(old_path="/en/old-link/", new_path="/en/")

    assert not NotFound.objects.exists()
    assert client.get("/en/old-link/").status_code == 301


def test_wordpress_post_id_at_the_root_answers_with_the_imported_article(client):
    article = make_article(wordpress_id=9580)

    for parameter in ("p", "page_id"):
        response = client.get(f"/?{parameter}=9580")

        assert response.status_code == 301
        assert response["Location"] == article.get_absolute_url()


def test_wordpress_page_id_at_the_root_answers_with_the_imported_page(client):
    from articles import publishing
    from articles.models import Page

    page = publishing.save(
        Page(title="About", slug="about", status="published", wordpress_id=12),
        user=None,
    ).obj

    response = client.get("/?page_id=12")

    assert (response.status_code, response["Location"]) == (301, "/en/about/")
    assert page.get_absolute_url() == "/en/about/"


def test_wordpress_id_of_unpublished_content_goes_to_the_home_page(client):
    make_article(wordpress_id=9580, status=Article.Status.DRAFT)

    response = client.get("/?p=9580")

    assert (response.status_code, response["Location"]) == (302, "/en/")


def test_a_rule_for_a_path_with_its_query_string_answers_first(client):
    Redirect.objects.create(old_path="/?p=12", new_path="/en/twelve/")
    Redirect.objects.create(old_path="/old/?id=5", new_path="/en/five/")
    Redirect.objects.create(old_path="/old/", new_path="/en/elsewhere/")

    assert client.get("/?p=12")["Location"] == "/en/twelve/"
    assert client.get("/old/?id=5")["Location"] == "/en/five/"
    # The path alone still answers, passing the query on.
    assert client.get("/old/?id=6")["Location"] == "/en/elsewhere/?id=6"


def test_the_importers_plain_permalink_redirect_answers_at_its_url(client, settings):
    from articles.importers.wordpress.load import import_post
    from articles.importers.wordpress.sources import parse_post
    from tests.test_import_wordpress import seed_data

    data = seed_data()
    data["link"] = f"{settings.WORDPRESS_SITE_URL}/?p=9580"
    article = Article.objects.get(
        pk=import_post(parse_post(data, source="seed.json")).article_id
    )
    Article.objects.filter(pk=article.pk).update(wordpress_id=None)

    response = client.get("/?p=9580")

    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
