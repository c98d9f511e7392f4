"""The Family Information Service: public pages under /find-help/, no sign-in."""

from django.urls import path

from . import views

app_name = "find-help"
urlpatterns = [
    path("", views.public_home, name="home"),
    path("services/", views.public_search, name="search"),
    path("services/<uuid:service_id>/", views.public_service, name="service"),
    path("how-to-get-help/<slug:topic>/", views.public_guide, name="guide"),
]
