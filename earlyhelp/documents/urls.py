from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("<uuid:household_id>/", views.household_documents, name="household"),
    path("<uuid:household_id>/<uuid:document_id>/", views.download, name="download"),
]
