"""
Redirects that never lose a visitor: automatic 301s when an article's URL
changes, the editors' own rules (301, 302, 410; exact or prefix) and a log of
the 404s that nothing answers.

The middleware looks at the database only when a response is a 404, so a
normal page costs no extra query.
"""

import re

from django.conf import settings
from django.db.models import F, Value
from django.db.models.functions import Length, Substr
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone

from articles import control_characters
from articles.models import Article, Category, NotFound, Redirect
from articles.sanitize import safe_url


def follow_moved_article(article):
    """
    Leave a 301 from the URL a published article was loaded with to its new
    one; point older redirects at the new URL (no chains) and drop any
    redirect from the new URL (no loops).
    """
    old = getattr(article, "_loaded_url_parts", None)
    new_path = article.get_absolute_url()
    if old is not None and old["slug"] is not None:
        moved = (old["language"], old["slug"], old["primary_category_id"]) != (
            article.language,
            article.slug,
            article.primary_category_id,
        )
        was_public = (
            old["status"]
            in (
                Article.Status.PUBLISHED,
                Article.Status.SCHEDULED,
            )
            and old["published_at"] <= timezone.now()
        )
        if moved and was_public:
            category_slug = (
                Category.objects.filter(pk=old["primary_category_id"])
                .values_list("slug", flat=True)
                .first()
            )
            if category_slug is not None:
                old_path = f"/{old['language']}/{category_slug}/{old['slug']}/"
                Redirect.objects.filter(old_path=new_path).delete()
                Redirect.objects.filter(new_path=old_path).update(new_path=new_path)
                Redirect.objects.update_or_create(
                    old_path=old_path,
                    defaults={
                        "new_path": new_path,
                        "status_code": Redirect.Kind.PERMANENT,
                        "is_prefix": False,
                        "article": article,
                    },
                )
    article._loaded_url_parts = {
        "language": article.language,
        "slug": article.slug,
        "primary_category_id": article.primary_category_id,
        "status": article.status,
        "published_at": article.published_at,
    }


@receiver(post_save, sender=Redirect, dispatch_uid="redirect-clears-404-log")
def forget_answered_not_found(sender, instance, **kwargs):
    """A path that a redirect now answers is no longer a broken link."""
    NotFound.objects.filter(path=instance.old_path).delete()


def find_redirect(path):
    """Return the exact rule for path, else the longest prefix rule that covers it."""
    exact = Redirect.objects.filter(old_path=path).first()
    if exact is not None:
        return exact, exact.new_path
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


class RedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        rule, target = find_redirect(request.path)
        if rule is None:
            log_not_found(request)
            return response
        Redirect.objects.filter(pk=rule.pk).update(
            hits=F("hits") + 1, last_hit_at=timezone.now()
        )
        if rule.status_code == Redirect.Kind.GONE:
            return render(request, "410.html", status=410)
        if request.META.get("QUERY_STRING"):
            target += ("&" if "?" in target else "?") + request.META["QUERY_STRING"]
        if rule.status_code == Redirect.Kind.TEMPORARY:
            return HttpResponseRedirect(target)
        return HttpResponsePermanentRedirect(target)
