"""The read-only WordPress REST API, driven the way WordPress client libraries drive it."""

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.api.params import sanitize_title
from articles.importers.wordpress.load import import_post
from articles.importers.wordpress.sources import parse_post
from articles.models import Article, Tag
from tests.factories import (
    make_article,
    make_author,
    make_category,
    make_image,
    save_article,
)

SEED = Path(django_settings.BASE_DIR) / "demo" / "back-spasm-remedy.json"
SITE = "https://goldcitymedicalcenter.nl"
API = "/wp-json/wp/v2"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.WORDPRESS_SITE_URL = SITE
    settings.TIME_ZONE = "Europe/Amsterdam"


def seed_data():
    return json.loads(SEED.read_text())


@pytest.fixture
def seed(db):
    outcome = import_post(parse_post(seed_data(), source="seed.json"))
    assert outcome.action == "created"
    return Article.objects.get(wordpress_id=9580)


def many_articles(count, **overrides):
    category = make_category(slug="health", name="Health")
    author = make_author()
    start = timezone.now() - timedelta(days=count + 1)
    return [
        make_article(
            title=f"Post {n:02}",
            slug=f"post-{n:02}",
            primary_category=category,
            author=author,
            published_at=start + timedelta(days=n),
            **overrides,
        )
        for n in range(count)
    ]


# The seed post, field by field


def test_imported_seed_post_matches_the_wordpress_json_field_by_field(seed, client):
    """Every field equals the seed's, except the API's own address (/wp-json/ instead of /en/wp-json/),
    content (our markup) and the excerpt's more marker, which becomes an ellipsis."""
    seed_json = seed_data()

    data = client.get(f"{API}/posts/9580").json()

    assert list(data) == list(seed_json)
    different = {"content", "excerpt", "_links"}
    for name in set(seed_json) - different:
        assert data[name] == seed_json[name], name
    assert data["excerpt"]["protected"] is False
    assert data["excerpt"]["rendered"].startswith(
        seed_json["excerpt"]["rendered"].split("[&hellip;]")[0].rstrip()
    )
    expected_links = json.loads(
        json.dumps(seed_json["_links"]).replace(
            f"{SITE}/en/wp-json/", f"{SITE}/wp-json/"
        )
    )
    del expected_links["predecessor-version"]  # Revisions are never served.
    # The count is of this site's own revisions: the import made the first.
    expected_links["version-history"][0]["count"] = 1
    assert data["_links"] == expected_links
    assert data["content"]["protected"] is False


def test_seed_content_keeps_its_headings_and_figures(seed, client):
    content = client.get(f"{API}/posts/9580").json()["content"]["rendered"]

    assert "<h2" in content and "Understanding Back Spasms and Their Causes" in content
    assert "<figure><img" in content and "bty-1377_image_2" in content
    assert "<script" not in content


# Lists, paging and headers


def test_list_pages_through_with_the_total_headers_and_link(db, client):
    many_articles(25)

    first = client.get(f"{API}/posts", {"per_page": 10})
    second = client.get(f"{API}/posts", {"per_page": 10, "page": 2})
    last = client.get(f"{API}/posts", {"per_page": 10, "page": 3})

    assert first["X-WP-Total"] == "25" and first["X-WP-TotalPages"] == "3"
    assert first["Link"] == f'<{SITE}{API}/posts?per_page=10&page=2>; rel="next"'
    assert second["Link"] == (
        f'<{SITE}{API}/posts?per_page=10&page=1>; rel="prev", '
        f'<{SITE}{API}/posts?per_page=10&page=3>; rel="next"'
    )
    assert last["Link"] == f'<{SITE}{API}/posts?per_page=10&page=2>; rel="prev"'
    titles = [
        post["title"]["rendered"]
        for response in (first, second, last)
        for post in response.json()
    ]
    assert titles == [f"Post {n:02}" for n in reversed(range(25))]


def test_page_past_the_last_is_a_wordpress_error(db, client):
    many_articles(3)

    response = client.get(f"{API}/posts", {"page": 2})

    assert response.status_code == 400
    assert response.json() == {
        "code": "rest_post_invalid_page_number",
        "message": "The page number requested is larger than the number of pages available.",
        "data": {"status": 400},
    }


@pytest.mark.parametrize("per_page", ["0", "101", "-1", "0.5"])
def test_per_page_out_of_bounds_is_rest_invalid_param(db, client, per_page):
    """WP_REST_Controller::get_collection_params() bounds per_page to 1..100;
    rest_validate_number_value_from_schema() words it, and bounds come before the
    integer check. WP_REST_Request::has_valid_params() wraps it with params and details."""
    response = client.get(f"{API}/posts", {"per_page": per_page})

    message = "per_page must be between 1 (inclusive) and 100 (inclusive)"
    assert response.status_code == 400
    assert response.json() == {
        "code": "rest_invalid_param",
        "message": "Invalid parameter(s): per_page",
        "data": {
            "status": 400,
            "params": {"per_page": message},
            "details": {
                "per_page": {
                    "code": "rest_out_of_bounds",
                    "message": message,
                    "data": None,
                }
            },
        },
    }


