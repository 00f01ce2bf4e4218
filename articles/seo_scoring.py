"""
Gather what the SEO analysis needs about a saved article (this is where the
queries are) and store the resulting score on the article.
"""

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import timezone

from articles import seo_analysis
from articles.models import Article


def broken_internal_links(paths):
    """Return the internal article paths that no published article answers."""
    broken = []
    for path in dict.fromkeys(paths):
        try:
            match = resolve(path)
        except Resolver404:
            broken.append(path)
            continue
        if match.url_name != "detail":
            continue
        exists = (
            Article.objects.published()
            .filter(
                language=match.kwargs["language"],
                slug=match.kwargs["slug"],
                primary_category__slug=match.kwargs["category"],
            )
            .exists()
        )
        if not exists:
            broken.append(path)
    return tuple(broken)


def duplicates(article):
    others = Article.objects.published().exclude(pk=article.pk)
    found = []
    if article.seo_title and others.filter(seo_title=article.seo_title).exists():
        found.append("SEO title")
    if (
        article.meta_description
        and others.filter(meta_description=article.meta_description).exists()
    ):
        found.append("meta description")
    keyphrases = article.focus_keyphrase_list
    if keyphrases:
        phrase = keyphrases[0].casefold()
        candidates = others.filter(focus_keyphrases__icontains=keyphrases[0])
        if any(
            phrase in (p.strip().casefold() for p in other.split(","))
            for other in candidates.values_list("focus_keyphrases", flat=True)
        ):
            found.append("focus keyphrase")
    return tuple(found)


def draft_for(article):
    internal, _external = seo_analysis.link_paths(
        article.body, site_url=settings.SITE_URL
    )
    return seo_analysis.Draft(
        title=article.title,
        body=article.body,
        slug=article.slug,
        seo_title=article.seo_title,
        meta_description=article.meta_description,
        excerpt=article.excerpt,
        keyphrases=tuple(article.focus_keyphrase_list),
        featured_image_alt=(
            article.featured_image_alt_text if article.featured_image_id else None
        ),
        site_url=settings.SITE_URL,
        title_pattern=settings.SEO_TITLE_PATTERN,
        site_name=settings.SITE_NAME,
        reference_count=article.references.count(),
        has_reviewer=article.reviewer_id is not None,
        last_reviewed_on=article.last_reviewed_on,
        today=timezone.localdate(),
        review_interval_days=settings.SEO_REVIEW_INTERVAL_DAYS,
        broken_internal_links=broken_internal_links(internal),
        duplicates=duplicates(article),
    )


def analyse_article(article):
    return seo_analysis.analyse(draft_for(article))


def update_score(article):
    """Analyse a saved article and store its score, without touching updated_at."""
    analysis = analyse_article(article)
    Article.objects.filter(pk=article.pk).update(seo_score=analysis.score)
    article.seo_score = analysis.score
    return analysis
