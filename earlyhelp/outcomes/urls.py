from django.urls import path

from . import views

app_name = "outcomes"
urlpatterns = [
    path("", views.claims, name="claims"),
    path("near-misses/", views.near_misses, name="near-misses"),
    path("families/<uuid:household_id>/prepare/", views.claim_prepare, name="prepare"),
    path("<int:claim_id>/sign-off/", views.claim_sign_off, name="sign-off"),
    path("<int:claim_id>/submit/", views.claim_submit, name="submit"),
    path("progress-return/", views.progress_return, name="progress-return"),
    path("progress-return.csv", views.progress_return_csv, name="progress-return-csv"),
]