def test_offset_order_and_orderby(db, client):
    many_articles(5)

    by_title = client.get(f"{API}/posts", {"orderby": "title", "order": "asc"}).json()
    offset = client.get(
        f"{API}/posts", {"orderby": "slug", "order": "asc", "offset": 3}
    ).json()

    assert [post["slug"] for post in by_title] == [f"post-{n:02}" for n in range(5)]
    assert [post["slug"] for post in offset] == ["post-03", "post-04"]


def test_orderby_include_follows_the_include_order(db, client):
    articles = many_articles(3)
    ids = [articles[2].pk, articles[0].pk, articles[1].pk]

    data = client.get(
        f"{API}/posts", {"include": ",".join(map(str, ids)), "orderby": "include"}
    ).json()

    assert [post["id"] for post in data] == ids


def test_relevance_needs_a_search_term_and_include_an_include(db, client):
    """WP_REST_Posts_Controller::get_items(), for posts and (by inheritance) media."""
    for route in ("posts", "media"):
        relevance = client.get(f"{API}/{route}", {"orderby": "relevance"})
        include = client.get(f"{API}/{route}", {"orderby": "include"})

        assert relevance.status_code == include.status_code == 400
        assert relevance.json() == {
            "code": "rest_no_search_term_defined",
            "message": "You need to define a search term to order by relevance.",
            "data": {"status": 400},
        }
        assert include.json() == {
            "code": "rest_orderby_include_missing_include",
            "message": "You need to define an include parameter to order by include.",
            "data": {"status": 400},
        }


# Filters


def test_by_slug_one_or_many(seed, client):
    many_articles(3)

    one = client.get(f"{API}/posts", {"slug": "back-spasm-remedy"}).json()
    many = client.get(f"{API}/posts?slug[]=post-00&slug[]=post-02").json()

    assert [post["id"] for post in one] == [9580]
    assert sorted(post["slug"] for post in many) == ["post-00", "post-02"]


def test_filter_by_category_and_tag_with_their_wordpress_ids(seed, client):
    other = many_articles(2)
    other[0].tags.add("stretching at work")  # A tag made here, not imported.

    by_category = client.get(f"{API}/posts", {"categories": "12"}).json()
    by_tag = client.get(f"{API}/posts", {"tags": "2115"}).json()
    without = client.get(f"{API}/posts", {"categories_exclude": "12"}).json()
    without_tag = client.get(f"{API}/posts", {"tags_exclude": "2183"}).json()

    assert [post["id"] for post in by_category] == [9580]
    assert [post["id"] for post in by_tag] == [9580]
    assert 9580 not in [post["id"] for post in without] and len(without) == 2
    assert 9580 not in [post["id"] for post in without_tag]


def test_search_author_sticky_include_exclude(db, client):
    articles = many_articles(4)
    articles[1].title = "Magnesium for cramps"
    articles[1].sticky = True
    save_article(articles[1])
    other_author = make_author(wordpress_id=77)
    articles[2].author = other_author
    save_article(articles[2])

    def ids(**query):
        return [post["id"] for post in client.get(f"{API}/posts", query).json()]

    assert ids(search="magnesium") == [articles[1].pk]
    assert ids(sticky="true") == [articles[1].pk]
    assert ids(author="77") == [articles[2].pk]
    assert ids(include=f"{articles[0].pk},{articles[3].pk}") == [
        articles[3].pk,
        articles[0].pk,
    ]
    assert articles[0].pk not in ids(exclude=str(articles[0].pk))


def test_date_filters(db, client):
    articles = many_articles(4)
    middle = articles[1].published_at

    after = client.get(f"{API}/posts", {"after": middle.isoformat()}).json()
    before = client.get(f"{API}/posts", {"before": middle.isoformat()}).json()
    modified = client.get(
        f"{API}/posts",
        {"modified_after": (timezone.now() - timedelta(hours=1)).isoformat()},
    ).json()

    assert [post["slug"] for post in after] == ["post-03", "post-02"]
    assert [post["slug"] for post in before] == ["post-00"]
    assert len(modified) == 4
    bad = client.get(f"{API}/posts", {"after": "yesterday"})
    assert bad.status_code == 400 and bad.json()["data"]["params"] == {
        "after": "Invalid date."
    }


def test_fields_keeps_only_the_asked_fields(seed, client):
    data = client.get(f"{API}/posts", {"_fields": "id,title.rendered,link"}).json()

    assert data == [
        {
            "id": 9580,
            "title": {"rendered": "Back Spasm Remedy: Incredible Home Treatments"},
            "link": f"{SITE}/en/beauty/back-spasm-remedy/",
        }
    ]


