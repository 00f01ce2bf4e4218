"""Hostile addresses are answered at the edge, and absurd numbers as WordPress answers them."""

import pytest

from tests.factories import make_article

pytestmark = pytest.mark.django_db

API = "/wp-json/wp/v2"
COLLECTIONS = ["posts", "categories", "tags", "media", "users"]
ABSURD_NUMBERS = [
    "1e309",
    "-1e309",
    "99999999999999999999",
    "-99999999999999999999",
    "1e19",
    "9223372036854775808",
    "0x10",
    "1.5e3",
    "NaN",
    "INF",
]
INTEGER_PARAMETERS = ["page", "per_page", "offset", "include", "exclude", "author"]


@pytest.fixture(autouse=True)
def content(db):
    article = make_article()
    article.tags.add("Back pain")
    return article


@pytest.fixture
def answers(client):
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/%00/",
        "/en/%00/",
        "/en/beauty/%00slug/",
        f"{API}/tags/%00",
        "/wp-json/%00",
        "/admin/%00/",
        "/healthz%00",
        "/media/%00.jpg",
    ],
)
def test_nul_byte_in_a_path_is_a_404(answers, path):
    response = answers.get(path)

    assert response.status_code == 404


def test_nul_byte_in_an_api_path_is_wordpress_no_route(answers):
    response = answers.get(f"{API}/tags/%00")

    assert response.json() == {
        "code": "rest_no_route",
        "message": "No route was found matching the URL and request method.",
        "data": {"status": 404},
    }


@pytest.mark.parametrize("collection", COLLECTIONS)
@pytest.mark.parametrize("parameter", ["search", "slug", "orderby", "_fields"])
def test_nul_byte_in_an_api_parameter_is_a_400_in_wordpress_shape(
    answers, collection, parameter
):
    response = answers.get(f"{API}/{collection}?{parameter}=a%00b")

    assert response.status_code == 400
    assert response.json() == {
        "code": "rest_invalid_param",
        "message": f"Invalid parameter(s): {parameter}",
        "data": {
            "status": 400,
            "params": {parameter: f"{parameter} contains a NUL character."},
            "details": {
                parameter: {
                    "code": "rest_invalid_param",
                    "message": f"{parameter} contains a NUL character.",
                    "data": None,
                }
            },
        },
    }


@pytest.mark.parametrize("query", ["s=%00", "page=%00", "a%00=1", "x=1&q=%00"])
def test_nul_byte_in_a_page_query_is_a_400(answers, query):
    response = answers.get(f"/en/?{query}")

    assert response.status_code == 400


def test_nul_byte_in_a_header_is_a_400(answers):
    response = answers.get("/en/no-such-page/", HTTP_REFERER="https://x.example/\x00")

    assert response.status_code == 400


def test_overlong_address_is_a_414(answers, settings):
    settings.MAX_URL_LENGTH = 100

    assert answers.get("/en/" + "a" * 100 + "/").status_code == 414
    assert answers.get("/en/", {"s": "a" * 100}).status_code == 414
    assert answers.get("/en/").status_code == 200


@pytest.mark.parametrize("collection", COLLECTIONS)
@pytest.mark.parametrize("parameter", INTEGER_PARAMETERS)
@pytest.mark.parametrize("number", ABSURD_NUMBERS)
def test_absurd_numbers_never_answer_500(answers, collection, parameter, number):
    response = answers.get(f"{API}/{collection}", {parameter: number})

    assert response.status_code in (200, 400), response.content
    assert "code" in response.json() or isinstance(response.json(), list)


@pytest.mark.parametrize("collection", ["posts", "media"])
def test_infinite_page_is_page_one_as_php_casts_it(answers, collection):
    """(int) INF is 0 in PHP, and WP_Query reads page 0 as the first page."""
    first = answers.get(f"{API}/{collection}")

    response = answers.get(f"{API}/{collection}", {"page": "1e309"})

    assert response.status_code == 200
    assert response.json() == first.json()


def test_page_beyond_php_integers_is_past_the_last_page(answers):
    response = answers.get(f"{API}/posts", {"page": "99999999999999999999"})

    assert response.status_code == 400
    assert response.json()["code"] == "rest_post_invalid_page_number"


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_item_id_beyond_php_integers_is_not_found(answers, collection):
    response = answers.get(f"{API}/{collection}/99999999999999999999999")

    assert response.status_code == 404
    assert response.json()["data"] == {"status": 404}


def test_term_filter_with_an_absurd_post_id_is_wordpress_invalid_post(answers):
    response = answers.get(f"{API}/tags", {"post": "99999999999999999999"})

    assert response.status_code == 400
    assert response.json()["code"] == "rest_post_invalid_id"
