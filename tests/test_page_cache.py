"""
The page cache keeps readers' pages whole and never shows one older than
the content: every change through the publishing service, and the moment
scheduled content goes live, is visible on the very next request.
"""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import content_version, publishing
from articles.models import Article, Menu, MenuItem, Redirect, SiteSettings
from articles.page_cache import KeptPagesFirst
from tests.factories import make_article, make_image, make_user

pytestmark = pytest.mark.django_db


def fetch(client, path, **headers):
    return client.get(path, headers=headers)


def kept(response):
    return response["X-Page-Cache"] == "hit"


@pytest.fixture
def article(db):
    return make_article(title="First title")


def test_a_readers_second_request_is_answered_from_the_cache_without_a_query(
    client, article
):
    first = fetch(client, article.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        second = fetch(client, article.get_absolute_url())

    assert first["X-Page-Cache"] == "miss"
    assert kept(second)
    assert second.content == first.content
    assert len(queries) == 0


def test_an_edit_is_on_the_page_at_the_next_request(client, article):
    fetch(client, article.get_absolute_url())

    article.title = "Second title"
    publishing.save(article, user=None)
    response = fetch(client, article.get_absolute_url())

    assert not kept(response)
    assert "Second title" in response.text
    assert "Second title" in fetch(client, "/en/").text
    assert "Second title" in fetch(client, "/en/feed/").text


def test_a_trashed_article_is_gone_at_once_and_back_when_restored(client, article):
    editor = make_user("Editor")
    url = article.get_absolute_url()
    assert fetch(client, url).status_code == 200
    assert "First title" in fetch(client, "/en/").text

    publishing.trash(article, user=editor)
    assert fetch(client, url).status_code in (404, 410)
    assert "First title" not in fetch(client, "/en/").text

    publishing.restore_from_trash(Article.objects.get(pk=article.pk), user=editor)
    assert fetch(client, url).status_code == 200


def test_unpublishing_takes_the_article_off_the_home_page_at_once(client, article):
    assert "First title" in fetch(client, "/en/").text

    publishing.transition(article, Article.Status.DRAFT, user=make_user("Editor"))

    assert "First title" not in fetch(client, "/en/").text


def test_scheduled_content_appears_when_its_moment_passes_without_any_write(
    client, monkeypatch
):
    make_article(title="Already out")
    go_live = timezone.now() + timedelta(hours=1)
    make_article(title="Scheduled piece", published_at=go_live)
    assert "Scheduled piece" not in fetch(client, "/en/").text
    assert kept(fetch(client, "/en/"))

    later = go_live + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = fetch(client, "/en/")

    assert not kept(response)
    assert "Scheduled piece" in response.text


def test_a_renamed_category_is_on_the_article_page_at_once(client, article):
    fetch(client, article.get_absolute_url())

    category = article.primary_category
    category.name = "Renamed category"
    publishing.save_object(category, user=None)

    assert "Renamed category" in fetch(client, article.get_absolute_url()).text


def test_an_image_change_is_on_the_article_page_at_once(client):
    image = make_image(alt_text="Old description")
    article = make_article(featured_image=image)
    assert "Old description" in fetch(client, article.get_absolute_url()).text

    image.alt_text = "New description"
    publishing.save_object(image, user=None)

    assert "New description" in fetch(client, article.get_absolute_url()).text


def test_an_authors_new_name_is_on_the_article_page_at_once(client, article):
    fetch(client, article.get_absolute_url())

    author = article.author
    author.display_name = "Dr. Renamed Author"
    publishing.save_object(author, user=None)

    assert "Dr. Renamed Author" in fetch(client, article.get_absolute_url()).text


def test_a_new_menu_item_is_on_every_page_at_once(client, article):
    menu = Menu(title="Main", location="header")
    publishing.save_object(menu, user=None)
    fetch(client, article.get_absolute_url())

    item = MenuItem(menu=menu, url="https://example.org/contact", label="Contact us")
    publishing.save_object(item, user=None)

    assert "Contact us" in fetch(client, article.get_absolute_url()).text


def test_a_new_site_name_is_on_every_page_at_once(client, settings, article):
    fetch(client, "/en/")

    site = SiteSettings(site_id=settings.SITE_ID, name="Renamed Medical Center")
    publishing.save_object(site, user=None)

    assert "Renamed Medical Center" in fetch(client, "/en/").text


def test_a_new_redirect_replaces_a_kept_page_at_once(client, article):
    old = make_article(title="Old piece")
    url = old.get_absolute_url()
    fetch(client, url)
    publishing.trash(old, user=make_user("Editor"))

    redirect = Redirect(old_path=url, new_path=article.get_absolute_url())
    publishing.save_object(redirect, user=None)
    response = fetch(client, url)

    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_a_client_holding_the_page_is_answered_not_modified(client, article):
    first = fetch(client, article.get_absolute_url())

    again = fetch(client, article.get_absolute_url(), if_none_match=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""


def test_a_client_holding_an_older_copy_gets_the_new_page(client, article):
    first = fetch(client, article.get_absolute_url())
    article.title = "Second title"
    publishing.save(article, user=None)

    again = fetch(client, article.get_absolute_url(), if_none_match=first["ETag"])

    assert again.status_code == 200
    assert "Second title" in again.text


def test_pages_tell_shared_caches_how_long_to_keep_them(client, settings, article):
    settings.SHARED_CACHE_SECONDS = 45
    settings.SHARED_CACHE_STALE_SECONDS = 15

    response = fetch(client, article.get_absolute_url())

    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=0", "s-maxage=45", "stale-while-revalidate=15"} <= (
        directives
    )
    assert response.has_header("Last-Modified")


def test_each_encoding_is_kept_as_it_was_sent(client, article):
    url = article.get_absolute_url()
    plain = fetch(client, url)
    fetch(client, url, accept_encoding="br")
    compressed = fetch(client, url, accept_encoding="br")

    assert kept(compressed)
    assert compressed["Content-Encoding"] == "br"
    assert not plain.has_header("Content-Encoding")
    assert kept(fetch(client, url))


def test_tracking_parameters_share_the_plain_page(client, article):
    url = article.get_absolute_url()
    fetch(client, url)

    assert kept(fetch(client, f"{url}?utm_source=newsletter&fbclid=abc"))


def test_pages_of_a_listing_are_kept_apart(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    for n in range(3):
        make_article(title=f"Listed {n}")
    first = fetch(client, "/en/")
    second = fetch(client, "/en/?page=2")

    assert not kept(second)
    assert second.content != first.content
    assert kept(fetch(client, "/en/?page=2"))


@pytest.mark.parametrize("query", ["?q=sleep", "?preview=abc", "?anything=else"])
def test_a_request_with_another_query_is_never_kept(client, article, query):
    url = article.get_absolute_url() + query
    fetch(client, url)

    assert not fetch(client, url).has_header("X-Page-Cache")


def test_the_search_page_is_never_kept(client, article):
    fetch(client, "/en/search/?q=article")

    assert not fetch(client, "/en/search/?q=article").has_header("X-Page-Cache")


def test_signed_in_staff_always_get_a_fresh_page(editor_client, client, article):
    fetch(client, article.get_absolute_url())

    response = fetch(editor_client, article.get_absolute_url())

    assert not response.has_header("X-Page-Cache")


def test_a_post_is_never_answered_from_the_cache(client, article):
    fetch(client, "/en/")

    response = client.post("/en/")

    assert not response.has_header("X-Page-Cache")


def test_a_page_not_found_is_not_kept(client, article):
    fetch(client, "/en/no-such-thing/")

    response = fetch(client, "/en/no-such-thing/")

    assert response.status_code == 404
    assert not response.has_header("X-Page-Cache")


def test_with_the_page_cache_off_every_request_is_rendered(client, settings, article):
    settings.PAGE_CACHE = False
    fetch(client, article.get_absolute_url())

    response = fetch(client, article.get_absolute_url())

    assert response["X-Page-Cache"] == "off"
    assert response.has_header("ETag")


def test_with_the_cache_down_pages_are_served_uncached(client, settings, article):
    settings.CACHES = {
        "default": {
            "BACKEND": "articles.cache.ResilientRedisCache",
            # Nothing listens on port 9: every cache call fails at once.
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }

    first = fetch(client, article.get_absolute_url())
    second = fetch(client, article.get_absolute_url())

    assert first.status_code == second.status_code == 200
    assert "First title" in second.text
    assert not kept(second)


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.filebased.FileBasedCache",
    ],
)
def test_each_cache_backend_keeps_pages_and_drops_them_on_change(
    client, settings, tmp_path, backend
):
    # Redis is the suite's own cache on CI (CACHE_URL).
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": str(tmp_path)}}
    settings.PAGE_CACHE_RECENT_PAGES = 0  # Each hit from the backend itself.
    article = make_article(title="First title")
    fetch(client, article.get_absolute_url())
    assert kept(fetch(client, article.get_absolute_url()))

    article.title = "Second title"
    publishing.save(article, user=None)

    assert "Second title" in fetch(client, article.get_absolute_url()).text


def forget_shared_copies():
    """Empty the shared cache as a restart of Redis would, the version kept."""
    version = cache.get(content_version.KEY)
    cache.clear()
    cache.set(content_version.KEY, version, timeout=None)


def test_a_process_answers_its_recent_pages_from_its_memory(client, article):
    fetch(client, article.get_absolute_url())
    forget_shared_copies()

    assert kept(fetch(client, article.get_absolute_url()))


def test_a_page_in_a_process_memory_is_not_served_after_a_change_elsewhere(
    client, article
):
    fetch(client, article.get_absolute_url())

    # What another process's commit leaves behind: new content, a new version.
    Article.objects.filter(pk=article.pk).update(title="Changed elsewhere")
    content_version.bump()
    response = fetch(client, article.get_absolute_url())

    assert not kept(response)
    assert "Changed elsewhere" in response.text


def test_a_process_keeps_only_so_many_pages_in_memory(client, settings):
    settings.PAGE_CACHE_RECENT_PAGES = 2
    first, second, third = (make_article(title=f"Article {n}") for n in range(3))
    for each in (first, second, third):
        fetch(client, each.get_absolute_url())
    forget_shared_copies()

    assert not kept(fetch(client, first.get_absolute_url()))
    assert kept(fetch(client, third.get_absolute_url()))


# The WSGI front (config/wsgi.py): kept pages answered before Django's handler


class Django:
    """Stands in for Django's WSGI handler: records what reached it."""

    def __init__(self):
        self.reached = []

    def __call__(self, environ, start_response):
        self.reached.append(environ["PATH_INFO"])
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"from Django"]


