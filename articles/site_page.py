"""
What a site page (About, Contact, a policy) shows, in one place: for
readers and previews alike, as article_page.py does for articles.
"""

from __future__ import annotations

import dataclasses

from django.template.response import TemplateResponse
from django.utils import translation

from articles import preview, seo

TEMPLATE = "articles/page_detail.html"


def context(page, *, is_preview: bool) -> dict:
    """What the page template needs beyond the page itself."""
    site = seo.Site.from_settings()
    ancestors = page.ancestors()
    meta = seo.page_meta(
        page,
        ancestors=ancestors,
        site=site,
        absolute_url=site.absolute_url,
        translations=page.live_translations(),
    )
    if is_preview:
        meta = dataclasses.replace(meta, robots=preview.ROBOTS)
    children = page.children.published().order_by("menu_order", "title")
    return {
        "ancestors": ancestors,
        "children": list(children) if page.pk else [],
        "meta": meta,
        "preview": is_preview,
    }


def render_preview(request, page):
    """Render a page as readers will see it, as a preview (never cached, never indexed)."""
    with translation.override(page.language):
        response = TemplateResponse(
            request,
            TEMPLATE,
            {
                "page": page,
                "object": page,
                "page_language": page.language,
                **context(page, is_preview=True),
            },
        )
        response.render()
    return preview.mark(response)
