from django.urls import path, re_path

from articles.api import views

app_name = "wp_api"
urlpatterns = [
    path("", views.index, name="index"),
    re_path(r"^wp/v2/?$", views.namespace_index, name="namespace"),
    *views.urls(),
    re_path(r"^(?P<rest>.*)$", views.no_route, name="no-route"),
]
