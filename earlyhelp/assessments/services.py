"""Every change to an Early Help Assessment. Each service runs in one transaction and records its
audit event (and, for a step in the assessment's life, its chronology entry) in it."""

from dataclasses import asdict, dataclass, fields
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from earlyhelp import workflow
from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import User
from earlyhelp.audit.models import Action
from earlyhelp.families.models import MemberRole, Person
from earlyhelp.journey.chronology import chronology_record
from earlyhelp.journey.models import Episode, EpisodeStatus
from earlyhelp.web.errors import RefusedError

from . import rules
from .models import (
    EDITABLE_STATUSES,
    OPEN_STATUSES,
    Assessment,
    AssessmentVersion,
    LawfulBasis,
    MemberSection,
    Need,
    OutcomeArea,
    WorryGoal,
)
from .rules import SectionContent

EPISODE_NOT_OPEN = "An assessment can only be started in an open episode of early help"
NO_OPEN_EPISODE = (
    "This family has no open episode of early help. An assessment starts once a request for support "
    "is triaged to an early help assessment."
)
VERSION_IN_PROGRESS = "Version {number} of this family's assessment is still in progress: carry on with it"
EDIT_CONFLICT = (
    "Someone else saved this assessment after you opened it, so your changes have not been saved. "
    "They are still in the form: compare them with what is saved now, shown under each field, and save again."
)
ONLY_EARLY_HELP_TEAM = (
    "Only the Early Help Team, or a manager of the lead professional's team, can quality-assure this assessment"
)
NOT_YOUR_OWN = "Someone other than the person who submitted the assessment must quality-assure it"
COMMENTS_REQUIRED = "Say what needs to change before the assessment can be approved"
NEED_DESCRIPTION_REQUIRED = "Describe the need"
NEED_AREA_REQUIRED = "Choose the outcome area the need belongs to"
NEED_PERSON_NOT_MEMBER = "Choose a member of this household, or the whole family"
WORRY_REQUIRED = "Write the danger or worry statement"
GOAL_REQUIRED = "Write the goal that answers the worry"
NOT_IN_VERSION = "That item is not part of this version of the assessment"
# The name the assessment's events have always had in the audit trail, which readers filter by.
AUDITED_AS = "assessment_version"


class AssessmentConflictError(RefusedError):
    """A save made from an out-of-date revision. Carries the version as it is now saved."""

    def __init__(self, current: AssessmentVersion) -> None:
        super().__init__(EDIT_CONFLICT)
        self.current = current


@dataclass(frozen=True)
class VersionContent:
    """The whole-family, Signs of Safety part of a version."""

    past_harm: str = ""
    future_danger: str = ""
    complicating_factors: str = ""
    working_well: str = ""
    needs_to_happen: str = ""
    family_scale: int | None = None
    practitioner_scale: int | None = None


CONTENT_FIELDS = [field.name for field in fields(VersionContent)]
SECTION_FIELDS = [field.name for field in fields(SectionContent)]
CHILD_ROLES = (MemberRole.CHILD, MemberRole.UNBORN)


def section_prefix(section_id: int) -> str:
    """The prefix of a section's fields in forms and in error dicts."""
    return f"s{section_id}_"


def _section_facts(section: MemberSection, content: SectionContent | None = None) -> rules.SectionFacts:
    if content is None:
        content = SectionContent(**{name: getattr(section, name) for name in SECTION_FIELDS})
    return rules.SectionFacts(
        field_prefix=section_prefix(section.pk),
        name=section.person.full_name,
        is_child=section.is_child,
        content=content,
    )


def _audited(version: AssessmentVersion) -> dict:
    """What every audit event of a version names: the version, its family and its number."""
    return {
        "record": version,
        "household_id": version.assessment.household_id,
        "object_type": AUDITED_AS,
        "number": version.number,
    }


def _chronicle(actor: User, version: AssessmentVersion, summary: str) -> None:
    chronology_record(
        actor=actor,
        household=version.assessment.household,
        episode=version.episode,
        kind="assessment",
        summary=summary,
        source=version,
    )


