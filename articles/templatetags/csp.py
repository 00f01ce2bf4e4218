"""
The request's Content-Security-Policy nonce (articles/security.py) on the
tags of form media, so that the admin's one inline script, the editor's
import map, may run where no other inline script may.
"""

from django import template
from js_asset import Media

register = template.Library()


@register.simple_tag(takes_context=True)
def media_with_nonce(context, media):
    """Render form media, import map included, with this request's nonce."""
    nonce = getattr(context.get("request"), "csp_nonce", "")
    return Media.from_media(media, nonce=nonce).render()
