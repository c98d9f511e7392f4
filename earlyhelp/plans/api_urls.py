from django.urls import path

from . import api

app_name = "plans-api"
urlpatterns = [
    path("families/<uuid:household_id>/", api.PlansApi.as_view(), name="household"),
    path("families/<uuid:household_id>/<uuid:plan_id>/", api.PlanDetailApi.as_view(), name="plan"),
    path("families/<uuid:household_id>/<uuid:plan_id>/actions/", api.ActionsApi.as_view(), name="actions"),
    path(
        "families/<uuid:household_id>/<uuid:plan_id>/actions/<record_id:action_id>/status/",
        api.ActionStatusApi.as_view(),
        name="action-status",
    ),
    path("families/<uuid:household_id>/<uuid:plan_id>/meetings/", api.MeetingsApi.as_view(), name="meetings"),
]
