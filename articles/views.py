import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView

from articles import article_page, languages, preview, redirects, seo, site_page
from articles.api import discovery
from articles.models import Article, Author, Category, Page, Tag
from articles.pagination import CountedOncePaginator
from articles.search import results as search_results

# Errors of a connection that could not be made or was lost, as opposed to a
# bad query: those stay 500s.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
# A reviewer's page lists the articles they reviewed most recently.
REVIEWED_SHOWN = 12


def root(request):
    """
    The home page of the reader's language. A query string may be an old
    address first: a redirect rule for it, or WordPress's /?p=9580.
    """
    if request.META.get("QUERY_STRING"):
        old_address = redirects.answer(request) or redirects.wordpress_permalink(
            request
        )
        if old_address is not None:
            return old_address
    # The reader's language, as LocaleMiddleware found it (cookie, then
    # Accept-Language): a 302 that varies, so never kept by the page cache.
    response = redirect("articles:home")
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


class LanguageMixin:
    """Serve the page in the language of its URL, which LocaleMiddleware activated."""

    def dispatch(self, request, *args, **kwargs):
        self.language = translation.get_language()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_language=self.language, **kwargs)


class ArticleListView(LanguageMixin, ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"

    paginator_class = CountedOncePaginator

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE

    archive = None
    archive_kind = ""

    def get_paginator(self, queryset, per_page, **kwargs):
        # Named by what the view filters on: the queryset's SQL would not do,
        # as its "published by now" moment differs at every request.
        archive = self.archive.pk if self.archive is not None else ""
        return super().get_paginator(
            queryset,
            per_page,
            count_key=f"{self.archive_kind or 'home'}:{archive}:{self.language}",
            **kwargs,
        )

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.archive_kind in ("category", "tag"):
            discovery.mark_resource(response, self.archive)
        return response

    def get_queryset(self):
        return Article.objects.published().for_listing().filter(language=self.language)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        site = seo.Site.from_settings()
        shown = (
            self.archive.as_shown_in(self.language)
            if isinstance(self.archive, Category)
            else self.archive
        )
        context["meta"] = seo.listing_meta(
            title=archive_title(shown, self.archive_kind),
            description=archive_description(shown, self.archive_kind, site),
            path=self.request.path,
            page_number=context["page_obj"].number if context["page_obj"] else 1,
            language=self.language,
            site=site,
            absolute_url=site.absolute_url,
            feeds=archive_feeds(shown, self.archive_kind, self.request.path),
            person=self.archive if self.archive_kind == "author" else None,
            language_paths=archive_paths(self.archive),
        )
        return context


def archive_paths(archive):
    """The list's path in every language: its archive's, or the home page's."""
    return {
        code: archive.get_absolute_url(code)
        if archive is not None
        else languages.reverse_in(code, "articles:home")
        for code, _name in settings.LANGUAGES
    }


def archive_title(archive, kind):
    if archive is None:
        return None
    return archive.display_name if kind == "author" else archive.name


def archive_description(archive, kind, site):
    if kind == "category" and archive.description:
        return archive.description
    if kind == "author":
        return _("Articles by %(person)s at %(site)s.") % {
            "person": archive,
            "site": site.name,
        }
    if archive is not None:
        return _("Articles about %(subject)s at %(site)s.") % {
            "subject": archive.name,
            "site": site.name,
        }
    return _("Evidence-based health information from %(site)s.") % {"site": site.name}


def archive_feeds(archive, kind, path):
    if kind not in ("category", "tag"):
        return []
    return [
        seo.FeedLink("application/rss+xml", f"{archive.name} (RSS)", f"{path}feed/"),
        seo.FeedLink(
            "application/atom+xml", f"{archive.name} (Atom)", f"{path}feed/atom/"
        ),
    ]


class HomeView(ArticleListView):
    def get_queryset(self):
        # Every article is sticky or not: saying so lets SQLite's planner,
        # which has no statistics, read article_home_idx in order rather than
        # sort every published article of the language.
        return (
            super()
            .get_queryset()
            .filter(sticky__in=[True, False])
            .order_by("-sticky", "-published_at")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_home=True, **kwargs)


class CategoryView(ArticleListView):
    def get(self, request, *args, **kwargs):
        self.category = self.archive = Category.at_slug(
            self.kwargs["slug"], self.language
        )
        if self.category is None:
            raise Http404("No such category.")
        own_slug = self.category.slug_in(self.language)
        if own_slug != self.kwargs["slug"]:
            # The default language's slug under another language: one URL each.
            query = f"?{request.GET.urlencode()}" if request.GET else ""
            return HttpResponsePermanentRedirect(
                self.category.get_absolute_url(self.language) + query
            )
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self.archive_kind = "category"
        return super().get_queryset().filter(categories=self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            archive=self.category.as_shown_in(self.language),
            archive_kind="category",
            **kwargs,
        )


class TagView(ArticleListView):
    def get_queryset(self):
        self.tag = self.archive = get_object_or_404(Tag, slug=self.kwargs["slug"])
        self.archive_kind = "tag"
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(archive=self.tag, archive_kind="tag", **kwargs)


class AuthorView(ArticleListView):
    """A person's page: who they are, the articles they wrote and those they reviewed."""

    def get_queryset(self):
        self.author = get_object_or_404(
            Author.objects.select_related("photo").prefetch_related(
                "photo__renditions"
            ),
            slug=self.kwargs["slug"],
        )
        self.archive, self.archive_kind = self.author, "author"
        return super().get_queryset().filter(author=self.author)

    def get_context_data(self, **kwargs):
        # The ids first, from article_reviewer_idx alone in its order (with
        # the listing's joins SQLite would read another index and sort), then
        # their rows.
        reviewed_ids = list(
            Article.objects.published()
            .filter(
                language=self.language,
                reviewer=self.author,
                last_reviewed_on__isnull=False,
            )
            .order_by("-last_reviewed_on", "-published_at")
            .values_list("pk", flat=True)[:REVIEWED_SHOWN]
        )
        rows = Article.objects.for_listing().in_bulk(reviewed_ids)
        reviewed = [rows[pk] for pk in reviewed_ids]
        return super().get_context_data(
            archive=self.author,
            archive_kind="author",
            reviewed_articles=reviewed,
            **kwargs,
        )


class ArticleDetailView(LanguageMixin, DetailView):
    context_object_name = "article"
    template_name = article_page.TEMPLATE
    is_preview = False

    def get_object(self, queryset=None):
        # Staff preview and shared preview links: see articles/preview.py.
        previewable = preview.previewable(Article.objects.all(), self.request)
        self.is_preview = previewable is not None
        if self.is_preview:
            return super().get_object(
                previewable.filter(language=self.language).for_detail()
            )
        found = article_page.live_at_address(self.language, self.kwargs["slug"])
        if found is None:
            raise Http404("No article at this address.")
        return found

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except preview.LinkExpired:
            return render(request, "410.html", status=410)
        if (
            self.object.primary_category.slug_in(self.language)
            != self.kwargs["category"]
        ):
            path = f"{self.kwargs['category']}/{self.kwargs['slug']}"
            if Page.objects.filter(language=self.language, path=path).exists():
                # A page under its parent answers here, not the article.
                raise Http404
            # One URL per article: other category paths answer with a 301.
            query = f"?{request.GET.urlencode()}" if self.is_preview else ""
            return HttpResponsePermanentRedirect(self.object.get_absolute_url() + query)
        if not self.is_preview:
            response = article_page.published_page(self.object.pk)
            return discovery.mark_resource(response, self.object)
        response = self.render_to_response(
            self.get_context_data(
                object=self.object,
                fragments=article_page.fragments(self.object, is_preview=True),
            )
        )
        return preview.mark(response)


class PageDetailView(LanguageMixin, DetailView):
    """A site page at its path: /en/about-us/ or, under its parent, /en/about-us/team/."""

    context_object_name = "page"
    template_name = "articles/page_detail.html"
    is_preview = False

    def get_queryset(self):
        pages = Page.objects.for_detail().filter(language=self.language)
        previewable = preview.previewable(pages, self.request)
        self.is_preview = previewable is not None
        return previewable if self.is_preview else pages.published()

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), path=self.kwargs["path"])

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except preview.LinkExpired:
            return render(request, "410.html", status=410)
        response = self.render_to_response(self.get_context_data(object=self.object))
        return preview.mark(response) if self.is_preview else response

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **{**site_page.context(self.object, is_preview=self.is_preview), **kwargs}
        )


