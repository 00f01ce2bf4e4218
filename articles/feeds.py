"""
RSS 2.0 and Atom feeds of the latest published articles: the whole site, a
category or a tag. Each item carries its featured image as media:content
(Media RSS), which feed readers show as the item's picture.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext as _

from articles import languages, richtext, site_settings, timestamps
from articles.models import Article, Category, Tag


@dataclass(frozen=True)
class Subject:
    """What a feed is about. Feeds are shared between requests, so they keep no state."""

    language: str
    path: str
    archive: Category | Tag | None = None


MEDIA_NAMESPACE = "http://search.yahoo.com/mrss/"
FEED_LENGTH = 30


def text(value):
    """
    Return a name or title without tags, as WordPress's feeds do: RSS readers
    disagree on whether <title> is text or HTML, and a title without tags
    is safe either way.
    """
    return strip_tags(value or "")


class MediaMixin:
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NAMESPACE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        image = item.get("media_content")
        if image:
            handler.addQuickElement("media:content", "", image)


class MediaRssFeed(MediaMixin, Rss201rev2Feed):
    pass


class MediaAtomFeed(MediaMixin, Atom1Feed):
    pass


class LatestArticlesFeed(Feed):
    feed_type = MediaRssFeed

    def get_object(self, request):
        return Subject(translation.get_language(), request.path)

    def title(self, obj):
        return site_settings.current().name

    def link(self, obj):
        return self._absolute(languages.reverse_in(obj.language, "articles:home"))

    def description(self, obj):
        return _("The latest articles from %(site)s.") % {
            "site": site_settings.current().name
        }

    def feed_url(self, obj):
        return self._absolute(obj.path)

    def articles(self, obj):
        return Article.objects.published().filter(language=obj.language)

    def items(self, obj):
        return (
            self.articles(obj)
            .select_related("primary_category", "featured_image", "author")
            .prefetch_related("tags", "featured_image__renditions")
            .defer("body", "wordpress_extra")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return text(item.title)

    def item_description(self, item):
        # Readers show a description as HTML, so its plain text is escaped once.
        return escape(richtext.plain_text(item.meta_description or item.excerpt))

    def item_link(self, item):
        return self._absolute(item.get_absolute_url())

    def item_pubdate(self, item):
        return timestamps.whole_seconds(item.published_at)

    def item_updateddate(self, item):
        return timestamps.whole_seconds(item.updated_at)

    def item_author_name(self, item):
        return text(item.author.display_name) if item.author_id else None

    def item_categories(self, item):
        return [
            text(item.primary_category.name_in(item.language)),
            *(text(tag.name) for tag in item.tags.all()),
        ]

    def item_extra_kwargs(self, item):
        image = item.featured_image
        url, width, height = image.shared_copy() if image else ("", None, None)
        if not url:
            return {}
        attributes = {"url": self._absolute(url), "medium": "image"}
        if width and height:
            attributes |= {"width": str(width), "height": str(height)}
        return {"media_content": attributes}

    @staticmethod
    def _absolute(url):
        return url if "://" in url else settings.SITE_URL.rstrip("/") + url


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = MediaAtomFeed
    subtitle = LatestArticlesFeed.description


class CategoryFeed(LatestArticlesFeed):
    model = Category

    def get_object(self, request, slug):
        language = translation.get_language()
        archive = Category.at_slug(slug, language)
        if archive is None:
            raise Http404
        return Subject(language, request.path, archive)

    def title(self, obj):
        return f"{text(archive_name(obj))} – {site_settings.current().name}"

    def link(self, obj):
        return self._absolute(obj.archive.get_absolute_url(obj.language))

    def description(self, obj):
        return text(
            obj.archive.description
            or _("The latest articles about %(subject)s.")
            % {"subject": archive_name(obj)}
        )

    def articles(self, obj):
        return super().articles(obj).filter(categories=obj.archive)


def archive_name(subject):
    """A category's name in the feed's language; a tag's own name."""
    archive = subject.archive
    return (
        archive.name_in(subject.language)
        if isinstance(archive, Category)
        else archive.name
    )


class CategoryAtomFeed(CategoryFeed):
    feed_type = MediaAtomFeed
    subtitle = CategoryFeed.description


class TagFeed(CategoryFeed):
    model = Tag

    def get_object(self, request, slug):
        archive = get_object_or_404(self.model, slug=slug)
        return Subject(translation.get_language(), request.path, archive)

    def description(self, obj):
        return _("The latest articles tagged “%(tag)s”.") % {
            "tag": text(obj.archive.name)
        }

    def articles(self, obj):
        return LatestArticlesFeed.articles(self, obj).filter(tags=obj.archive)


class TagAtomFeed(TagFeed):
    feed_type = MediaAtomFeed
    subtitle = TagFeed.description
