"""
WordPress pages (WXR items of wp:post_type page, REST wp/v2/pages objects)
become the site's pages at their old addresses, with their parents, through
the publishing service; the exported site's title and description fill the
site settings on the first import.
"""

import json
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles import content_version
from articles.importers.wordpress.load import import_items
from articles.importers.wordpress.load.pages import parents_first
from articles.importers.wordpress.sources import WordPressPage, read_posts
from articles.models import (
    Article,
    AuditEntry,
    Category,
    Image,
    Page,
    Redirect,
    Revision,
    SiteSettings,
)
from tests import wxr
from tests.factories import make_category

SITE = wxr.SITE
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def wordpress_site(settings):
    settings.WORDPRESS_SITE_URL = SITE
    settings.LANGUAGES = [("en", "English"), ("nl", "Nederlands")]
    settings.LANGUAGE_CODE = "en"
    settings.SITE_NAME = "Healthpress"


def run(tmp_path, *items, name="export.xml", **channel):
    path = tmp_path / name
    path.write_text(wxr.export(*items, **channel))
    return list(import_items(read_posts([path])))


def by_title(outcomes):
    return {outcome.title: outcome for outcome in outcomes}


# WXR pages


def test_a_page_keeps_its_permalink_when_it_has_the_sites_shape(tmp_path, client):
    """A page whose WordPress permalink is /en/about-us/ answers there, with no redirect."""
    outcomes = run(
        tmp_path,
        wxr.page(
            10,
            slug="about-us",
            path="en/about-us",
            title="About &amp; us",
            content="<!-- wp:paragraph --><p>Who we are.</p><!-- /wp:paragraph -->",
            menu_order=3,
        ),
    )

    assert by_title(outcomes)["About & us"].action == "created"
    page = Page.objects.get(wordpress_id=10)
    assert (page.get_absolute_url(), page.status, page.menu_order) == (
        "/en/about-us/",
        Page.Status.PUBLISHED,
        3,
    )
    assert page.body == "<p>Who we are.</p>"
    assert page.published_at.isoformat() == "2025-03-01T09:00:00+00:00"
    assert page.updated_at.isoformat() == "2025-03-02T09:00:00+00:00"
    assert page.wordpress_link == f"{SITE}/en/about-us/"
    assert not Redirect.objects.exists()
    assert "Who we are." in client.get("/en/about-us/").text


def test_a_page_at_another_address_answers_there_with_a_301(tmp_path, client):
    """WordPress's /about-us/ (no language in the permalink) moves to /en/about-us/."""
    run(tmp_path, wxr.page(10, slug="about-us"))

    response = client.get("/about-us/")

    assert (response.status_code, response["Location"]) == (301, "/en/about-us/")


def test_a_child_page_lives_under_its_parent_whatever_the_order_in_the_file(
    tmp_path, client
):
    """wp:post_parent: the child comes first in the export, its parent is imported before it."""
    outcomes = run(
        tmp_path,
        wxr.page(11, slug="team", path="about-us/team", parent=10),
        wxr.page(12, slug="doctors", path="about-us/team/doctors", parent=11),
        wxr.page(10, slug="about-us"),
    )

    assert [outcome.action for outcome in outcomes] == ["created"] * 4
    team = Page.objects.get(wordpress_id=11)
    assert team.parent == Page.objects.get(wordpress_id=10)
    assert team.get_absolute_url() == "/en/about-us/team/"
    assert client.get("/en/about-us/team/doctors/").status_code == 200
    old = client.get("/about-us/team/doctors/")
    assert (old.status_code, old["Location"]) == (301, "/en/about-us/team/doctors/")


