"""
The old site's feed addresses, which feed readers keep polling after the
move: /feed/ (and its /rss2/, /rss/, /rdf/ and /atom/ forms),
/category/<slug>/feed/ and /tag/<slug>/feed/ answer with a 301 to the
same feed here, in the site's default language. /comments/feed/ answers 410
Gone: the site has no comments, and a 301 to the articles would fill a
comments subscription with articles, where a 410 tells the reader to drop it.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import re_path

from articles import languages
from articles.models import Category, Tag

# WordPress's feed types: all but atom are RSS here.
_KIND = r"(?:(?P<kind>rss2|rss|rdf|atom)/)?"


def site_feed(request, kind=None):
    name = "articles:atom_feed" if kind == "atom" else "articles:feed"
    return HttpResponsePermanentRedirect(
        languages.reverse_in(settings.LANGUAGE_CODE, name)
    )


def category_feed(request, path, kind=None):
    # A child category's address names its parents: /category/health/back/feed/.
    category = get_object_or_404(Category, slug=path.rsplit("/", 1)[-1])
    return _term_feed("category", category.slug, kind=kind)


def tag_feed(request, slug, kind=None):
    tag = get_object_or_404(Tag, slug=slug)
    return _term_feed("tag", tag.slug, kind=kind)


def comments_feed(request, kind=None):
    return render(request, "410.html", status=410)


def _term_feed(taxonomy, slug, *, kind):
    name = (
        f"articles:{taxonomy}_atom_feed"
        if kind == "atom"
        else f"articles:{taxonomy}_feed"
    )
    return HttpResponsePermanentRedirect(
        languages.reverse_in(settings.LANGUAGE_CODE, name, kwargs={"slug": slug})
    )


urlpatterns = [
    re_path(rf"^feed/{_KIND}$", site_feed),
    re_path(rf"^comments/feed/{_KIND}$", comments_feed),
    re_path(rf"^category/(?P<path>[^?#]+?)/feed/{_KIND}$", category_feed),
    re_path(rf"^tag/(?P<slug>[^/]+)/feed/{_KIND}$", tag_feed),
]
