"""
The sitemap index at /sitemap.xml and its sections: articles (with lastmod
and image:image entries), categories, tags and authors. Every section starts
from Article.objects.published(), so it lists only what readers may see.

Responses are cached under the content version (articles/content_version.py),
which every committed content change moves, and never past the moment the
next scheduled article goes live, so a publish or unpublish shows at once.
"""

from contextlib import suppress
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.cache import cache
from django.db.models import Max, Min
from django.http import HttpResponse
from django.utils import timezone

from articles import content_version
from articles.models import Article, Author, Category, Page, Tag

# The limit of the sitemaps protocol (sitemaps.org): 50,000 URLs per file.
URLS_PER_FILE = 50_000
X_ROBOTS_TAG = "noindex, noodp, noarchive"


def _site_url():
    return urlsplit(settings.SITE_URL)


class SiteSitemap(Sitemap):
    """Absolute URLs from SITE_URL, whatever host the request came to."""

    limit = URLS_PER_FILE

    def get_protocol(self, protocol=None):
        return _site_url().scheme

    def get_domain(self, site=None):
        return _site_url().netloc


class ArticleSitemap(SiteSitemap):
    def items(self):
        return (
            Article.objects.published()
            .select_related("primary_category", "featured_image")
            .prefetch_related("featured_image__renditions", "body_images__renditions")
            .only(
                "slug",
                "language",
                "updated_at",
                "featured_image_alt",
                "primary_category__slug",
                "featured_image",
                "robots_noindex",
                "canonical_url",
            )
            .filter(robots_noindex=False, canonical_url="")
            .order_by("-published_at", "pk")
        )

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("updated_at"))["latest"]

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        base = f"{self.get_protocol()}://{self.get_domain()}"
        for url in urls:
            url["images"] = article_images(url["item"], base=base)
        return urls


def article_images(article, *, base):
    images = [article.featured_image] if article.featured_image_id else []
    images += [
        i for i in article.body_images.all() if i.pk != article.featured_image_id
    ]
    urls = [image.shared_copy()[0] for image in images]
    return [url if "://" in url else base + url for url in urls if url]


class PageSitemap(SiteSitemap):
    def items(self):
        return (
            Page.objects.published()
            .filter(robots_noindex=False, canonical_url="")
            .only("language", "path", "updated_at")
            .order_by("language", "path")
        )

    def lastmod(self, item):
        return item.updated_at


class ArchiveSitemap(SiteSitemap):
    """Archives that list at least one published article, per language."""

    model = None
    article_fields = ()

    def items(self):
        pairs = sorted(
            {
                pair
                for field in self.article_fields
                for pair in Article.objects.published()
                .filter(**{f"{field}__isnull": False})
                .values_list(field, "language")
                .distinct()
            }
        )
        objects = self.model.objects.in_bulk({pk for pk, _ in pairs})
        return [(objects[pk], language) for pk, language in pairs]

    def location(self, item):
        obj, language = item
        return obj.get_absolute_url(language)


class CategorySitemap(ArchiveSitemap):
    model = Category
    article_fields = ("categories",)


class TagSitemap(ArchiveSitemap):
    model = Tag
    article_fields = ("tags",)


class AuthorSitemap(ArchiveSitemap):
    """The pages of the people who wrote or reviewed a published article."""

    model = Author
    article_fields = ("author", "reviewer")


SITEMAPS = {
    "articles": ArticleSitemap,
    "pages": PageSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}


# Caching


def cache_lifetime():
    """Seconds until the next scheduled article goes live, at most SITEMAP_CACHE_SECONDS."""
    lifetime = settings.SITEMAP_CACHE_SECONDS
    next_publish = Article.objects.scheduled_after(timezone.now()).aggregate(
        next=Min("published_at")
    )["next"]
    if next_publish is not None:
        seconds = int((next_publish - timezone.now()).total_seconds())
        lifetime = max(0, min(lifetime, seconds))
    return lifetime


def _page(request):
    """
    The page a sitemap request asks for (?p=), as the sitemap view reads it
    (int()), so that " 1", "+1" and "01" share the entry of page 1. The view
    reads nothing else: any other query string would make another entry.
    """
    page = request.GET.get("p", "1")
    with suppress(ValueError):
        return str(int(page)) if len(page) <= 20 else page
    return page


def cached(view):
    @wraps(view)
    def inner(request, *args, **kwargs):
        key = (
            f"sitemaps:v2:{content_version.current()}:{request.path}?p={_page(request)}"
        )
        cached_entry = cache.get(key)
        # The entry carries its own deadline, checked against timezone.now():
        # the cache back end's expiry runs on its own clock, and a scheduled
        # article must appear the moment published() says it is live.
        if cached_entry is not None and timezone.now().timestamp() < cached_entry[0]:
            response = HttpResponse(cached_entry[1], content_type="application/xml")
            response.headers["X-Robots-Tag"] = X_ROBOTS_TAG
            return response
        response = view(request, *args, **kwargs)
        response.render()
        if response.status_code == 200:
            lifetime = cache_lifetime()
            if lifetime:
                deadline = timezone.now().timestamp() + lifetime
                cache.set(key, (deadline, response.content), timeout=lifetime)
        return response

    return inner


@cached
def index(request):
    response = sitemap_views.index(
        request, sitemaps=SITEMAPS, sitemap_url_name="sitemaps"
    )
    site = settings.SITE_URL.rstrip("/")
    for item in response.context_data["sitemaps"]:
        parts = urlsplit(item.location)
        item.location = site + parts.path + (f"?{parts.query}" if parts.query else "")
    return response


@cached
def section(request, section):
    return sitemap_views.sitemap(
        request,
        sitemaps=SITEMAPS,
        section=section,
        template_name="sitemaps/sitemap.xml",
    )
