from django.urls import path

from . import views

app_name = "dataprotection"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("break-glass/", views.break_glass, name="break-glass"),
    path("alerts/<int:alert_id>/dismiss/", views.alert_dismiss, name="alert-dismiss"),
    path("people/<uuid:person_id>/", views.subject_access, name="subject-access"),
    path("people/<uuid:person_id>/subject-access.json", views.subject_access_json, name="subject-access-json"),
    path("people/<uuid:person_id>/subject-access.pdf", views.subject_access_pdf, name="subject-access-pdf"),
]
