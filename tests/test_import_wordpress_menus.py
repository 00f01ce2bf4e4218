"""
WordPress menus (nav_menu terms and their nav_menu_item posts, as
wp_update_nav_menu_item() in wp-includes/nav-menu.php stores them) become
the site's header and footer menus, linking to what the import made.
"""

import tempfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles import content_version, menus, publishing
from articles.importers.wordpress.load import import_items
from articles.importers.wordpress.load.menus import Targets, plan_menu
from articles.importers.wordpress.sources import (
    WordPressMenu,
    WordPressMenuItem,
    read_posts,
)
from articles.models import AuditEntry, Menu, MenuItem, Page
from tests import wxr

SITE = wxr.SITE
pytestmark = pytest.mark.django_db

MAIN = (51, "main-menu", "Main Menu")
FOOTER = (50, "footer", "Footer")


@pytest.fixture(autouse=True)
def wordpress_site(settings):
    settings.WORDPRESS_SITE_URL = SITE
    settings.SITE_URL = "https://www.example.org"
    settings.LANGUAGES = [("en", "English"), ("nl", "Nederlands")]
    settings.LANGUAGE_CODE = "en"


def content():
    """Pages (About us with Team under it, Contact), a post and its category."""
    return (
        wxr.page(10, slug="about-us", path="en/about-us", title="About us"),
        wxr.page(11, slug="team", path="en/about-us/team", parent=10, title="Team"),
        wxr.page(12, slug="contact", path="en/contact", title="Contact"),
        wxr.post(20, slug="back-pain", title="Back pain"),
    )


def run(tmp_path, *items, header_menu=None, menus=(FOOTER, MAIN)):
    path = tmp_path / "export.xml"
    path.write_text(wxr.export(*content(), *items, menus=menus))
    return list(import_items(read_posts([path]), header_menu=header_menu))


def menu_outcomes(outcomes):
    return [outcome for outcome in outcomes if outcome.title.startswith("menu ")]


def rows(menu):
    return [
        (
            item.label,
            item.page.slug if item.page else None,
            item.category.slug if item.category else None,
            item.article.slug if item.article else None,
            item.url,
            item.nested,
        )
        for item in menu.items.all()
    ]


MAIN_ITEMS = (
    # About us, with Team and (deeper down) the post under it.
    wxr.menu_item(100, menu="main-menu", kind="post_type", object="page", object_id=10, position=1),
    wxr.menu_item(
        101, menu="main-menu", kind="post_type", object="page", object_id=11,
        parent=100, position=2, title="Our team",
    ),
    wxr.menu_item(
        102, menu="main-menu", kind="post_type", object="post", object_id=20,
        parent=101, position=3,
    ),
    wxr.menu_item(
        103, menu="main-menu", kind="taxonomy", object="category", object_id=3,
        position=4, title="Health topics",
    ),
    wxr.menu_item(
        104, menu="main-menu", kind="custom", object="custom",
        url="https://www.nhs.uk/conditions/back-pain/", position=5, title="NHS",
    ),
)  # fmt: skip
FOOTER_ITEMS = (
    wxr.menu_item(
        110, menu="footer", kind="custom", object="custom", url=f"{SITE}/en/contact/",
        position=1, title="Contact",
    ),
    wxr.menu_item(
        111, menu="footer", kind="custom", object="custom", url=f"{SITE}/privacy-policy/",
        position=2, title="Privacy",
    ),
)  # fmt: skip


def test_the_main_menu_becomes_the_header_with_its_links_and_one_level(
    tmp_path, client
):
    """Deeper items sit under their top-level item; labels only where WordPress's differ."""
    outcomes = run(tmp_path, *MAIN_ITEMS, *FOOTER_ITEMS)

    assert [(o.action, o.title) for o in menu_outcomes(outcomes)] == [
        ("created", "menu Footer (footer, en)"),
        ("created", "menu Main Menu (header, en)"),
    ]
    header = Menu.objects.get(location=Menu.Location.HEADER)
    assert (header.title, header.language, header.wordpress_id) == (
        "Main Menu",
        "en",
        51,
    )
    assert rows(header) == [
        ("", "about-us", None, None, "", False),
        ("Our team", "team", None, None, "", True),
        ("", None, None, "back-pain", "", True),
        ("Health topics", None, "health", None, "", False),
        ("NHS", None, None, None, "https://www.nhs.uk/conditions/back-pain/", False),
    ]
    html = client.get("/en/about-us/").text
    assert '<a href="/en/about-us/team/">Our team</a>' in html
    assert '<a href="/en/health/">Health topics</a>' in html