@transaction.atomic
def assessment_start(*, actor: User, episode: Episode) -> AssessmentVersion:
    """Start the family's assessment in an open episode, or its next version from the last one:
    never from blank once the family has been assessed, and one version in progress at a time."""
    if episode.status != EpisodeStatus.OPEN:
        raise RefusedError(EPISODE_NOT_OPEN, field="episode")
    household = episode.household
    Assessment.objects.get_or_create(household=household)
    # The lock makes concurrent starts queue, so the second sees the first's version.
    assessment = Assessment.objects.select_for_update().get(household=household)
    in_progress = assessment.versions.filter(status__in=OPEN_STATUSES).first()
    if in_progress is not None:
        raise RefusedError(VERSION_IN_PROGRESS.format(number=in_progress.number), field="assessment")
    last = assessment.versions.order_by("-number").first()
    content = {name: getattr(last, name) for name in CONTENT_FIELDS} if last else {}
    version = AssessmentVersion.objects.create(
        assessment=assessment,
        number=last.number + 1 if last else 1,
        episode=episode,
        based_on=last,
        created_by=actor,
        **content,
    )
    previous_sections = {section.person_id: section for section in last.sections.all()} if last else {}
    members = household.memberships.filter(ended_on__isnull=True).select_related("person")
    MemberSection.objects.bulk_create(
        MemberSection(
            version=version,
            person=membership.person,
            is_child=membership.role in CHILD_ROLES,
            **(
                {name: getattr(previous_sections[membership.person_id], name) for name in SECTION_FIELDS}
                if membership.person_id in previous_sections
                else {}
            ),
        )
        for membership in members
    )
    if last:
        Need.objects.bulk_create(
            Need(
                version=version,
                key=need.key,
                person_id=need.person_id,
                outcome_area=need.outcome_area,
                description=need.description,
            )
            for need in last.needs.all()
        )
        WorryGoal.objects.bulk_create(
            WorryGoal(version=version, key=item.key, worry=item.worry, goal=item.goal)
            for item in last.worry_goals.all()
        )
    workflow.audit_change(
        actor=actor, action=Action.CREATE, **_audited(version), based_on=last.number if last else None
    )
    summary = (
        f"Assessment review started: version {version.number}, from version {last.number}"
        if last
        else "Early Help Assessment started"
    )
    _chronicle(actor, version, summary)
    return version


@transaction.atomic
def assessment_update(
    *,
    actor: User,
    version: AssessmentVersion,
    revision: int,
    content: VersionContent,
    sections: dict[int, SectionContent],
) -> AssessmentVersion:
    """Save a version's content, made from `revision`. A save from an out-of-date revision is
    refused with the version as now saved, so nobody's work is silently overwritten."""
    errors: dict[str, str] = {}
    for name in ("family_scale", "practitioner_scale"):
        value = getattr(content, name)
        if value is not None and (error := rules.scale_error(value, missing="")):
            errors[name] = error
    own_sections = {section.pk: section for section in version.sections.select_related("person")}
    for section_id, section_content in sections.items():
        if section_id not in own_sections:
            raise ValidationError({NON_FIELD_ERRORS: [NOT_IN_VERSION]})
        if section_content.lawful_basis and section_content.lawful_basis not in LawfulBasis.values:
            errors[f"{section_prefix(section_id)}lawful_basis"] = rules.BASIS_MISSING.format(
                name=own_sections[section_id].person.full_name
            )
        errors.update(rules.section_errors(_section_facts(own_sections[section_id], section_content), submitting=False))
    if errors:
        raise ValidationError(errors)
    saved = AssessmentVersion.objects.filter(pk=version.pk, revision=revision, status__in=EDITABLE_STATUSES).update(
        revision=F("revision") + 1, last_saved_by=actor, last_saved_at=timezone.now(), **asdict(content)
    )
    if saved == 0:
        current = AssessmentVersion.objects.select_related("last_saved_by").get(pk=version.pk)
        _require_editable(current)
        raise AssessmentConflictError(current)
    # The UPDATE above holds the version's row lock until commit: sections are written under it.
    for section_id, section_content in sections.items():
        MemberSection.objects.filter(pk=section_id, version=version).update(**asdict(section_content))
    version.refresh_from_db()
    workflow.audit_change(actor=actor, **_audited(version), revision=version.revision)
    return version


def _require_editable(version: AssessmentVersion) -> None:
    if version.status not in EDITABLE_STATUSES:
        raise RefusedError(rules.CANNOT["edit"].format(status=version.get_status_display()))


def _remove(
    *, actor: User, version: AssessmentVersion, items: QuerySet[Need] | QuerySet[WorryGoal], pk: int, audited_as: str
) -> None:
    """Take one of a version's items (a need, a worry) out while the version is still being written."""
    _require_editable(version)
    deleted, _ = items.filter(pk=pk).delete()
    if not deleted:
        raise ValidationError({NON_FIELD_ERRORS: [NOT_IN_VERSION]})
    removed: dict[str, Any] = {audited_as: pk}
    workflow.audit_change(actor=actor, **_audited(version), **removed)


@transaction.atomic
def assessment_need_add(
    *, actor: User, version: AssessmentVersion, person: Person | None, outcome_area: str, description: str
) -> Need:
    """Record a need of one member, or of the whole family, tagged with its outcome area."""
    _require_editable(version)
    errors = {}
    if outcome_area not in OutcomeArea.values:
        errors["outcome_area"] = NEED_AREA_REQUIRED
    if not description.strip():
        errors["description"] = NEED_DESCRIPTION_REQUIRED
    if person is not None and not version.sections.filter(person=person).exists():
        errors["person"] = NEED_PERSON_NOT_MEMBER
    if errors:
        raise ValidationError(errors)
    need = Need.objects.create(
        version=version, person=person, outcome_area=outcome_area, description=description.strip()
    )
    workflow.audit_change(actor=actor, **_audited(version), need_added=need.pk, outcome_area=outcome_area)
    return need


