"""
Properties of what visitors and editors send, for any string hypothesis
can make: every slug is usable, and no address or API parameter gets a 5xx.
Each example runs in a savepoint that is rolled back, so examples do not
see each other's rows (the 404 log, tags).
"""

from contextlib import contextmanager
from urllib.parse import quote, unquote_to_bytes, urlencode

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from articles import control_characters, languages
from articles.api import params
from articles.models import Article, Category, Tag
from tests.factories import make_article, make_category, make_image

pytestmark = pytest.mark.django_db

API = "/wp-json/wp/v2"
ROUTES = [
    "/wp-json/",
    f"{API}",
    *(f"{API}/{name}" for name in ("posts", "categories", "tags", "media", "users")),
    *(f"{API}/{name}/1" for name in ("posts", "categories", "tags", "media", "users")),
    f"{API}/users/me",
]
PARAMETERS = sorted(
    {
        *params.POSTS,
        *params.MEDIA,
        *params.TERMS,
        *params.CATEGORIES,
        *params.USERS,
        *params.POST_ITEM,
        "_fields",
        "_embed",
        "_method",
    }
)
# Names as a WordPress export or an editor may give them; control
# characters are removed on save, so names equal without them are one name.
names = st.lists(st.text(max_size=100), max_size=6, unique_by=control_characters.remove)
any_text = st.text(max_size=60)


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def site(db):
    tag = Tag.objects.create(name="Back pain")
    article = make_article(
        featured_image=make_image(), categories=[make_category()], tags=[tag]
    )
    return article


@given(names)
@example(["", ">", "!!!", "&", "—"])
def test_every_tag_gets_a_usable_slug_of_its_own(tag_names):
    with rolled_back():
        tags = [Tag.objects.create(name=name) for name in tag_names]

        slugs = [tag.slug for tag in tags]
        assert all(slugs) and len(set(slugs)) == len(slugs)
        assert all(len(slug) <= 100 for slug in slugs)
        for tag in tags:
            assert languages.reverse_in("en", "articles:tag", args=[tag.slug]) == (
                tag.get_absolute_url()
            )


@given(names)
def test_every_category_and_article_gets_a_usable_slug_of_its_own(titles):
    with rolled_back():
        categories = [Category.objects.create(name=title[:200]) for title in titles]
        articles = [
            make_article(title=title or "x", slug="", primary_category=category)
            for title, category in zip(titles, categories, strict=True)
        ]

        for objects in (categories, articles):
            slugs = [item.slug for item in objects]
            assert all(slugs) and len(set(slugs)) == len(slugs)
        for article in articles:
            assert article.get_absolute_url().startswith("/en/")


segment = st.one_of(
    any_text,
    st.sampled_from(["en", "nl", "tag", "author", "feed", "atom", "page", "wp-json"]),
    st.sampled_from(["..", ".", "%00", "%ff", "%2e%2e", "\x00", "\\", "?", "#"]),
)


@given(st.lists(segment, min_size=1, max_size=5), st.booleans(), any_text)
@example(["en", "%00"], True, "")
@example(["wp-json", "wp", "v2", "tags", "%00"], False, "")
@example(["", "["], False, "")
def test_no_address_gets_a_server_error(client, site, segments, quoted, query):
    path = "/" + "/".join(quote(part, safe="") if quoted else part for part in segments)
    with rolled_back():
        # Built by hand: client.get() would read "//[" as a host, a server never does.
        response = client.request(
            REQUEST_METHOD="GET",
            PATH_INFO=unquote_to_bytes(path.split("?")[0].split("#")[0]).decode(
                "iso-8859-1"
            ),
            QUERY_STRING=urlencode({"q": query}) if query else "",
        )

    assert response.status_code < 500, path


@given(
    st.sampled_from(ROUTES),
    st.dictionaries(
        st.sampled_from(PARAMETERS) | any_text,
        any_text | st.lists(any_text, max_size=3),
        max_size=4,
    ),
)
@example(f"{API}/posts", {"page": "1e309"})
@example(f"{API}/tags", {"search": "\x00"})
@example(f"{API}/posts", {"include": ["99999999999999999999"]})
def test_no_api_parameter_gets_a_server_error(client, site, route, query):
    with rolled_back():
        response = client.get(route, query)

    assert response.status_code < 500, (route, query)
    assert response["Content-Type"].startswith("application/json")
    response.json()


@pytest.fixture
def fast_password_hashing(settings):
    """Every sign-in hashes a password; the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@given(any_text, any_text)
def test_no_sign_in_attempt_gets_a_server_error(
    client, fast_password_hashing, username, password
):
    with rolled_back():
        response = client.post(
            reverse("admin:login"), {"username": username, "password": password}
        )

    assert response.status_code < 500


def test_the_published_article_is_reachable(client, site):
    """The fixture's content is real: the properties above ran against it."""
    assert client.get(site.get_absolute_url()).status_code == 200
    assert Article.objects.published().count() == 1
