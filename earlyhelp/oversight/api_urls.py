from django.urls import path

from . import api

FAMILY = "families/<uuid:household_id>/"

app_name = "oversight-api"
urlpatterns = [
    path("caseload/", api.TeamCaseloadApi.as_view(), name="caseload"),
    path(f"{FAMILY}supervision/", api.SupervisionApi.as_view(), name="supervision"),
    path(f"{FAMILY}lead/", api.LeadChangeApi.as_view(), name="lead-change"),
    path(f"{FAMILY}transfer/", api.EpisodeTransferApi.as_view(), name="transfer"),
]
