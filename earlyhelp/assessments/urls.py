from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("<uuid:household_id>/", views.detail, name="detail"),
    path("<uuid:household_id>/start/", views.start, name="start"),
    path("<uuid:household_id>/versions/<int:number>/", views.version, name="version"),
    path("<uuid:household_id>/versions/<int:number>/edit/", views.edit, name="edit"),
    path("<uuid:household_id>/versions/<int:number>/needs/new/", views.need_add, name="need-add"),
    path(
        "<uuid:household_id>/versions/<int:number>/needs/<int:need_id>/remove/", views.need_remove, name="need-remove"
    ),
    path("<uuid:household_id>/versions/<int:number>/worries/new/", views.worry_add, name="worry-add"),
    path(
        "<uuid:household_id>/versions/<int:number>/worries/<int:worry_id>/remove/",
        views.worry_remove,
        name="worry-remove",
    ),
    path("<uuid:household_id>/versions/<int:number>/submit/", views.submit, name="submit"),
    path("<uuid:household_id>/versions/<int:number>/quality/", views.quality, name="quality"),
    path("<uuid:household_id>/versions/<int:number>/compare/<int:other>/", views.compare, name="compare"),
]
