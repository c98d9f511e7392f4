"""Pages of the Early Help Assessment. Each view opens the household through the access choke
point, then calls one selector or service, and renders."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.decorators import capability_required, casework_required
from earlyhelp.families.access import RecordNotFound, access_household_by_id
from earlyhelp.journey.selectors import open_episode
from earlyhelp.web.forms import ConfirmForm
from earlyhelp.web.pages import button_flow, confirm_flow, form_flow, record_form_flow

from . import selectors, services
from .forms import AssessmentForm, NeedForm, QualityForm, WorryGoalForm

NO_OPEN_EPISODE = services.NO_OPEN_EPISODE


def _version(request, household_id, number: int, *, purpose: str):
    household = access_household_by_id(request.user, household_id, purpose=purpose)
    return household, selectors.assessment_version(household, number)


def _version_url(version) -> str:
    return reverse("assessments:version", args=[version.assessment.household_id, version.number])


def _version_flow(request, household, version, form, *, template: str, **flow) -> HttpResponse:
    """A form on a page of the version's own (edit, submit, quality-assure), which returns to the
    version when saved."""
    return form_flow(
        request, form, success=_version_url(version), template=template, household=household, version=version, **flow
    )


@casework_required
@require_http_methods(["GET"])
def detail(request, household_id):
    household = access_household_by_id(request.user, household_id, purpose="assessment")
    assessment = selectors.assessment_of(household)
    versions = list(selectors.assessment_versions(assessment)) if assessment else []
    return render(
        request,
        "assessments/detail.html",
        {
            "household": household,
            "versions": versions,
            "in_progress": next((v for v in versions if v.status != "approved"), None),
            "open_episode": open_episode(household),
        },
    )


@casework_required
@require_http_methods(["GET", "POST"])
def start(request, household_id):
    household = access_household_by_id(request.user, household_id, purpose="start assessment")
    episode = open_episode(household)
    assessment = selectors.assessment_of(household)
    last = selectors.assessment_versions(assessment).first() if assessment else None
    return confirm_flow(
        request,
        subject=episode,
        refusal=NO_OPEN_EPISODE,
        save=lambda episode: services.assessment_start(actor=request.user, episode=episode),
        success=lambda version: reverse("assessments:edit", args=[household.id, version.number]),
        done=f"Version {last.number + 1 if last else 1} of the assessment started",
        heading="Start the assessment",
        template="assessments/start.html",
        household=household,
        episode=episode,
        last=last,
    )


@casework_required
@require_http_methods(["GET"])
def version(request, household_id, number):
    household, version = _version(request, household_id, number, purpose="assessment")
    others = selectors.assessment_versions(version.assessment).exclude(pk=version.pk)
    return render(
        request,
        "assessments/version.html",
        {
            "household": household,
            "version": version,
            "others": others,
            "can_assure": capabilities.can_quality_assure(request.user, version),
        },
    )


@casework_required
@require_http_methods(["GET", "POST"])
def edit(request, household_id, number):
    household, version = _version(request, household_id, number, purpose="edit assessment")
    if not version.is_editable:
        messages.info(request, services.rules.CANNOT["edit"].format(status=version.get_status_display()))
        return redirect(_version_url(version))
    sections = list(version.sections.all())
    data = request.POST if request.method == "POST" else None
    form = AssessmentForm(data, sections=sections, initial=AssessmentForm.initial_for(version, sections))
    return _version_flow(
        request,
        household,
        version,
        form,
        save=lambda data: services.assessment_update(actor=request.user, version=version, **form.update()),
        done="Assessment saved",
        heading="Edit the Early Help Assessment",
        template="assessments/edit.html",
    )


@casework_required
@require_http_methods(["GET", "POST"])
def need_add(request, household_id, number):
    household, version = _version(request, household_id, number, purpose="add need")
    form = NeedForm(request.POST or None, sections=list(version.sections.all()))
    return record_form_flow(
        request,
        form,
        back=_version_url(version) + "#needs",
        caption=household.name,
        save=lambda data: services.assessment_need_add(
            actor=request.user,
            version=version,
            person=form.people.get(data["person"]),
            outcome_area=data["outcome_area"],
            description=data["description"],
        ),
        done="Need added",
        heading="Add a need",
        submit="Add need",
    )


def _remove_view(remove: Callable[..., Any], *, purpose: str, done: str, anchor: str):
    """The view of a remove button on a version (a need, a worry statement): `remove` takes the item
    named in the URL out, and the page goes back to its list saying so, or why it could not."""

    @casework_required
    @require_POST
    def view(request, household_id, number, **item):
        _, version = _version(request, household_id, number, purpose=purpose)
        return button_flow(
            request,
            press=lambda: remove(actor=request.user, version=version, **item),
            done=done,
            back=f"{_version_url(version)}#{anchor}",
        )

    return view


need_remove = _remove_view(services.assessment_need_remove, purpose="remove need", done="Need removed", anchor="needs")


@casework_required
@require_http_methods(["GET", "POST"])
def worry_add(request, household_id, number):
    household, version = _version(request, household_id, number, purpose="add worry statement")
    return record_form_flow(
        request,
        WorryGoalForm(request.POST or None),
        back=_version_url(version) + "#worries",
        caption=household.name,
        save=lambda data: services.assessment_worry_add(
            actor=request.user, version=version, worry=data["worry"], goal=data["goal"]
        ),
        done="Worry statement and goal added",
        heading="Add a danger or worry statement and its goal",
        submit="Add",
    )


worry_remove = _remove_view(
    services.assessment_worry_remove,
    purpose="remove worry statement",
    done="Worry statement removed",
    anchor="worries",
)


@casework_required
@require_http_methods(["GET", "POST"])
def submit(request, household_id, number):
    household, version = _version(request, household_id, number, purpose="submit assessment")
    return _version_flow(
        request,
        household,
        version,
        ConfirmForm(request.POST),
        save=lambda data: services.assessment_submit(actor=request.user, version=version),
        done="Assessment submitted to the Early Help Team for quality assurance",
        heading="Submit the assessment for quality assurance",
        template="assessments/submit.html",
    )


def _version_to_assure(request, household_id, number: int):
    """The version, for someone who may quality-assure it. The Early Help Team may assure any
    family's, so to them a missing one is not found; anyone else's right depends on the family, so
    to them a version that is missing and one that is not theirs to assure are refused alike."""
    try:
        household, version = _version(request, household_id, number, purpose="quality assurance")
    except RecordNotFound:
        if capabilities.sees_whole_caseload(request.user):
            raise
        raise PermissionDenied from None
    if not capabilities.can_quality_assure(request.user, version):
        raise PermissionDenied
    return household, version


@capability_required(capabilities.can_quality_assure)
@require_http_methods(["GET", "POST"])
def quality(request, household_id, number):
    household, version = _version_to_assure(request, household_id, number)
    approving = request.POST.get("decision") == "approve"
    decide = services.assessment_approve if approving else services.assessment_return
    return _version_flow(
        request,
        household,
        version,
        QualityForm(request.POST or None),
        save=lambda data: decide(actor=request.user, version=version, comments=data["comments"]),
        done="Assessment approved" if approving else "Assessment returned",
        heading="Quality-assure the assessment",
        template="assessments/quality.html",
    )


@casework_required
@require_http_methods(["GET"])
def compare(request, household_id, number, other):
    household, first = _version(request, household_id, number, purpose="compare assessment versions")
    if other == number:
        raise RecordNotFound
    second = selectors.assessment_version(household, other)
    older, newer = sorted([first, second], key=lambda version: version.number)
    return render(
        request,
        "assessments/compare.html",
        {
            "household": household,
            "newer": newer,
            "older": older,
            "changes": selectors.assessment_diff(older, newer),
        },
    )
