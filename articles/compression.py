"""
Brotli or gzip for HTML, JSON and XML responses, whichever the client
prefers (Brotli when it takes both), safe against BREACH: a compressed
response's length can leak a secret that it carries next to text an
attacker controls, so a response that carries a CSRF token, sets a session
or CSRF cookie, or depends on the session of the request is sent as it is.
Readers' pages, feeds, sitemaps and the API carry no secret: they are
compressed. Static files are whitenoise's, compressed once at collectstatic.
"""

from __future__ import annotations

import re

import brotli
from django.conf import settings
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_sequence, compress_string

COMPRESSIBLE_TYPES = re.compile(
    r"^(text/html|text/plain|application/json|application/(\w+\+)?xml|text/xml)\b"
)
# Shorter responses gain nothing (Django's GZipMiddleware says the same).
MIN_LENGTH = 200
# Quality 5: some 7 % smaller than gzip's level 6 on an article page for
# about the same CPU time; 11, Brotli's best, takes a hundred times longer.
BROTLI_QUALITY = 5
# Django's mitigation ("Heal the BREACH"): a random-length name in the gzip header.
GZIP_MAX_RANDOM_BYTES = 100
ENCODING = re.compile(r"\s*([\w*-]+)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*")


class CompressionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not compressible(response) or carries_a_secret(request, response):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        encoding = preferred_encoding(request.headers.get("Accept-Encoding", ""))
        if encoding is None:
            return response
        if response.streaming:
            response.streaming_content = _STREAM_COMPRESSORS[encoding](
                response.streaming_content
            )
            del response.headers["Content-Length"]
        else:
            compressed = _COMPRESSORS[encoding](response.content)
            if len(compressed) >= len(response.content):
                return response
            response.content = compressed
            response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            # The compressed bytes differ: a strong validator becomes weak (RFC 9110 8.8.1).
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = encoding
        return response


def compressible(response) -> bool:
    if response.has_header("Content-Encoding") or getattr(response, "is_async", False):
        return False
    if not COMPRESSIBLE_TYPES.match(response.get("Content-Type", "")):
        return False
    return response.streaming or len(response.content) >= MIN_LENGTH


def carries_a_secret(request, response) -> bool:
    """Whether the response holds, sets or depends on something secret to this client."""
    secret_cookies = {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return True  # get_token() ran: the page holds a CSRF token.
    if secret_cookies & set(response.cookies):
        return True
    varies_on_cookie = "cookie" in response.get("Vary", "").lower()
    return varies_on_cookie and bool(secret_cookies & set(request.COOKIES))


def preferred_encoding(accept_encoding: str) -> str | None:
    """ "br" or "gzip" as Accept-Encoding allows (q=0 refuses), Brotli first; None for neither."""
    weights = {}
    for part in accept_encoding.lower().split(","):
        match = ENCODING.fullmatch(part)
        if match:
            name, q = match.groups()
            weights[name] = _weight(q)
    for name in ("br", "gzip"):
        if weights.get(name, weights.get("*", 0)) > 0:
            return name
    return None


def _weight(q: str | None) -> float:
    try:
        return 1.0 if q is None else float(q)
    except ValueError:
        return 0.0


def _brotli_sequence(chunks):
    compressor = brotli.Compressor(quality=BROTLI_QUALITY)
    for chunk in chunks:
        if output := compressor.process(chunk):
            yield output
    yield compressor.finish()


_COMPRESSORS = {
    "br": lambda content: brotli.compress(content, quality=BROTLI_QUALITY),
    "gzip": lambda content: compress_string(
        content, max_random_bytes=GZIP_MAX_RANDOM_BYTES
    ),
}
_STREAM_COMPRESSORS = {
    "br": _brotli_sequence,
    "gzip": lambda chunks: compress_sequence(
        chunks, max_random_bytes=GZIP_MAX_RANDOM_BYTES
    ),
}
