"""Staff pages of the directory, under /directory/."""

from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.staff_home, name="home"),
    path("listings/new/", views.listing_create, name="listing-create"),
    path("listings/<uuid:service_id>/", views.listing_detail, name="listing"),
    path("listings/<uuid:service_id>/edit/", views.listing_edit, name="listing-edit"),
    path("listings/<uuid:service_id>/submit/", views.listing_submit, name="listing-submit"),
    path("listings/<uuid:service_id>/confirm/", views.listing_confirm, name="listing-confirm"),
    path("listings/<uuid:service_id>/review/", views.listing_review, name="listing-review"),
    path("review/", views.review_queue, name="review-queue"),
    path("stale/", views.stale_list, name="stale"),
    path("coverage/export/", views.coverage_export, name="coverage-export"),
]
