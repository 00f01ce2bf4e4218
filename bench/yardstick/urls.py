from django.urls import path

from bench.yardstick import views

urlpatterns = [path("page/", views.page)]
