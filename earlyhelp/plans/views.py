"""Pages of the family plan and the Team Around the Family. Each view opens the household through
the access choke point, then calls one selector or service, and renders."""

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from earlyhelp.accounts.decorators import casework_required
from earlyhelp.assessments.models import Need
from earlyhelp.assessments.selectors import latest_approved_version
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record
from earlyhelp.families.access import RecordNotFound, access_household_by_id
from earlyhelp.journey.models import EpisodeStatus
from earlyhelp.journey.selectors import open_episode
from earlyhelp.web.pages import button_flow, confirm_flow, form_flow, record_form_flow

from . import selectors, services
from .forms import (
    RESPONSE_CHOICES,
    ActionForm,
    ActionStatusForm,
    MeetingForm,
    OutcomeForm,
    RescheduleMeetingForm,
    ScheduleMeetingForm,
    TafMemberForm,
)
from .links import plan_page, scheduled_meeting_page
from .models import ScheduledMeetingStatus

NO_OPEN_EPISODE = "This family has no open episode of early help, so a new plan cannot be started."


def _plan(request, household_id, plan_id, *, purpose: str):
    household = access_household_by_id(request.user, household_id, purpose=purpose)
    return household, selectors.plan_of(household, plan_id)


def _plan_page(request, template: str, household, plan, **context) -> HttpResponse:
    return render(request, template, {"household": household, "plan": plan, **context})


@casework_required
@require_http_methods(["GET"])
def household(request, household_id):
    household = access_household_by_id(request.user, household_id, purpose="family plan")
    return render(
        request,
        "plans/household.html",
        {
            "household": household,
            "plans": selectors.household_plans(household),
            "open_episode": open_episode(household),
        },
    )


@casework_required
@require_http_methods(["GET", "POST"])
def start(request, household_id):
    household = access_household_by_id(request.user, household_id, purpose="start plan")
    episode = open_episode(household)
    return confirm_flow(
        request,
        subject=episode,
        refusal=NO_OPEN_EPISODE,
        save=lambda episode: services.plan_start(actor=request.user, episode=episode),
        success=plan_page,
        done="Family plan started",
        heading="Start the family plan",
        template="plans/start.html",
        household=household,
        episode=episode,
    )


@casework_required
@require_http_methods(["GET"])
def plan(request, household_id, plan_id):
    household, plan = _plan(request, household_id, plan_id, purpose="family plan")
    selectors.with_referrals(plan)
    return _plan_page(
        request,
        "plans/plan.html",
        household,
        plan,
        taf=selectors.team_around_the_family(plan),
        today=timezone.localdate(),
        is_open=plan.episode.status == EpisodeStatus.OPEN,
        actions=selectors.actions_for(plan, request.user),
        arranged=selectors.scheduled_meetings(plan).filter(status=ScheduledMeetingStatus.SCHEDULED),
    )


def _assessed_needs(household) -> list[Need]:
    version = latest_approved_version(household)
    return list(version.needs.select_related("person")) if version else []


@casework_required
@require_http_methods(["GET", "POST"])
def outcome_add(request, household_id, plan_id):
    household, plan = _plan(request, household_id, plan_id, purpose="add outcome")
    form = OutcomeForm(request.POST or None, needs=_assessed_needs(household))
    return record_form_flow(
        request,
        form,
        back=plan_page(plan),
        caption=household.name,
        save=lambda data: services.plan_outcome_add(
            actor=request.user, plan=plan, description=data["description"], needs=form.chosen_needs()
        ),
        done="Outcome added",
        heading="Add an outcome",
        submit="Add outcome",
    )


@casework_required
@require_http_methods(["GET", "POST"])
def action_add(request, household_id, plan_id):
    household, plan = _plan(request, household_id, plan_id, purpose="add action")
    form = ActionForm(request.POST or None, plan=plan)
    return record_form_flow(
        request,
        form,
        back=plan_page(plan),
        caption=household.name,
        save=lambda data: services.plan_action_add(actor=request.user, plan=plan, **form.action()),
        done="Action added",
        heading="Add an action",
        submit="Add action",
    )


