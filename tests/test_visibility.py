"""
Who may read an article: Article.objects.published() and Article.is_published
state one rule, and a scheduled article goes live without any job running.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)
PAST = NOW - timedelta(minutes=1)
FUTURE = NOW + timedelta(minutes=1)
WHEN = {"past": PAST, "now": NOW, "future": FUTURE}


@pytest.fixture
def frozen_now(monkeypatch):
    """Stop the clock at NOW, so that "past" and "future" cannot drift during a test."""
    clock = {"now": NOW}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    return clock


def article_stored_as(status, published_at):
    """
    Return an article whose row holds exactly this status and date.

    Article.save() turns published into scheduled and back, so write the row
    with update(), as an import or a data migration could.
    """
    article = make_article()
    Article.objects.filter(pk=article.pk).update(
        status=status, published_at=published_at
    )
    article.refresh_from_db()
    return article


@pytest.mark.parametrize("when", WHEN)
@pytest.mark.parametrize("status", Article.Status.values)
def test_published_queryset_and_is_published_agree(frozen_now, status, when):
    """For every status and every publish date, the QuerySet and the property give the same answer."""
    article = article_stored_as(status, WHEN[when])

    in_queryset = Article.objects.published().filter(pk=article.pk).exists()

    assert article.is_published is in_queryset
    live = (
        status in {Article.Status.PUBLISHED, Article.Status.SCHEDULED}
        and when != "future"
    )
    assert in_queryset is live


def test_published_excludes_draft_pending_private_trash_and_future_articles(frozen_now):
    """Only published or scheduled articles whose date has come reach readers."""
    live = {
        make_article(status=Article.Status.PUBLISHED, published_at=PAST),
        make_article(status=Article.Status.PUBLISHED, published_at=NOW),
        article_stored_as(Article.Status.SCHEDULED, PAST),
    }
    hidden = [
        make_article(status=status, published_at=PAST)
        for status in (
            Article.Status.DRAFT,
            Article.Status.PENDING,
            Article.Status.PRIVATE,
            Article.Status.TRASH,
        )
    ]
    hidden.append(make_article(status=Article.Status.PUBLISHED, published_at=FUTURE))

    assert set(Article.objects.published()) == live
    assert not any(article.is_published for article in hidden)


def test_scheduled_article_goes_live_when_its_time_passes_without_a_job(frozen_now):
    """No task flips the status: the clock passing the publish date is enough."""
    article = make_article(status=Article.Status.PUBLISHED, published_at=FUTURE)
    assert article.status == Article.Status.SCHEDULED
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert not article.is_published

    frozen_now["now"] = FUTURE + timedelta(seconds=1)

    assert Article.objects.published().filter(pk=article.pk).exists()
    article.refresh_from_db()
    assert article.is_published
    assert article.status == Article.Status.SCHEDULED, "nothing rewrote the row"
    assert article.effective_status == Article.Status.PUBLISHED


def test_scheduled_article_is_live_at_exactly_its_publish_date(frozen_now):
    """The publish date is inclusive: at that very moment readers see the article."""
    article = make_article(status=Article.Status.PUBLISHED, published_at=FUTURE)

    frozen_now["now"] = FUTURE

    assert Article.objects.published().filter(pk=article.pk).exists()
    assert article.is_published


def test_article_published_a_moment_ago_is_visible():
    """Without a frozen clock: a publish date just past means visible right away."""
    article = make_article(
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(seconds=1),
    )

    assert article.status == Article.Status.PUBLISHED
    assert article.is_published
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_article_published_a_moment_from_now_is_not_yet_visible():
    """Without a frozen clock: a publish date just ahead means scheduled, not visible."""
    article = make_article(
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() + timedelta(minutes=5),
    )

    assert article.status == Article.Status.SCHEDULED
    assert not article.is_published
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_saving_published_article_with_future_date_stores_scheduled(frozen_now):
    """Choosing "published" with a date ahead schedules the article in the database."""
    article = make_article(status=Article.Status.PUBLISHED, published_at=PAST)

    article.published_at = FUTURE
    article.save()

    article.refresh_from_db()
    assert article.status == Article.Status.SCHEDULED


def test_saving_scheduled_article_with_past_date_stores_published(frozen_now):
    """A scheduled article saved after its date is recorded as published."""
    article = make_article(status=Article.Status.SCHEDULED, published_at=PAST)

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


@pytest.mark.parametrize(
    "status",
    [
        Article.Status.DRAFT,
        Article.Status.PENDING,
        Article.Status.PRIVATE,
        Article.Status.TRASH,
    ],
)
def test_saving_unpublished_article_with_future_date_keeps_its_status(
    frozen_now, status
):
    """Only the published/scheduled pair follows the clock; other statuses are kept as chosen."""
    article = make_article(status=status, published_at=FUTURE)

    article.refresh_from_db()
    assert article.status == status


@pytest.mark.parametrize(
    ("status", "when", "expected"),
    [
        (Article.Status.DRAFT, "past", Article.Status.DRAFT),
        (Article.Status.PENDING, "past", Article.Status.PENDING),
        (Article.Status.PRIVATE, "past", Article.Status.PRIVATE),
        (Article.Status.TRASH, "past", Article.Status.TRASH),
        (Article.Status.PUBLISHED, "past", Article.Status.PUBLISHED),
        (Article.Status.SCHEDULED, "future", Article.Status.SCHEDULED),
        (Article.Status.SCHEDULED, "now", Article.Status.PUBLISHED),
        (Article.Status.SCHEDULED, "past", Article.Status.PUBLISHED),
    ],
)
def test_effective_status_is_what_a_reader_would_see(
    frozen_now, status, when, expected
):
    """A scheduled article whose time has come shows as published; other statuses show as stored."""
    article = article_stored_as(status, WHEN[when])

    assert article.effective_status == expected


@pytest.mark.parametrize("when", WHEN)
@pytest.mark.parametrize("status", Article.Status.values)
def test_effective_status_is_published_exactly_when_readers_see_the_article(
    frozen_now, status, when
):
    """The admin's status column says "Published" for exactly the articles readers can see."""
    article = article_stored_as(status, WHEN[when])

    assert (
        article.effective_status == Article.Status.PUBLISHED
    ) is article.is_published
