from django.urls import path

from . import views

# An arranged meeting of a plan.
ARRANGED = "<uuid:household_id>/<uuid:plan_id>/meetings/arranged/<int:scheduled_id>/"

app_name = "plans"
urlpatterns = [
    path("<uuid:household_id>/", views.household, name="household"),
    path("<uuid:household_id>/start/", views.start, name="start"),
    path("<uuid:household_id>/<uuid:plan_id>/", views.plan, name="plan"),
    path("<uuid:household_id>/<uuid:plan_id>/outcomes/new/", views.outcome_add, name="outcome-add"),
    path("<uuid:household_id>/<uuid:plan_id>/actions/new/", views.action_add, name="action-add"),
    path(
        "<uuid:household_id>/<uuid:plan_id>/actions/<int:action_id>/status/", views.action_status, name="action-status"
    ),
    path("<uuid:household_id>/<uuid:plan_id>/meetings/new/", views.meeting_add, name="meeting-add"),
    path("<uuid:household_id>/<uuid:plan_id>/meetings/<int:meeting_id>/", views.meeting, name="meeting"),
    path("<uuid:household_id>/<uuid:plan_id>/meetings/arrange/", views.meeting_schedule, name="meeting-schedule"),
    path(f"{ARRANGED}", views.scheduled_meeting, name="scheduled-meeting"),
    path(f"{ARRANGED}rearrange/", views.scheduled_meeting_reschedule, name="scheduled-meeting-reschedule"),
    path(f"{ARRANGED}cancel/", views.scheduled_meeting_cancel, name="scheduled-meeting-cancel"),
    path(f"{ARRANGED}answer/", views.scheduled_meeting_respond, name="scheduled-meeting-respond"),
    path(f"{ARRANGED}meeting.ics", views.scheduled_meeting_ics, name="scheduled-meeting-ics"),
    path("<uuid:household_id>/<uuid:plan_id>/taf/new/", views.taf_add, name="taf-add"),
    path("<uuid:household_id>/<uuid:plan_id>/taf/<int:involvement_id>/remove/", views.taf_remove, name="taf-remove"),
    path("<uuid:household_id>/<uuid:plan_id>/plan.pdf", views.pdf, name="pdf"),
]
