from django.urls import path

from . import api

app_name = "documents-api"
urlpatterns = [
    path("families/<uuid:household_id>/", api.DocumentsApi.as_view(), name="household"),
    path("families/<uuid:household_id>/<uuid:document_id>/", api.DocumentDownloadApi.as_view(), name="download"),
]
