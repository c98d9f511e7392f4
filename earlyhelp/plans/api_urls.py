from django.urls import path

from . import api

FAMILY = "families/<uuid:household_id>/"
PLAN = f"{FAMILY}<uuid:plan_id>/"

app_name = "plans-api"
urlpatterns = [
    path(FAMILY, api.FamilyPlansApi.as_view(), name="household"),
    path(PLAN, api.FamilyPlanApi.as_view(), name="plan"),
    path(f"{PLAN}actions/", api.PlanActionsApi.as_view(), name="actions"),
    # record_id: a record's number, no larger than one can be (earlyhelp.web.api.RecordIdConverter).
    path(f"{PLAN}actions/<record_id:action_id>/status/", api.ActionStatusApi.as_view(), name="action-status"),
    path(f"{PLAN}meetings/", api.PlanMeetingsApi.as_view(), name="meetings"),
    path(f"{PLAN}arranged-meetings/", api.ScheduledMeetingsApi.as_view(), name="scheduled-meetings"),
    path(
        f"{PLAN}arranged-meetings/<record_id:scheduled_id>/answer/",
        api.InvitationAnswerApi.as_view(),
        name="scheduled-meeting-respond",
    ),
    path(
        f"{PLAN}arranged-meetings/<record_id:scheduled_id>/meeting.ics",
        api.ScheduledMeetingCalendarApi.as_view(),
        name="scheduled-meeting-ics",
    ),
]
