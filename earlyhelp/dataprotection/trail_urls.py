from django.urls import path

from . import trail_views as views

app_name = "audit"
urlpatterns = [
    path("", views.search, name="search"),
    path("people/<uuid:person_id>/", views.person_trail, name="person"),
    path("people/<uuid:person_id>/export.csv", views.person_trail_export, name="person-export"),
]