def test_embed_gives_author_featured_media_and_terms(seed, client):
    post = client.get(f"{API}/posts", {"_embed": "1"}).json()[0]

    embedded = post["_embedded"]
    assert embedded["author"][0]["id"] == 13
    assert embedded["wp:featuredmedia"][0]["id"] == 10882
    assert embedded["wp:featuredmedia"][0]["source_url"].endswith(
        "bty-1377_image_1.webp"
    )
    assert [term["slug"] for term in embedded["wp:term"][0]] == ["beauty"]
    assert [term["slug"] for term in embedded["wp:term"][1]] == [
        "back-pain",
        "home-remedy",
        "natural",
    ]


def test_list_query_count_does_not_grow_with_the_page_size(
    db, client, django_assert_max_num_queries
):
    articles = many_articles(30)
    image = make_image()
    for article in articles:
        article.tags.add("sleep", "back")
        article.featured_image = image
        save_article(article)

    # One of them prefetches renditions: embedded media share a rendition,
    # never the uploaded original.
    with django_assert_max_num_queries(6):
        assert (
            len(client.get(f"{API}/posts", {"per_page": 30, "_embed": ""}).json()) == 30
        )
    with django_assert_max_num_queries(3):
        client.get(f"{API}/tags", {"per_page": 100})
    with django_assert_max_num_queries(4):
        client.get(f"{API}/media", {"per_page": 100})


# Terms, users, media


def test_categories_with_parents_counts_hide_empty_and_post(seed, client):
    parent = make_category(slug="body", name="Body", wordpress_id=5)
    child = make_category(slug="back", name="Back", parent=parent)

    everything = client.get(f"{API}/categories").json()
    non_empty = client.get(f"{API}/categories", {"hide_empty": "true"}).json()
    children = client.get(f"{API}/categories", {"parent": "5"}).json()
    of_post = client.get(f"{API}/categories", {"post": "9580"}).json()

    assert [term["slug"] for term in everything] == ["back", "beauty", "body"]
    assert [(term["slug"], term["count"]) for term in non_empty] == [("beauty", 1)]
    assert [term["id"] for term in children] == [child.pk]
    assert children[0]["parent"] == 5
    assert [term["id"] for term in of_post] == [12]
    assert client.get(f"{API}/categories/12").json()["name"] == "Beauty"


@pytest.fixture
def dutch_categories(db, settings):
    settings.LANGUAGES = [("en", "English"), ("nl", "Nederlands")]
    body = make_category(
        slug="body",
        name="Body",
        translations={"nl": {"name": "Lichaam", "slug": "lichaam"}},
    )
    back = make_category(
        slug="back",
        name="Back",
        parent=body,
        translations={"nl": {"name": "Rug", "slug": "rug"}},
    )
    make_category(slug="news", name="News")  # No Dutch name: its own stays.
    grandchild = make_category(slug="spasm", name="Spasm", parent=back)
    return body, back, grandchild


def test_lang_gives_each_category_its_name_slug_and_link_in_that_language(
    dutch_categories, client
):
    body, back, _grandchild = dutch_categories

    dutch = client.get(f"{API}/categories", {"lang": "nl", "orderby": "id"}).json()
    english = client.get(f"{API}/categories", {"orderby": "id"}).json()

    assert [(t["name"], t["slug"], t["link"]) for t in dutch] == [
        ("Lichaam", "lichaam", f"{SITE}/nl/lichaam/"),
        ("Rug", "rug", f"{SITE}/nl/rug/"),
        ("News", "news", f"{SITE}/nl/news/"),
        ("Spasm", "spasm", f"{SITE}/nl/spasm/"),
    ]
    assert [t["name"] for t in english] == ["Body", "Back", "News", "Spasm"]
    assert dutch[1]["parent"] == body.pk
    one = client.get(f"{API}/categories/{back.pk}", {"lang": "nl"}).json()
    assert (one["name"], one["slug"]) == ("Rug", "rug")
    assert client.get(f"{API}/categories/{back.pk}").json()["name"] == "Back"


def test_lang_finds_a_category_by_its_slug_in_that_language(dutch_categories, client):
    found = client.get(f"{API}/categories", {"lang": "nl", "slug": "rug"}).json()

    assert [term["name"] for term in found] == ["Rug"]
    assert client.get(f"{API}/categories", {"slug": "rug"}).json() == []


def test_lang_outside_the_sites_languages_is_rest_invalid_param(
    dutch_categories, client
):
    response = client.get(f"{API}/categories", {"lang": "de"})

    assert response.status_code == 400
    assert response.json()["data"]["params"] == {
        "lang": "lang is not one of en and nl."
    }


