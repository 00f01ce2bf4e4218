"""
Site pages (About, Contact, the policies) go through the same publishing
service as articles and are served at /<language>/<path>/, beside the
categories, with their own schema.org type.
"""

import json
import re

import pytest
from django.urls import reverse

from articles import preview, publishing
from articles.models import AuditEntry, Category, Page, Redirect
from tests.factories import make_article, make_category, make_user
from tests.test_roles import form_data

pytestmark = pytest.mark.django_db

PAGES = reverse("admin:articles_page_changelist")
ADD_PAGE = reverse("admin:articles_page_add")


def make_page(**fields):
    fields = {
        "title": "About us",
        "slug": "about-us",
        "status": Page.Status.PUBLISHED,
        "body": "<p>Who we are.</p>",
    } | fields
    return publishing.save(Page(**fields), user=None).obj


def change_url(page):
    return reverse("admin:articles_page_change", args=[page.pk])


def json_ld(response):
    (script,) = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S
    )
    return json.loads(script)["@graph"]


def test_an_editor_writes_and_publishes_a_page_in_the_admin(editor_client, editor):
    page = editor_client.get(ADD_PAGE)
    data = form_data(page, form_id="page_form") | {
        "title": ["About us"],
        "slug": ["about-us"],
        "body": ["<p>We are a medical center.</p>"],
        "page_type": ["AboutPage"],
        "status": ["published"],
    }

    response = editor_client.post(ADD_PAGE, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    about = Page.objects.get()
    assert about.get_absolute_url() == "/en/about-us/"
    assert about.revisions.get().author == editor
    entry = AuditEntry.objects.get(object_id=str(about.pk), content_type__model="page")
    assert entry.action == "publish"
    reader = editor_client.get("/en/about-us/")
    assert "We are a medical center." in reader.text
    types = {node["@type"] for node in json_ld(reader)}
    assert {"AboutPage", "BreadcrumbList", "MedicalOrganization", "WebSite"} <= types


def test_a_child_page_lives_under_its_parent(client):
    about = make_page()
    make_page(title="Team", slug="team", parent=about)

    response = client.get("/en/about-us/team/")

    assert response.status_code == 200
    assert '<a href="/en/about-us/">About us</a>' in response.text
    crumbs = next(n for n in json_ld(response) if n["@type"] == "BreadcrumbList")
    assert [item["name"] for item in crumbs["itemListElement"]] == [
        "Home",
        "About us",
        "Team",
    ]
    assert "Team" in client.get("/en/about-us/").text  # Listed in its section.


def test_grandchildren_have_their_whole_path(client):
    about = make_page()
    team = make_page(title="Team", slug="team", parent=about)
    make_page(title="Doctors", slug="doctors", parent=team)

    assert client.get("/en/about-us/team/doctors/").status_code == 200


def test_an_article_with_the_slug_of_a_child_page_does_not_take_its_address(client):
    about = make_page()
    make_page(title="Team", slug="team", parent=about)
    make_article(slug="team")

    response = client.get("/en/about-us/team/")

    assert response.status_code == 200
    assert "<h1>Team</h1>" in response.text


def test_categories_still_answer_at_their_address(client):
    article = make_article(primary_category=make_category(slug="beauty"))

    assert client.get("/en/beauty/").status_code == 200
    assert client.get(article.get_absolute_url()).status_code == 200


def test_a_draft_page_is_not_found_and_not_in_the_sitemap(client):
    make_page(status=Page.Status.DRAFT)

    assert client.get("/en/about-us/").status_code == 404
    assert "about-us" not in client.get("/sitemap-pages.xml").text


def test_published_pages_are_in_the_sitemap(client):
    make_page()

    sitemap = client.get("/sitemap-pages.xml").text

    assert "<loc>http://127.0.0.1:8000/en/about-us/</loc>" in sitemap
    assert "sitemap-pages.xml" in client.get("/sitemap.xml").text


@pytest.mark.parametrize("slug", ["beauty", "tag", "search"])
def test_a_page_cannot_take_the_slug_of_a_category_or_a_reserved_word(
    editor_client, slug
):
    make_category(name="Beauty", slug="beauty")
    data = form_data(editor_client.get(ADD_PAGE), form_id="page_form") | {
        "title": ["Clash"],
        "slug": [slug],
        "status": ["draft"],
    }

    response = editor_client.post(ADD_PAGE, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["slug"]
    assert f"“{slug}”" in errors[0]
    assert not Page.objects.exists()


def test_a_category_cannot_take_the_slug_of_a_top_level_page(editor_client):
    make_page()
    url = reverse("admin:articles_category_add")
    data = form_data(editor_client.get(url), form_id="category_form") | {
        "name": ["About us"],
        "slug": ["about-us"],
    }

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "Pages and categories share that address" in str(
        response.context["adminform"].form.errors["slug"]
    )
    assert not Category.objects.filter(slug="about-us").exists()


def test_a_renamed_page_and_its_children_leave_301s(client):
    about = make_page()
    make_page(title="Team", slug="team", parent=about)
    about.slug = "who-we-are"

    publishing.save(about, user=None)

    assert client.get("/en/about-us/")["Location"] == "/en/who-we-are/"
    assert client.get("/en/about-us/team/")["Location"] == "/en/who-we-are/team/"
    assert client.get("/en/who-we-are/team/").status_code == 200
    assert Redirect.objects.count() == 2


def test_a_page_is_previewed_by_editors_and_by_a_shared_link(client, editor_client):
    draft = make_page(status=Page.Status.DRAFT, title="Privacy", slug="privacy")

    assert editor_client.get("/en/privacy/?preview=1").status_code == 200
    link = preview.share_url(draft).split("8000", 1)[1]
    client.logout()
    response = client.get(link)
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_an_article_preview_link_does_not_open_a_page(client):
    article = make_article(status="draft")
    page = make_page(status=Page.Status.DRAFT)
    page.pk, page.preview_key = article.pk, article.preview_key

    token = preview.token_for(article)

    assert client.get(page.get_absolute_url(), {"preview": token}).status_code == 404


def test_a_trashed_page_is_gone_until_restored(client, editor_client):
    about = make_page()
    editor_client.post(
        PAGES, {"action": "move_to_trash", "_selected_action": [about.pk], "index": 0}
    )
    assert client.get("/en/about-us/").status_code == 404

    editor_client.post(
        PAGES,
        {"action": "restore_from_trash", "_selected_action": [about.pk], "index": 0},
    )
    assert client.get("/en/about-us/").status_code == 200


def test_a_page_keeps_revisions_and_refuses_a_stale_save(client, editor):
    about = make_page()
    other = make_user("Editor", first_name="Alice", last_name="Smith")
    client.force_login(editor)
    stale = form_data(client.get(change_url(about)), form_id="page_form")
    client.force_login(other)
    fresh = form_data(client.get(change_url(about)), form_id="page_form") | {
        "title": ["About the clinic"]
    }
    assert client.post(change_url(about), fresh).status_code == 302

    client.force_login(editor)
    response = client.post(change_url(about), stale | {"title": ["Mine"]})

    assert response.status_code == 200
    assert "Alice Smith saved this page" in response.text
    about.refresh_from_db()
    assert about.title == "About the clinic"
    assert about.revisions.count() == 2


def test_authors_cannot_manage_pages(client):
    client.force_login(make_user("Author"))

    assert client.get(PAGES).status_code == 403
    assert client.get(ADD_PAGE).status_code == 403


def test_a_contact_page_says_so_in_its_json_ld(client):
    make_page(title="Contact", slug="contact", page_type=Page.Type.CONTACT)

    graph = json_ld(client.get("/en/contact/"))

    page = next(node for node in graph if node["@id"].endswith("#webpage"))
    assert page["@type"] == "ContactPage"
    assert page["about"] == {"@id": "http://127.0.0.1:8000/#organization"}


def test_readers_find_published_pages_in_search(client):
    make_page(
        title="Medical review policy",
        slug="medical-review-policy",
        body="<p>Every article is checked by a physiatrist.</p>",
    )
    make_page(
        title="Draft policy",
        slug="draft",
        status=Page.Status.DRAFT,
        body="<p>physiatrist</p>",
    )

    html = client.get("/en/search/", {"q": "physiatrist"}).text

    assert "/en/medical-review-policy/" in html
    assert "/en/draft/" not in html


def test_every_page_has_the_search_box(client):
    make_page()

    html = client.get("/en/about-us/").text

    assert 'role="search"' in html and 'action="/en/search/"' in html
