"""
/wp-json/wp/v2/pages (WP_REST_Posts_Controller for the page type, in
wp-includes/rest-api/endpoints/class-wp-rest-posts-controller.php) and
/wp-json/wp/v2/search (WP_REST_Search_Controller with
WP_REST_Post_Search_Handler), in WordPress's shapes and words.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from articles import publishing
from articles.models import Page
from tests.factories import make_article, make_category, make_image

SITE = "https://goldcitymedicalcenter.nl"
API = "/wp-json/wp/v2"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.TIME_ZONE = "Europe/Amsterdam"


def make_page(**fields):
    fields = {
        "title": "About us",
        "slug": "about-us",
        "status": Page.Status.PUBLISHED,
        "published_at": datetime(2025, 3, 1, 9, 0, tzinfo=UTC),
        "body": "<p>Who we are.</p>",
    } | fields
    return publishing.save(Page(**fields), user=None).obj


def invalid(response) -> dict:
    """The per-parameter messages of a rest_invalid_param answer."""
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "rest_invalid_param"
    return response.json()["data"]["params"]


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()]


# Pages


def test_a_page_is_served_with_wordpress_s_fields_in_wordpress_s_order(client):
    """prepare_item_for_response() and prepare_links() for a hierarchical type with page attributes."""
    about = make_page(wordpress_id=10)
    team = make_page(
        title="Team & staff",
        slug="team",
        parent=about,
        wordpress_id=11,
        menu_order=2,
        excerpt="<p>Who works here.</p>",
        seo_title="Our team",
        featured_image=make_image(wordpress_id=900),
    )
    Page.objects.filter(pk=team.pk).update(
        updated_at=datetime(2025, 3, 2, 9, 0, tzinfo=UTC)
    )

    data = client.get(f"{API}/pages/11").json()

    assert data == {
        "id": 11,
        "date": "2025-03-01T10:00:00",
        "date_gmt": "2025-03-01T09:00:00",
        "guid": {"rendered": f"{SITE}/?page_id=11"},
        "modified": "2025-03-02T10:00:00",
        "modified_gmt": "2025-03-02T09:00:00",
        "slug": "team",
        "status": "publish",
        "type": "page",
        "link": f"{SITE}/en/about-us/team/",
        "title": {"rendered": "Team &amp; staff"},
        "content": {"rendered": "<p>Who we are.</p>", "protected": False},
        "excerpt": {"rendered": "<p>Who works here.</p>\n", "protected": False},
        "author": 0,
        "featured_media": 900,
        "parent": 10,
        "menu_order": 2,
        "comment_status": "closed",
        "ping_status": "closed",
        "template": "",
        "meta": {
            "footnotes": "",
            "rank_math_title": "Our team",
            "rank_math_description": "",
            "rank_math_canonical_url": "",
        },
        "class_list": [
            "post-11",
            "page",
            "type-page",
            "status-publish",
            "has-post-thumbnail",
            "hentry",
        ],
        "_links": {
            "self": [
                {
                    "href": f"{SITE}{API}/pages/11",
                    "targetHints": {"allow": ["GET"]},
                }
            ],
            "collection": [{"href": f"{SITE}{API}/pages"}],
            "about": [{"href": f"{SITE}{API}/types/page"}],
            "replies": [{"embeddable": True, "href": f"{SITE}{API}/comments?post=11"}],
            "version-history": [
                {"count": 1, "href": f"{SITE}{API}/pages/11/revisions"}
            ],
            "up": [{"embeddable": True, "href": f"{SITE}{API}/pages/10"}],
            "wp:featuredmedia": [
                {"embeddable": True, "href": f"{SITE}{API}/media/900"}
            ],
            "wp:attachment": [{"href": f"{SITE}{API}/media?parent=11"}],
            "curies": [
                {"name": "wp", "href": "https://api.w.org/{rel}", "templated": True}
            ],
        },
    }


def test_pages_are_filtered_by_parent_and_parent_exclude(client):
    """post_parent__in and post_parent__not_in; parent=0 is the top level."""
    about = make_page(wordpress_id=10)
    make_page(title="Team", slug="team", parent=about, wordpress_id=11)
    make_page(title="Contact", slug="contact", wordpress_id=12)

    assert ids(client.get(f"{API}/pages", {"parent": "10"})) == [11]
    assert sorted(ids(client.get(f"{API}/pages", {"parent": "0"}))) == [10, 12]
    assert sorted(ids(client.get(f"{API}/pages", {"parent_exclude": "0"}))) == [11]
    assert sorted(ids(client.get(f"{API}/pages?parent[]=10&parent[]=0"))) == [
        10,
        11,
        12,
    ]


def test_pages_are_filtered_and_ordered_by_menu_order(client):
    """menu_order takes absint() of the value, as WP_Query::parse_query() does."""
    make_page(title="C", slug="c", menu_order=3, wordpress_id=3)
    make_page(title="A", slug="a", menu_order=1, wordpress_id=1)
    make_page(title="B", slug="b", menu_order=2, wordpress_id=2)

    ordered = client.get(f"{API}/pages", {"orderby": "menu_order", "order": "asc"})

    assert ids(ordered) == [1, 2, 3]
    assert ids(client.get(f"{API}/pages", {"menu_order": "2"})) == [2]
    assert ids(client.get(f"{API}/pages", {"menu_order": "-3"})) == [3]


def test_pages_take_slug_search_include_exclude_and_fields(client):
    make_page(title="About us", slug="about-us", wordpress_id=10)
    make_page(title="Contact", slug="contact", body="<p>Call us.</p>", wordpress_id=12)

    assert ids(client.get(f"{API}/pages", {"slug": "contact"})) == [12]
    assert ids(client.get(f"{API}/pages", {"search": "call"})) == [12]
    assert ids(client.get(f"{API}/pages", {"include": "10"})) == [10]
    assert ids(client.get(f"{API}/pages", {"exclude": "10"})) == [12]
    assert client.get(f"{API}/pages/12", {"_fields": "id,title.rendered"}).json() == {
        "id": 12,
        "title": {"rendered": "Contact"},
    }


def test_embed_gives_the_parent_and_the_featured_image(
    client, django_assert_max_num_queries
):
    about = make_page(wordpress_id=10, featured_image=make_image(wordpress_id=901))
    image = make_image(wordpress_id=900)
    for number in range(5):
        make_page(
            title=f"Child {number}",
            slug=f"child-{number}",
            parent=about,
            featured_image=image,
        )

    with django_assert_max_num_queries(6):
        children = client.get(f"{API}/pages", {"parent": "10", "_embed": "1"}).json()

    assert len(children) == 5
    up = children[0]["_embedded"]["up"][0]
    assert list(up) == [
        "id",
        "date",
        "slug",
        "type",
        "link",
        "title",
        "excerpt",
        "author",
        "featured_media",
        "_links",
    ]
    assert (up["id"], up["featured_media"]) == (10, 901)
    media = children[0]["_embedded"]["wp:featuredmedia"][0]
    assert (media["id"], media["source_url"]) == (900, image.source_url)
    assert "_embedded" not in client.get(f"{API}/pages/10", {"_embed": "up"}).json()


def test_the_featured_image_of_a_page_is_in_the_media(client):
    page = make_page(featured_image=make_image(wordpress_id=900), wordpress_id=10)

    media = client.get(f"{API}/media/900").json()

    assert (media["id"], media["post"]) == (900, 10)
    assert ids(client.get(f"{API}/media", {"parent": "10"})) == [900]
    publishing.transition(page, Page.Status.DRAFT, user=None)
    assert client.get(f"{API}/media/900").status_code == 404


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Page.Status.DRAFT},
        {"status": Page.Status.PRIVATE},
        {"published_at": timezone.now() + timedelta(days=1)},
    ],
)
def test_pages_no_reader_may_see_are_never_served(client, fields):
    make_page(wordpress_id=10, **fields)

    assert client.get(f"{API}/pages").json() == []
    assert client.get(f"{API}/pages/10").json()["code"] == "rest_post_invalid_id"


def test_a_parent_no_reader_may_see_is_shown_as_none(client):
    """The API never reveals unpublished content: the child is shown at the top."""
    draft = make_page(wordpress_id=10, status=Page.Status.DRAFT)
    make_page(title="Team", slug="team", parent=draft, wordpress_id=11)

    data = client.get(f"{API}/pages/11").json()

    assert (data["parent"], "up" in data["_links"]) == (0, False)
    assert ids(client.get(f"{API}/pages", {"parent": "0"})) == [11]
    assert ids(client.get(f"{API}/pages", {"parent": "10"})) == []


@pytest.mark.parametrize(
    ("query", "name", "message"),
    [
        (
            "orderby=rank",
            "orderby",
            "orderby is not one of author, date, id, include, modified, parent,"
            " relevance, slug, include_slugs, title, and menu_order.",
        ),
        ("parent=top", "parent", "parent[0] is not of type integer."),
        (
            "parent_exclude=x",
            "parent_exclude",
            "parent_exclude[0] is not of type integer.",
        ),
        ("menu_order=first", "menu_order", "menu_order is not of type integer."),
        ("status=draft", "status", "Status is forbidden."),
    ],
)
def test_page_parameters_are_refused_in_wordpress_s_words(client, query, name, message):
    assert invalid(client.get(f"{API}/pages?{query}")) == {name: message}


def test_parameters_of_posts_only_are_ignored_for_pages(client):
    """Pages have no taxonomies and no sticky: those parameters are not registered."""
    make_page()

    assert client.get(f"{API}/pages?categories=x&sticky=maybe").status_code == 200


@pytest.mark.parametrize(
    ("method", "url", "code", "message"),
    [
        ("post", "/pages", "rest_cannot_create", "create posts as this user."),
        ("put", "/pages/10", "rest_cannot_edit", "edit this post."),
        ("delete", "/pages/10", "rest_cannot_delete", "delete this post."),
    ],
)
def test_writes_to_pages_are_refused_as_wordpress_refuses_a_visitor(
    client, method, url, code, message
):
    make_page(wordpress_id=10)

    response = getattr(client, method)(
        f"{API}{url}", data="{}", content_type="application/json"
    )

    assert response.json() == {
        "code": code,
        "message": f"Sorry, you are not allowed to {message}",
        "data": {"status": 401},
    }


def test_page_errors_are_wordpress_s(client):
    make_page(wordpress_id=10)

    assert client.get(f"{API}/pages/99").json() == {
        "code": "rest_post_invalid_id",
        "message": "Invalid post ID.",
        "data": {"status": 404},
    }
    assert client.get(f"{API}/pages", {"page": "2"}).json()["code"] == (
        "rest_post_invalid_page_number"
    )
    edit = client.get(f"{API}/pages", {"context": "edit"}).json()
    assert (edit["code"], edit["message"]) == (
        "rest_forbidden_context",
        "Sorry, you are not allowed to edit posts in this post type.",
    )


def test_the_index_lists_the_pages_and_search_routes(client):
    routes = client.get("/wp-json/").json()["routes"]

    assert "/wp/v2/pages" in routes
    assert "/wp/v2/pages/(?P<id>[\\d]+)" in routes
    assert routes["/wp/v2/search"]["_links"] == {
        "self": [{"href": f"{SITE}/wp-json/wp/v2/search"}]
    }
    route_names = list(routes)
    assert route_names.index("/wp/v2/posts") < route_names.index("/wp/v2/pages")
    assert route_names[-1] == "/wp/v2/search"


def test_the_index_describes_the_site_with_its_tagline(client):
    from articles.models import SiteSettings

    SiteSettings.objects.create(site_id=1, name="Gold City", tagline="Care, explained")

    data = client.get("/wp-json/").json()

    assert (data["name"], data["description"]) == ("Gold City", "Care, explained")


# Search


def test_search_finds_published_articles_and_pages_in_wordpress_s_shape(client):
    article = make_article(
        title="Magnesium & sleep",
        wordpress_id=9580,
        primary_category=make_category(slug="health"),
    )
    make_page(title="Contact", slug="contact", body="<p>Ask about magnesium.</p>")
    make_article(title="Draft magnesium", status="draft")

    response = client.get(f"{API}/search", {"search": "magnesium"})

    assert response["X-WP-Total"] == "2"
    page = Page.objects.get()
    assert response.json() == [
        {
            "id": 9580,
            "title": "Magnesium &amp; sleep",
            "url": f"{SITE}{article.get_absolute_url()}",
            "type": "post",
            "subtype": "post",
            "_links": {
                "self": [
                    {
                        "embeddable": True,
                        "href": f"{SITE}{API}/posts/9580",
                        "targetHints": {"allow": ["GET"]},
                    }
                ],
                "about": [{"href": f"{SITE}{API}/types/post"}],
                "collection": [{"href": f"{SITE}{API}/search"}],
            },
        },
        {
            "id": page.pk,
            "title": "Contact",
            "url": f"{SITE}/en/contact/",
            "type": "post",
            "subtype": "page",
            "_links": {
                "self": [
                    {
                        "embeddable": True,
                        "href": f"{SITE}{API}/pages/{page.pk}",
                        "targetHints": {"allow": ["GET"]},
                    }
                ],
                "about": [{"href": f"{SITE}{API}/types/page"}],
                "collection": [{"href": f"{SITE}{API}/search"}],
            },
        },
    ]


def test_search_puts_title_matches_first_then_the_newest(client):
    now = timezone.now()
    make_article(
        title="Sleep", body="<p>Rest.</p>", published_at=now - timedelta(days=3)
    )
    make_article(
        title="Rest", body="<p>Sleep well.</p>", published_at=now - timedelta(days=1)
    )
    make_page(title="Sleep clinic", slug="sleep", published_at=now - timedelta(days=2))

    titles = [
        result["title"] for result in client.get(f"{API}/search?search=sleep").json()
    ]

    assert titles == ["Sleep clinic", "Sleep", "Rest"]


def test_search_is_limited_by_subtype_include_and_exclude(client):
    article = make_article(title="Back pain")
    page = make_page(title="Back office", slug="office")

    def found(query):
        return [
            (r["subtype"], r["id"]) for r in client.get(f"{API}/search?{query}").json()
        ]

    assert found("search=back&subtype=page") == [("page", page.pk)]
    assert found("search=back&subtype=post,any") != found("search=back&subtype=post")
    assert found(f"search=back&include={article.pk}&subtype=post") == [
        ("post", article.pk)
    ]
    assert found(f"search=back&exclude={page.pk}&subtype=page") == []


def test_search_without_a_term_lists_everything_published_newest_first(client):
    make_article(title="Old", published_at=timezone.now() - timedelta(days=9))
    make_page(title="New", slug="new", published_at=timezone.now() - timedelta(days=1))

    response = client.get(f"{API}/search", {"per_page": "1"})

    assert [result["title"] for result in response.json()] == ["New"]
    assert (response["X-WP-Total"], response["X-WP-TotalPages"]) == ("2", "2")
    assert response["Link"] == f'<{SITE}{API}/search?per_page=1&page=2>; rel="next"'


def test_search_errors_are_wordpress_s(client):
    make_page()

    assert invalid(client.get(f"{API}/search?type=term")) == {
        "type": "type is not post."
    }
    assert invalid(client.get(f"{API}/search?subtype=attachment")) == {
        "subtype": "subtype[0] is not one of post, page, and any."
    }
    assert invalid(client.get(f"{API}/search?context=edit")) == {
        "context": "context is not one of view and embed."
    }
    assert invalid(client.get(f"{API}/search?per_page=101")) == {
        "per_page": "per_page must be between 1 (inclusive) and 100 (inclusive)"
    }
    assert client.get(f"{API}/search", {"page": "2"}).json() == {
        "code": "rest_search_invalid_page_number",
        "message": "The page number requested is larger than the number of pages available.",
        "data": {"status": 400},
    }
    assert client.post(f"{API}/search").json()["code"] == "rest_no_route"


def test_search_answers_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    for number in range(20):
        make_article(title=f"Sleep {number}")
        make_page(title=f"Sleep page {number}", slug=f"sleep-{number}")

    with django_assert_max_num_queries(4):
        results = client.get(f"{API}/search", {"search": "sleep", "per_page": "40"})

    assert len(results.json()) == 40