def test_a_page_whose_parent_is_not_imported_waits_at_the_top_and_moves_later(
    tmp_path, client
):
    """The parent of a later export is found on the next import, and the old address follows."""
    (first,) = run(
        tmp_path, wxr.page(11, slug="team", path="about-us/team", parent=10)
    )[1:]
    assert first.action == "created"
    assert "parent page (WordPress id 10) is not imported" in first.notice
    assert Page.objects.get().get_absolute_url() == "/en/team/"

    outcomes = run(
        tmp_path,
        wxr.page(11, slug="team", path="about-us/team", parent=10),
        wxr.page(10, slug="about-us"),
    )

    assert [outcome.action for outcome in outcomes[1:]] == ["updated", "created"]
    assert Page.objects.get(wordpress_id=11).get_absolute_url() == "/en/about-us/team/"
    moved = client.get("/en/team/")
    assert (moved.status_code, moved["Location"]) == (301, "/en/about-us/team/")


def test_pages_that_are_each_others_parent_are_imported_and_the_loop_is_cut(tmp_path):
    outcomes = run(
        tmp_path,
        wxr.page(10, slug="a", parent=11),
        wxr.page(11, slug="b", parent=10),
    )

    assert {outcome.action for outcome in outcomes[1:]} == {"created"}
    parents = {page.slug: page.parent for page in Page.objects.all()}
    assert list(parents.values()).count(None) == 1

    again = run(
        tmp_path,
        wxr.page(10, slug="a", parent=11),
        wxr.page(11, slug="b", parent=10),
    )

    assert all(outcome.action != "failed" for outcome in again)
    assert [page.parent for page in Page.objects.all()].count(None) == 1


@given(parents=st.lists(st.integers(min_value=0, max_value=12), max_size=12))
def test_parents_first_orders_every_page_once_and_parents_before_children(parents):
    """Any tree of wp:post_parent ids, loops and missing parents included."""
    pages = [
        WordPressPage(wordpress_id=number + 1, source="", parent_id=parent or None)
        for number, parent in enumerate(parents)
    ]

    order = parents_first(pages)

    assert sorted(order) == list(range(len(pages)))
    position = {pages[index].wordpress_id: place for place, index in enumerate(order)}
    for page in pages:
        ancestors, ancestor = [], page.parent_id
        while ancestor in position and ancestor not in ancestors:
            ancestors.append(ancestor)
            ancestor = pages[ancestor - 1].parent_id
        if page.wordpress_id not in ancestors and page.parent_id in position:
            assert position[page.parent_id] < position[page.wordpress_id]


def test_a_page_named_like_a_category_is_imported_under_a_free_slug_and_says_so(
    tmp_path, client
):
    """
    Pages and categories share /<language>/<slug>/ (Page.clean()): the
    category keeps it, as the posts' addresses depend on it, and the page
    takes health-2 as wp_unique_post_slug() would number it.
    """
    outcomes = run(
        tmp_path,
        wxr.page(30, slug="health", title="Health"),
        wxr.post(20, slug="back-pain"),
    )

    page_outcome = next(o for o in outcomes if o.title == "Health")
    assert page_outcome.action == "created"
    assert page_outcome.notice == (
        "“health” is taken: “Health” answers at /<language>/health/. Pages and "
        "categories share that address, so choose another slug. "
        "It was imported at /en/health-2/ instead."
    )
    assert Page.objects.get().get_absolute_url() == "/en/health-2/"
    assert Category.objects.get().slug == "health"
    assert client.get("/en/health-2/").status_code == 200
    assert client.get("/en/health/back-pain/").status_code == 200
    assert client.get("/health/")["Location"] == "/en/health-2/"


def test_a_category_imported_after_a_page_of_its_slug_does_not_hide_the_page(
    tmp_path, client
):
    """Category.clean()'s rule from the other side: a later import's category takes health-3."""
    run(tmp_path, wxr.page(30, slug="health", path="en/health"))

    run(tmp_path, wxr.post(20, slug="back-pain"), categories=((3, "health", "Health"),))

    assert Category.objects.get().slug == "health-3"
    assert "The health page." in client.get("/en/health/").text
    moved = client.get("/en/health/back-pain/")
    assert (moved.status_code, moved["Location"]) == (301, "/en/health-3/back-pain/")


