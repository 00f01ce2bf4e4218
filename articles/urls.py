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
    path("<lang:language>/<str:slug>/", views.CategoryView.as_view(), name="category"),
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
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
]