def test_categories_in_a_language_cost_no_more_queries(
    dutch_categories, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        client.get(f"{API}/categories", {"lang": "nl", "per_page": 100})


def test_tags_and_their_errors(seed, client):
    tag = client.get(f"{API}/tags/2115").json()
    missing = client.get(f"{API}/tags/999999")

    assert {key: tag[key] for key in ("id", "count", "slug", "taxonomy")} == {
        "id": 2115,
        "count": 1,
        "slug": "back-pain",
        "taxonomy": "post_tag",
    }
    assert missing.status_code == 404
    assert missing.json() == {
        "code": "rest_term_invalid",
        "message": "Term does not exist.",
        "data": {"status": 404},
    }


def test_users_show_public_fields_only_and_only_authors_of_published_posts(db, client):
    visible = make_author(display_name="Dr. Visible", website="https://visible.example")
    make_article(author=visible)
    hidden = make_author(display_name="Only drafts")
    make_article(author=hidden, status=Article.Status.DRAFT)

    data = client.get(f"{API}/users").json()

    assert [user["name"] for user in data] == ["Dr. Visible"]
    assert set(data[0]) == {
        "id",
        "name",
        "url",
        "description",
        "link",
        "slug",
        "avatar_urls",
        "meta",
        "_links",
    }
    assert (
        client.get(f"{API}/users/{hidden.pk}").json()["code"] == "rest_user_invalid_id"
    )


def test_media_lists_only_images_readers_can_see(db, client):
    shown, hidden = make_image(), make_image()
    article = make_article(featured_image=shown)
    make_article(featured_image=hidden, status=Article.Status.DRAFT)

    data = client.get(f"{API}/media").json()

    assert [item["id"] for item in data] == [shown.pk]
    assert data[0]["post"] == article.pk
    assert data[0]["media_type"] == "image" and data[0]["mime_type"] == "image/jpeg"
    assert client.get(f"{API}/media/{hidden.pk}").status_code == 404


# Visibility and safety


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.PENDING},
        {"status": Article.Status.PRIVATE},
        {"status": Article.Status.TRASH},
        {"published_at": timezone.now() + timedelta(days=2)},
    ],
)
def test_unpublished_articles_never_appear(db, client, overrides):
    article = make_article(**overrides)

    listed = client.get(f"{API}/posts").json()
    single = client.get(f"{API}/posts/{article.pk}")
    by_slug = client.get(f"{API}/posts", {"slug": article.slug}).json()

    assert listed == [] and by_slug == []
    assert single.status_code == 404
    assert single.json() == {
        "code": "rest_post_invalid_id",
        "message": "Invalid post ID.",
        "data": {"status": 404},
    }


def test_asking_for_drafts_is_refused_inside_rest_invalid_param(db, client):
    """WP_REST_Posts_Controller::sanitize_post_statuses() refuses the status with
    rest_forbidden_status; being a sanitize_callback, WP_REST_Request::sanitize_params()
    reports it as rest_invalid_param (400), the 401 kept in the details."""
    response = client.get(f"{API}/posts", {"status": "draft"})

    assert response.status_code == 400
    assert response.json() == {
        "code": "rest_invalid_param",
        "message": "Invalid parameter(s): status",
        "data": {
            "status": 400,
            "params": {"status": "Status is forbidden."},
            "details": {
                "status": {
                    "code": "rest_forbidden_status",
                    "message": "Status is forbidden.",
                    "data": {"status": 401},
                }
            },
        },
    }
    assert client.get(f"{API}/posts", {"status": "publish"}).status_code == 200


def test_no_email_address_anywhere(seed, client, django_user_model):
    author = Article.objects.get().author
    author.user = django_user_model.objects.create(
        username="wp", email="secret@example.org"
    )
    author.save()

    for url in ("/wp-json/", f"{API}/users", f"{API}/posts?_embed", f"{API}/users/13"):
        assert "secret@example.org" not in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("method", "url", "code", "message"),
    [
        # WP_REST_Posts_Controller::create_item_permissions_check(); the
        # attachments controller calls it before its own checks.
        ("post", "/posts", "rest_cannot_create", "create posts as this user."),
        ("post", "/media", "rest_cannot_create", "create posts as this user."),
        # update_item_permissions_check() and delete_item_permissions_check().
        ("put", "/posts/9580", "rest_cannot_edit", "edit this post."),
        ("patch", "/posts/9580", "rest_cannot_edit", "edit this post."),
        ("post", "/posts/9580", "rest_cannot_edit", "edit this post."),
        ("delete", "/posts/9580", "rest_cannot_delete", "delete this post."),
        ("put", "/media/10882", "rest_cannot_edit", "edit this post."),
        # WP_REST_Terms_Controller: editing a term is rest_cannot_update.
        ("post", "/tags", "rest_cannot_create", "create terms in this taxonomy."),
        ("post", "/categories", "rest_cannot_create", "create terms in this taxonomy."),
        ("put", "/categories/12", "rest_cannot_update", "edit this term."),
        ("delete", "/tags/2115", "rest_cannot_delete", "delete this term."),
        # WP_REST_Users_Controller.
        ("post", "/users", "rest_cannot_create_user", "create new users."),
        ("put", "/users/13", "rest_cannot_edit", "edit this user."),
        (
            "delete",
            "/users/13?reassign=1",
            "rest_user_cannot_delete",
            "delete this user.",
        ),
    ],
)
def test_writes_answer_401_in_wordpress_form(seed, client, method, url, code, message):
    response = getattr(client, method)(
        f"{API}{url}", data="{}", content_type="application/json"
    )

    assert response.status_code == 401
    assert response.json() == {
        "code": code,
        "message": f"Sorry, you are not allowed to {message}",
        "data": {"status": 401},
    }
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    ("url", "code", "message"),
    [
        ("/posts/999999", "rest_post_invalid_id", "Invalid post ID."),
        ("/media/999999", "rest_post_invalid_id", "Invalid post ID."),
        ("/categories/999999", "rest_term_invalid", "Term does not exist."),
        ("/users/999999", "rest_user_invalid_id", "Invalid user ID."),
        # The current user of a visitor is user 0, which does not exist.
        ("/users/me", "rest_user_invalid_id", "Invalid user ID."),
    ],
)
def test_a_write_to_an_item_that_does_not_exist_is_not_found_first(
    seed, client, url, code, message
):
    """Each update_item_permissions_check() looks the item up before the permission."""
    response = client.put(f"{API}{url}", data="{}", content_type="application/json")

    assert response.status_code == 404
    assert response.json() == {
        "code": code,
        "message": message,
        "data": {"status": 404},
    }


