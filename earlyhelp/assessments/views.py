"""Pages of the Early Help Assessment. Each view opens the household through the access choke
point, then calls one selector or service, and renders."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.decorators import capability_required, casework_required
from earlyhelp.families.access import RecordNotFound, access_household_by_id
from earlyhelp.journey.selectors import open_episode
from earlyhelp.web.pages import form_flow

from . import selectors, services
from .forms import AssessmentForm, ConfirmForm, NeedForm, QualityForm, WorryGoalForm
from .services import CONTENT_FIELDS, SECTION_FIELDS, section_prefix

NO_OPEN_EPISODE = services.NO_OPEN_EPISODE


def _version(request, household_id, number: int, *, purpose: str):
    household = access_household_by_id(request.user, household_id, purpose=purpose)
    return household, selectors.assessment_version(household, number)


def _version_url(version) -> str:
    return reverse("assessments:version", args=[version.assessment.household_id, version.number])


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
    form = ConfirmForm(request.POST, refusal="" if episode else NO_OPEN_EPISODE)
    return form_flow(
        request,
        form,
        save=lambda data: services.assessment_start(actor=request.user, episode=episode),
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


def _conflict_rows(form, saved: dict) -> list[dict]:
    groups = [{"legend": "The whole family", "rows": []}]
    for name in CONTENT_FIELDS:
        groups[0]["rows"].append((form[name], saved.get(name)))
    for section in form.sections:
        prefix = section_prefix(section.pk)
        rows = [
            (form[f"{prefix}{name}"], saved.get(f"{prefix}{name}"))
            for name in SECTION_FIELDS
            if f"{prefix}{name}" in form.fields
        ]
        legend = f"{section.person.full_name} ({'child' if section.is_child else 'adult'})"
        groups.append({"legend": legend, "rows": rows})
    return groups


@casework_required
@require_http_methods(["GET", "POST"])
def edit(request, household_id, number):
    household, version = _version(request, household_id, number, purpose="edit assessment")
    if not version.is_editable:
        messages.info(request, services.rules.CANNOT["edit"].format(status=version.get_status_display()))
        return redirect(_version_url(version))
    sections = list(version.sections.all())
    form_class = AssessmentForm.for_sections(sections)
    saved_now: dict = {}
    conflict = None
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                services.assessment_update(
                    actor=request.user,
                    version=version,
                    revision=form.cleaned_data["revision"],
                    content=form.content(),
                    sections=form.section_contents(),
                )
            except services.AssessmentConflictError as refused:
                conflict = refused.current
                current_sections = list(conflict.sections.select_related("person"))
                saved_now = form_class.initial_for(conflict, current_sections)
                # Keep the person's input; a second save, made knowingly after merging, applies to the
                # revision they have now been shown.
                data = request.POST.copy()
                data["revision"] = conflict.revision
                form = form_class(data)
                form.is_valid()
                form.add_error(None, refused.messages)
            except ValidationError as refused:
                form.add_service_errors(refused)
            else:
                messages.success(request, "Assessment saved")
                return redirect(_version_url(version))
    else:
        form = form_class(initial=form_class.initial_for(version, sections))
    if conflict is not None:
        saved_now = {
            key: value
            for key, value in saved_now.items()
            if key != "revision" and str(value if value is not None else "") != str(form.data.get(key, ""))
        }
    return render(
        request,
        "assessments/edit.html",
        {
            "household": household,
            "version": version,
            "form": form,
            "groups": _conflict_rows(form, saved_now),
            "conflict": conflict,
        },
    )


@casework_required
@require_http_methods(["GET", "POST"])
def need_add(request, household_id, number):
    household, version = _version(request, household_id, number, purpose="add need")
    form = NeedForm(request.POST or None, sections=list(version.sections.all()))
    return form_flow(
        request,
        form,
        save=lambda data: services.assessment_need_add(
            actor=request.user,
            version=version,
            person=form.people.get(data["person"]),
            outcome_area=data["outcome_area"],
            description=data["description"],
        ),
        success=_version_url(version) + "#needs",
        done="Need added",
        heading="Add a need",
        caption=household.name,
        cancel=_version_url(version),
        submit="Add need",
    )


def _remove(request, version, *, remove, done: str, anchor: str):
    """A remove button: say that it was removed, or why it could not be, and go back to the list."""
    try:
        remove(actor=request.user, version=version)
    except ValidationError as refused:
        messages.info(request, " ".join(refused.messages))
    else:
        messages.success(request, done)
    return redirect(f"{_version_url(version)}#{anchor}")


@casework_required
@require_POST
def need_remove(request, household_id, number, need_id):
    _, version = _version(request, household_id, number, purpose="remove need")
    remove = partial(services.assessment_need_remove, need_id=need_id)
    return _remove(request, version, remove=remove, done="Need removed", anchor="needs")


@casework_required
@require_http_methods(["GET", "POST"])
def worry_add(request, household_id, number):
    household, version = _version(request, household_id, number, purpose="add worry statement")
    return form_flow(
        request,
        WorryGoalForm(request.POST or None),
        save=lambda data: services.assessment_worry_add(
            actor=request.user, version=version, worry=data["worry"], goal=data["goal"]
        ),
        success=_version_url(version) + "#worries",
        done="Worry statement and goal added",
        heading="Add a danger or worry statement and its goal",
        caption=household.name,
        cancel=_version_url(version),
        submit="Add",
    )


@casework_required
@require_POST
def worry_remove(request, household_id, number, worry_id):
    _, version = _version(request, household_id, number, purpose="remove worry statement")
    remove = partial(services.assessment_worry_remove, worry_id=worry_id)
    return _remove(request, version, remove=remove, done="Worry statement removed", anchor="worries")


@casework_required
@require_http_methods(["GET", "POST"])
def submit(request, household_id, number):
    household, version = _version(request, household_id, number, purpose="submit assessment")
    return form_flow(
        request,
        ConfirmForm(request.POST),
        save=lambda data: services.assessment_submit(actor=request.user, version=version),
        success=_version_url(version),
        done="Assessment submitted to the Early Help Team for quality assurance",
        heading="Submit the assessment for quality assurance",
        template="assessments/submit.html",
        household=household,
        version=version,
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
    return form_flow(
        request,
        QualityForm(request.POST or None),
        save=lambda data: decide(actor=request.user, version=version, comments=data["comments"]),
        success=_version_url(version),
        done="Assessment approved" if approving else "Assessment returned",
        heading="Quality-assure the assessment",
        template="assessments/quality.html",
        household=household,
        version=version,
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
