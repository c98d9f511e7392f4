"""Reads of a family's assessment, shared by pages, the plan and the work lists. Callers have
already opened the household through the access choke point."""

from collections.abc import Iterable

from django.db.models import Model, Prefetch, QuerySet

from earlyhelp.families.access import RecordNotFound
from earlyhelp.families.models import Household

from . import rules
from .models import Assessment, AssessmentStatus, AssessmentVersion, MemberSection, Need, WorryGoal
from .services import CONTENT_FIELDS, SECTION_FIELDS


def _labels(model: type[Model], names: Iterable[str]) -> dict[str, str]:
    """The named fields' own labels (their verbose names), which the pages and comparisons show."""
    fields = {field.name: field for field in model._meta.fields}
    return {name: str(fields[name].verbose_name) for name in names}


CONTENT_LABELS = _labels(AssessmentVersion, CONTENT_FIELDS)
SECTION_LABELS = _labels(MemberSection, SECTION_FIELDS)
NEED_LABELS = {"area": "Outcome area", "description": "Need"}
WORRY_LABELS = {"worry": "Danger or worry statement", "goal": "Goal"}


def assessment_of(household: Household) -> Assessment | None:
    """The family's one assessment, if it has been started."""
    return Assessment.objects.filter(household=household).first()


def assessment_versions(assessment: Assessment) -> QuerySet[AssessmentVersion]:
    """Every version, newest first, with who wrote and reviewed it."""
    return assessment.versions.select_related("episode", "created_by", "submitted_by", "reviewed_by").order_by(
        "-number"
    )


def assessment_version(household: Household, number: int) -> AssessmentVersion:
    """One version of the family's assessment with its sections, needs and worries; not found alike."""
    version = (
        AssessmentVersion.objects.filter(assessment__household=household, number=number)
        .select_related("assessment__household", "episode", "last_saved_by", "submitted_by", "reviewed_by")
        .prefetch_related(
            Prefetch("sections", queryset=MemberSection.objects.select_related("person")),
            Prefetch("needs", queryset=Need.objects.select_related("person")),
            "worry_goals",
        )
        .first()
    )
    if version is None:
        raise RecordNotFound
    return version


def latest_approved_version(household: Household) -> AssessmentVersion | None:
    """The settled version a plan's outcomes are linked to."""
    return (
        AssessmentVersion.objects.filter(assessment__household=household, status=AssessmentStatus.APPROVED)
        .order_by("-number")
        .first()
    )


def _text(value: object) -> str:
    if value is None:
        return ""
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    return str(value)


def _content(version: AssessmentVersion) -> dict[str, str]:
    return {name: _text(getattr(version, name)) for name in CONTENT_FIELDS}


def _section_values(section: MemberSection) -> dict[str, str]:
    values = {name: _text(getattr(section, name)) for name in SECTION_FIELDS}
    values["lawful_basis"] = section.get_lawful_basis_display() if section.lawful_basis else ""
    return values


def assessment_diff(older: AssessmentVersion, newer: AssessmentVersion) -> list[rules.Change]:
    """What changed from one version to another: the whole-family part, each member's section,
    the needs and the worry statements (matched across versions by their key)."""
    changes = rules.diff_fields("Whole family", _content(older), _content(newer), CONTENT_LABELS)
    sections_before = {str(s.person_id): _section_values(s) for s in older.sections.select_related("person")}
    sections_after = {str(s.person_id): _section_values(s) for s in newer.sections.select_related("person")}
    names = {
        str(s.person_id): s.person.full_name
        for s in [*older.sections.select_related("person"), *newer.sections.select_related("person")]
    }
    changes += rules.diff_keyed(names, sections_before, sections_after, SECTION_LABELS)

    def needs(version: AssessmentVersion) -> dict[str, dict[str, str]]:
        return {
            str(need.key): {"area": need.get_outcome_area_display(), "description": need.description}
            for need in version.needs.select_related("person")
        }

    need_where = {
        str(need.key): f"Need: {need.person.full_name if need.person is not None else 'whole family'}"
        for need in [*older.needs.select_related("person"), *newer.needs.select_related("person")]
    }
    changes += rules.diff_keyed(need_where, needs(older), needs(newer), NEED_LABELS)

    def worries(version: AssessmentVersion) -> dict[str, dict[str, str]]:
        return {str(item.key): {"worry": item.worry, "goal": item.goal} for item in version.worry_goals.all()}

    worry_where = {str(item.key): "Worry and goal" for item in WorryGoal.objects.filter(version__in=[older, newer])}
    changes += rules.diff_keyed(worry_where, worries(older), worries(newer), WORRY_LABELS)
    return changes


def assessment_summary(household: Household) -> dict:
    """The family's latest assessment version, as a step up carries it to social care."""
    version = (
        AssessmentVersion.objects.filter(assessment__household=household)
        .order_by("-number")
        .prefetch_related("needs")
        .first()
    )
    if version is None:
        return {}
    return {
        "version": version.number,
        "status": version.get_status_display(),
        "family_scale": version.family_scale,
        "practitioner_scale": version.practitioner_scale,
        "worried_about": version.future_danger,
        "working_well": version.working_well,
        "needs_to_happen": version.needs_to_happen,
        "needs": [
            {"area": need.get_outcome_area_display(), "description": need.description} for need in version.needs.all()
        ],
    }


def assessed_needs(household: Household) -> list[dict]:
    """The needs of the family's latest approved assessment, to be marked met or not at closure;
    none where there is no approved assessment."""
    version = (
        AssessmentVersion.objects.filter(assessment__household=household, status=AssessmentStatus.APPROVED)
        .order_by("-number")
        .prefetch_related("needs__person")
        .first()
    )
    if version is None:
        return []
    return [
        {
            "ref": str(need.key),
            "text": (f"{need.person.full_name}: " if need.person is not None else "") + need.description,
            "area": need.get_outcome_area_display(),
            "area_code": need.outcome_area,
        }
        for need in version.needs.all()
    ]