@transaction.atomic
def assessment_need_remove(*, actor: User, version: AssessmentVersion, need_id: int) -> None:
    """Take a need out of a version still being written."""
    _remove(
        actor=actor, version=version, items=Need.objects.filter(version=version), pk=need_id, audited_as="need_removed"
    )


@transaction.atomic
def assessment_worry_add(*, actor: User, version: AssessmentVersion, worry: str, goal: str) -> WorryGoal:
    """Pair a danger or worry statement with its goal."""
    _require_editable(version)
    errors = {}
    if not worry.strip():
        errors["worry"] = WORRY_REQUIRED
    if not goal.strip():
        errors["goal"] = GOAL_REQUIRED
    if errors:
        raise ValidationError(errors)
    item = WorryGoal.objects.create(version=version, worry=worry.strip(), goal=goal.strip())
    workflow.audit_change(actor=actor, **_audited(version), worry_added=item.pk)
    return item


@transaction.atomic
def assessment_worry_remove(*, actor: User, version: AssessmentVersion, worry_id: int) -> None:
    """Take a worry statement and its goal out of a version still being written."""
    _remove(
        actor=actor,
        version=version,
        items=WorryGoal.objects.filter(version=version),
        pk=worry_id,
        audited_as="worry_removed",
    )


def _locked(version: AssessmentVersion, step: str) -> AssessmentVersion:
    """The version under its row lock, refused if it is not in a state the step starts from."""
    current = (
        AssessmentVersion.objects.select_for_update()
        .select_related("assessment__household", "episode")
        .get(pk=version.pk)
    )
    rules.MACHINES[step].check(current.status, rules.TRANSITIONS[step][1])
    return current


def _move(*, actor: User, version: AssessmentVersion, step: str, summary: str, **changes) -> AssessmentVersion:
    """Take one step in the version's life by the machine's rules, with its audit event and its
    chronology entry. `version` is the caller's locked copy, so its revision is current."""
    to = rules.TRANSITIONS[step][1]
    return workflow.transition(
        actor=actor,
        record=version,
        machine=rules.MACHINES[step],
        to=to,
        household_id=version.assessment.household_id,
        changes={**changes, "revision": version.revision + 1},
        details={"number": version.number, "status": to},
        chronicle=lambda moved: _chronicle(actor, moved, summary),
        object_type=AUDITED_AS,
    )


@transaction.atomic
def assessment_submit(*, actor: User, version: AssessmentVersion) -> AssessmentVersion:
    """Send a complete draft (or a returned version) to the Early Help Team for quality assurance."""
    current = _locked(version, "submit")
    sections = list(current.sections.select_related("person"))
    errors = rules.submission_errors(
        family_scale=current.family_scale,
        practitioner_scale=current.practitioner_scale,
        sections=[_section_facts(section) for section in sections],
        need_count=current.needs.count(),
    )
    if errors:
        raise ValidationError(errors)
    return _move(
        actor=actor,
        version=current,
        step="submit",
        summary=f"Assessment version {current.number} submitted for quality assurance",
        submitted_by=actor,
        submitted_at=timezone.now(),
    )


def _require_quality_assurer(actor: User, version: AssessmentVersion) -> None:
    if not capabilities.can_quality_assure(actor, version):
        raise RefusedError(ONLY_EARLY_HELP_TEAM)
    if version.submitted_by_id == actor.pk:
        raise RefusedError(NOT_YOUR_OWN)


@transaction.atomic
def assessment_approve(*, actor: User, version: AssessmentVersion, comments: str = "") -> AssessmentVersion:
    """Quality assurance passes a submitted version; it is then settled."""
    summary = f"Assessment version {version.number} approved by {_assured_by(actor)}"
    return _review(actor=actor, version=version, step="approve", comments=comments, summary=summary)


@transaction.atomic
def assessment_return(*, actor: User, version: AssessmentVersion, comments: str) -> AssessmentVersion:
    """Quality assurance sends a submitted version back, saying what needs to change."""
    summary = f"Assessment version {version.number} returned with comments"
    return _review(
        actor=actor, version=version, step="return", comments=comments, summary=summary, comments_required=True
    )


def _review(
    *, actor: User, version: AssessmentVersion, step: str, comments: str, summary: str, comments_required: bool = False
) -> AssessmentVersion:
    current = _locked(version, step)
    _require_quality_assurer(actor, current)
    if comments_required and not comments.strip():
        raise ValidationError({"comments": COMMENTS_REQUIRED})
    return _move(
        actor=actor,
        version=current,
        step=step,
        summary=summary,
        reviewed_by=actor,
        reviewed_at=timezone.now(),
        review_comments=comments.strip(),
    )


def _assured_by(actor: User) -> str:
    # The chronology has always said the Early Help Team approved; a team manager's approval says so.
    return "the Early Help Team" if capabilities.sees_whole_caseload(actor) else "the lead professional's team manager"
