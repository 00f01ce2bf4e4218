from django.urls import path, re_path

from articles.api import views

app_name = "wp_api"
urlpatterns = [
    path("", views.index, name="index"),
    re_path(r"^wp/v2/?$", views.namespace_index, name="namespace"),
    re_path(r"^wp/v2/(?P<route>posts)/?$", views.post_list, name="posts"),
    re_path(r"^wp/v2/(?P<route>posts)/(?P<pk>\d+)/?$", views.post_detail, name="post"),
    re_path(r"^wp/v2/(?P<route>categories|tags)/?$", views.term_list, name="terms"),
    re_path(
        r"^wp/v2/(?P<route>categories|tags)/(?P<pk>\d+)/?$",
        views.term_detail,
        name="term",
    ),
    re_path(r"^wp/v2/(?P<route>media)/?$", views.media_list, name="media"),
    re_path(
        r"^wp/v2/(?P<route>media)/(?P<pk>\d+)/?$", views.media_detail, name="medium"
    ),
    re_path(r"^wp/v2/(?P<route>users)/?$", views.user_list, name="users"),
    re_path(r"^wp/v2/(?P<route>users)/(?P<pk>\d+)/?$", views.user_detail, name="user"),
    re_path(r"^(?P<rest>.*)$", views.no_route, name="no-route"),
]
