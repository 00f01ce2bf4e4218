"""
What the article page shows, in one place: the reader's view and the
previews (staff, shared links and the admin's unsaved preview) render
through the same context and template, a preview with its own headers.
"""

from __future__ import annotations

import dataclasses

from django.template.response import TemplateResponse
from django.utils import translation

from articles import preview, seo
from articles.related import related_articles

TEMPLATE = "articles/article_detail.html"


def context(article, *, is_preview: bool) -> dict:
    """What the article template needs beyond the article itself."""
    site = seo.Site.from_settings()
    meta = seo.article_meta(article, site=site, absolute_url=site.absolute_url)
    if is_preview:
        meta = dataclasses.replace(meta, robots=preview.ROBOTS)
    return {
        "related_articles": related_articles(article),
        "meta": meta,
        "preview": is_preview,
    }


def render_preview(request, article):
    """Render an article as readers will see it, as a preview (never cached, never indexed)."""
    with translation.override(article.language):
        response = TemplateResponse(
            request,
            TEMPLATE,
            {
                "article": article,
                "object": article,
                "page_language": article.language,
                **context(article, is_preview=True),
            },
        )
        response.render()
    return preview.mark(response)
