"""Part of bench/fuzz.py's run, with a fixed seed: random hostile requests never get a 5xx."""

import pytest

from bench.fuzz import requests
from tests.factories import make_article, make_image

pytestmark = pytest.mark.django_db

SEED = 20261201
REQUESTS = 1000


@pytest.fixture
def content(db):
    article = make_article(slug="back-spasm-remedy", featured_image=make_image())
    article.tags.add("Back pain")
    return {
        "articles": [article.get_absolute_url()],
        "category": article.primary_category.slug,
        "tag": article.tags.get().slug,
        "author": article.author.slug,
    }


def test_the_same_seed_gives_the_same_requests(content):
    assert list(requests(SEED, 50, content=content)) == list(
        requests(SEED, 50, content=content)
    )


def test_a_fixed_seed_fuzz_run_finds_no_server_error(client, content):
    client.raise_request_exception = False
    answers = {}
    for method, target, headers, body in requests(SEED, REQUESTS, content=content):
        extra = {
            "HTTP_" + name.upper().replace("-", "_"): value
            for name, value in headers.items()
            if name != "Content-Type"
        }
        response = client.generic(
            method,
            target,
            data=body,
            content_type=headers.get("Content-Type", "application/octet-stream"),
            **extra,
        )
        answers[(method, target)] = response.status_code

    server_errors = {request: s for request, s in answers.items() if s >= 500}
    assert server_errors == {}
    # The run reached the pages and the API, not only refusals.
    assert {200, 404, 400} <= set(answers.values())
