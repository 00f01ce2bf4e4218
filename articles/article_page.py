"""
What the article page shows, in one place: the reader's view and the
previews (staff, shared links and the admin's unsaved preview) render
through the same context and templates, a preview with its own headers.

A published article's whole page, the head (meta, JSON-LD), the article
(body with its pictures, contents, FAQ, references, related articles) and
the site's frame around it, only changes when content changes: it is
rendered once per content version and kept (articles/rendered.py), from a
context that holds nothing of the request, so that it is the same for
everyone by construction. A request then costs the lookup that says the
article is live at this address, and the kept HTML.
"""

from __future__ import annotations

import dataclasses

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.safestring import mark_safe

from articles import context_processors, preview, rendered, seo
from articles.models import Article
from articles.related import related_articles

TEMPLATE = "articles/article_detail.html"


def context(article, *, is_preview: bool) -> dict:
    """What the article's templates need beyond the article itself."""
    site = seo.Site.from_settings()
    meta = seo.article_meta(article, site=site, absolute_url=site.absolute_url)
    if is_preview:
        meta = dataclasses.replace(meta, robots=preview.ROBOTS)
    return {
        "article": article,
        "related_articles": related_articles(article),
        "meta": meta,
        "preview": is_preview,
    }


def fragments(article, *, is_preview: bool) -> dict:
    """The article's head and body as HTML, from an article with its parts prefetched."""
    parts = context(article, is_preview=is_preview)
    return {
        "head": mark_safe(render_to_string("includes/seo_head.html", parts)),
        "main": mark_safe(render_to_string("includes/article_main.html", parts)),
    }


def live_at_address(language: str, slug: str) -> Article | None:
    """
    The published article of that language and slug (only what finds it and
    its address), looked up once per content version: the version moves
    whenever an article goes live or stops being live, so the answer kept
    is exact.
    """
    return rendered.once(
        f"article-address:{language}:{slug}",
        lambda: (
            Article.objects.filter(language=language, slug=slug)
            .published()
            .select_related("primary_category")
            .only("pk", "language", "slug", "wordpress_id", "primary_category__slug")
            .first()
        ),
    )


def published_page(pk: int) -> HttpResponse:
    """A published article's page, rendered once per content version."""

    def render() -> str:
        article = Article.objects.for_detail().get(pk=pk)
        with translation.override(article.language):
            return render_to_string(
                TEMPLATE,
                {
                    **context_processors.site(None),
                    "object": article,
                    "page_language": article.language,
                    "fragments": fragments(article, is_preview=False),
                },
            )

    return HttpResponse(rendered.once(f"article:{pk}", render))


def render_preview(request, article):
    """Render an article as readers will see it, as a preview (never cached, never indexed)."""
    with translation.override(article.language):
        response = TemplateResponse(
            request,
            TEMPLATE,
            {
                "object": article,
                "page_language": article.language,
                "fragments": fragments(article, is_preview=True),
            },
        )
        response.render()
    return preview.mark(response)