@casework_required
@require_http_methods(["GET", "POST"])
def action_status(request, household_id, plan_id, action_id):
    household, plan = _plan(request, household_id, plan_id, purpose="update action")
    action = plan.actions.filter(pk=action_id).first()
    if action is None:
        raise RecordNotFound
    return record_form_flow(
        request,
        ActionStatusForm(request.POST or None, initial={"status": action.status}),
        back=plan_page(plan),
        caption=household.name,
        save=lambda data: services.plan_action_status_change(
            actor=request.user, action=action, status=data["status"], note=data["note"]
        ),
        done="Action updated",
        heading=f"Update: {action.what[:80]}",
    )


@casework_required
@require_http_methods(["GET", "POST"])
def meeting_add(request, household_id, plan_id):
    household, plan = _plan(request, household_id, plan_id, purpose="record meeting")
    # Recorded from an arranged meeting (?scheduled=ID): the form starts from what was arranged.
    scheduled_id = request.GET.get("scheduled")
    scheduled = selectors.scheduled_meeting_of(plan, scheduled_id) if scheduled_id else None
    form = MeetingForm(request.POST or None, plan=plan, scheduled=scheduled)
    return form_flow(
        request,
        form,
        save=lambda data: services.meeting_record(actor=request.user, plan=plan, scheduled=scheduled, **form.meeting()),
        success=lambda meeting: reverse("plans:meeting", args=[household.id, plan.pk, meeting.pk]),
        done="Meeting recorded",
        heading="Record a meeting",
        caption=household.name,
        cancel=plan_page(plan),
        submit="Record the meeting",
        template="plans/meeting_form.html",
        household=household,
    )


@casework_required
@require_http_methods(["GET"])
def meeting(request, household_id, plan_id, meeting_id):
    household, plan = _plan(request, household_id, plan_id, purpose="meeting")
    return _plan_page(request, "plans/meeting.html", household, plan, meeting=selectors.meeting_of(plan, meeting_id))


def _scheduled(request, household_id, plan_id, scheduled_id, *, purpose: str):
    household, plan = _plan(request, household_id, plan_id, purpose=purpose)
    return household, plan, selectors.scheduled_meeting_of(plan, scheduled_id)


@casework_required
@require_http_methods(["GET", "POST"])
def meeting_schedule(request, household_id, plan_id):
    household, plan = _plan(request, household_id, plan_id, purpose="arrange meeting")
    form = ScheduleMeetingForm(request.POST or None, plan=plan)
    return form_flow(
        request,
        form,
        save=lambda data: services.meeting_schedule(actor=request.user, plan=plan, **form.arrangement()),
        success=scheduled_meeting_page,
        done="Meeting arranged: the practitioners invited have been sent the invitation",
        heading="Arrange a meeting",
        caption=household.name,
        cancel=plan_page(plan),
        submit="Arrange the meeting",
    )


@casework_required
@require_http_methods(["GET"])
def scheduled_meeting(request, household_id, plan_id, scheduled_id):
    household, plan, scheduled = _scheduled(request, household_id, plan_id, scheduled_id, purpose="arranged meeting")
    arranged = scheduled.status == ScheduledMeetingStatus.SCHEDULED
    return _plan_page(
        request,
        "plans/scheduled_meeting.html",
        household,
        plan,
        scheduled=scheduled,
        own=selectors.own_invitation(scheduled, request.user),
        responses=RESPONSE_CHOICES,
        arranged=arranged,
        may_record=arranged and scheduled.starts_at <= timezone.now() and plan.episode.status == EpisodeStatus.OPEN,
    )


@casework_required
@require_http_methods(["GET", "POST"])
def scheduled_meeting_reschedule(request, household_id, plan_id, scheduled_id):
    household, _, scheduled = _scheduled(request, household_id, plan_id, scheduled_id, purpose="rearrange meeting")
    back = scheduled_meeting_page(scheduled)
    return record_form_flow(
        request,
        RescheduleMeetingForm(request.POST or None, scheduled=scheduled),
        back=back,
        caption=household.name,
        save=lambda data: services.meeting_reschedule(actor=request.user, scheduled=scheduled, **data),
        done="Meeting rearranged: the practitioners invited have been sent the change",
        heading="Rearrange the meeting",
        submit="Save and tell the invitees",
    )