def test_a_write_to_a_draft_is_answered_as_for_no_post(db, client):
    draft = make_article(status=Article.Status.DRAFT)

    response = client.delete(f"{API}/posts/{draft.pk}")

    assert response.status_code == 404
    assert response.json()["code"] == "rest_post_invalid_id"


def test_deleting_a_user_needs_reassign_before_anything_else(seed, client):
    """reassign is required (WP_REST_Users_Controller::register_routes), which
    WP_REST_Request::has_valid_params() checks first; check_reassign() refuses junk."""
    missing = client.delete(f"{API}/users/999999")
    junk = client.delete(f"{API}/users/13?reassign=nobody")

    assert missing.status_code == junk.status_code == 400
    assert missing.json() == {
        "code": "rest_missing_callback_param",
        "message": "Missing parameter(s): reassign",
        "data": {"status": 400, "params": ["reassign"]},
    }
    assert junk.json()["data"]["params"] == {"reassign": "Invalid user parameter(s)."}
    assert junk.json()["data"]["details"]["reassign"] == {
        "code": "rest_invalid_param",
        "message": "Invalid user parameter(s).",
        "data": {"status": 400},
    }


def test_force_must_be_a_boolean_before_a_delete_is_refused(seed, client):
    response = client.delete(f"{API}/posts/9580?force=maybe")

    assert response.status_code == 400
    assert response.json()["data"]["params"] == {
        "force": "force is not of type boolean."
    }


def test_a_write_body_that_is_no_json_is_refused_as_wordpress_does(seed, client):
    """WP_REST_Request::parse_json_params(); the code and message are PHP's json_last_error()."""
    response = client.post(f"{API}/posts", data="{", content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "code": "rest_invalid_json",
        "message": "Invalid JSON body passed.",
        "data": {
            "status": 400,
            "json_error_code": 4,
            "json_error_message": "Syntax error",
        },
    }


def test_method_override_turns_a_get_into_the_write_it_names(seed, client):
    """WP_REST_Server::serve_request() honours ?_method= and X-HTTP-Method-Override."""
    by_query = client.get(f"{API}/posts/9580", {"_method": "DELETE"})
    by_header = client.get(
        f"{API}/posts/9580", headers={"X-HTTP-Method-Override": "PUT"}
    )

    assert by_query.status_code == by_header.status_code == 401
    assert by_query.json()["code"] == "rest_cannot_delete"
    assert by_header.json()["code"] == "rest_cannot_edit"


def test_a_method_no_route_takes_is_rest_no_route(seed, client):
    for method, url in (("put", "/posts"), ("delete", "/tags"), ("post", "")):
        response = getattr(client, method)(f"{API}{url}")

        assert response.status_code == 404
        assert response.json() == {
            "code": "rest_no_route",
            "message": "No route was found matching the URL and request method.",
            "data": {"status": 404},
        }


def test_users_me_is_no_one_for_a_visitor(db, client):
    """WP_REST_Users_Controller::get_current_item()."""
    response = client.get(f"{API}/users/me")

    assert response.status_code == 401
    assert response.json() == {
        "code": "rest_not_logged_in",
        "message": "You are not currently logged in.",
        "data": {"status": 401},
    }


def test_get_has_cors_headers_and_an_etag_that_answers_304(seed, client):
    response = client.get(f"{API}/posts/9580")
    again = client.get(f"{API}/posts/9580", headers={"If-None-Match": response["ETag"]})

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "X-WP-Total" in response["Access-Control-Expose-Headers"]
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == response["ETag"]


def test_preflight_is_answered(db, client):
    response = client.options(f"{API}/posts")

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"


# Parameter errors, word for word (wp-includes/rest-api.php,
# rest_validate_value_from_schema() and its helpers)


