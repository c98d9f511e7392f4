from django.urls import path

from . import api

app_name = "notes-api"
urlpatterns = [
    path("families/<uuid:household_id>/", api.CaseNotesApi.as_view(), name="household"),
]