@pytest.fixture
def django_handler():
    return Django()


@pytest.fixture
def front(django_handler):
    return KeptPagesFirst(django_handler)


def call(front, request):
    answered = {}

    def start_response(status, headers):
        answered["status"], answered["headers"] = status, dict(headers)

    body = b"".join(front(request.environ, start_response))
    return answered["status"], answered["headers"], body


def test_the_wsgi_front_answers_a_kept_page_as_django_would(
    client, article, front, django_handler
):
    fetch(client, article.get_absolute_url())
    from_django = fetch(client, article.get_absolute_url())

    status, headers, body = call(
        front, RequestFactory().get(article.get_absolute_url())
    )

    assert django_handler.reached == []
    assert status == "200 OK"
    assert body == from_django.content
    for name in (
        "Content-Type",
        "ETag",
        "Cache-Control",
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "X-Page-Cache",
    ):
        assert headers[name] == from_django[name], name


def test_the_wsgi_front_answers_a_client_holding_the_page_not_modified(
    client, article, front
):
    etag = fetch(client, article.get_absolute_url())["ETag"]

    status, _headers, body = call(
        front,
        RequestFactory().get(
            article.get_absolute_url(), headers={"If-None-Match": etag}
        ),
    )

    assert status == "304 Not Modified"
    assert body == b""


