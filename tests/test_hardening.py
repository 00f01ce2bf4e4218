import pytest
from django.core.cache import caches
from django.db import OperationalError
from django.test import override_settings

from articles import health, views
from articles.api import views as api_views
from tests.factories import make_article
from tests.test_settings import PRODUCTION, run_django

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "articles.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def test_reader_pages_forbid_inline_script(client):
    article = make_article()

    response = client.get(article.get_absolute_url())

    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["style-src"] == "'self'"
    assert "unsafe-inline" not in policy["script-src"] + policy["style-src"]


def test_every_response_carries_the_security_headers(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    article = make_article()

    response = client.get(article.get_absolute_url(), secure=True)

    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "geolocation=()" in response["Permissions-Policy"]


def test_database_outage_answers_503_with_retry_after_and_recovers(client, monkeypatch):
    article = make_article()
    client.raise_request_exception = False

    def unreachable(self):
        raise OperationalError("connection to server at 127.0.0.1 refused")

    monkeypatch.setattr(views.ArticleDetailView, "get_object", unreachable)
    outage = client.get(article.get_absolute_url())
    monkeypatch.undo()
    recovered = client.get(article.get_absolute_url())

    assert outage.status_code == 503
    assert outage["Retry-After"] == "30"
    assert "Back in a moment" in outage.content.decode()
    assert "Traceback" not in outage.content.decode()
    assert recovered.status_code == 200


def test_other_errors_stay_500(client, monkeypatch):
    article = make_article()
    client.raise_request_exception = False
    monkeypatch.setattr(views.ArticleDetailView, "get_object", lambda self: 1 / 0)

    response = client.get(article.get_absolute_url())

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


@override_settings(CACHES=UNREACHABLE_REDIS)
def test_pages_are_served_when_the_cache_server_is_down(client):
    article = make_article()

    assert caches["default"].get("anything", "miss") == "miss"
    caches["default"].set("anything", "value")
    with pytest.raises(ValueError):
        caches["default"].incr("counter")
    assert client.get(article.get_absolute_url()).status_code == 200


def test_healthz_reports_every_dependency(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "media": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


@override_settings(CACHES=UNREACHABLE_REDIS)
def test_healthz_reports_a_cache_outage_as_degraded(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"]["cache"] == "unavailable"


def test_healthz_fails_when_the_database_is_down(client, monkeypatch):
    def unreachable():
        raise OperationalError("no database")

    monkeypatch.setitem(health.CHECKS, "database", unreachable)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unavailable"


def test_admin_moves_to_the_path_in_admin_url():
    result = run_django(
        "from django.urls import reverse; print(reverse('admin:index'))",
        ADMIN_URL="editorial-7f3k/",
        **PRODUCTION,
    )

    assert result.stdout.strip() == "/editorial-7f3k/"


def test_api_answers_a_database_outage_with_wordpress_json(client, monkeypatch):
    client.raise_request_exception = False

    def unreachable(self):
        raise OperationalError("connection to server at 127.0.0.1 refused")

    monkeypatch.setattr(api_views.Posts, "queryset", unreachable)
    response = client.get("/wp-json/wp/v2/posts")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"] == "application/json; charset=UTF-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json() == {
        "code": "db_connect_fail",
        "message": "Error establishing a database connection",
        "data": {"status": 503},
        "additional_errors": [],
    }


def test_api_answers_other_errors_with_wordpress_critical_error(client, monkeypatch):
    client.raise_request_exception = False
    monkeypatch.setattr(api_views.Posts, "queryset", lambda self: 1 / 0)

    response = client.get("/wp-json/wp/v2/posts")

    assert response.status_code == 500
    assert response.json()["code"] == "internal_server_error"
    assert "Traceback" not in response.content.decode()


def test_healthz_tells_a_redis_restart_from_an_outage(client, monkeypatch):
    """After a restart, each pooled connection fails its first command only."""
    answers = []
    real_get = health.cache.get

    def stale_first(key, default=None, version=None):
        answers.append(key)
        return None if len(answers) == 1 else real_get(key, default)

    monkeypatch.setattr(health.cache, "get", stale_first)

    assert client.get("/healthz").json()["checks"]["cache"] == "ok"
