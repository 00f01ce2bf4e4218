"""
The site around the articles: its identity (site settings) and its menus,
edited in the admin, shown on every page at no query per item, and fresh on
the next request after a change.
"""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import publishing
from articles.models import Menu, MenuItem, Page, SiteSettings
from tests.factories import make_article, make_category, make_user
from tests.test_roles import form_data

pytestmark = pytest.mark.django_db

SETTINGS = reverse("admin:articles_sitesettings_changelist")


def organization(response):
    (script,) = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S
    )
    graph = json.loads(script)["@graph"]
    return next(node for node in graph if node["@id"].endswith("/#organization"))


def make_page(**fields):
    fields = {"title": "About us", "slug": "about-us", "status": "published"} | fields
    return publishing.save(Page(**fields), user=None).obj


def make_menu(location="header", **fields):
    menu = Menu(title=fields.pop("title", "Main"), location=location, **fields)
    publishing.save_object(menu, user=None)
    return menu


def add_item(menu, **fields):
    item = MenuItem(menu=menu, **fields)
    publishing.save_object(item, user=None)
    return item


def test_until_saved_the_environment_names_the_site(client, settings):
    settings.SITE_NAME = "Gold City Medical Center"
    make_article()

    response = client.get("/en/")

    assert "<title>Gold City Medical Center</title>" in response.text
    assert organization(response)["name"] == "Gold City Medical Center"


def test_the_settings_admin_opens_the_one_row_made_from_the_environment(
    editor_client, settings
):
    settings.SITE_NAME = "Gold City Medical Center"

    response = editor_client.get(SETTINGS)

    assert response.status_code == 302
    (identity,) = SiteSettings.objects.all()
    assert identity.name == "Gold City Medical Center"
    assert response["Location"].endswith(f"/{identity.pk}/change/")


def test_an_editor_describes_the_organization_and_every_page_says_so(
    client, editor_client
):
    make_article()
    page = editor_client.get(editor_client.get(SETTINGS)["Location"])
    data = form_data(page, form_id="sitesettings_form") | {
        "name": ["Gold City Clinic"],
        "organization_type": ["MedicalClinic"],
        "legal_name": ["Gold City Clinic B.V."],
        "street_address": ["Hoofdstraat 1"],
        "postal_code": ["1011 AA"],
        "locality": ["Amsterdam"],
        "country": ["NL"],
        "telephone": ["+31 20 123 4567"],
        "medical_specialty": ["Physiotherapy, Dermatology"],
        "social_profiles": [
            "https://www.linkedin.com/company/gold-city\njavascript:alert(1)\n"
            "https://www.instagram.com/goldcity"
        ],
        "footer_disclaimer": ["Not a substitute for medical advice."],
    }
    assert editor_client.post(page.wsgi_request.path, data).status_code == 302

    response = client.get("/en/")

    node = organization(response)
    assert node["@type"] == "MedicalClinic"
    assert node["name"] == "Gold City Clinic"
    assert node["legalName"] == "Gold City Clinic B.V."
    assert node["address"]["addressLocality"] == "Amsterdam"
    assert node["medicalSpecialty"] == ["Physiotherapy", "Dermatology"]
    assert node["sameAs"] == [
        "https://www.linkedin.com/company/gold-city",
        "https://www.instagram.com/goldcity",
    ]
    assert "<title>Gold City Clinic</title>" in response.text
    assert "Not a substitute for medical advice." in response.text


def test_authors_cannot_change_the_site_settings(client):
    client.force_login(make_user("Author"))

    assert client.get(SETTINGS).status_code == 403


def test_the_header_menu_links_pages_categories_articles_and_addresses(client):
    about = make_page()
    team = make_page(title="Team", slug="team", parent=about)
    category = make_category(name="Back pain", slug="back-pain")
    article = make_article(title="Heat or ice?", primary_category=category)
    menu = make_menu()
    add_item(menu, page=about, order=1)
    add_item(menu, page=team, nested=True, order=2)
    add_item(menu, category=category, order=3)
    add_item(menu, article=article, label="Heat or ice", order=4)
    add_item(menu, url="https://appointments.example.org/", label="Book", order=5)

    html = client.get("/en/").text

    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav) == [
        ("/en/about-us/", "About us"),
        ("/en/about-us/team/", "Team"),
        ("/en/back-pain/", "Back pain"),
        (article.get_absolute_url(), "Heat or ice"),
        ("https://appointments.example.org/", "Book"),
    ]
    assert "<summary>About us</summary>" in nav


def test_items_readers_cannot_follow_are_left_out(client):
    menu = make_menu()
    add_item(menu, page=make_page(status="draft"), order=1)
    add_item(menu, article=make_article(status="draft"), order=2)

    assert 'class="site-nav"' not in client.get("/en/").text


def test_footer_columns_are_shown_in_order(client):
    second = make_menu("footer", title="Policies", order=2)
    first = make_menu("footer", title="About", order=1)
    add_item(first, page=make_page(), order=1)
    add_item(second, page=make_page(title="Privacy", slug="privacy"), order=1)

    html = client.get("/en/").text

    assert html.index(">About</h2>") < html.index(">Policies</h2>")
    assert '<a href="/en/privacy/">Privacy</a>' in html


def test_menus_cost_no_query_per_item_and_none_once_read(client, settings):
    settings.PAGE_CACHE = False  # The menus are kept even where pages are not.
    make_article()
    menu = make_menu()

    def queries_for_home():
        with CaptureQueriesContext(connection) as queries:
            client.get("/en/")
        return len(queries)

    add_item(menu, url="https://example.org/1", label="One")
    first_with_one = queries_for_home()
    for n in range(2, 12):
        add_item(menu, page=make_page(title=f"Page {n}", slug=f"page-{n}"))
    first_with_eleven = queries_for_home()
    again = queries_for_home()

    assert first_with_eleven == first_with_one
    # The menus, the settings and the listing's count are kept.
    assert again == first_with_one - 3


def test_an_item_links_to_exactly_one_thing(editor_client):
    url = reverse("admin:articles_menu_add")
    data = form_data(editor_client.get(url), form_id="menu_form") | {
        "title": ["Main"],
        "location": ["header"],
        "language": ["en"],
        "items-TOTAL_FORMS": ["1"],
        "items-INITIAL_FORMS": ["0"],
        "items-0-label": ["Nothing"],
        "items-0-order": ["1"],
    }

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "Link the item to one thing" in response.text
    assert not Menu.objects.exists()


def test_a_menu_change_shows_on_the_next_request(client, editor_client):
    menu = make_menu()
    item = add_item(menu, url="https://example.org/", label="Old label")
    assert "Old label" in client.get("/en/").text
    url = reverse("admin:articles_menu_change", args=[menu.pk])
    data = form_data(editor_client.get(url), form_id="menu_form")
    data[f"items-{0}-label"] = ["New label"]
    assert data["items-0-id"] == [str(item.pk)]

    assert editor_client.post(url, data).status_code == 302

    assert "New label" in client.get("/en/").text


def test_one_header_menu_per_language(editor_client):
    make_menu()
    url = reverse("admin:articles_menu_add")
    data = form_data(editor_client.get(url), form_id="menu_form") | {
        "title": ["Another"],
        "location": ["header"],
        "language": ["en"],
    }

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "This language has a header menu already." in response.text
