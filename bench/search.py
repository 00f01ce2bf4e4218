#!/usr/bin/env python
"""
Benchmark reader search: generate articles in bulk (text like the seed
post's, its sentences rewritten for 70 health topics, with FAQ items, key
takeaways, 200 tags and 20 categories; 5 % drafts) into a throw-away
database, build the index as `manage.py search_index --rebuild` does, and
time whole searches (results.search(): the ranked page, its snippets, its
articles and the "did you mean" candidates) for typical queries, a
misspelt one among them. Prints p50 and p95 per query, and the CPU time
a search takes (this process and its PostgreSQL backend) on average.

    .venv/bin/python bench/search.py --database-url postgres://postgres@127.0.0.1:5432/hp_search_bench
    .venv/bin/python bench/search.py --articles 10000     # SQLite, a temporary file

The database is created for the run and dropped afterwards (Django's test
database machinery: for PostgreSQL the database named in the URL is created
and dropped, so name one that holds nothing). Nothing listens on a port.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "demo" / "back-spasm-remedy.json"
BATCH = 1000
QUERIES = [
    "magnesium",
    "migraine",
    "knee pain",
    "vitamin d",
    '"sleep apnea"',
    "ginger nausea",
    "back spasm remedy",
    "pain relief",
    "magnesum",
    "migrane headache",
]
TOPICS = [
    "back spasm", "migraine", "insomnia", "knee pain", "acid reflux", "eczema",
    "high blood pressure", "type 2 diabetes", "asthma", "anxiety", "depression",
    "neck pain", "sciatica", "arthritis", "gout", "psoriasis", "acne", "hay fever",
    "sinusitis", "tinnitus", "vertigo", "constipation", "irritable bowel syndrome",
    "heartburn", "kidney stones", "urinary tract infection", "menopause",
    "endometriosis", "osteoporosis", "plantar fasciitis", "tennis elbow",
    "carpal tunnel syndrome", "shin splints", "muscle cramps", "restless legs",
    "sleep apnea", "chronic fatigue", "fibromyalgia", "thyroid disorder", "anemia",
    "high cholesterol", "heart palpitations", "varicose veins", "hemorrhoids",
    "cold sores", "dandruff", "rosacea", "hair loss", "dry eyes", "earache",
    "sore throat", "common cold", "influenza", "bronchitis", "pneumonia",
    "allergies", "food poisoning", "dehydration", "obesity", "jet lag",
    "shoulder pain", "hip pain", "ankle sprain", "whiplash", "headache",
    "toothache", "gum disease", "bad breath", "nausea", "bloating",
]  # fmt: skip
REMEDIES = [
    "magnesium", "vitamin D", "zinc", "omega-3", "turmeric", "ginger", "ibuprofen",
    "paracetamol", "physiotherapy", "yoga", "meditation", "acupuncture", "massage",
    "hydration", "potassium", "calcium", "probiotics", "fibre", "melatonin",
    "chamomile", "peppermint", "curcumin", "collagen", "iron", "vitamin B12",
    "folate", "electrolytes", "stretching", "walking", "swimming", "pilates",
    "compression", "elevation", "ice packs", "heat therapy",
]  # fmt: skip


def seed_sentences() -> list[str]:
    content = json.loads(SEED.read_text())["content"]["rendered"]
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s) > 20]


def generated_article(n: int, rng: random.Random, sentences: list[str]) -> dict:
    """One article's fields and parts: the seed's sentences about another topic and remedies."""
    topic = rng.choice(TOPICS)
    remedies = rng.sample(REMEDIES, 3)

    def rewrite(sentence: str) -> str:
        sentence = re.sub(r"[Bb]ack spasms?", topic, sentence)
        return sentence.replace("magnesium", remedies[0]).replace(
            "Magnesium", remedies[0].capitalize()
        )

    chosen = [rewrite(s) for s in rng.sample(sentences, rng.randint(40, 90))]
    chosen += [
        f"{r.capitalize()} may help with {topic} for some people." for r in remedies
    ]
    rng.shuffle(chosen)
    paragraphs = [chosen[i : i + 4] for i in range(0, len(chosen), 4)]
    body = "".join(
        (f"<h2>{html.escape(rewrite(p[0]))[:80]}</h2>" if i % 5 == 4 else "")
        + f"<p>{html.escape(' '.join(p))}</p>"
        for i, p in enumerate(paragraphs)
    )
    return {
        "title": f"{topic.capitalize()}: {rng.choice(['natural', 'proven', 'simple', 'home', 'expert'])} "
        f"relief with {remedies[0]} ({n})",
        "excerpt": f"<p>{html.escape(' '.join(rewrite(s) for s in rng.sample(sentences, 2)))}</p>",
        "body": body,
        "takeaways": [rewrite(s) for s in rng.sample(sentences, 3)],
        "faq": [
            (
                rewrite(rng.choice(sentences)).rstrip(".") + "?",
                rewrite(rng.choice(sentences)),
            )
            for _ in range(4)
        ],
    }


def generate(count: int) -> None:
    """Write count articles, their parts, tags and categories with bulk_create, batch by batch."""
    from django.utils.text import slugify

    from articles.models import (
        Article,
        Author,
        Category,
        FAQItem,
        KeyTakeaway,
        Tag,
        TaggedArticle,
    )

    rng = random.Random(12)
    sentences = seed_sentences()
    categories = Category.objects.bulk_create(
        Category(name=f"Topic {n}", slug=f"topic-{n}") for n in range(20)
    )
    tags = Tag.objects.bulk_create(
        Tag(name=name, slug=slugify(name))
        for name in dict.fromkeys(
            [*TOPICS, *REMEDIES, *(f"subject {n}" for n in range(200))]
        )
    )
    authors = Author.objects.bulk_create(
        Author(display_name=f"Dr. Author {n}", slug=f"author-{n}") for n in range(10)
    )
    start = datetime(2021, 1, 1, tzinfo=UTC)
    through = Article.categories.through
    for first in range(0, count, BATCH):
        made = [
            generated_article(n, rng, sentences)
            for n in range(first, min(count, first + BATCH))
        ]
        articles = Article.objects.bulk_create(
            Article(
                title=item["title"],
                slug=f"article-{first + k}",
                language="en",
                status=Article.Status.DRAFT
                if rng.random() < 0.05
                else Article.Status.PUBLISHED,
                published_at=start + timedelta(minutes=25 * (first + k)),
                excerpt=item["excerpt"],
                body=item["body"],
                primary_category=categories[(first + k) % 20],
                author=authors[(first + k) % 10],
            )
            for k, item in enumerate(made)
        )
        through.objects.bulk_create(
            through(article_id=article.pk, category_id=article.primary_category_id)
            for article in articles
        )
        TaggedArticle.objects.bulk_create(
            TaggedArticle(content_object=article, tag=tag)
            for article in articles
            for tag in rng.sample(tags, 3)
        )
        KeyTakeaway.objects.bulk_create(
            KeyTakeaway(
                article=article, text=f"<p>{html.escape(text)}</p>", order=order
            )
            for article, item in zip(articles, made, strict=True)
            for order, text in enumerate(item["takeaways"])
        )
        FAQItem.objects.bulk_create(
            FAQItem(
                article=article,
                question=question[:500],
                answer=f"<p>{html.escape(answer)}</p>",
                order=order,
                anchor=f"faq-{order}",
            )
            for article, item in zip(articles, made, strict=True)
            for order, (question, answer) in enumerate(item["faq"])
        )
        print(
            f"\r  generated {first + len(articles)} articles", end="", file=sys.stderr
        )
    print(file=sys.stderr)


def cpu_seconds(database_pid: int | None) -> float:
    """
    CPU time of this process and of the PostgreSQL backend serving it (on
    this machine): on a loaded machine it shows what a search costs,
    however long it waited for a CPU.
    """
    times = os.times()
    used = times.user + times.system
    if database_pid is not None:
        fields = (
            Path(f"/proc/{database_pid}/stat").read_text().rsplit(")", 1)[1].split()
        )
        used += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument(
        "--runs", type=int, default=30, help="Timed searches per query."
    )
    parser.add_argument(
        "--database-url",
        default="",
        help="postgres://... to bench PostgreSQL; SQLite (a temporary file) otherwise.",
    )
    parser.add_argument(
        "--show-queries",
        action="store_true",
        help="Print each search's SQL statements with their times, once per query.",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="search-bench-") as temp:
        temp_dir = Path(temp)
        os.environ["DATABASE_URL"] = (
            args.database_url or f"sqlite:///{temp_dir / 'unused.sqlite3'}"
        )
        os.environ.setdefault("SECRET_KEY", "bench-only")
        os.environ.setdefault("CACHE_URL", "locmemcache://")
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
        sys.path.insert(0, str(ROOT))

        import django
        from django.conf import settings

        django.setup()
        from django.db import connection

        database = settings.DATABASES["default"]
        if connection.vendor == "sqlite":
            database["TEST"]["NAME"] = str(temp_dir / "bench.sqlite3")
        else:
            database["TEST"]["NAME"] = database["NAME"]

        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            from django.test.utils import CaptureQueriesContext

            from articles.search import index, results

            started = time.perf_counter()
            generate(args.articles)
            print(
                f"Generated {args.articles} articles in {time.perf_counter() - started:.1f} s"
            )
            started = time.perf_counter()
            written = index.rebuild(
                progress=lambda n: print(f"\r  indexed {n}", end="", file=sys.stderr)
            )
            print(file=sys.stderr)
            print(
                f"Indexed {written} articles (search_index --rebuild) in {time.perf_counter() - started:.1f} s"
            )
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE articles_searchdocument")
                    cursor.execute("VACUUM ANALYZE articles_article")

            database_pid = None
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    database_pid = cursor.fetchone()[0]
            print(
                f"\n{connection.vendor}, {args.articles} articles, {args.runs} runs per query,"
                f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
            )
            print(
                f"{'query':<24} {'results':>8} {'p50 ms':>8} {'p95 ms':>8} {'CPU ms':>8}  suggestion"
            )
            for text in QUERIES:
                page = results.search(text, language="en")  # warm the caches
                if args.show_queries:
                    with CaptureQueriesContext(connection) as captured:
                        results.search(text, language="en")
                    for statement in captured.captured_queries:
                        print(f"    {statement['time']} s  {statement['sql'][:160]}")
                timings = []
                cpu_started = cpu_seconds(database_pid)
                for _ in range(args.runs):
                    started = time.perf_counter()
                    page = results.search(text, language="en")
                    timings.append((time.perf_counter() - started) * 1000)
                cpu = (cpu_seconds(database_pid) - cpu_started) * 1000 / args.runs
                total = f"{page.total}{'+' if page.more else ''}"
                print(
                    f"{text:<24} {total:>8} {percentile(timings, 0.5):>8.1f} "
                    f"{percentile(timings, 0.95):>8.1f} {cpu:>8.1f}  {page.suggestion}"
                )
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