def test_a_page_with_a_slug_the_site_keeps_for_itself_is_moved_and_says_so(tmp_path):
    (outcome,) = run(tmp_path, wxr.page(30, slug="search"))[1:]

    assert outcome.notice == (
        "“search” is reserved for the site's own pages. "
        "It was imported at /en/search-2/ instead."
    )
    assert Page.objects.get().slug == "search-2"


def test_a_page_never_takes_the_address_of_a_page_made_here(tmp_path):
    existing = Page(title="Ours", slug="about-us", status=Page.Status.PUBLISHED)
    existing.save()

    run(tmp_path, wxr.page(10, slug="about-us"))

    assert Page.objects.get(wordpress_id=10).slug == "about-us-2"
    assert Page.objects.get(pk=existing.pk).title == "Ours"


def test_pages_go_through_the_publishing_service(tmp_path):
    """A revision, an audit entry naming it and a content change for every page, as for articles."""
    before = content_version.current()

    run(tmp_path, wxr.page(10, slug="about-us"))

    page = Page.objects.get()
    revision = Revision.objects.get(content_type__model="page", object_id=page.pk)
    assert revision.summary == "Imported from WordPress"
    entry = AuditEntry.objects.get(content_type__model="page", object_id=str(page.pk))
    assert (entry.action, entry.details["revision"]) == (
        AuditEntry.Action.PUBLISH,
        revision.pk,
    )
    assert content_version.current() != before


def test_importing_again_leaves_unchanged_pages_and_updates_changed_ones_in_place(
    tmp_path,
):
    run(tmp_path, wxr.page(10, slug="about-us", title="About"))
    page = Page.objects.get()

    unchanged = run(tmp_path, wxr.page(10, slug="about-us", title="About"))
    changed = run(tmp_path, wxr.page(10, slug="about-us", title="About the clinic"))

    assert unchanged[1].action == "unchanged"
    assert changed[1].action == "updated"
    assert Page.objects.get().pk == page.pk
    assert Page.objects.get().title == "About the clinic"
    assert page.revisions.count() == 2


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("publish", Page.Status.PUBLISHED),
        ("draft", Page.Status.DRAFT),
        ("pending", Page.Status.PENDING),
        ("private", Page.Status.PRIVATE),
    ],
)
def test_wordpress_statuses_map_to_page_statuses(tmp_path, status, expected):
    run(tmp_path, wxr.page(10, slug="about-us", status=status))

    assert Page.objects.get().status == expected


def test_password_protected_and_auto_draft_pages_are_skipped_with_a_reason(tmp_path):
    outcomes = run(
        tmp_path,
        wxr.page(10, slug="secret", password="hunter2"),
        wxr.page(11, slug="unsaved", status="auto-draft"),
    )

    assert [(o.action, o.reason) for o in outcomes[1:]] == [
        ("skipped", "password-protected in WordPress"),
        ("skipped", "the status “auto-draft” is not imported"),
    ]
    assert not Page.objects.exists()


def test_a_page_keeps_its_faq_and_references_in_its_text(tmp_path):
    """A page has no FAQ or references of its own: convert_post(split_sections=False) loses nothing."""
    run(
        tmp_path,
        wxr.page(
            10,
            slug="policy",
            content=(
                "<h2>How we write</h2><p>Carefully.</p>"
                "<h2>References</h2><p>Smith J. Writing well. 2020.</p>"
                '<div class="schema-faq wp-block-yoast-faq-block"><div class="schema-faq-section">'
                '<strong class="schema-faq-question">Who checks?</strong> '
                '<p class="schema-faq-answer">A doctor.</p></div></div>'
            ),
        ),
    )

    body = Page.objects.get().body
    for text in ("Carefully.", "References", "Smith J. Writing well.", "Who checks?"):
        assert text in body
    assert "A doctor." in body


