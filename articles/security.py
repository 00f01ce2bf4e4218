"""
Security headers that Django's SecurityMiddleware does not set: a Content
Security Policy and a Permissions Policy.
"""

import secrets
from urllib.parse import urlsplit

from django.urls import reverse

from articles.richtext import PLAYER_URLS

# The click-to-load players (static/js/video-embed.js) are the only frames a
# page shows: their origins, taken from the URLs the page builds.
VIDEO_PLAYER_ORIGINS = sorted(
    {f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" for url in PLAYER_URLS.values()}
)
# Reader pages run no inline script and load nothing from other origins but
# images (imported articles may still show their remote pictures) and, once
# the reader clicks, a video player. Style
# attributes are allowed (a lazy image's placeholder background), <style>
# elements are not; the sanitizer keeps style attributes out of content.
READER_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data: https:",
        "font-src 'self'",
        "connect-src 'self'",
        f"frame-src {' '.join(VIDEO_PLAYER_ORIGINS)}",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# The admin runs one inline script, the editor's import map, which carries
# the request's nonce (templates/admin/change_form.html); any other inline
# script, such as one smuggled into a form, is refused. The editor and the
# thumbnails set inline styles.
ADMIN_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'nonce-{nonce}'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: https:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        in_admin = request.path.startswith(reverse("admin:index"))
        if in_admin:
            # A new one for every response, so a page seen once says nothing
            # about the next (templatetags/csp.py puts it on the tags).
            request.csp_nonce = secrets.token_urlsafe(18)
        response = self.get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy",
            ADMIN_POLICY.format(nonce=request.csp_nonce) if in_admin else READER_POLICY,
        )
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