def category_or_page(request, slug):
    """/<lang>/<slug>/ is a category's archive or a top-level page: they never share a slug."""
    try:
        return CategoryView.as_view()(request, slug=slug)
    except Http404:
        return PageDetailView.as_view()(request, path=slug)


def article_or_page(request, category, slug):
    """/<lang>/<a>/<b>/ is an article in category a, or page b under page a."""
    try:
        return ArticleDetailView.as_view()(request, category=category, slug=slug)
    except Http404:
        return PageDetailView.as_view()(request, path=f"{category}/{slug}")


class SearchView(LanguageMixin, TemplateView):
    """/<lang>/search/?q=…: published content of the page's language, never indexed."""

    template_name = "articles/search_results.html"

    def get_context_data(self, **kwargs):
        text = self.request.GET.get("q", "")
        page = search_results.search(
            text, language=self.language, page=page_number(self.request)
        )
        if page.number > page.num_pages:
            raise Http404("No such page of results.")
        site = seo.Site.from_settings()
        return super().get_context_data(
            search=page,
            search_query=page.query.text,
            meta=seo.search_meta(
                query=page.query.text,
                path=self.request.get_full_path(),
                page_number=page.number,
                language=self.language,
                site=site,
                absolute_url=site.absolute_url,
            ),
            **kwargs,
        )

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # Also for crawlers that read headers only, and for any page type.
        response["X-Robots-Tag"] = "noindex"
        return response


def page_number(request):
    """The ?page= asked for: a positive number, else the first page."""
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def robots_txt(request):
    site = settings.SITE_URL.rstrip("/")
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in settings.ROBOTS_DISALLOW]
    lines += [
        "Allow: /",
        *settings.ROBOTS_EXTRA_LINES,
        "",
        f"Sitemap: {site}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    """
    The 500 page, or a 503 with Retry-After when the database is out of reach:
    a load balancer then retries, and the next request reconnects by itself.
    Under /wp-json/ the same answers are WordPress's JSON errors. It uses no
    context processors and no database: either may be what failed.
    """
    from articles.api import views as api_views
    from articles.api.serializers import API_ROOT

    in_api = request.path.startswith(API_ROOT)
    context = {"site_name": settings.SITE_NAME, "static_url": settings.STATIC_URL}
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        if in_api:
            response = api_views.failure_response(api_views.DATABASE_UNAVAILABLE)
        else:
            response = HttpResponse(
                loader.get_template("503.html").render(context), status=503
            )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if in_api:
        return api_views.failure_response(api_views.CRITICAL_ERROR)
    return HttpResponseServerError(loader.get_template("500.html").render(context))