@pytest.mark.parametrize(
    "request_for",
    [
        lambda url: RequestFactory().post(url),
        lambda url: RequestFactory().get(url, {"q": "back"}),
        lambda url: RequestFactory().get(
            url, headers={"Cookie": f"{django_settings.SESSION_COOKIE_NAME}=x"}
        ),
        lambda url: RequestFactory().get(url, headers={"Host": "elsewhere.example"}),
        lambda url: RequestFactory().get(url + "%00"),
        lambda url: RequestFactory().get("/en/never-asked-for/"),
    ],
    ids=["post", "query", "session", "host-not-allowed", "nul", "not-kept"],
)
def test_the_wsgi_front_leaves_everything_else_to_django(
    client, article, front, django_handler, request_for
):
    fetch(client, article.get_absolute_url())

    _status, _headers, body = call(front, request_for(article.get_absolute_url()))

    assert body == b"from Django"
    assert len(django_handler.reached) == 1


def test_the_wsgi_front_leaves_a_page_changed_since_to_django(
    client, article, front, django_handler
):
    fetch(client, article.get_absolute_url())
    article.title = "Second title"
    publishing.save(article, user=None)

    _status, _headers, body = call(
        front, RequestFactory().get(article.get_absolute_url())
    )

    assert body == b"from Django"


def test_the_wsgi_front_leaves_plain_http_to_djangos_https_redirect(
    client, settings, article, django_handler
):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    # Built after the settings, as Django builds its middleware at start.
    front = KeptPagesFirst(django_handler)
    client.get(article.get_absolute_url(), secure=True)

    plain = call(front, RequestFactory().get(article.get_absolute_url()))
    secure = call(front, RequestFactory().get(article.get_absolute_url(), secure=True))

    assert plain[2] == b"from Django"
    assert secure[1]["X-Page-Cache"] == "hit"
    assert secure[1]["Strict-Transport-Security"].startswith("max-age=3600")


def test_the_wsgi_front_repeats_exactly_the_middleware_before_the_page_cache():
    middleware = django_settings.MIDDLEWARE

    before = middleware[: middleware.index("articles.page_cache.PageCacheMiddleware")]

    # KeptPagesFirst runs these two itself: another one here must go there too.
    assert before == [
        "django.middleware.security.SecurityMiddleware",
        "articles.request_limits.RequestLimitsMiddleware",
    ]