def test_custom_links_to_the_old_site_link_to_what_was_imported_from_there(tmp_path):
    """A custom /en/contact/ is the Contact page; an address nothing answers stays on this site."""
    run(tmp_path, *MAIN_ITEMS, *FOOTER_ITEMS)

    footer = Menu.objects.get(location=Menu.Location.FOOTER)
    assert rows(footer) == [
        ("", "contact", None, None, "", False),
        ("Privacy", None, None, None, "https://www.example.org/privacy-policy/", False),
    ]


def test_a_custom_link_to_an_old_address_that_moved_follows_the_redirect(tmp_path):
    """The page's WordPress permalink /about-us/ now redirects: the item links to the page."""
    path = tmp_path / "export.xml"
    path.write_text(
        wxr.export(
            wxr.page(10, slug="about-us", title="About us"),
            wxr.menu_item(
                100, menu="main-menu", kind="custom", object="custom",
                url=f"{SITE}/about-us/", title="About", position=1,
            ),
            wxr.menu_item(
                101, menu="main-menu", kind="custom", object="custom",
                url=f"{SITE}/?page_id=10", title="About us", position=2,
            ),
            menus=(MAIN,),
        )
    )  # fmt: skip

    list(import_items(read_posts([path])))

    assert rows(Menu.objects.get()) == [
        ("About", "about-us", None, None, "", False),
        ("", "about-us", None, None, "", False),
    ]


def test_items_that_cannot_be_linked_are_left_out_and_named(tmp_path):
    """A "#" parent leaves its sub-items at the top; a link to a page not imported is named."""
    outcomes = run(
        tmp_path,
        wxr.menu_item(
            100, menu="main-menu", kind="custom", object="custom", url="#",
            title="Services", position=1,
        ),
        wxr.menu_item(
            101, menu="main-menu", kind="post_type", object="page", object_id=12,
            parent=100, position=2,
        ),
        wxr.menu_item(
            102, menu="main-menu", kind="post_type", object="page", object_id=99,
            position=3, title="Gone",
        ),
        wxr.menu_item(
            103, menu="main-menu", kind="post_type_archive", object="product",
            position=4, title="Shop",
        ),
        menus=(MAIN,),
    )  # fmt: skip

    (outcome,) = menu_outcomes(outcomes)
    assert outcome.notice == (
        "“Services” is left out: it links to “#”, which is no web address a menu "
        "can hold. “Gone” is left out: it links to the WordPress page 99, which is "
        "not imported. “Shop” is left out: it links to a WordPress “product”, "
        "which is not imported."
    )
    assert rows(Menu.objects.get()) == [("", "contact", None, None, "", False)]


def test_drafts_of_the_customizer_are_no_items(tmp_path):
    run(
        tmp_path,
        wxr.menu_item(
            100, menu="main-menu", kind="post_type", object="page", object_id=10,
            position=1,
        ),
        wxr.menu_item(
            101, menu="main-menu", kind="post_type", object="page", object_id=12,
            position=2, status="draft",
        ),
        menus=(MAIN,),
    )  # fmt: skip

    assert rows(Menu.objects.get()) == [("", "about-us", None, None, "", False)]


def test_the_header_menu_can_be_named_on_the_command_line(tmp_path):
    outcomes = run(tmp_path, *MAIN_ITEMS, *FOOTER_ITEMS, header_menu="footer")

    assert [o.title for o in menu_outcomes(outcomes)] == [
        "menu Footer (header, en)",
        "menu Main Menu (footer, en)",
    ]


def test_without_a_name_that_says_header_the_first_menu_is_the_header(tmp_path):
    outcomes = run(
        tmp_path,
        *FOOTER_ITEMS,
        wxr.menu_item(
            120, menu="services", kind="post_type", object="page", object_id=10,
            position=1,
        ),
        menus=(FOOTER, (52, "services", "Services")),
    )  # fmt: skip

    assert [o.title for o in menu_outcomes(outcomes)] == [
        "menu Footer (header, en)",
        "menu Services (footer, en)",
    ]