def invalid(response) -> dict:
    """The per-parameter messages of a rest_invalid_param answer."""
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "rest_invalid_param"
    return response.json()["data"]["params"]


def test_page_below_one_is_out_of_bounds(db, client):
    response = client.get(f"{API}/posts", {"page": "0"})

    assert invalid(response) == {"page": "page must be greater than or equal to 1"}


def test_a_type_error_names_its_parameter_in_the_details(db, client):
    """rest_invalid_type carries array( 'param' => $param ); an item is named with its index."""
    page = client.get(f"{API}/posts", {"page": "two"}).json()["data"]
    include = client.get(f"{API}/posts", {"include": "1,x"}).json()["data"]

    assert page["details"]["page"] == {
        "code": "rest_invalid_type",
        "message": "page is not of type integer.",
        "data": {"param": "page"},
    }
    assert include["details"]["include"] == {
        "code": "rest_invalid_type",
        "message": "include[1] is not of type integer.",
        "data": {"param": "include[1]"},
    }


def test_an_empty_value_is_a_value(db, client):
    """PHP's isset() is true for "", so WordPress checks it like any other value."""
    assert invalid(client.get(f"{API}/posts?page=")) == {
        "page": "page is not of type integer."
    }
    assert invalid(client.get(f"{API}/posts?sticky=")) == {
        "sticky": "sticky is not of type boolean."
    }
    assert client.get(f"{API}/posts?search=").status_code == 200


@pytest.mark.parametrize(
    ("url", "name", "message"),
    [
        # rest_validate_enum() lists the choices with wp_sprintf_l().
        ("/posts?order=up", "order", "order is not one of asc and desc."),
        (
            "/posts?orderby=views",
            "orderby",
            "orderby is not one of author, date, id, include, modified, parent,"
            " relevance, slug, include_slugs, and title.",
        ),
        (
            "/media?context=full",
            "context",
            "context is not one of view, embed, and edit.",
        ),
        ("/users?who=everyone", "who", "who is not authors."),
        (
            "/tags?orderby=size",
            "orderby",
            "orderby is not one of id, include, name, slug, include_slugs, term_group,"
            " description, and count.",
        ),
        (
            "/media?media_type=photo",
            "media_type",
            "media_type[0] is not one of image, video, text, application, and audio.",
        ),
        ("/posts?after=2024-01-01", "after", "Invalid date."),
        ("/posts?sticky=yes", "sticky", "sticky is not of type boolean."),
        (
            "/posts?tax_relation=XOR",
            "tax_relation",
            "tax_relation is not one of AND and OR.",
        ),
    ],
)
def test_a_wrong_value_gets_wordpress_s_message(db, client, url, name, message):
    assert invalid(client.get(f"{API}{url}")) == {name: message}


def test_term_filters_are_a_term_id_list(db, client):
    """prepare_taxonomy_limit_schema(): oneOf a "Term ID List" or a "Term ID Taxonomy Query"."""
    wrong = client.get(f"{API}/posts", {"categories": "beauty"}).json()["data"]
    empty = client.get(f"{API}/posts", {"tags_exclude": ""}).json()["data"]

    assert wrong["details"]["categories"] == {
        "code": "rest_no_matching_schema",
        "message": "categories is not a valid Term ID List."
        " Reason: categories[0] is not of type integer.",
        "data": {"position": 0},
    }
    assert empty["details"]["tags_exclude"] == {
        "code": "rest_one_of_multiple_matches",
        "message": "tags_exclude matches Term ID List and Term ID Taxonomy Query,"
        " but should match only one.",
        "data": {"positions": [0, 1]},
    }


def test_page_per_page_search_and_context_are_checked_first_and_alone(db, client):
    """They have a validate_callback, so has_valid_params() reports them before
    sanitize_params() looks at the others, which come in the query's order."""
    first = client.get(f"{API}/posts?orderby=views&per_page=0")
    others = client.get(f"{API}/posts?sticky=maybe&orderby=views&order=up")

    assert invalid(first) == {
        "per_page": "per_page must be between 1 (inclusive) and 100 (inclusive)"
    }
    assert others.json()["message"] == "Invalid parameter(s): sticky, orderby, order"


def test_what_wordpress_accepts_is_accepted(db, client):
    many_articles(3)

    for query in (
        "after=2020-01-01 10:00:00",  # A space for the T.
        "before=2999-01-01T10:00:00.5Z",
        "per_page=2.0",  # rest_is_integer()
        "offset=-1",  # No minimum; WP_Query takes its absolute value.
        "sticky=FALSE",
        "status=publish",
        "include[]=1&include[]=2",
        "tax_relation=OR",
    ):
        assert client.get(f"{API}/posts?{query}").status_code == 200, query


def test_a_parameter_a_route_does_not_register_is_ignored(db, client):
    """Categories are hierarchical: they take parent but no offset; tags the reverse."""
    assert client.get(f"{API}/categories?offset=x").status_code == 200
    assert client.get(f"{API}/tags?parent=x").status_code == 200
    assert invalid(client.get(f"{API}/tags?offset=x")) == {
        "offset": "offset is not of type integer."
    }


