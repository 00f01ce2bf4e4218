"""make run's demo: a small complete site, loaded again without duplicates."""

import io

import pytest
from django.core.management import call_command

from articles import sign_offs
from articles.models import (
    Article,
    Image,
    Menu,
    MenuItem,
    Page,
    SiteSettings,
)

pytestmark = pytest.mark.django_db


def load_demo():
    call_command("load_demo", stdout=io.StringIO())


def test_the_demo_is_a_whole_site(client):
    load_demo()

    home = client.get("/en/").text
    assert 'class="site-nav"' in home and 'class="site-logo"' in home
    for path in (
        "/en/about-us/",
        "/en/about-us/team/",
        "/en/about-us/editorial-policy/",
        "/en/about-us/medical-review-policy/",
        "/en/contact/",
        "/en/privacy/",
    ):
        assert client.get(path).status_code == 200, path
        assert f'href="{path}"' in home, path
    article = Article.objects.get(slug="back-spasm-remedy")
    assert article.author.display_name == "Dr. Marieke Jansen"
    assert article.reviewer.display_name == "Dr. Pieter de Groot"
    assert sign_offs.covers(article, substantive=False)  # Signed off, not typed.
    assert article.reviewer.user.username == "reviewer"
    assert SiteSettings.objects.get().organization_type == "MedicalClinic"


def test_loading_the_demo_again_adds_nothing():
    load_demo()
    counts = [model.objects.count() for model in (Article, Image, Page, Menu, MenuItem)]

    load_demo()

    assert [
        model.objects.count() for model in (Article, Image, Page, Menu, MenuItem)
    ] == counts