def test_the_command_refuses_a_header_menu_the_export_does_not_have(tmp_path):
    path = tmp_path / "export.xml"
    path.write_text(wxr.export(*content(), *MAIN_ITEMS, menus=(MAIN,)))

    with pytest.raises(
        CommandError, match="No menu is named “Top”. The export's menus: “Main Menu”."
    ):
        call_command("import_wordpress", str(path), "--header-menu", "Top")

    assert not Page.objects.exists()


def test_a_header_menu_made_here_stays_and_the_imported_one_is_a_footer_column(
    tmp_path,
):
    ours = Menu(title="Ours", location=Menu.Location.HEADER)
    publishing.save_object(ours, user=None)

    outcomes = run(tmp_path, *MAIN_ITEMS, menus=(MAIN,))

    (outcome,) = menu_outcomes(outcomes)
    assert outcome.notice == (
        "The header menu is “Ours”, made on this site: this menu is a footer column."
    )
    assert Menu.objects.get(location=Menu.Location.HEADER) == ours
    assert Menu.objects.get(wordpress_id=51).location == Menu.Location.FOOTER


def test_importing_again_replaces_the_items_and_keeps_what_editors_set(tmp_path):
    run(tmp_path, *MAIN_ITEMS, menus=(MAIN,))
    header = Menu.objects.get()
    Menu.objects.filter(pk=header.pk).update(title="Top of the page")

    unchanged = menu_outcomes(run(tmp_path, *MAIN_ITEMS, menus=(MAIN,)))
    changed = menu_outcomes(run(tmp_path, *MAIN_ITEMS[:2], menus=(MAIN,)))

    assert [o.action for o in unchanged + changed] == ["unchanged", "updated"]
    header = Menu.objects.get()
    assert (header.pk, header.title, header.location) == (
        header.pk,
        "Top of the page",
        Menu.Location.HEADER,
    )
    assert [item.label for item in MenuItem.objects.all()] == ["", "Our team"]


def test_menus_are_saved_through_the_publishing_service_and_show_at_once(
    tmp_path, client
):
    before = content_version.current()

    run(tmp_path, *MAIN_ITEMS, menus=(MAIN,))

    menu = Menu.objects.get()
    assert AuditEntry.objects.filter(
        content_type__model="menu", object_id=str(menu.pk), action="create"
    ).exists()
    assert content_version.current() != before
    assert [link.label for link in menus.for_language("en").header] == [
        "About us",
        "Health topics",
        "NHS",
    ]


def test_a_menu_of_dutch_pages_is_a_dutch_menu(tmp_path):
    path = tmp_path / "export.xml"
    path.write_text(
        wxr.export(
            wxr.page(10, slug="over-ons", terms=(("language", "nl", "Nederlands"),)),
            wxr.menu_item(
                100, menu="hoofdmenu", kind="post_type", object="page", object_id=10,
                position=1,
            ),
            menus=((60, "hoofdmenu", "Hoofdmenu"),),
        )
    )  # fmt: skip

    list(import_items(read_posts([path])))

    menu = Menu.objects.get()
    assert (menu.language, menu.location) == ("nl", Menu.Location.HEADER)


def test_a_dry_run_makes_no_menus_and_links_them_to_the_pages_it_would_make(
    tmp_path,
):
    """The pages and menus of a dry run are rolled back together, after the menus found the pages."""
    path = tmp_path / "export.xml"
    path.write_text(wxr.export(*content(), *MAIN_ITEMS[:2], menus=(MAIN,)))

    outcomes = list(import_items(read_posts([path]), dry_run=True))

    (outcome,) = menu_outcomes(outcomes)
    assert (outcome.action, outcome.reason, outcome.notice) == (
        "created",
        "dry run, nothing saved",
        "",
    )
    assert not Menu.objects.exists()
    assert not Page.objects.exists()


# Any tree of items