def test_seo_meta_featured_image_and_kind_of_page_are_imported(tmp_path, client):
    """SEO meta as for posts; _thumbnail_id names the library image; about-us is an AboutPage."""
    attachment = wxr.item(
        900,
        post_type="attachment",
        slug="team-photo",
        link=f"{SITE}/team-photo/",
        meta={"_wp_attachment_image_alt": "Our team"},
    ).replace(
        "<wp:is_sticky>",
        f"<wp:attachment_url>{SITE}/wp-content/uploads/team.jpg</wp:attachment_url><wp:is_sticky>",
    )
    run(
        tmp_path,
        attachment,
        wxr.page(
            10,
            slug="about-us",
            title="About us",
            meta={
                "rank_math_title": "%title% %sep% %sitename%",
                "rank_math_description": "Who we are",
                "_yoast_wpseo_meta-robots-noindex": "1",
                "_thumbnail_id": "900",
            },
        ),
    )

    page = Page.objects.get()
    assert page.seo_title == "About us – Gold City Medical Center"
    assert page.meta_description == "Who we are"
    assert page.robots_noindex
    assert page.featured_image == Image.objects.get(wordpress_id=900)
    assert page.page_type == Page.Type.ABOUT


def test_a_page_of_a_polylang_language_lives_in_that_language(tmp_path, client):
    run(
        tmp_path,
        wxr.page(10, slug="over-ons", terms=(("language", "nl", "Nederlands"),)),
    )

    assert Page.objects.get().get_absolute_url() == "/nl/over-ons/"
    assert client.get("/nl/over-ons/").status_code == 200


def test_the_plain_page_id_permalink_answers_with_the_imported_page(tmp_path, client):
    """/?page_id=10 (redirects.wordpress_permalink) goes to the page the import made."""
    run(tmp_path, wxr.page(10, slug="about-us"))

    response = client.get("/?page_id=10")

    assert (response.status_code, response["Location"]) == (301, "/en/about-us/")


def test_a_dry_run_of_pages_saves_nothing_and_reports_what_would_happen(tmp_path):
    path = tmp_path / "export.xml"
    path.write_text(
        wxr.export(
            wxr.page(11, slug="team", path="about-us/team", parent=10),
            wxr.page(10, slug="about-us"),
        )
    )

    outcomes = list(import_items(read_posts([path]), dry_run=True))

    assert [(o.action, o.reason) for o in outcomes[1:]] == [
        ("created", "dry run, nothing saved")
    ] * 2
    assert not outcomes[1].notice  # The run imports both: the child finds its parent.
    assert not Page.objects.exists()
    assert not Revision.objects.exists()


def test_pages_wait_for_the_posts_of_their_export(tmp_path):
    """The posts' batches come first (they make the categories), then the pages, then the menus."""
    outcomes = run(
        tmp_path,
        wxr.page(10, slug="about-us", title="About us"),
        wxr.post(20, slug="back-pain", title="Back pain"),
    )

    assert [outcome.title for outcome in outcomes] == [
        "site settings: Gold City Medical Center",
        "Back pain",
        "About us",
    ]
    assert Article.objects.get().wordpress_id == 20


# REST pages


def rest_page(page_id, *, slug, parent=0, link=None, **fields):
    return {
        "id": page_id,
        "date": "2025-03-01T10:00:00",
        "date_gmt": "2025-03-01T09:00:00",
        "modified_gmt": "2025-03-02T09:00:00",
        "slug": slug,
        "status": "publish",
        "type": "page",
        "link": link or f"{SITE}/{slug}/",
        "title": {"rendered": slug.replace("-", " ").capitalize()},
        "content": {"rendered": f"<p>The {slug} page.</p>", "protected": False},
        "excerpt": {"rendered": "", "protected": False},
        "author": 1,
        "featured_media": 0,
        "parent": parent,
        "menu_order": 0,
        "template": "",
        "meta": {},
    } | fields


