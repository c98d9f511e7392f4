"""Pages of the family plan and the Team Around the Family. Each view opens the household through
the access choke point, then calls one selector or service, and renders."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from earlyhelp.accounts.decorators import casework_required
from earlyhelp.assessments.models import Need
from earlyhelp.assessments.selectors import latest_approved_version
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record
from earlyhelp.directory.models import Service
from earlyhelp.families.access import RecordNotFound, access_household_by_id
from earlyhelp.families.models import Person
from earlyhelp.journey.models import Episode, EpisodeStatus
from earlyhelp.web.pages import form_page

from . import selectors, services
from .forms import ActionForm, ActionStatusForm, MeetingForm, OutcomeForm, TafMemberForm

NO_OPEN_EPISODE = "This family has no open episode of early help, so a new plan cannot be started."


def _plan(request, household_id, plan_id, *, purpose: str):
    household = access_household_by_id(request.user, household_id, purpose=purpose)
    return household, selectors.plan_of(household, plan_id)


def _plan_url(plan) -> str:
    return reverse("plans:plan", args=[plan.household_id, plan.pk])


def _members(household) -> list[Person]:
    return [m.person for m in household.memberships.filter(ended_on__isnull=True).select_related("person")]


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
            "open_episode": Episode.objects.filter(household=household, status=EpisodeStatus.OPEN).first(),
        },
    )


@casework_required
@require_http_methods(["GET", "POST"])
def start(request, household_id):
    household = access_household_by_id(request.user, household_id, purpose="start plan")
    episode = Episode.objects.filter(household=household, status=EpisodeStatus.OPEN).first()
    error = None if episode else NO_OPEN_EPISODE
    if request.method == "POST" and episode:
        try:
            plan = services.plan_start(actor=request.user, episode=episode)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, "Family plan started")
            return redirect(_plan_url(plan))
    return render(request, "plans/start.html", {"household": household, "episode": episode, "error": error})


@casework_required
@require_http_methods(["GET"])
def plan(request, household_id, plan_id):
    household, plan = _plan(request, household_id, plan_id, purpose="family plan")
    return render(
        request,
        "plans/plan.html",
        {
            "household": household,
            "plan": plan,
            "taf": services.taf_members(plan),
            "today": timezone.localdate(),
            "is_open": plan.episode.status == EpisodeStatus.OPEN,
        },
    )


def _assessed_needs(household) -> list[Need]:
    version = latest_approved_version(household)
    return list(version.needs.select_related("person")) if version else []


@casework_required
@require_http_methods(["GET", "POST"])
def outcome_add(request, household_id, plan_id):
    household, plan = _plan(request, household_id, plan_id, purpose="add outcome")
    form = OutcomeForm(request.POST or None, needs=_assessed_needs(household))
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_outcome_add(
                actor=request.user,
                plan=plan,
                description=form.cleaned_data["description"],
                needs=[form.need_objects[key] for key in form.cleaned_data["needs"]],
            )
        except ValidationError as refused:
            form.add_service_errors(refused)
        else:
            messages.success(request, "Outcome added")
            return redirect(_plan_url(plan))
    return form_page(
        request,
        form,
        heading="Add an outcome",
        caption=household.name,
        cancel=_plan_url(plan),
        submit="Add outcome",
        template="plans/form_page.html",
    )


@casework_required
@require_http_methods(["GET", "POST"])
def action_add(request, household_id, plan_id):
    household, plan = _plan(request, household_id, plan_id, purpose="add action")
    form = ActionForm(request.POST or None, plan=plan, members=_members(household))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_action_add(
                actor=request.user,
                plan=plan,
                what=data["what"],
                due_on=data["due_on"],
                outcome=form.outcomes.get(data["outcome"]),
                practitioner=data["practitioner"],
                family_member=form.members.get(data["family_member"]),
                agency=data["agency"],
                service=Service.objects.filter(pk=data["service"]).first() if data["service"] else None,
            )
        except ValidationError as refused:
            form.add_service_errors(refused)
        else:
            messages.success(request, "Action added")
            return redirect(_plan_url(plan))
    return form_page(
        request, form, heading="Add an action", caption=household.name, cancel=_plan_url(plan), submit="Add action"
    )


@casework_required
@require_http_methods(["GET", "POST"])
def action_status(request, household_id, plan_id, action_id):
    household, plan = _plan(request, household_id, plan_id, purpose="update action")
    action = plan.actions.filter(pk=action_id).first()
    if action is None:
        raise RecordNotFound
    form = ActionStatusForm(request.POST or None, initial={"status": action.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_action_status_change(actor=request.user, action=action, status=form.cleaned_data["status"])
        except ValidationError as refused:
            form.add_service_errors(refused)
        else:
            messages.success(request, "Action updated")
            return redirect(_plan_url(plan))
    return form_page(
        request, form, heading=f"Update: {action.what[:80]}", caption=household.name, cancel=_plan_url(plan)
    )


@casework_required
@require_http_methods(["GET", "POST"])
def meeting_add(request, household_id, plan_id):
    household, plan = _plan(request, household_id, plan_id, purpose="record meeting")
    form = MeetingForm(request.POST or None, plan=plan, members=_members(household))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_record(
                actor=request.user,
                plan=plan,
                kind=data["kind"],
                held_on=data["held_on"],
                decisions=data["decisions"],
                family_scale=data["family_scale"],
                practitioner_scale=data["practitioner_scale"],
                next_review_on=data["next_review_on"],
                family_members=[form.members[key] for key in data["family_members"]],
                agencies=data["agencies"],
                action_statuses=form.action_statuses(),
            )
        except ValidationError as refused:
            form.add_service_errors(refused)
        else:
            messages.success(request, "Meeting recorded")
            return redirect("plans:meeting", household.id, plan.pk, meeting.pk)
    return render(request, "plans/meeting_form.html", {"household": household, "plan": plan, "form": form})


@casework_required
@require_http_methods(["GET"])
def meeting(request, household_id, plan_id, meeting_id):
    household, plan = _plan(request, household_id, plan_id, purpose="meeting")
    return render(
        request,
        "plans/meeting.html",
        {"household": household, "plan": plan, "meeting": selectors.meeting_of(plan, meeting_id)},
    )


@casework_required
@require_http_methods(["GET", "POST"])
def taf_add(request, household_id, plan_id):
    household, plan = _plan(request, household_id, plan_id, purpose="add TAF member")
    form = TafMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["practitioner"] is None:
                raise ValidationError({"practitioner": "Choose a practitioner"})
            services.taf_member_add(actor=request.user, plan=plan, practitioner=form.cleaned_data["practitioner"])
        except ValidationError as refused:
            form.add_service_errors(refused)
        else:
            messages.success(request, f"{form.cleaned_data['practitioner'].display_name} added to the TAF")
            return redirect(_plan_url(plan))
    return form_page(
        request,
        form,
        heading="Add a member to the Team Around the Family",
        caption=household.name,
        cancel=_plan_url(plan),
        submit="Add to the TAF",
    )


@casework_required
@require_POST
def taf_remove(request, household_id, plan_id, involvement_id):
    _, plan = _plan(request, household_id, plan_id, purpose="remove TAF member")
    try:
        services.taf_member_remove(actor=request.user, plan=plan, involvement_id=involvement_id)
    except ValidationError as refused:
        messages.info(request, " ".join(refused.messages))
    else:
        messages.success(request, "Removed from the TAF")
    return redirect(_plan_url(plan))


@casework_required
@require_http_methods(["GET"])
def pdf(request, household_id, plan_id):
    # Imported here: WeasyPrint loads its fonts and Pango on import, which only this page needs.
    from weasyprint import HTML

    household, plan = _plan(request, household_id, plan_id, purpose="print family plan")
    html = render_to_string(
        "plans/print.html",
        {
            "household": household,
            "plan": plan,
            "taf": services.taf_members(plan),
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
