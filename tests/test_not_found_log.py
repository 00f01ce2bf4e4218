"""The 404 log counts the broken links people follow, and no attacker can grow it."""

import pytest

from articles.models import NotFound

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_log(settings):
    settings.NOT_FOUND_MAX_ROWS = 5


def logged():
    return dict(NotFound.objects.values_list("path", "hits"))


def test_a_flood_of_made_up_paths_never_grows_the_log_past_its_limit(client):
    for n in range(50):
        client.get(f"/en/made-up-{n}/")

    assert NotFound.objects.count() == 5


def test_links_people_keep_following_survive_a_flood(client):
    for _ in range(3):
        client.get("/en/old-article/")
    for n in range(50):
        client.get(f"/en/made-up-{n}/")

    assert logged()["/en/old-article/"] == 3


def test_a_new_broken_link_gets_in_even_when_the_log_is_full_of_popular_ones(client):
    for n in range(5):
        client.get(f"/en/popular-{n}/")
        client.get(f"/en/popular-{n}/")

    client.get("/en/new-broken-link/")

    assert logged()["/en/new-broken-link/"] == 1
    assert NotFound.objects.count() == 5


def test_hits_are_counted_on_one_row_per_normalised_path(client):
    client.get("/en/old-link/")
    client.get("/en//old-link/")
    client.get("/en/old-link/")

    assert logged() == {"/en/old-link/": 3}


@pytest.mark.parametrize(
    "path",
    [
        "/en/" + "a" * 300 + "/",
        "/en/<script>alert(1)</script>/",
        '/en/"quoted"/',
        "/en/a b/",
        "/en/%2500/",
        "/en/x/../../etc/passwd",
        "/en/{{7*7}}/",
        "/en/back\\slash/",
    ],
)
def test_paths_that_are_no_links_are_not_logged(client, path):
    assert client.get(path).status_code == 404

    assert not NotFound.objects.exists()


def test_links_in_other_scripts_are_logged(client):
    client.get("/nl/rugpijn-ë/")
    client.get("/en/背中/")

    assert set(logged()) == {"/nl/rugpijn-ë/", "/en/背中/"}


def test_only_a_real_referrer_is_kept_and_a_later_empty_one_keeps_it(client):
    client.get("/en/old-link/", headers={"referer": "https://partner.example/page"})
    client.get("/en/old-link/")
    client.get("/en/other/", headers={"referer": "javascript:alert(1)"})

    assert NotFound.objects.get(path="/en/old-link/").referrer == (
        "https://partner.example/page"
    )
    assert NotFound.objects.get(path="/en/other/").referrer == ""
