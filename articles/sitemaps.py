"""
The sitemap index at /sitemap.xml and its sections: articles (with lastmod
and image:image entries), pages, categories, tags and authors. Every section
starts from the published() of its kind, so it lists only what readers may see.

A file of the articles' section holds up to 50,000 URLs (some 25 MB): it is
streamed, STREAM_CHUNK articles at a time, and never held whole in memory
(a proxy in front may cache it on disk; deploy/nginx.conf does). The index
and the other sections are small: they are cached under the content
version (articles/content_version.py), which every committed content change
moves, and never past the moment the next scheduled article goes live, so a
publish or unpublish shows at once.
"""

from collections import defaultdict
from contextlib import suppress
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Exists, Min, OuterRef, Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.html import escape

from articles import content_version, seo, timestamps
from articles.models import (
    Article,
    Author,
    Category,
    Image,
    Page,
    Tag,
    attach_live_translations,
)

# The limit of the sitemaps protocol (sitemaps.org): 50,000 URLs per file.
URLS_PER_FILE = 50_000
# Articles read, and URLs written out, at a time.
STREAM_CHUNK = 2000
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
                "primary_category__translations",
                "translation_key",
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


def translation_alternates(content, *, base) -> tuple[seo.Alternate, ...]:
    """
    The xhtml:link alternates of an article or page: the same hreflang
    links as its page's head, from its prefetched live translations.
    """
    return seo.alternates(
        {
            text.language: base + text.get_absolute_url()
            for text in [content, *content.live_translations()]
        },
        default_language=settings.LANGUAGE_CODE,
    )


class PageSitemap(SiteSitemap):
    def items(self):
        return (
            Page.objects.published()
            .filter(robots_noindex=False, canonical_url="")
            .only("language", "path", "updated_at", "translation_key")
            .order_by("language", "path")
        )

    def lastmod(self, item):
        return item.updated_at

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        # The translations of the whole file in one query.
        attach_live_translations([url["item"] for url in urls])
        base = f"{protocol}://{domain}"
        for url in urls:
            url["alternates"] = translation_alternates(url["item"], base=base)
        return urls


class ArchiveSitemap(SiteSitemap):
    """Archives that list at least one published article, per language."""

    model = None
    article_fields = ()

    def items(self):
        # One query per language, each archive asked whether it has a
        # published article: it stops at the first, however many it has.
        published = Article.objects.published()
        found = []
        for language, _name in settings.LANGUAGES:
            listed = Q()
            for field in self.article_fields:
                listed |= Exists(
                    published.filter(language=language, **{field: OuterRef("pk")})
                )
            found += [
                (archive, language) for archive in self.model.objects.filter(listed)
            ]
        return sorted(found, key=lambda item: (item[0].pk, item[1]))

    def location(self, item):
        obj, language = item
        return obj.get_absolute_url(language)

    def _urls(self, page, protocol, domain):
        """Each archive listed in several languages names its others (hreflang)."""
        urls = super()._urls(page, protocol, domain)
        by_archive = defaultdict(dict)
        for url in urls:
            obj, language = url["item"]
            by_archive[obj.pk][language] = url["location"]
        for url in urls:
            url["alternates"] = seo.alternates(
                by_archive[url["item"][0].pk], default_language=settings.LANGUAGE_CODE
            )
        return urls


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
        request,
        sitemaps=SITEMAPS,
        sitemap_url_name="sitemaps",
        template_name="sitemaps/sitemap_index.xml",
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
    'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
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
            attach_live_translations(chunk)
            yield "".join(
                _url_element(
                    article,
                    base=base,
                    images=images[article.pk],
                    alternates=translation_alternates(article, base=base),
                )
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


def _url_element(article, *, base, images, alternates=()):
    lastmod = timestamps.iso8601(timezone.localtime(article.updated_at))
    alternate_elements = "".join(
        f'<xhtml:link rel="alternate" hreflang="{escape(alternate.hreflang)}" '
        f'href="{escape(alternate.url)}"/>'
        for alternate in alternates
    )
    image_elements = "".join(
        f"<image:image><image:loc>{escape(url)}</image:loc></image:image>"
        for url in images
    )
    return (
        f"<url><loc>{escape(base + article.get_absolute_url())}</loc>"
        f"<lastmod>{lastmod}</lastmod>{alternate_elements}{image_elements}</url>"
    )
