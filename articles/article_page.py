"""
What the article page shows, in one place: the reader's view and the
previews (staff, shared links and the admin's unsaved preview) render
through the same context and templates, a preview with its own headers.

What only changes when content changes, the head (meta, JSON-LD) and the
article itself (body with its pictures, contents, FAQ, references, related
articles), is rendered once per content version and kept
(articles/rendered.py); a request then costs the lookup of the article and
the page's frame.
"""

from __future__ import annotations

import dataclasses

from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.safestring import mark_safe

from articles import preview, rendered, seo
from articles.models import Article
from articles.related import related_articles

TEMPLATE = "articles/article_detail.html"


def context(article, *, is_preview: bool) -> dict:
    """What the article's templates need beyond the article itself."""
    site = seo.Site.from_settings()
    meta = seo.article_meta(
        article,
        site=site,
        absolute_url=site.absolute_url,
        translations=article.live_translations(),
    )
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
        # The language switcher of the page's frame links to them.
        "alternates": parts["meta"].alternates,
    }


def published_fragments(pk: int) -> dict:
    """A published article's fragments, rendered once per content version."""
    return rendered.once(
        f"article:{pk}",
        lambda: fragments(Article.objects.for_detail().get(pk=pk), is_preview=False),
    )


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
