"""
The sitemap index at /sitemap.xml and its sections: articles (with lastmod
and image:image entries), categories, tags and authors. Every section starts
from Article.objects.published(), so it lists only what readers may see.

A file of the articles' section holds up to 50,000 URLs (some 25 MB): it is
streamed, STREAM_CHUNK articles at a time, and never held whole in memory
(a proxy in front may cache it on disk; deploy/nginx.conf does). The index
and the other sections are small: they are cached under a content version
that every change to an article, category, tag or author bumps, and never
past the moment the next scheduled article goes live, so a publish or
unpublish shows at once.
"""

import contextvars
import time
from collections import defaultdict
from contextlib import contextmanager
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Exists, Min, OuterRef
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils import dateformat, timezone
from django.utils.html import escape

from articles.models import Article, Author, Category, Image, Tag, TaggedArticle

# The limit of the sitemaps protocol (sitemaps.org): 50,000 URLs per file.
URLS_PER_FILE = 50_000
# Articles read, and URLs written out, at a time.
STREAM_CHUNK = 2000
CONTENT_VERSION_KEY = "sitemaps:content-version"
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
    """Counted and dated by Django's index view; its files are streamed_articles()."""

    def items(self):
        return (
            Article.objects.published()
            .select_related("primary_category")
            .only(
                "slug",
                "language",
                "updated_at",
                "primary_category__slug",
                "featured_image",
                "robots_noindex",
                "canonical_url",
            )
            .filter(robots_noindex=False, canonical_url="")
            # Both descending, as article_date_idx reads them: no sort.
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # The newest first rather than Max(): article_modified_idx serves it.
        return (
            self.items()
            .order_by("-updated_at")
            .values_list("updated_at", flat=True)
            .first()
        )


def shared_image_urls(articles, *, base) -> dict[int, list[str]]:
    """
    The image:loc URLs of each article (its featured image, then the others
    its body shows, newest first), in three queries for the whole chunk:
    each image is loaded, and its shared copy chosen, once, however many
    articles show it.
    """
    shown = defaultdict(list)
    for article_id, image_id in Article.body_images.through.objects.filter(
        article_id__in=[article.pk for article in articles]
    ).values_list("article_id", "image_id"):
        shown[article_id].append(image_id)
    featured = {article.featured_image_id for article in articles}
    images = Image.objects.prefetch_related("renditions").in_bulk(
        (featured | {pk for pks in shown.values() for pk in pks}) - {None}
    )
    urls = {}
    for pk, image in images.items():
        url = image.shared_copy()[0]
        urls[pk] = url if "://" in url or not url else base + url
    newest_first = sorted(images, key=lambda pk: images[pk].created_at, reverse=True)
    rank = {pk: n for n, pk in enumerate(newest_first)}
    result = {}
    for article in articles:
        body = sorted(
            (pk for pk in shown[article.pk] if pk != article.featured_image_id),
            key=rank.__getitem__,
        )
        pks = [article.featured_image_id] if article.featured_image_id else []
        result[article.pk] = [urls[pk] for pk in pks + body if urls.get(pk)]
    return result


class ArchiveSitemap(SiteSitemap):
    """Archives that list at least one published article, per language."""

    model = None
    article_field = ""

    def items(self):
        # One query per language, each archive asked whether it has a
        # published article: it stops at the first, however many it has.
        published = Article.objects.published()
        found = [
            (archive, language)
            for language, _ in settings.LANGUAGES
            for archive in self.model.objects.filter(
                Exists(
                    published.filter(
                        language=language, **{self.article_field: OuterRef("pk")}
                    )
                )
            )
        ]
        return sorted(found, key=lambda item: (item[0].pk, item[1]))

    def location(self, item):
        obj, language = item
        return obj.get_absolute_url(language)


class CategorySitemap(ArchiveSitemap):
    model = Category
    article_field = "categories"


class TagSitemap(ArchiveSitemap):
    model = Tag
    article_field = "tags"


class AuthorSitemap(ArchiveSitemap):
    model = Author
    article_field = "author"


SITEMAPS = {
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}


# Caching


def content_version():
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        # A fresh value, never one an older cache entry could carry.
        version = time.time_ns()
        cache.add(CONTENT_VERSION_KEY, version, timeout=None)
        version = cache.get(CONTENT_VERSION_KEY, version)
    return version


_bump_deferred = contextvars.ContextVar("sitemap_bump_deferred", default=False)


@contextmanager
def one_content_version_bump():
    """
    Move the content version once, when the block ends, however many rows it
    saves: an import saves thousands, and each bump is a round trip to the
    cache. Put it outside the transaction, so that the bump follows the commit.
    """
    if _bump_deferred.get():
        yield
        return
    token = _bump_deferred.set(True)
    try:
        yield
    finally:
        _bump_deferred.reset(token)
        bump_content_version()


def bump_content_version(**kwargs):
    if _bump_deferred.get():
        return
    try:
        cache.incr(CONTENT_VERSION_KEY)
    except ValueError:
        cache.set(CONTENT_VERSION_KEY, time.time_ns(), timeout=None)


def cache_lifetime():
    """Seconds until the next scheduled article goes live, at most SITEMAP_CACHE_SECONDS."""
    lifetime = settings.SITEMAP_CACHE_SECONDS
    next_publish = Article.objects.filter(
        status__in=(Article.Status.PUBLISHED, Article.Status.SCHEDULED),
        published_at__gt=timezone.now(),
    ).aggregate(next=Min("published_at"))["next"]
    if next_publish is not None:
        seconds = int((next_publish - timezone.now()).total_seconds())
        lifetime = max(0, min(lifetime, seconds))
    return lifetime


for model in (Article, Category, Tag, Author, TaggedArticle):
    post_save.connect(
        bump_content_version,
        sender=model,
        dispatch_uid=f"sitemap-{model.__name__}-save",
    )
    post_delete.connect(
        bump_content_version,
        sender=model,
        dispatch_uid=f"sitemap-{model.__name__}-delete",
    )
m2m_changed.connect(
    bump_content_version,
    sender=Article.categories.through,
    dispatch_uid="sitemap-categories",
)


def cached(view):
    @wraps(view)
    def inner(request, *args, **kwargs):
        key = f"sitemaps:v2:{content_version()}:{request.get_full_path()}"
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


def section(request, section):
    if section == "articles":
        return streamed_articles(request)
    return small_section(request, section)


@cached
def small_section(request, section):
    return sitemap_views.sitemap(
        request,
        sitemaps=SITEMAPS,
        section=section,
        template_name="sitemaps/sitemap.xml",
    )


URLSET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">\n'
)
URLSET_END = "\n</urlset>\n"


