from django.urls import path, register_converter

from articles import feeds, views


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
    path("", views.HomeView.as_view(), name="home"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="atom_feed"),
    path("tag/<str:slug>/", views.TagView.as_view(), name="tag"),
    path("tag/<str:slug>/feed/", feeds.TagFeed(), name="tag_feed"),
    path(
        "tag/<str:slug>/feed/atom/",
        feeds.TagAtomFeed(),
        name="tag_atom_feed",
    ),
    path("author/<str:slug>/", views.AuthorView.as_view(), name="author"),
    # Before the category URL: "search" is a reserved slug.
    path("search/", views.SearchView.as_view(), name="search"),
    path("<str:slug>/", views.category_or_page, name="category"),
    # Before the article URL: "feed" is a reserved slug.
    path("<str:slug>/feed/", feeds.CategoryFeed(), name="category_feed"),
    path(
        "<str:slug>/feed/atom/",
        feeds.CategoryAtomFeed(),
        name="category_atom_feed",
    ),
    path(
        "<str:category>/<str:slug>/",
        views.article_or_page,
        name="detail",
    ),
    # Pages deeper down: /en/about-us/team/contact/.
    path("<pagepath:path>/", views.PageDetailView.as_view(), name="page"),
]
