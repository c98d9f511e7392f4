from django.urls import path

from . import views

app_name = "datahub"
urlpatterns = [
    path("", views.register, name="register"),
    path("datasets/new/", views.dataset_create, name="dataset-create"),
    path("datasets/<int:dataset_id>/change/", views.dataset_change, name="dataset-change"),
    path("datasets/<int:dataset_id>/upload/", views.upload, name="upload"),
    path("uploads/<int:upload_id>/", views.upload_status, name="upload-status"),
    path("uploads/<int:upload_id>/problems.csv", views.upload_report, name="upload-report"),
    path("identification/", views.identification, name="identification"),
    path("identification/<uuid:household_id>/dismiss/", views.identification_dismiss, name="identification-dismiss"),
    path("links/review/", views.review_queue, name="review-queue"),
    path("links/review/<int:record_id>/", views.review, name="review"),
    path("links/partners-only/", views.partners_only, name="partners-only"),
    path("links/partners-only/<int:record_id>/person/", views.person_from_record, name="person-from-record"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("duplicates/find/", views.duplicates_find, name="duplicates-find"),
    path("duplicates/<int:pair_id>/not-the-same/", views.duplicate_not_same, name="duplicate-not-same"),
]
