"""
Previews: an article as readers will see it, before they can. Staff open it
at its own URL with ?preview=1; anyone may open it with ?preview=<signed
token>, a link that shows this one article and expires. Previews are never
cached and never indexed, and they leave published() untouched.

A shared link names the article's preview key, so that it dies when the key
changes: when the article goes to the trash, stops being live or moves to
another address (see links_outlived()), or when an editor revokes its links.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.utils.cache import add_never_cache_headers

from articles.models import PublicationStatus
from articles.roles import can_edit_others, can_publish

PARAMETER = "preview"
ROBOTS = "noindex, nofollow"


class LinkExpired(Exception):
    """A shared preview link that was genuine but is too old."""


def _signer(model) -> signing.TimestampSigner:
    # One salt per kind of content: a page's link never opens an article.
    return signing.TimestampSigner(salt=f"articles.preview.{model._meta.model_name}")


def max_age_days() -> float:
    return round(settings.PREVIEW_LINK_MAX_AGE / 86400, 1)


def links_outlived(stored, obj) -> bool:
    """
    Whether a change ends the shared links of content: it went to the
    trash, stopped being live, or moved to another address.
    """
    return (
        obj.status == PublicationStatus.TRASH
        or (stored.live and obj.status not in PublicationStatus.live())
        or stored.path != obj.get_absolute_url()
    )


def token_for(obj) -> str:
    return _signer(type(obj)).sign(f"{obj.pk}:{obj.preview_key}")


def share_url(obj) -> str:
    """An absolute link that shows the content to anyone until it expires."""
    base = settings.SITE_URL.rstrip("/")
    return f"{base}{obj.get_absolute_url()}?{PARAMETER}={token_for(obj)}"


def staff_url(obj) -> str:
    return f"{obj.get_absolute_url()}?{PARAMETER}=1"


def granted(token: str, *, model) -> tuple[int, str] | None:
    """
    The content (id, preview key) a token grants, None if it is not a
    genuine token; LinkExpired if it is too old.
    """
    try:
        value = _signer(model).unsign(token, max_age=settings.PREVIEW_LINK_MAX_AGE)
    except signing.SignatureExpired as error:
        raise LinkExpired from error
    except (signing.BadSignature, ValueError, OverflowError):
        # ValueError, OverflowError: a genuine signature over a timestamp
        # that is no number or too large for one, made by nobody but a forger
        # with the key; a 404 all the same.
        return None
    pk, _sep, key = value.partition(":")
    if not (pk.isascii() and pk.isdigit() and key):
        return None
    return int(pk), key


def may_preview_any(user) -> bool:
    return (
        user.is_active
        and user.is_staff
        and (can_edit_others(user) or can_publish(user))
    )


def previewable(queryset, request):
    """
    Narrow queryset (articles or pages) to what this preview request may
    show, or return None when the request grants no preview (then readers'
    rules apply).
    """
    token = request.GET.get(PARAMETER)
    if not token:
        return None
    grant = granted(token, model=queryset.model) if token != "1" else None
    if grant is not None:
        pk, key = grant
        return queryset.filter(pk=pk, preview_key=key)
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return None
    if may_preview_any(user):
        return queryset
    if not hasattr(queryset.model, "author"):
        return queryset.published()
    return queryset.filter(Q(author__user=user) | Q(pk__in=queryset.published()))


def mark(response):
    """A preview must not be cached by anyone or indexed by search engines."""
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = ROBOTS
    return response