def test_rest_pages_from_a_json_file_are_imported_with_their_parents(tmp_path, client):
    """wp/v2/pages saved as a JSON array, child first, with the parent's id in parent."""
    path = tmp_path / "pages.json"
    path.write_text(
        json.dumps(
            [
                rest_page(11, slug="team", parent=10, link=f"{SITE}/en/about-us/team/"),
                rest_page(10, slug="about-us", link=f"{SITE}/en/about-us/"),
            ]
        )
    )

    outcomes = list(import_items(read_posts([path])))

    assert [outcome.action for outcome in outcomes] == ["created", "created"]
    assert client.get("/en/about-us/team/").status_code == 200
    assert not Redirect.objects.exists()


any_json_number = st.one_of(
    st.sampled_from([2**31, -(2**31) - 1, 2**63, 2**70, "-7", "9" * 30]),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=25),
    st.none(),
    st.booleans(),
)


@given(
    fields=st.lists(
        st.fixed_dictionaries(
            {"parent": any_json_number, "menu_order": any_json_number}
        ),
        min_size=1,
        max_size=5,
    )
)
@hypothesis_settings(max_examples=40, deadline=None)
def test_rest_pages_with_any_parent_and_order_are_imported(fields):
    """A parent or menu_order of any JSON type or size is read as none or a number that fits."""
    data = [
        rest_page(number, slug=f"page-{number}", **values)
        for number, values in enumerate(fields, start=1)
    ]
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "pages.json"
        path.write_text(json.dumps(data))

        outcomes = list(import_items(read_posts([path])))

    assert {outcome.action for outcome in outcomes} <= {
        "created",
        "updated",
        "unchanged",
    }


def test_numbers_too_large_for_wordpress_are_no_parent_and_no_order(tmp_path):
    """menu_order is a MySQL INT and ids fit 64 bits in WordPress: larger ones are no values."""
    path = tmp_path / "pages.json"
    path.write_text(
        json.dumps(
            [
                rest_page(10, slug="big", parent=2**70, menu_order=2**70),
                rest_page(11, slug="negative", menu_order=-7),
            ]
        )
    )

    outcomes = list(import_items(read_posts([path])))

    assert [outcome.action for outcome in outcomes] == ["created", "created"]
    assert list(Page.objects.order_by("slug").values_list("parent", "menu_order")) == [
        (None, 0),
        (None, -7),
    ]


def test_rest_page_with_embed_gets_its_featured_image(tmp_path):
    data = rest_page(10, slug="about-us", featured_media=900) | {
        "_embedded": {
            "wp:featuredmedia": [
                {
                    "id": 900,
                    "source_url": f"{SITE}/wp-content/uploads/team.jpg",
                    "alt_text": "Our team",
                    "media_details": {"width": 1200, "height": 800},
                }
            ]
        }
    }
    path = tmp_path / "page.json"
    path.write_text(json.dumps(data))

    list(import_items(read_posts([path])))

    page = Page.objects.get()
    assert (page.featured_image.wordpress_id, page.featured_image.width) == (900, 1200)


def test_the_command_lists_a_moved_page_under_the_progress_bar(tmp_path, capsys):
    make_category(slug="health", name="Health")
    path = tmp_path / "export.xml"
    path.write_text(wxr.export(wxr.page(30, slug="health")))

    call_command("import_wordpress", str(path), "--progress")

    out = capsys.readouterr().out
    assert "Note: “health” is taken" in out
    assert "created 2, updated 0, unchanged 0, skipped 0, failed 0" in out


# The site settings


def test_the_first_import_names_the_site_from_the_export(tmp_path, client):
    outcomes = run(
        tmp_path,
        wxr.page(10, slug="about-us"),
        title="Gold City &amp; Co",
        description="Care you can read about",
    )

    assert outcomes[0].title == "site settings: Gold City & Co"
    identity = SiteSettings.objects.get()
    assert (identity.name, identity.tagline) == (
        "Gold City & Co",
        "Care you can read about",
    )
    assert "Gold City &amp; Co" in client.get("/en/about-us/").text


