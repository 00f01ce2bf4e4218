"""
The interface in every language of settings.LANGUAGES: no template word
outside {% translate %}, a complete Dutch catalogue that makemessages
leaves as it is, and Dutch readers' pages in Dutch.
"""

import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.template.base import Lexer, TokenType
from django.utils.translation import trans_real

from articles import languages, notifications
from articles.models import Article, FAQItem, KeyTakeaway, Preferences, Reference
from tests.factories import (
    make_article,
    make_author,
    make_category,
    make_user,
    save_article,
)

TEMPLATES = Path(settings.BASE_DIR) / "templates"
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "nl" / "LC_MESSAGES" / "django.po"
# Stands for whatever a tag or variable prints: never a word of its own.
PRINTED = "\x1f"
# Attributes that people read (or hear, with a screen reader).
READ_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "label"}
# Not words but the marks of identifiers and names of services, the same in
# every language.
NOT_WORDS = {"doi:", "PMID:", "WhatsApp"}
WORD = re.compile(r"[^\W\d_]{2,}")


class _TextNodes(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self._raw = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._raw += 1
        attributes = dict(attrs)
        for name, value in attrs:
            if name in READ_ATTRIBUTES or (
                name == "content" and attributes.get("name") == "description"
            ):
                self.found.append(value or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._raw = max(0, self._raw - 1)

    def handle_data(self, data):
        if not self._raw:
            self.found.append(data)


def untranslated_text(source: str, *, html: bool = True) -> list[str]:
    """
    The words of a template that no {% translate %} or {% blocktranslate %}
    holds: its text nodes and read attributes, with what tags print left out.
    """
    pieces, closing = [], None
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0]
            if closing is None and name in ("blocktranslate", "blocktrans", "comment"):
                closing = f"end{name}"
            elif name == closing:
                closing = None
            pieces.append(PRINTED)
        elif token.token_type == TokenType.TEXT and closing is None:
            pieces.append(token.contents)
        else:
            pieces.append(PRINTED)
    text = "".join(pieces)
    if html:
        parser = _TextNodes()
        parser.feed(text)
        parser.close()
        nodes = parser.found
    else:
        nodes = [text]
    words = []
    for node in nodes:
        for part in node.split(PRINTED):
            part = " ".join(part.split())
            if WORD.search(part) and part not in NOT_WORDS:
                words.append(part)
    return words


def interface_templates():
    """Every template people read: readers', editors' and e-mails (not XML)."""
    return sorted(
        path
        for path in TEMPLATES.rglob("*")
        if path.suffix in (".html", ".txt") and path.is_file()
    )


@pytest.mark.parametrize(
    "path", interface_templates(), ids=lambda path: str(path.relative_to(TEMPLATES))
)
def test_every_word_of_a_template_is_marked_for_translation(path):
    source = path.read_text()
    assert untranslated_text(source, html=path.suffix == ".html") == []


def test_an_unmarked_word_in_a_template_is_found():
    """The check above fails when someone adds <p>Read more</p> to a template."""
    template = (
        '{% load i18n %}<nav aria-label="Pages"><a href="{% url "articles:home" %}">'
        '{% translate "Home" %}</a></nav>'
        "{% blocktranslate with n=3 %}{{ n }} results{% endblocktranslate %}"
        "<p>{{ article.title }}</p><p>Read more</p>"
        '<img alt="Portrait" src="x.png"><script>const label = "not text";</script>'
    )
    assert untranslated_text(template) == ["Pages", "Read more", "Portrait"]
    email = "Hello {{ name }},\n{% translate 'Bye' %}"
    assert untranslated_text(email, html=False) == ["Hello"]


# The catalogue
# ------------------------------------------------------------------------------


def catalogues():
    return sorted(CATALOGUE.parent.parent.parent.glob("*/LC_MESSAGES/django.po"))


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues():
    """The .mo files are built, not committed: build them as make setup does."""
    call_command("compilemessages", verbosity=0, ignore_patterns=[".venv", "bench"])
    # Translations loaded before the .mo existed are cached per process: drop
    # them, as Django does when LOCALE_PATHS changes.
    trans_real._translations = {}
    trans_real._default = None


@pytest.mark.parametrize("catalogue", catalogues(), ids=lambda path: path.parts[-3])
def test_catalogue_has_no_untranslated_or_fuzzy_message(catalogue):
    for selection in ("--untranslated", "--only-fuzzy"):
        found = subprocess.run(
            ["msgattrib", selection, "--no-obsolete", str(catalogue)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert found == "", f"{selection[2:]} messages:\n{found}"


def makemessages_flags():
    """The flags of `make messages`, from the Makefile: one place for them."""
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    ignore = re.search(r"^MESSAGES_IGNORE := (.*)$", makefile, re.M).group(1)
    flags = re.search(r"^MESSAGES_FLAGS := (.*)$", makefile, re.M).group(1)
    return flags.replace("$(MESSAGES_IGNORE)", ignore).split()


def without_creation_date(text):
    return re.sub(r'^"POT-Creation-Date: .*"$', "", text, flags=re.M)


def test_makemessages_leaves_the_catalogue_unchanged(tmp_path, settings, monkeypatch):
    """Every word of the code and templates is in the catalogue, and nothing else."""
    base = Path(settings.BASE_DIR)
    for name in ("articles", "config", "templates"):
        shutil.copytree(
            base / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copytree(base / "locale", tmp_path / "locale")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", "--all", *makemessages_flags(), verbosity=0)

    for catalogue in catalogues():
        made = tmp_path / catalogue.relative_to(base)
        assert without_creation_date(made.read_text()) == without_creation_date(
            catalogue.read_text()
        ), "Run `make messages` and translate what it adds."


def test_catalogues_are_the_languages_of_the_settings():
    """One list of languages: a catalogue for each but the source language."""
    languages = {code for code, _name in settings.LANGUAGES} - {"en"}
    assert {path.parts[-3] for path in catalogues()} == languages


# Readers' pages
# ------------------------------------------------------------------------------


def visible_text(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    for hidden in soup(["script", "style", "head"]):
        hidden.decompose()
    return " ".join(soup.get_text(" ").split())


@pytest.fixture
def dutch_article(db):
    category = make_category(name="Rug", slug="rug")
    reviewer = make_author(display_name="Dr. Bakker", slug="bakker")
    article = make_article(
        title="Rugpijn verlichten",
        slug="rugpijn",
        language="nl",
        primary_category=category,
        reviewer=reviewer,
        last_reviewed_on=date(2026, 11, 30),
        published_at=datetime(2026, 12, 1, 10, tzinfo=UTC),
        body="<h2>Oorzaken</h2><p>Tekst.</p>",
        tags=["beweging"],
    )
    KeyTakeaway.objects.create(article=article, text="Blijf bewegen.", order=1)
    FAQItem.objects.create(article=article, question="Helpt warmte?", answer="Ja.")
    Reference.objects.create(article=article, title="Richtlijn", order=1)
    return save_article(article)


def test_dutch_article_page_is_dutch_with_dutch_dates(client, dutch_article):
    response = client.get("/nl/rug/rugpijn/")
    text = visible_text(response)
    assert response["Content-Language"] == "nl"
    for words in (
        "Door Author",
        "Gepubliceerd 1 december 2026",
        "1 min leestijd",
        "Medisch gecontroleerd door Dr. Bakker , MD op 30 november 2026",
        "Belangrijkste punten",
        "In dit artikel",
        "Veelgestelde vragen",
        "Bronnen",
    ):
        assert words in text, text


def test_english_article_page_keeps_its_english_words_and_dates(client, db):
    make_article(
        slug="back-pain",
        primary_category=make_category(slug="back"),
        published_at=datetime(2026, 12, 1, 10, tzinfo=UTC),
    )
    text = visible_text(client.get("/en/back/back-pain/"))
    assert "Published 1 December 2026" in text
    assert "1 min read" in text


def english_interface_words():
    """The English of every message the Dutch catalogue translates differently."""
    words = {}
    for block in CATALOGUE.read_text().split("\n\n"):
        source = re.search(r'^msgid "(.+)"$', block, re.M)
        translated = re.search(r'^msgstr(?:\[0\])? "(.+)"$', block, re.M)
        if (
            source
            and translated
            and "%" not in source.group(1)
            and source.group(1) != translated.group(1)
        ):
            words[source.group(1)] = translated.group(1)
    return words


def test_every_dutch_reader_page_type_shows_no_english_interface_text(
    client, dutch_article
):
    """
    Home, article, category, tag, author, page, search results and 404 under
    /nl/: no text of theirs is an English message of the catalogue.
    """
    from tests.test_pages import make_page

    make_page(title="Over ons", slug="over-ons", language="nl", body="<p>Wij.</p>")
    english = english_interface_words()
    pages = [
        "/nl/",
        "/nl/rug/rugpijn/",
        "/nl/rug/",
        "/nl/tag/beweging/",
        "/nl/author/bakker/",
        "/nl/over-ons/",
        "/nl/search/?q=rugpijn",
        "/nl/search/?q=onvindbaar",
        "/nl/bestaat-niet/",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        soup = BeautifulSoup(response.content, "html.parser")
        shown = {" ".join(node.split()) for node in soup.find_all(string=True)}
        shown |= {
            tag.get("aria-label") for tag in soup.find_all(attrs={"aria-label": True})
        }
        assert not shown & english.keys(), (path, shown & english.keys())
        assert soup.html["lang"] == "nl", path


# What varies by the reader's language at one address
# ------------------------------------------------------------------------------


def test_root_sends_each_reader_to_the_home_page_of_their_language(client, db):
    dutch = client.get("/", HTTP_ACCEPT_LANGUAGE="nl-NL,nl;q=0.9,en;q=0.5")
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    unknown = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")

    assert (dutch.status_code, dutch["Location"]) == (302, "/nl/")
    assert (english.status_code, english["Location"]) == (302, "/en/")
    assert unknown["Location"] == f"/{settings.LANGUAGE_CODE}/"
    assert {"Accept-Language", "Cookie"} <= {
        name.strip() for name in dutch["Vary"].split(",")
    }
    # Never kept by the page cache, which keys a page by its address only.
    assert "X-Page-Cache" not in dutch and "X-Page-Cache" not in english


def test_language_cookie_chooses_the_root_redirect(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en")["Location"] == "/nl/"


def test_pages_without_a_language_prefix_are_the_same_in_every_language(
    client, published_article
):
    """The page cache keeps them by address: they must not vary by Accept-Language."""
    for path in ("/sitemap.xml", "/robots.txt", "/wp-json/wp/v2/posts", "/wp-json/"):
        english = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
        cache.clear()
        dutch = client.get(path, HTTP_ACCEPT_LANGUAGE="nl")
        assert english.status_code == 200, path
        assert english.content == dutch.content, path


def test_url_prefix_decides_the_language_whatever_the_browser_says(client, db):
    response = client.get("/en/", HTTP_ACCEPT_LANGUAGE="nl")
    assert response["Content-Language"] == "en"
    assert "Health articles" in visible_text(response)
    response = client.get("/nl/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Gezondheidsartikelen" in visible_text(response)


def test_a_third_language_needs_only_a_setting(client, db, settings):
    settings.LANGUAGES = [*settings.LANGUAGES, ("de", "Deutsch")]
    make_article(
        language="de", slug="ruecken", primary_category=make_category(slug="r")
    )

    home = client.get("/de/")
    article = client.get("/de/r/ruecken/")

    assert home.status_code == 200 and article.status_code == 200
    assert BeautifulSoup(home.content, "html.parser").html["lang"] == "de"
    assert languages.reverse_in("de", "articles:search") == "/de/search/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de")["Location"] == "/de/"


# Editors in their own language
# ------------------------------------------------------------------------------


def admin_language(response):
    return BeautifulSoup(response.content, "html.parser").html["lang"]


def test_admin_follows_the_browser_without_a_preference(client, editor):
    client.force_login(editor)
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="nl")
    assert admin_language(response) == "nl"
    assert "Publiceren" in visible_text(response)
    assert admin_language(client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")) == "en"


def test_admin_follows_the_editors_preference_over_the_browser(client, editor):
    client.force_login(editor)
    response = client.post("/admin/preferences/", {"language": "nl"})
    assert response.status_code == 302
    assert Preferences.objects.get(user=editor).language == "nl"

    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")
    assert admin_language(page) == "nl"
    assert "Uw voorkeuren zijn opgeslagen." in visible_text(page)
    # Reader pages keep the language of their address.
    assert client.get("/en/")["Content-Language"] == "en"


def test_preferences_page_is_every_staff_members_own(client, author_user):
    client.force_login(author_user)
    page = client.get("/admin/preferences/")
    assert page.status_code == 200
    assert 'href="/admin/preferences/"' in page.text  # In the user links.
    client.post("/admin/preferences/", {"language": "en"})
    assert Preferences.objects.get(user=author_user).language == "en"


def test_administrator_sets_someones_language_on_their_user_page(
    client, administrator, editor
):
    client.force_login(administrator)
    page = client.get(f"/admin/auth/user/{editor.pk}/change/")
    assert 'name="preferences-0-language"' in page.text


def test_review_e_mails_go_out_in_each_editors_language(db, mailoutbox):
    dutch, english = make_user("Editor"), make_user("Editor")
    Preferences.objects.create(user=dutch, language="nl")
    article = make_article(title="Rugpijn", status=Article.Status.DRAFT)
    mailoutbox.clear()

    notifications.notify_editors_of_submission(article, user=None)

    subjects = {tuple(message.to): message.subject for message in mailoutbox}
    assert subjects[(dutch.email,)] == "Beoordeling gevraagd: Rugpijn"
    assert subjects[(english.email,)] == "Review requested: Rugpijn"
