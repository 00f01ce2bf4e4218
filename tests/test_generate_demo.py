"""manage.py generate_demo grows the demo site with articles like the seed post, in bulk."""

import pytest
from django.core.management import CommandError, call_command

from articles import content_version, demo_site
from articles.models import Article, FAQItem, KeyTakeaway, Reference, TaggedArticle
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_generated_articles_carry_the_seed_content(seed_article):
    demo_site.generate(30, seed=seed_article)

    generated = demo_site.generated_articles()
    assert generated.count() == 30
    article = generated.get(slug__endswith="-0")
    assert article.body == seed_article.body
    assert article.table_of_contents == seed_article.table_of_contents
    assert article.takeaways.count() == seed_article.takeaways.count() > 0
    assert article.faq_items.count() == seed_article.faq_items.count() > 0
    assert article.references.count() == seed_article.references.count() > 0
    assert article.tags.count() == demo_site.TAGS_PER_ARTICLE
    assert article.primary_category in article.categories.all()
    assert set(article.body_images.all()) == set(seed_article.body_images.all())


def test_generated_site_has_many_archives_and_some_unpublished_articles(seed_article):
    demo_site.generate(300, seed=seed_article)

    generated = demo_site.generated_articles()
    assert generated.values("primary_category").distinct().count() == len(
        demo_site.CATEGORIES
    )
    assert generated.values("author").distinct().count() == 20
    assert TaggedArticle.objects.values("tag").distinct().count() > 100
    assert generated.filter(sticky=True).exists()
    assert set(generated.values_list("language", flat=True)) == {"en", "nl"}
    assert 0 < generated.exclude(pk__in=Article.objects.published()).count() < 30


def test_running_again_adds_only_what_is_missing(seed_article):
    demo_site.generate(10, seed=seed_article)

    again = demo_site.generate(10, seed=seed_article)
    more = demo_site.generate(15, seed=seed_article)

    assert (again.articles, again.total) == (0, 10)
    assert (more.articles, more.total) == (5, 15)
    assert demo_site.generated_articles().count() == 15
    assert FAQItem.objects.filter(article__slug__endswith="-14").count() > 0


def test_reset_removes_only_generated_articles(seed_article):
    own = make_article()
    demo_site.generate(10, seed=seed_article)

    call_command("generate_demo", articles=3, reset=True, verbosity=0)

    assert demo_site.generated_articles().count() == 3
    assert Article.objects.filter(pk__in=[own.pk, seed_article.pk]).count() == 2
    assert KeyTakeaway.objects.filter(article__in=[own, seed_article]).exists()
    assert Reference.objects.count() == seed_article.references.count() * 4


def test_generating_moves_the_content_version(seed_article):
    before = content_version.current()

    demo_site.generate(2, seed=seed_article)

    assert content_version.current() != before


def test_command_asks_for_the_seed_article_when_it_is_missing():
    with pytest.raises(CommandError, match="load_demo"):
        call_command("generate_demo", articles=3, verbosity=0)