items_strategy = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=15),  # parent: 0, an item, or no item
        st.integers(min_value=-3, max_value=5),  # menu_order, repeats allowed
        st.booleans(),  # linked to an imported page, or to one that is not
    ),
    max_size=15,
)


@given(items=items_strategy)
def test_a_menu_of_any_shape_gives_each_linked_item_once_under_a_top_item(items):
    """Loops of parents, missing parents and unlinkable items all end in a list of rows."""
    pages = {}
    menu_items = []
    for number, (parent, order, linked) in enumerate(items, start=1):
        if linked:
            pages[number] = Page(pk=number, wordpress_id=number, title=f"Page {number}")
        menu_items.append(
            WordPressMenuItem(
                wordpress_id=number,
                title="",
                kind="post_type",
                object="page",
                object_id=number if linked else 1000 + number,
                url="",
                parent_id=parent or None,
                menu_order=order,
            )
        )
    menu = WordPressMenu(
        wordpress_id=1, name="Main", slug="main", items=tuple(menu_items)
    )

    plan = plan_menu(
        menu,
        targets=Targets(pages=pages, articles={}, categories={}, tags={}),
        site_url=SITE,
    )

    assert sorted(row.page.pk for row in plan.rows) == sorted(pages)
    assert not plan.rows or not plan.rows[0].nested
    assert len(plan.left_out) == len(items) - len(pages)


# Hostile exports: any text where WordPress writes its meta


def test_a_number_python_reads_but_int_does_not_is_no_number(tmp_path):
    """ "²" passes str.isdigit() but not int(): the item is read, with no object id."""
    item = wxr.menu_item(
        100,
        menu="main-menu",
        kind="custom",
        object="custom",
        url="https://www.nhs.uk/",
        title="NHS",
        position=1,
    ).replace("<![CDATA[100]]></wp:meta_value>", "<![CDATA[²]]></wp:meta_value>")

    outcomes = run(tmp_path, item, menus=(MAIN,))

    assert menu_outcomes(outcomes)[0].action == "created"
    assert rows(Menu.objects.get()) == [
        ("NHS", None, None, None, "https://www.nhs.uk/", False)
    ]


meta_text = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="]"
    ),
    max_size=40,
) | st.sampled_from(
    ["0", "10", "-3", "9" * 30, "page", "custom", "post_type", "#", "//x"]
)


@given(
    fields=st.lists(
        st.fixed_dictionaries(
            {
                "kind": meta_text,
                "object": meta_text,
                "object_id": meta_text,
                "url": meta_text,
                "parent": meta_text,
                "title": meta_text,
            }
        ),
        min_size=1,
        max_size=6,
    )
)
@hypothesis_settings(max_examples=40, deadline=None)
def test_menu_items_with_any_meta_are_read_and_imported_without_a_fault(fields):
    """Whatever an export holds in _menu_item_* and the title, each menu is imported or named."""
    items = []
    for number, meta in enumerate(fields, start=200):
        item = wxr.menu_item(
            number,
            menu="main-menu",
            kind="custom",
            object="custom",
            title="",
            position=number,
        )
        for key, value in (
            ("_menu_item_type", meta["kind"]),
            ("_menu_item_object", meta["object"]),
            ("_menu_item_object_id", meta["object_id"]),
            ("_menu_item_url", meta["url"]),
            ("_menu_item_menu_item_parent", meta["parent"]),
        ):
            item = item.replace(
                f"<wp:meta_key><![CDATA[{key}]]></wp:meta_key><wp:meta_value><![CDATA[",
                f"<wp:meta_key><![CDATA[{key}]]></wp:meta_key><wp:meta_value><![CDATA[{value}",
                1,
            )
        items.append(
            item.replace(
                "<title></title>", f"<title><![CDATA[{meta['title']}]]></title>"
            )
        )
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "export.xml"
        path.write_text(wxr.export(*items, menus=(MAIN,)), encoding="utf-8")

        outcomes = list(import_items(read_posts([path])))

    assert [o.action for o in outcomes if o.action == "failed"] == []
    menu = Menu.objects.get(wordpress_id=51)
    assert menu.items.count() <= len(fields)
    assert all(
        item.url == "" or item.url.startswith(("https://", "http://"))
        for item in menu.items.all()
    )
