from django.urls import path

from . import api

app_name = "assessments-api"
urlpatterns = [
    path("families/<uuid:household_id>/", api.VersionsApi.as_view(), name="household"),
    path("families/<uuid:household_id>/start/", api.StartApi.as_view(), name="start"),
    path("families/<uuid:household_id>/versions/<record_id:number>/", api.VersionDetailApi.as_view(), name="version"),
    path("families/<uuid:household_id>/versions/<record_id:number>/submit/", api.SubmitApi.as_view(), name="submit"),
    path("families/<uuid:household_id>/versions/<record_id:number>/quality/", api.QualityApi.as_view(), name="quality"),
]
