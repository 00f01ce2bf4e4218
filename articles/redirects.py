"""
Redirects that never lose a visitor: automatic 301s when the URL of an
article (or other content) changes, the editors' own rules (301, 302, 410;
exact, with or without a query string, or prefix) and a log of the 404s
that nothing answers.

The middleware looks at the database only when a response is a 404, so a
normal page costs no extra query.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Sequence
from functools import reduce

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Model, Q, Value
from django.db.models.functions import Length, Substr
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone

from articles import control_characters
from articles.models import Article, NotFound, Page, Redirect
from articles.sanitize import safe_url

# WordPress's plain permalinks: every post and page answers at /?p=ID, and
# pages at /?page_id=ID too. Ids are unique across a WordPress site's types.
WORDPRESS_ID_PARAMETERS = ("p", "page_id")


def record_moves(moves: Sequence[tuple[Model, Iterable[str]]]) -> None:
    """
    Make each old path of each object (an article, a page) answer with a
    301 to it, once, in a few queries for all. A path that is the object's
    own address again loses its redirect, the object's redirects that
    pointed at an earlier address follow it (no chains), and a path that
    another object's redirect already claims is left to it.
    """
    wanted = {}
    for obj, old_paths in moves:
        new_path = obj.get_absolute_url()
        wanted[obj] = (
            new_path,
            {path[:1000] for path in old_paths if path and path != new_path},
        )
    if not wanted:
        return
    keys = {obj: (ContentType.objects.get_for_model(obj).pk, obj.pk) for obj in wanted}
    targets = {keys[obj]: new_path for obj, (new_path, _paths) in wanted.items()}
    followers = Redirect.objects.filter(
        reduce(
            operator.or_,
            (Q(content_type_id=ct, object_id=pk) for ct, pk in targets),
        )
    )
    moved = [
        redirect
        for redirect in followers
        if redirect.new_path != targets[(redirect.content_type_id, redirect.object_id)]
    ]
    for redirect in moved:
        redirect.new_path = targets[(redirect.content_type_id, redirect.object_id)]
    Redirect.objects.bulk_update(moved, ["new_path"])
    existing = {
        redirect.old_path: redirect
        for redirect in Redirect.objects.filter(
            old_path__in=[
                path
                for new_path, paths in wanted.values()
                for path in (*paths, new_path)
            ]
        )
    }
    # A redirect from an object's own address would hide it.
    looping = []
    for obj, (new_path, _paths) in wanted.items():
        redirect = existing.get(new_path)
        if redirect is not None and (
            redirect.content_type_id is None
            or (redirect.content_type_id, redirect.object_id) == keys[obj]
        ):
            looping.append(existing.pop(new_path).pk)
    if looping:
        Redirect.objects.filter(pk__in=looping).delete()
    claimed = set(existing)
    new_redirects = []
    for obj, (new_path, paths) in wanted.items():
        for path in sorted(paths - claimed):
            claimed.add(path)
            new_redirects.append(
                Redirect(
                    old_path=path,
                    new_path=new_path,
                    status_code=Redirect.Kind.PERMANENT,
                    target=obj,
                )
            )
    Redirect.objects.bulk_create(new_redirects)
    # bulk_create() sends no post_save, which clears the 404 log of a path a redirect now answers.
    NotFound.objects.filter(
        path__in=[redirect.old_path for redirect in new_redirects]
    ).delete()


@receiver(post_save, sender=Redirect, dispatch_uid="redirect-clears-404-log")
def forget_answered_not_found(sender, instance, **kwargs):
    """A path that a redirect now answers is no longer a broken link."""
    NotFound.objects.filter(path=instance.old_path).delete()


def find_redirect(path, *, full_path=None):
    """
    Return the rule for a request: an exact rule for its full path (with
    the query string, e.g. WordPress's /?p=9580), else for its path, else
    the longest prefix rule that covers the path.
    """
    candidates = [full_path, path] if full_path and full_path != path else [path]
    exact = {
        rule.old_path: rule for rule in Redirect.objects.filter(old_path__in=candidates)
    }
    for candidate in candidates:
        if candidate in exact:
            return exact[candidate], exact[candidate].new_path
    rule = (
        Redirect.objects.filter(is_prefix=True)
        .annotate(
            start=Substr(Value(path), 1, Length("old_path")),
        )
        .filter(start=F("old_path"))
        .order_by(Length("old_path").desc())
        .first()
    )
    if rule is None:
        return None, ""
    rest = path[len(rule.old_path) :]
    target = rule.new_path
    if target and rest:
        target = target.rstrip("/") + "/" + rest.lstrip("/")
    return rule, target


def is_junk(path):
    return any(re.search(pattern, path) for pattern in settings.NOT_FOUND_IGNORE)


# What a path that a person could have followed looks like: not longer than
# LINK_MAX_LENGTH, of the characters a URL path holds once decoded (letters
# of any script included; no "%", which only a second encoding leaves), with
# no dot segments. Anything else is a probe or a fuzzer, whose paths would
# crowd out the broken links that matter.
LINK_MAX_LENGTH = 300
_LINK_PATH = re.compile(r"/[\w\-.~!$&'()*+,;=:@/\u00a0-\U0010ffff]*")
_DOT_SEGMENT = re.compile(r"(^|/)\.\.?(/|$)")
_REPEATED_SLASHES = re.compile(r"/{2,}")


def normalised_link(path):
    """Return the path as it is logged, or "" when it does not look like a link."""
    path = _REPEATED_SLASHES.sub("/", path)
    if (
        len(path) > LINK_MAX_LENGTH
        or not _LINK_PATH.fullmatch(path)
        or _DOT_SEGMENT.search(path)
    ):
        return ""
    return path


def _log_referrer(request):
    """The page that linked here, kept only when it is an http(s) URL."""
    referrer = control_characters.remove(request.headers.get("referer", ""))[:1000]
    return referrer if safe_url(referrer) else ""


def log_not_found(request):
    """
    Count a visitor's missing path: one row per path with its hits, at
    most NOT_FOUND_MAX_ROWS rows. A new path beyond that evicts another
    row, the one hit least and seen longest ago, so a flood of made-up
    paths churns only one-off rows while the broken links people keep
    following stay, and a new link always gets its chance.
    """
    path = normalised_link(request.path)
    if not path or is_junk(path):
        return
    now = timezone.now()
    referrer = _log_referrer(request)
    changes = {"hits": F("hits") + 1, "last_seen_at": now}
    if referrer:
        changes["referrer"] = referrer
    if NotFound.objects.filter(path=path).update(**changes):
        return
    entry, created = NotFound.objects.get_or_create(
        path=path, defaults={"referrer": referrer, "last_seen_at": now}
    )
    if created:
        _evict_beyond(settings.NOT_FOUND_MAX_ROWS, keep=entry)


def _evict_beyond(limit, *, keep):
    excess = NotFound.objects.count() - limit
    if excess > 0:
        evicted = (
            NotFound.objects.exclude(pk=keep.pk)
            .order_by("hits", "last_seen_at", "pk")
            .values_list("pk", flat=True)[:excess]
        )
        NotFound.objects.filter(pk__in=list(evicted)).delete()


def answer(request):
    """The redirect (or 410) a rule gives this request, or None."""
    full_path = request.get_full_path()
    rule, target = find_redirect(request.path, full_path=full_path)
    if rule is None:
        return None
    Redirect.objects.filter(pk=rule.pk).update(
        hits=F("hits") + 1, last_hit_at=timezone.now()
    )
    if rule.status_code == Redirect.Kind.GONE:
        return render(request, "410.html", status=410)
    # A rule for the path alone passes the query on; one for the full path used it up.
    query = request.META.get("QUERY_STRING") if rule.old_path != full_path else ""
    if query:
        target += ("&" if "?" in target else "?") + query
    if rule.status_code == Redirect.Kind.TEMPORARY:
        return HttpResponseRedirect(target)
    return HttpResponsePermanentRedirect(target)


def wordpress_permalink(request):
    """A 301 from WordPress's /?p=9580 to the published content imported with that id, or None."""
    for name in WORDPRESS_ID_PARAMETERS:
        value = request.GET.get(name, "")
        if not (value.isascii() and value.isdigit() and len(value) <= 18):
            continue
        wordpress_id = int(value)
        content = (
            Article.objects.published()
            .select_related("primary_category")
            .filter(wordpress_id=wordpress_id)
            .first()
            or Page.objects.published().filter(wordpress_id=wordpress_id).first()
        )
        if content is not None:
            return HttpResponsePermanentRedirect(content.get_absolute_url())
    return None


class RedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        redirect = answer(request)
        if redirect is None:
            log_not_found(request)
            return response
        return redirect
