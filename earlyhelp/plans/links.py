"""Where a plan's pages are: the addresses the pages return to, and that notices and calendar invitations
link to."""

from django.urls import reverse

from .models import Plan, ScheduledMeeting


def plan_page(plan: Plan) -> str:
    return reverse("plans:plan", args=[plan.household_id, plan.pk])


def scheduled_meeting_page(scheduled: ScheduledMeeting) -> str:
    return reverse("plans:scheduled-meeting", args=[scheduled.plan.household_id, scheduled.plan_id, scheduled.pk])
