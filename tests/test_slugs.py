"""Every object with a URL has a slug: a name without letters never takes the site down."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from articles import publishing
from articles.models import Article, Author, Category, Page, Tag
from tests.factories import make_article, make_author, make_category

pytestmark = pytest.mark.django_db

SYMBOL_NAMES = [">", "!!!", "&", "—", "???"]


@pytest.mark.parametrize("name", SYMBOL_NAMES)
def test_tag_without_letters_gets_a_slug(name):
    tag = Tag.objects.create(name=name)

    assert tag.slug.startswith("tag-")
    assert tag.get_absolute_url() == f"/en/tag/{tag.slug}/"


def test_same_symbol_name_gets_the_same_slug_on_every_site():
    first = Tag.objects.create(name=">").slug
    Tag.objects.all().delete()

    assert Tag.objects.create(name=">").slug == first


def test_tags_of_letters_keep_their_readable_slug():
    assert Tag.objects.create(name="Back pain").slug == "back-pain"


def test_tag_slug_fits_its_column_even_when_normalisation_lengthens_it():
    # NFKC turns this one character into 18 letters and spaces.
    tag = Tag.objects.create(name="ﷺ" * 100)
    second = Tag.objects.create(name="ﷺ" * 99)

    assert len(tag.slug) <= 100
    assert len(second.slug) <= 100
    assert tag.slug != second.slug


def test_article_with_a_symbol_tag_is_served_everywhere_it_appears(client):
    article = make_article()
    article.tags.add(">", "!!!")
    tag = Tag.objects.get(name=">")

    pages = [
        article.get_absolute_url(),
        tag.get_absolute_url(),
        "/sitemap-tags.xml",
        "/wp-json/wp/v2/tags?per_page=100",
        "/wp-json/wp/v2/posts?_embed=1&per_page=100",
        "/en/feed/",
    ]

    assert {page: client.get(page).status_code for page in pages} == dict.fromkeys(
        pages, 200
    )
    assert tag.get_absolute_url() in client.get("/sitemap-tags.xml").content.decode()


def test_category_without_a_slug_gets_one_from_its_name():
    assert Category.objects.create(name="Skin & Hair").slug == "skin-hair"


def test_category_without_letters_gets_a_hashed_slug():
    assert Category.objects.create(name="+++").slug.startswith("category-")


def test_category_named_like_a_reserved_path_gets_another_slug():
    assert Category.objects.create(name="Tag").slug == "tag-2"


def test_generated_category_slug_does_not_collide():
    make_category(slug="beauty")

    assert Category.objects.create(name="Beauty").slug == "beauty-2"


def test_author_without_a_slug_gets_one_from_the_name():
    make_author(slug="jane-doe")

    assert Author.objects.create(display_name="Jane Doe").slug == "jane-doe-2"
    assert Author.objects.create(display_name="***").slug.startswith("author-")


def test_article_without_a_slug_gets_one_unique_in_its_language():
    make_article(title="Back pain", slug="back-pain")

    article = make_article(title="Back pain", slug="")
    dutch = make_article(title="Back pain", slug="", language="nl")
    symbols = make_article(title="!!!", slug="")

    assert article.slug == "back-pain-2"
    assert dutch.slug == "back-pain"
    assert symbols.slug.startswith("article-")


@pytest.mark.parametrize("model", [Category, Tag, Author, Article, Page])
def test_database_refuses_an_empty_slug(model):
    """A bulk write that skips save() still cannot store an empty slug."""
    row = {
        Category: lambda: make_category(),
        Tag: lambda: Tag.objects.create(name="x"),
        Author: lambda: make_author(),
        Article: lambda: make_article(),
        Page: lambda: publishing.save(Page(title="About"), user=None).obj,
    }[model]()

    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(slug="")


@pytest.mark.django_db(transaction=True)
def test_migration_gives_existing_empty_slugs_one():
    executor = MigrationExecutor(connection)
    before = [("articles", "0015_image_wordpress_upload")]
    after = [("articles", "0016_slugs_never_empty")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    old.get_model("articles", "Category").objects.create(name="Taken", slug="taken")
    category = old.get_model("articles", "Category").objects.create(
        name="Taken", slug=""
    )
    tag = old.get_model("articles", "Tag").objects.create(name=">", slug="")
    author = old.get_model("articles", "Author").objects.create(
        display_name="Jo", slug=""
    )
    article = old.get_model("articles", "Article").objects.create(
        title="Hello", slug="", primary_category=category
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert Category.objects.get(pk=category.pk).slug == "taken-2"
    assert Tag.objects.get(pk=tag.pk).slug.startswith("tag-")
    assert Author.objects.get(pk=author.pk).slug == "jo"
    assert Article.objects.get(pk=article.pk).slug == "hello"


@pytest.mark.parametrize("name", SYMBOL_NAMES)
def test_a_page_whose_title_has_no_letters_gets_a_slug(client, name):
    page = publishing.save(Page(title=name, status="published"), user=None).obj

    assert page.slug.startswith("page-")
    assert client.get(page.get_absolute_url()).status_code == 200
