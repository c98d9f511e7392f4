from django.urls import path

from . import views

app_name = "journey"
urlpatterns = [
    path("requests/", views.request_list, name="requests"),
    path("requests/check/", views.request_check, name="request-check"),
    path("requests/new/", views.request_new, name="request-new"),
    path("requests/<uuid:request_id>/", views.request_detail, name="request"),
    path("requests/<uuid:request_id>/triage/", views.request_triage, name="request-triage"),
    path("requests/<uuid:request_id>/triage/families/", views.request_triage_families, name="request-triage-families"),
    path("families/<uuid:household_id>/", views.household_journey, name="household"),
    path("families/<uuid:household_id>/chronology/", views.chronology, name="chronology"),
    path("families/<uuid:household_id>/level/", views.level_new, name="level-new"),
    path("families/<uuid:household_id>/step-down/", views.step_down_new, name="step-down-new"),
    path("episodes/<uuid:episode_id>/step-up/", views.step_up_new, name="step-up-new"),
    path("episodes/<uuid:episode_id>/close/", views.episode_close, name="episode-close"),
    path("step-ups/", views.step_up_list, name="step-ups"),
    path("step-ups/<uuid:step_up_id>/", views.step_up_detail, name="step-up"),
    path("step-ups/<uuid:step_up_id>/decide/", views.step_up_decide, name="step-up-decide"),
    path("step-ups/<uuid:step_up_id>/respond/", views.step_up_respond, name="step-up-respond"),
    path("step-downs/<uuid:step_down_id>/", views.step_down_detail, name="step-down"),
    path("step-downs/<uuid:step_down_id>/decide/", views.step_down_decide, name="step-down-decide"),
]
