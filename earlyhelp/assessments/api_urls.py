from django.urls import path

from . import api

FAMILY = "families/<uuid:household_id>/"
VERSION = f"{FAMILY}versions/<record_id:number>/"  # record_id: see earlyhelp.web.api.RecordIdConverter

app_name = "assessments-api"
urlpatterns = [
    path(FAMILY, api.AssessmentApi.as_view(), name="household"),
    path(f"{FAMILY}start/", api.AssessmentStartApi.as_view(), name="start"),
    path(VERSION, api.AssessmentVersionApi.as_view(), name="version"),
    path(f"{VERSION}submit/", api.AssessmentSubmitApi.as_view(), name="submit"),
    path(f"{VERSION}quality/", api.QualityAssuranceApi.as_view(), name="quality"),
]