@casework_required
@require_http_methods(["GET", "POST"])
def scheduled_meeting_cancel(request, household_id, plan_id, scheduled_id):
    household, _, scheduled = _scheduled(request, household_id, plan_id, scheduled_id, purpose="cancel meeting")
    back = scheduled_meeting_page(scheduled)
    return confirm_flow(
        request,
        subject=scheduled if scheduled.status == ScheduledMeetingStatus.SCHEDULED else None,
        refusal=services.SCHEDULED_NOT_OPEN,
        save=lambda scheduled: services.meeting_cancel(actor=request.user, scheduled=scheduled),
        success=back,
        done="Meeting cancelled: the practitioners invited have been told",
        heading="Cancel the meeting",
        caption=household.name,
        cancel=back,
        submit="Cancel the meeting",
        submit_style="warning",
    )


def _number_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 19 else None


@casework_required
@require_POST
def scheduled_meeting_respond(request, household_id, plan_id, scheduled_id):
    _, _, scheduled = _scheduled(request, household_id, plan_id, scheduled_id, purpose="answer meeting invitation")
    return button_flow(
        request,
        press=lambda: services.meeting_invitation_respond(
            actor=request.user,
            scheduled=scheduled,
            response=request.POST.get("response", ""),
            invitation_id=_number_or_none(request.POST.get("invitation")),
        ),
        done="Answer recorded",
        back=scheduled_meeting_page(scheduled),
    )


def ics_response(calendar: str) -> HttpResponse:
    """A calendar invitation to download, which a calendar program opens."""
    response = HttpResponse(calendar, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="meeting.ics"'
    return response


@casework_required
@require_http_methods(["GET"])
def scheduled_meeting_ics(request, household_id, plan_id, scheduled_id):
    _, _, scheduled = _scheduled(request, household_id, plan_id, scheduled_id, purpose="meeting calendar file")
    return ics_response(selectors.scheduled_meeting_ics(scheduled))


@casework_required
@require_http_methods(["GET", "POST"])
def taf_add(request, household_id, plan_id):
    household, plan = _plan(request, household_id, plan_id, purpose="add TAF member")
    return record_form_flow(
        request,
        TafMemberForm(request.POST or None),
        back=plan_page(plan),
        caption=household.name,
        save=lambda data: services.taf_member_add(actor=request.user, plan=plan, practitioner=data["practitioner"]),
        done="Added to the Team Around the Family",
        heading="Add a member to the Team Around the Family",
        submit="Add to the TAF",
    )


@casework_required
@require_POST
def taf_remove(request, household_id, plan_id, involvement_id):
    _, plan = _plan(request, household_id, plan_id, purpose="remove TAF member")
    return button_flow(
        request,
        press=lambda: services.taf_member_remove(actor=request.user, plan=plan, involvement_id=involvement_id),
        done="Removed from the TAF",
        back=plan_page(plan),
    )


@casework_required
@require_http_methods(["GET"])
def pdf(request, household_id, plan_id):
    # Imported here: WeasyPrint loads its fonts and Pango on import, which only this page needs.
    from weasyprint import HTML

    household, plan = _plan(request, household_id, plan_id, purpose="print family plan")
    selectors.with_referrals(plan)
    html = render_to_string(
        "plans/print.html",
        {
            "household": household,
            "plan": plan,
            "taf": selectors.team_around_the_family(plan),
            "printed_at": timezone.localtime(),
            "printed_by": request.user,
        },
        request=request,
    )
    document = HTML(string=html).write_pdf()
    with transaction.atomic():
        audit_record(
            actor=request.user,
            action=Action.EXPORT,
            object_type="plan",
            object_id=plan.pk,
            household_id=household.id,
            details={"format": "pdf"},
        )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="family-plan-{plan.created_at:%Y%m%d}.pdf"'
    return response