def test_site_settings_an_editor_has_are_never_overwritten(tmp_path):
    SiteSettings.objects.create(site_id=1, name="Our clinic", tagline="Ours")

    outcomes = run(tmp_path, wxr.page(10, slug="about-us"), title="Old name")

    assert (outcomes[0].action, outcomes[0].reason) == (
        "skipped",
        "the site has its settings already: they are left as they are",
    )
    assert SiteSettings.objects.get().name == "Our clinic"


def test_a_dry_run_makes_no_site_settings(tmp_path):
    path = tmp_path / "export.xml"
    path.write_text(wxr.export(wxr.page(10, slug="about-us")))

    outcomes = list(import_items(read_posts([path]), dry_run=True))

    assert outcomes[0].reason == "dry run, nothing saved"
    assert not SiteSettings.objects.exists()


# Issue 12: a whole WordPress site moves


def test_a_wordpress_site_moves_with_every_page_at_its_old_address_and_its_menu(
    tmp_path, client, capsys
):
    """
    Done when: "A WordPress export with pages, a menu and posts imports with
    every page at its old URL and the menu rebuilt." Each page's WordPress
    permalink answers 200 with the page, or a 301 to the page.
    """
    pages = [
        # (id, slug, permalink path, parent)
        (10, "about-us", "about-us", 0),
        (11, "team", "about-us/team", 10),
        (12, "doctors", "about-us/team/doctors", 11),
        (13, "contact", "en/contact", 0),
        (14, "editorial-policy", "en/editorial-policy", 0),
        (15, "health", "health", 0),  # The category's slug too.
    ]
    export = wxr.export(
        *(
            wxr.page(page_id, slug=slug, path=path, parent=parent, title=slug.title())
            for page_id, slug, path, parent in reversed(pages)
        ),
        wxr.post(20, slug="back-pain", title="Back pain"),
        wxr.post(21, slug="sleep", title="Sleep", link=f"{SITE}/2025/03/01/sleep/"),
        wxr.menu_item(
            100, menu="main", kind="post_type", object="page", object_id=10, position=1
        ),
        wxr.menu_item(
            101, menu="main", kind="post_type", object="page", object_id=11,
            parent=100, position=2,
        ),
        wxr.menu_item(
            102, menu="main", kind="taxonomy", object="category", object_id=3,
            position=3,
        ),
        wxr.menu_item(
            103, menu="main", kind="post_type", object="post", object_id=21,
            position=4, title="Sleep well",
        ),
        wxr.menu_item(
            104, menu="main", kind="custom", object="custom",
            url=f"{SITE}/en/contact/", position=5, title="Contact us",
        ),
        wxr.menu_item(
            110, menu="legal", kind="post_type", object="page", object_id=14,
            position=1,
        ),
        menus=((5, "legal", "Legal"), (6, "main", "Main")),
    )  # fmt: skip
    path = tmp_path / "site.xml"
    path.write_text(export)

    call_command("import_wordpress", str(path))

    assert "created 11, updated 0, unchanged 0, skipped 0, failed 0" in (
        capsys.readouterr().out
    )
    for page_id, _slug, old_path, _parent in pages:
        page = Page.objects.get(wordpress_id=page_id)
        response = client.get(f"/{old_path}/")
        if response.status_code == 301:
            assert response["Location"] == page.get_absolute_url(), old_path
            response = client.get(response["Location"])
        assert response.status_code == 200, old_path
        assert f"<h1>{page.title}</h1>" in response.text, old_path
        by_id = client.get(f"/?page_id={page_id}")
        assert by_id["Location"] == page.get_absolute_url()
    home = client.get("/en/").text
    nav = home[home.index('<nav class="site-nav"') : home.index("</nav>")]
    for link in (
        '<a href="/en/about-us/">About-Us</a>',
        '<a href="/en/about-us/team/">Team</a>',
        '<a href="/en/health/">Health</a>',
        '<a href="/en/health/sleep/">Sleep well</a>',
        '<a href="/en/contact/">Contact us</a>',
    ):
        assert link in nav
    footer = client.get("/en/").text.split("<footer", 1)[1]
    assert '<a href="/en/editorial-policy/">Editorial-Policy</a>' in footer
