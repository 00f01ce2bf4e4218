"""
A large demo site cloned from the seed article, for measuring how the site
behaves as it grows: many articles with the seed's body, key takeaways, FAQ
and references, spread over categories, tags and authors, written in bulk.

Generated rows are marked in wordpress_extra, so that they can be counted,
topped up and removed without touching anything an editor made. They are
measuring data, written past the publishing sequence (no revision or audit
entry for 100,000 synthetic articles), but each batch is announced through
it, so that caches and the search index follow.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.models import (
    Article,
    Author,
    Category,
    FAQItem,
    KeyTakeaway,
    Reference,
    Tag,
    TaggedArticle,
)
from articles.publishing import events

SEED_POST = settings.BASE_DIR / "demo" / "back-spasm-remedy.json"
MARKER = {"generated_by": "generate_demo"}
BATCH_SIZE = 1000
TAGS_PER_ARTICLE = 3
# Minutes between two generated articles' publish dates: 100,000 articles
# span about six years, as a busy health site's archive does.
MINUTES_APART = 30

CONDITIONS = [
    "Back spasm",
    "Neck pain",
    "Migraine",
    "Insomnia",
    "Heartburn",
    "Eczema",
    "Hay fever",
    "Sciatica",
    "Knee pain",
    "Anxiety",
    "High blood pressure",
    "Type 2 diabetes",
    "Iron deficiency",
    "Acne",
    "Constipation",
    "Tension headache",
    "Plantar fasciitis",
    "Dry eyes",
    "Gum disease",
    "Shoulder pain",
]
ANGLES = [
    "Incredible Home Treatments",
    "What the Evidence Says",
    "When to See a Doctor",
    "Causes, Symptoms and Relief",
    "A Physiotherapist's Guide",
    "Myths and Facts",
    "Simple Daily Habits That Help",
    "Questions Patients Ask",
    "Medication and Alternatives",
    "Recovery Timeline",
]
CATEGORIES = [
    ("Pain relief", None),
    ("Back pain", "Pain relief"),
    ("Headaches", "Pain relief"),
    ("Joints", "Pain relief"),
    ("Sleep", None),
    ("Mental health", None),
    ("Nutrition", None),
    ("Vitamins and minerals", "Nutrition"),
    ("Heart health", None),
    ("Diabetes", None),
    ("Skin care", None),
    ("Allergies", None),
    ("Digestion", None),
    ("Fitness", None),
    ("Ageing well", None),
    ("Eyes", None),
    ("Dental care", None),
    ("Women's health", None),
    ("Men's health", None),
    ("Children's health", None),
]
TAG_TERMS = [
    "home remedy", "exercise", "stretching", "posture", "heat therapy",
    "cold therapy", "massage", "magnesium", "vitamin D", "iron",
    "omega-3", "sleep hygiene", "stress", "breathing", "meditation",
    "yoga", "walking", "hydration", "fibre", "probiotics",
    "caffeine", "alcohol", "smoking", "weight", "blood sugar",
    "blood pressure", "cholesterol", "inflammation", "painkillers", "ibuprofen",
    "paracetamol", "physiotherapy", "surgery", "screening", "vaccination",
    "hormones", "pregnancy", "menopause", "ergonomics", "screen time",
    "sunscreen", "moisturiser", "allergens", "pollen", "diet",
    "fasting", "supplements", "first aid", "prevention", "recovery",
]  # fmt: skip
TAG_GROUPS = ["", "for children", "for older adults", "during pregnancy"]
FIRST_NAMES = ["Anna", "Bram", "Chloé", "Daan", "Eva", "Femke", "Hugo", "Iris", "Jesse", "Lotte"]  # fmt: skip
LAST_NAMES = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer"]
CREDENTIALS = ["MD", "MD, PhD", "RN", "Registered dietitian", "PT, DPT"]


@dataclass(frozen=True)
class Generated:
    articles: int
    total: int


def generated_articles():
    return Article.objects.filter(wordpress_extra__generated_by=MARKER["generated_by"])


def seed_article() -> Article | None:
    """The imported seed post, the model every generated article copies."""
    seed_id = json.loads(SEED_POST.read_text())["id"]
    return (
        Article.objects.prefetch_related(
            "takeaways", "faq_items", "references", "body_images"
        )
        .filter(wordpress_id=seed_id)
        .first()
    )


def remove_generated() -> int:
    """Delete every generated article (and only those); return how many there were."""
    with transaction.atomic():
        _, deleted = generated_articles().delete()
        events.after_commit([], rescore=False)
    return deleted.get(Article._meta.label, 0)


def generate(
    count: int, *, seed: Article, progress: Callable[[int], None] = lambda done: None
) -> Generated:
    """
    Make sure `count` generated articles exist, adding the missing ones in
    batches of BATCH_SIZE, each batch a query per table in one transaction.
    Running it again with the same count adds nothing.
    """
    rng = random.Random(count)
    categories = _categories()
    tags = _tags()
    authors = _authors()
    start = generated_articles().count()
    now = timezone.now()
    for first in range(start, count, BATCH_SIZE):
        numbers = range(first, min(first + BATCH_SIZE, count))
        with transaction.atomic():
            articles = Article.objects.bulk_create(
                _article(
                    n,
                    seed=seed,
                    now=now,
                    category=categories[n % len(categories)],
                    author=authors[n % len(authors)],
                    reviewer=authors[(n + 7) % len(authors)],
                )
                for n in numbers
            )
            _write_children(
                articles, seed=seed, categories=categories, tags=tags, rng=rng
            )
            events.after_commit(articles, rescore=False)
        progress(numbers.stop)
    return Generated(articles=max(0, count - start), total=max(start, count))


def _article(n, *, seed, now, category, author, reviewer) -> Article:
    title = f"{CONDITIONS[n % len(CONDITIONS)]}: {ANGLES[n // len(CONDITIONS) % len(ANGLES)]}"
    status, published_at = _status_and_date(n, now=now)
    return Article(
        title=title,
        slug=f"{slugify(title)}-{n}",
        language="nl" if n % 10 == 9 else "en",
        status=status,
        published_at=published_at,
        author=author,
        reviewer=reviewer,
        last_reviewed_on=published_at.date(),
        excerpt=seed.excerpt,
        body=seed.body,
        table_of_contents=seed.table_of_contents,
        featured_image_id=seed.featured_image_id,
        primary_category=category,
        sticky=n % 1000 == 0,
        seo_title=seed.seo_title,
        meta_description=seed.meta_description,
        focus_keyphrases=seed.focus_keyphrases,
        seo_score=seed.seo_score,
        wordpress_extra=MARKER,
    )


def _status_and_date(n, *, now):
    """Mostly published and older with every number; some drafts, scheduled and private ones."""
    published_at = now - timedelta(minutes=MINUTES_APART * (n + 1))
    if n % 100 == 42:
        return Article.Status.DRAFT, published_at
    if n % 200 == 17:
        return Article.Status.SCHEDULED, now + timedelta(days=1 + n % 30)
    if n % 500 == 99:
        return Article.Status.PRIVATE, published_at
    return Article.Status.PUBLISHED, published_at


def _write_children(articles, *, seed, categories, tags, rng) -> None:
    ArticleCategory = Article.categories.through
    BodyImage = Article.body_images.through
    ArticleCategory.objects.bulk_create(
        ArticleCategory(article_id=article.pk, category_id=pk)
        for article in articles
        for pk in {
            article.primary_category_id,
            # One in five articles is also filed under a second category.
            *([rng.choice(categories).pk] if rng.random() < 0.2 else []),
        }
    )
    TaggedArticle.objects.bulk_create(
        TaggedArticle(content_object_id=article.pk, tag_id=tag.pk)
        for article in articles
        for tag in rng.sample(tags, TAGS_PER_ARTICLE)
    )
    BodyImage.objects.bulk_create(
        BodyImage(article_id=article.pk, image_id=image.pk)
        for article in articles
        for image in seed.body_images.all()
    )
    KeyTakeaway.objects.bulk_create(
        KeyTakeaway(article_id=article.pk, text=item.text, order=item.order)
        for article in articles
        for item in seed.takeaways.all()
    )
    FAQItem.objects.bulk_create(
        FAQItem(
            article_id=article.pk,
            question=item.question,
            answer=item.answer,
            order=item.order,
            anchor=item.anchor,
        )
        for article in articles
        for item in seed.faq_items.all()
    )
    Reference.objects.bulk_create(
        Reference(
            article_id=article.pk,
            **{
                field: getattr(item, field)
                for field in (
                    "title",
                    "publisher",
                    "authors",
                    "year",
                    "url",
                    "doi",
                    "pubmed_id",
                    "accessed_on",
                    "order",
                )
            },
        )
        for article in articles
        for item in seed.references.all()
    )


def _categories() -> list[Category]:
    by_name = {}
    for name, parent in CATEGORIES:
        by_name[name], _ = Category.objects.get_or_create(
            slug=f"demo-{slugify(name)}",
            defaults={
                "name": name,
                "description": f"Evidence-based articles about {name.lower()}.",
                "parent": by_name.get(parent),
            },
        )
    return list(by_name.values())


def _tags() -> list[Tag]:
    names = [f"{term} {group}".strip() for group in TAG_GROUPS for term in TAG_TERMS]
    return [
        Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in names
    ]


def _authors() -> list[Author]:
    people = itertools.product(FIRST_NAMES, LAST_NAMES)
    return [
        Author.objects.get_or_create(
            slug=f"demo-{slugify(first)}-{slugify(last)}",
            defaults={
                "display_name": f"{first} {last}",
                "credentials": CREDENTIALS[n % len(CREDENTIALS)],
                "job_title": "Medical writer",
                "bio": f"<p>{first} writes about health for patients.</p>",
            },
        )[0]
        for n, (first, last) in enumerate(itertools.islice(people, 20))
    ]
