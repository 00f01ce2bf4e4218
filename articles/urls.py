from django.urls import path, register_converter

from articles import feeds, views


class LanguageConverter:
    regex = "[a-z]{2}"

    def to_python(self, value):
        from django.conf import settings

        if value not in dict(settings.LANGUAGES):
            raise ValueError(value)
        return value

    def to_url(self, value):
        return value


register_converter(LanguageConverter, "lang")


class PagePathConverter:
    """The slugs of a page under its parents, e.g. about-us/team: slug segments only."""

    regex = r"[-\w]+(?:/[-\w]+)*"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(PagePathConverter, "pagepath")

app_name = "articles"
urlpatterns = [
    path("", views.root, name="root"),
    path("<lang:language>/", views.HomeView.as_view(), name="home"),
    path("<lang:language>/feed/", feeds.LatestArticlesFeed(), name="feed"),
    path(
        "<lang:language>/feed/atom/", feeds.LatestArticlesAtomFeed(), name="atom_feed"
    ),
    path("<lang:language>/tag/<str:slug>/", views.TagView.as_view(), name="tag"),
    path("<lang:language>/tag/<str:slug>/feed/", feeds.TagFeed(), name="tag_feed"),
    path(
        "<lang:language>/tag/<str:slug>/feed/atom/",
        feeds.TagAtomFeed(),
        name="tag_atom_feed",
    ),
    path(
        "<lang:language>/author/<str:slug>/", views.AuthorView.as_view(), name="author"
    ),
    # Before the category URL: "search" is a reserved slug.
    path("<lang:language>/search/", views.SearchView.as_view(), name="search"),
    path("<lang:language>/<str:slug>/", views.category_or_page, name="category"),
    # Before the article URL: "feed" is a reserved slug.
    path(
        "<lang:language>/<str:slug>/feed/", feeds.CategoryFeed(), name="category_feed"
    ),
    path(
        "<lang:language>/<str:slug>/feed/atom/",
        feeds.CategoryAtomFeed(),
        name="category_atom_feed",
    ),
    path(
        "<lang:language>/<str:category>/<str:slug>/",
        views.article_or_page,
        name="detail",
    ),
    # Pages deeper down: /en/about-us/team/contact/.
    path(
        "<lang:language>/<pagepath:path>/", views.PageDetailView.as_view(), name="page"
    ),
]
