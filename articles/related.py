"""Related articles: the ones that share the most tags, then the same category."""

from django.db.models import Count, Q

from articles.models import Article

RELATED_LIMIT = 3


def related_articles(article, *, limit=RELATED_LIMIT):
    """Return up to `limit` published articles close to `article`, in one query."""
    tag_ids = [tag.pk for tag in article.tags.all()]
    return list(
        Article.objects.published()
        .for_listing()
        .filter(language=article.language)
        .filter(Q(tags__in=tag_ids) | Q(primary_category=article.primary_category_id))
        .exclude(pk=article.pk)
        .annotate(shared_tags=Count("tags", filter=Q(tags__in=tag_ids), distinct=True))
        .order_by("-shared_tags", "-published_at")
        .distinct()[:limit]
    )