@pytest.mark.parametrize(
    ("url", "code", "message"),
    [
        # get_items_permissions_check() and get_item_permissions_check().
        ("/posts", "rest_forbidden_context", "edit posts in this post type."),
        ("/posts/9580", "rest_forbidden_context", "edit this post."),
        ("/media", "rest_forbidden_context", "edit posts in this post type."),
        ("/categories", "rest_forbidden_context", "edit terms in this taxonomy."),
        ("/tags/2115", "rest_forbidden_context", "edit this term."),
        ("/users", "rest_forbidden_context", "list users."),
        ("/users/13", "rest_user_cannot_view", "list users."),
    ],
)
def test_context_edit_is_refused(seed, client, url, code, message):
    response = client.get(f"{API}{url}", {"context": "edit"})

    assert response.status_code == 401
    assert response.json() == {
        "code": code,
        "message": f"Sorry, you are not allowed to {message}",
        "data": {"status": 401},
    }


@pytest.mark.parametrize(
    ("query", "code", "message"),
    [
        # WP_REST_Users_Controller::get_items_permissions_check().
        ("roles=administrator", "rest_user_cannot_view", "filter users by role."),
        (
            "capabilities=edit_posts",
            "rest_user_cannot_view",
            "filter users by capability.",
        ),
        ("orderby=email", "rest_forbidden_orderby", "order users by this parameter."),
        (
            "orderby=registered_date",
            "rest_forbidden_orderby",
            "order users by this parameter.",
        ),
        ("who=authors", "rest_forbidden_who", "query users by this parameter."),
    ],
)
def test_users_a_visitor_may_not_filter_or_order_by(db, client, query, code, message):
    response = client.get(f"{API}/users?{query}")

    assert response.status_code == 401
    assert response.json() == {
        "code": code,
        "message": f"Sorry, you are not allowed to {message}",
        "data": {"status": 401},
    }


def test_terms_of_a_post_no_reader_can_see_is_a_400(db, client):
    """WP_REST_Terms_Controller::get_items_permissions_check() answers 400, not 404."""
    draft = make_article(status=Article.Status.DRAFT)

    for post in ("999999", str(draft.pk)):
        response = client.get(f"{API}/tags", {"post": post})

        assert response.status_code == 400
        assert response.json() == {
            "code": "rest_post_invalid_id",
            "message": "Invalid post ID.",
            "data": {"status": 400},
        }
    assert client.get(f"{API}/tags", {"post": "0"}).status_code == 200


def test_a_post_password_never_matches(seed, client):
    """No post here has one; WP_REST_Posts_Controller::get_item_permissions_check()."""
    response = client.get(f"{API}/posts/9580", {"password": "guess"})

    assert response.status_code == 403
    assert response.json() == {
        "code": "rest_post_incorrect_password",
        "message": "Incorrect post password.",
        "data": {"status": 403},
    }


def test_media_take_the_attachment_parameters(db, client):
    make_article(featured_image=make_image())

    assert client.get(f"{API}/media", {"status": "inherit"}).status_code == 200
    assert invalid(client.get(f"{API}/media", {"status": "publish"})) == {
        "status": "Status is forbidden."
    }
    assert len(client.get(f"{API}/media", {"media_type": "image"}).json()) == 1
    assert client.get(f"{API}/media", {"media_type": "video"}).json() == []
    past_last = client.get(f"{API}/media", {"page": "2"})
    assert past_last.json()["code"] == "rest_post_invalid_page_number"


def test_embed_of_nothing_embeddable_adds_no_embedded(seed, client):
    """rest_parse_embed_param() keeps the named relations; embed_links() adds
    _embedded only when one was embedded."""
    post = client.get(f"{API}/posts/9580", {"_embed": "replies"}).json()

    assert "_embedded" not in post


# Discovery


def test_index_lists_the_namespace_and_routes(db, client):
    data = client.get("/wp-json/").json()

    assert data["namespaces"] == ["wp/v2"]
    for route in ("posts", "categories", "tags", "media", "users"):
        assert f"/wp/v2/{route}" in data["routes"]
        assert f"/wp/v2/{route}/(?P<id>[\\d]+)" in data["routes"]
    assert client.get("/wp-json/wp/v2").json()["namespace"] == "wp/v2"


def test_unknown_route_is_rest_no_route(db, client):
    """WP_REST_Server::match_request_to_handler()."""
    response = client.get(f"{API}/comments")

    assert response.status_code == 404
    assert response.json() == {
        "code": "rest_no_route",
        "message": "No route was found matching the URL and request method.",
        "data": {"status": 404},
    }


def test_every_page_links_to_the_api(seed, client):
    html = client.get("/en/beauty/back-spasm-remedy/").content.decode()

    assert re.search(rf'<link rel="https://api.w.org/" href="{SITE}/wp-json/">', html)


