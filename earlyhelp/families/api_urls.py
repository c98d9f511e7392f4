from django.urls import path

from . import api

app_name = "families-api"
urlpatterns = [
    path("people/", api.PersonSearchApi.as_view(), name="person-search"),
    path("people/<uuid:person_id>/", api.PersonDetailApi.as_view(), name="person"),
    path("households/<uuid:household_id>/", api.HouseholdDetailApi.as_view(), name="household"),
    path("known-check/", api.KnownCheckApi.as_view(), name="known-check"),
]
