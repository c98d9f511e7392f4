from django.urls import path

from . import api

app_name = "journey-api"
urlpatterns = [
    path("requests/", api.RequestListApi.as_view(), name="requests"),
    path("requests/<uuid:request_id>/", api.RequestDetailApi.as_view(), name="request"),
    path("requests/<uuid:request_id>/triage/", api.RequestTriageApi.as_view(), name="request-triage"),
    path("indicators/", api.IndicatorApi.as_view(), name="indicators"),
    path("families/<uuid:household_id>/", api.JourneyApi.as_view(), name="household"),
    path("families/<uuid:household_id>/chronology/", api.ChronologyApi.as_view(), name="chronology"),
    path("families/<uuid:household_id>/levels/", api.LevelApi.as_view(), name="levels"),
    path("families/<uuid:household_id>/step-down/", api.StepDownCreateApi.as_view(), name="step-down-new"),
    path("episodes/<uuid:episode_id>/step-up/", api.StepUpCreateApi.as_view(), name="step-up-new"),
    path("episodes/<uuid:episode_id>/close/", api.EpisodeCloseApi.as_view(), name="episode-close"),
    path("step-ups/", api.StepUpListApi.as_view(), name="step-ups"),
    path("step-ups/<uuid:step_up_id>/", api.StepUpDetailApi.as_view(), name="step-up"),
    path("step-ups/<uuid:step_up_id>/decide/", api.StepUpDecideApi.as_view(), name="step-up-decide"),
    path("step-ups/<uuid:step_up_id>/respond/", api.StepUpRespondApi.as_view(), name="step-up-respond"),
    path("step-downs/<uuid:step_down_id>/", api.StepDownDetailApi.as_view(), name="step-down"),
    path("step-downs/<uuid:step_down_id>/decide/", api.StepDownDecideApi.as_view(), name="step-down-decide"),
]