def streamed_articles(request):
    """One file of the articles' section, written as templates/sitemaps/sitemap.xml writes it."""
    sitemap = ArticleSitemap()
    try:
        page = sitemap.paginator.page(request.GET.get("p", 1))
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404(str(error)) from error
    base = f"{sitemap.get_protocol()}://{sitemap.get_domain()}"

    def document():
        yield URLSET_START
        for chunk in _chunks(page.object_list.iterator(chunk_size=STREAM_CHUNK)):
            images = shared_image_urls(chunk, base=base)
            yield "".join(
                _url_element(article, base=base, images=images[article.pk])
                for article in chunk
            )
        yield URLSET_END

    response = StreamingHttpResponse(document(), content_type="application/xml")
    response.headers["X-Robots-Tag"] = X_ROBOTS_TAG
    return response


def _chunks(articles):
    chunk = []
    for article in articles:
        chunk.append(article)
        if len(chunk) == STREAM_CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _url_element(article, *, base, images):
    lastmod = dateformat.format(timezone.localtime(article.updated_at), "c")
    image_elements = "".join(
        f"<image:image><image:loc>{escape(url)}</image:loc></image:image>"
        for url in images
    )
    return (
        f"<url><loc>{escape(base + article.get_absolute_url())}</loc>"
        f"<lastmod>{lastmod}</lastmod>{image_elements}</url>"
    )
