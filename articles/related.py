"""Related articles: the ones that share the most tags, then the same category."""

from django.db.models import Count, Q

from articles.models import Article

RELATED_LIMIT = 3
# Related articles are chosen among this many of the newest in the article's
# language, so that the query reads the same number of rows however large
# the site grows; a page only needs three, and recent ones serve readers best.
CANDIDATES = 500


def related_articles(article, *, limit=RELATED_LIMIT):
    """Return up to `limit` published articles close to `article`, in one query."""
    shares_a_tag = Q(tags__in=[tag.pk for tag in article.tags.all()])
    candidates = (
        Article.objects.published()
        .filter(language=article.language)
        .exclude(pk=article.pk)
        .order_by("-published_at")
        .values("pk")[:CANDIDATES]
    )
    closest = (
        Article.objects.filter(pk__in=candidates)
        .filter(shares_a_tag | Q(primary_category=article.primary_category_id))
        .values("pk")
        .annotate(shared_tags=Count("tags", filter=shares_a_tag, distinct=True))
        .order_by("-shared_tags", "-published_at")
        .values("pk")[:limit]
    )
    return list(
        Article.objects.for_listing()
        .filter(pk__in=closest)
        .annotate(shared_tags=Count("tags", filter=shares_a_tag, distinct=True))
        .order_by("-shared_tags", "-published_at")
    )