def test_ids_of_articles_made_here_are_their_keys(db, client):
    article = make_article(tags=[Tag.objects.create(name="Sleep", slug="sleep")])

    data = client.get(f"{API}/posts/{article.pk}").json()

    assert data["id"] == article.pk
    assert data["tags"] == [Tag.objects.get().pk]


def test_terms_of_a_post_are_listed_by_name_as_wordpress_lists_them(db, client):
    """
    WP_REST_Posts_Controller::prepare_item_for_response() lists get_the_terms(),
    which update_object_term_cache() fills from wp_get_object_terms() with
    orderby "name": MySQL's case- and accent-insensitive collation, not the
    order they were added in, not the primary category first.
    """
    zinc = Tag.objects.create(name="zinc", slug="zinc", wordpress_id=30)
    eczema = Tag.objects.create(name="Éczema", slug="eczema", wordpress_id=10)
    back = Tag.objects.create(name="back pain", slug="back-pain", wordpress_id=20)
    primary = make_category(slug="wellness", name="Wellness", wordpress_id=5)
    other = make_category(slug="beauty", name="beauty", wordpress_id=9)
    article = make_article(
        primary_category=primary,
        categories=[primary, other],
        tags=[zinc, eczema, back],
        wordpress_id=77,
    )

    data = client.get(f"{API}/posts/{article.wordpress_id}?_embed=wp:term").json()

    assert data["tags"] == [20, 10, 30]
    assert data["categories"] == [9, 5]
    assert [term["id"] for group in data["_embedded"]["wp:term"] for term in group] == [
        9,
        5,
        20,
        10,
        30,
    ]
    assert data["class_list"][-5:] == [
        "category-beauty",
        "category-wellness",
        "tag-back-pain",
        "tag-eczema",
        "tag-zinc",
    ]


def test_slugs_are_shown_in_the_percent_encoded_form_wordpress_stores(db, client):
    """
    WordPress stores sanitize_title_with_dashes() output: lowercase
    percent-encoded UTF-8 (utf8_uri_encode()); get_post_class() names a
    term by sanitize_html_class() of that slug, which drops the octets.
    """
    tag = Tag.objects.create(name="Rückenschmerzen", slug="rückenschmerzen")
    article = make_article(slug="café-ontbijt", tags=[tag])

    data = client.get(f"{API}/posts/{article.pk}").json()

    assert data["slug"] == "caf%c3%a9-ontbijt"
    assert data["class_list"][-1] == "tag-rckenschmerzen"
    assert client.get(f"{API}/tags/{tag.pk}").json()["slug"] == "r%c3%bcckenschmerzen"


@pytest.mark.parametrize(
    "query",
    [
        "caf%25c3%25a9-ontbijt",  # The stored form, as a client sends it back.
        "CAF%25C3%25A9-Ontbijt",
        "caf%C3%A9-ontbijt",  # The decoded form.
        "Caf%C3%A9-Ontbijt.",  # Dots become dashes, trailing dashes go.
    ],
)
def test_slug_parameter_takes_either_form_of_a_non_ascii_slug(db, client, query):
    """wp_parse_slug_list() runs each slug through sanitize_title(), whose octets stay octets."""
    article = make_article(slug="café-ontbijt")
    make_article(slug="cafe-ontbijt")

    posts = client.get(f"{API}/posts?slug={query}").json()

    assert [post["id"] for post in posts] == [article.pk]


def test_reader_pages_send_the_api_link_header_and_a_post_its_route(seed, client):
    """rest_output_link_header(): the API root on every front-end response, a single post's REST route as alternate."""
    home = client.get("/en/")
    post = client.get("/en/beauty/back-spasm-remedy/")
    category = client.get("/en/beauty/")
    missing = client.get("/en/no-such-page/")

    api = f'<{SITE}/wp-json/>; rel="https://api.w.org/"'
    assert home["Link"] == api
    assert missing["Link"] == api
    assert post["Link"] == (
        f'{api}, <{SITE}/wp-json/wp/v2/posts/9580>; rel="alternate"; type="application/json"'
    )
    assert category["Link"] == (
        f'{api}, <{SITE}/wp-json/wp/v2/categories/12>; rel="alternate"; type="application/json"'
    )


def test_the_api_admin_and_redirects_send_no_api_link_of_their_own(seed, client):
    assert "https://api.w.org/" not in client.get(f"{API}/posts").get("Link", "")
    assert not client.get("/admin/login/").has_header("Link")
    assert not client.get("/").has_header("Link")  # A redirect to /en/.


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_sanitize_title_makes_a_slug_of_any_parameter(value):
    """Whatever a client sends as ?slug=, sanitize_title() gives a WordPress slug, and is stable on it."""
    slug = sanitize_title(value)

    assert re.fullmatch(r"[%a-z0-9_-]*", slug)
    assert not slug.startswith("-") and not slug.endswith("-") and "--" not in slug
    assert sanitize_title(slug) == slug
