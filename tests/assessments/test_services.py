"""The assessment's life: start, save, submit, quality assurance, review; every allowed and
every refused transition."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from earlyhelp.assessments import rules, services
from earlyhelp.assessments.models import AssessmentStatus, AssessmentVersion, LawfulBasis, OutcomeArea
from earlyhelp.assessments.selectors import assessment_diff
from earlyhelp.audit.models import AuditEvent
from earlyhelp.journey.models import ChronologyEntry, EpisodeStatus
from tests.factories import UserFactory

from .factories import (
    ApprovedVersionFactory,
    ClosedEpisodeFactory,
    DraftVersionFactory,
    EpisodeFactory,
    ReturnedVersionFactory,
    SubmittedVersionFactory,
    version_ready_to_submit,
)

pytestmark = pytest.mark.django_db

FACTORIES = {
    AssessmentStatus.DRAFT: DraftVersionFactory,
    AssessmentStatus.SUBMITTED: SubmittedVersionFactory,
    AssessmentStatus.RETURNED: ReturnedVersionFactory,
    AssessmentStatus.APPROVED: ApprovedVersionFactory,
}


def _messages(error: ValidationError) -> list[str]:
    return [message for messages in error.message_dict.values() for message in messages]


def _transition(name, version, coordinator):
    if name == "submit":
        return services.assessment_submit(actor=version.created_by, version=version)
    if name == "approve":
        return services.assessment_approve(actor=coordinator, version=version)
    return services.assessment_return(actor=coordinator, version=version, comments="Add the child's voice")


def test_starting_an_assessment_gives_a_section_to_each_member_and_writes_audit_and_chronology(episode, lead):
    version = services.assessment_start(actor=lead, episode=episode)
    assert version.number == 1
    assert version.status == AssessmentStatus.DRAFT
    assert {s.person_id for s in version.sections.all()} == set(
        episode.household.memberships.values_list("person_id", flat=True)
    )
    assert [s.is_child for s in version.sections.order_by("-is_child")] == [True, False]
    assert AuditEvent.objects.filter(object_type="assessment_version", object_id=str(version.pk), action="create")
    assert ChronologyEntry.objects.get(source_id=str(version.pk)).kind == "assessment"


def test_an_assessment_cannot_start_in_a_closed_episode(db):
    episode = ClosedEpisodeFactory()
    with pytest.raises(ValidationError) as error:
        services.assessment_start(actor=UserFactory(), episode=episode)
    assert error.value.message_dict == {"episode": [services.EPISODE_NOT_OPEN]}


def test_a_second_version_cannot_start_while_one_is_in_progress(episode, lead):
    services.assessment_start(actor=lead, episode=episode)
    with pytest.raises(ValidationError) as error:
        services.assessment_start(actor=lead, episode=episode)
    assert error.value.message_dict == {"assessment": [services.VERSION_IN_PROGRESS.format(number=1)]}
    assert AssessmentVersion.objects.count() == 1


def test_a_later_episode_starts_from_the_last_version_never_from_blank(episode, lead):
    approved = ApprovedVersionFactory(episode=episode)
    approved.worry_goals.create(worry="Arguments at home", goal="Calm home")
    episode.status, episode.closed_on = EpisodeStatus.CLOSED, episode.opened_on
    episode.save()
    later = EpisodeFactory(household=episode.household)
    version = services.assessment_start(actor=lead, episode=later)
    assert version.number == 2
    assert version.based_on == approved
    assert version.assessment == approved.assessment
    assert version.past_harm == approved.past_harm
    assert version.family_scale == approved.family_scale
    assert [n.key for n in version.needs.all()] == [n.key for n in approved.needs.all()]
    assert [w.key for w in version.worry_goals.all()] == [w.key for w in approved.worry_goals.all()]
    child = version.sections.get(is_child=True)
    assert child.child_voice == approved.sections.get(person=child.person).child_voice
    assert assessment_diff(approved, version) == []


def test_saving_with_the_current_revision_changes_the_content_and_the_revision(episode, lead):
    version = services.assessment_start(actor=lead, episode=episode)
    section = version.sections.get(is_child=True)
    opened_at = version.revision
    saved = services.assessment_update(
        actor=lead,
        version=version,
        revision=opened_at,
        content=services.VersionContent(working_well="Nan helps every day", family_scale=3),
        sections={section.pk: services.SectionContent(child_voice="I like school")},
    )
    assert saved.revision == opened_at + 1
    assert saved.working_well == "Nan helps every day"
    assert saved.family_scale == 3
    section.refresh_from_db()
    assert section.child_voice == "I like school"


def test_saving_from_an_old_revision_is_refused_with_the_conflict_message_and_changes_nothing(episode, lead):
    version = services.assessment_start(actor=lead, episode=episode)
    other = UserFactory()
    services.assessment_update(
        actor=other, version=version, revision=1, content=services.VersionContent(working_well="First"), sections={}
    )
    with pytest.raises(services.AssessmentConflictError) as error:
        services.assessment_update(
            actor=lead, version=version, revision=1, content=services.VersionContent(working_well="Second"), sections={}
        )
    assert _messages(error.value) == [services.EDIT_CONFLICT]
    assert error.value.current.working_well == "First"
    assert error.value.current.last_saved_by == other
    version.refresh_from_db()
    assert (version.working_well, version.revision) == ("First", 2)


def test_a_scale_outside_0_to_10_is_refused_naming_the_field(episode, lead):
    version = services.assessment_start(actor=lead, episode=episode)
    with pytest.raises(ValidationError) as error:
        services.assessment_update(
            actor=lead, version=version, revision=1, content=services.VersionContent(family_scale=11), sections={}
        )
    assert error.value.message_dict == {"family_scale": [rules.SCALE_OUT_OF_RANGE]}


def test_sharing_without_consent_needs_a_lawful_basis(episode, lead):
    version = services.assessment_start(actor=lead, episode=episode)
    adult = version.sections.get(is_child=False)
    prefix = services.section_prefix(adult.pk)
    with pytest.raises(ValidationError) as error:
        services.assessment_update(
            actor=lead,
            version=version,
            revision=1,
            content=services.VersionContent(),
            sections={adult.pk: services.SectionContent(consent_given=False)},
        )
    assert error.value.message_dict == {f"{prefix}lawful_basis": [rules.BASIS_MISSING.format(name=adult.person)]}
    services.assessment_update(
        actor=lead,
        version=version,
        revision=1,
        content=services.VersionContent(),
        sections={adult.pk: services.SectionContent(consent_given=False, lawful_basis=LawfulBasis.SAFEGUARDING)},
    )
    adult.refresh_from_db()
    assert adult.lawful_basis == LawfulBasis.SAFEGUARDING


def test_submission_names_every_gap(episode, lead):
    version = services.assessment_start(actor=lead, episode=episode)
    child = version.sections.get(is_child=True)
    adult = version.sections.get(is_child=False)
    with pytest.raises(ValidationError) as error:
        services.assessment_submit(actor=lead, version=version)
    assert error.value.message_dict == {
        "family_scale": [rules.SCALE_MISSING],
        "practitioner_scale": [rules.PRACTITIONER_SCALE_MISSING],
        f"{services.section_prefix(child.pk)}child_voice": [rules.VOICE_MISSING.format(name=child.person)],
        f"{services.section_prefix(adult.pk)}consent_given": [rules.CONSENT_MISSING.format(name=adult.person)],
        "needs": [rules.NEEDS_MISSING],
    }
    version.refresh_from_db()
    assert version.status == AssessmentStatus.DRAFT


def test_a_reason_the_child_could_not_be_heard_stands_in_for_their_voice(episode, lead):
    version = version_ready_to_submit(episode=episode)
    section = version.sections.get(is_child=True)
    section.child_voice = ""
    section.voice_not_heard_reason = "Non-verbal; observed at home and at nursery"
    section.save()
    assert services.assessment_submit(actor=lead, version=version).status == AssessmentStatus.SUBMITTED


ALLOWED = [
    ("submit", AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED),
    ("submit", AssessmentStatus.RETURNED, AssessmentStatus.SUBMITTED),
    ("approve", AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED),
    ("return", AssessmentStatus.SUBMITTED, AssessmentStatus.RETURNED),
]
REFUSED = [
    (name, status)
    for name in ("submit", "approve", "return")
    for status in AssessmentStatus.values
    if (name, status) not in {(n, s) for n, s, _ in ALLOWED}
]


@pytest.mark.parametrize(("name", "start", "end"), ALLOWED)
def test_every_allowed_transition_moves_the_version_and_is_chronicled(episode, coordinator, name, start, end):
    version = FACTORIES[start](episode=episode)
    if start == AssessmentStatus.DRAFT:
        version = version_ready_to_submit(episode=EpisodeFactory())
    moved = _transition(name, version, coordinator)
    assert moved.status == end
    assert AuditEvent.objects.filter(object_id=str(version.pk), details__status=end).exists()
    assert ChronologyEntry.objects.filter(source_id=str(version.pk), kind="assessment").exists()


@pytest.mark.parametrize(("name", "start"), REFUSED)
def test_every_refused_transition_says_why_and_changes_nothing(episode, coordinator, name, start):
    version = FACTORIES[start](episode=episode)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        _transition(name, version, coordinator)
    status_label = AssessmentStatus(start).label.lower()
    assert error.value.message_dict == {NON_FIELD_ERRORS: [rules.CANNOT[name].format(status=status_label)]}
    version.refresh_from_db()
    assert version.status == start
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("name", ["approve", "return"])
def test_only_the_early_help_team_quality_assures(episode, name):
    version = SubmittedVersionFactory(episode=episode)
    manager = UserFactory(role="manager")
    with pytest.raises(ValidationError) as error:
        _transition(name, version, manager)
    assert _messages(error.value) == [services.ONLY_EARLY_HELP_TEAM]


def test_a_coordinator_cannot_approve_what_they_submitted(episode, coordinator):
    version = SubmittedVersionFactory(episode=episode, created_by=coordinator)
    with pytest.raises(ValidationError) as error:
        services.assessment_approve(actor=coordinator, version=version)
    assert _messages(error.value) == [services.NOT_YOUR_OWN]


def test_returning_needs_comments(episode, coordinator):
    version = SubmittedVersionFactory(episode=episode)
    with pytest.raises(ValidationError) as error:
        services.assessment_return(actor=coordinator, version=version, comments="  ")
    assert error.value.message_dict == {"comments": [services.COMMENTS_REQUIRED]}


@pytest.mark.parametrize("status", [AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED])
def test_a_settled_version_cannot_be_edited(episode, lead, status):
    version = FACTORIES[status](episode=episode)
    message = rules.CANNOT["edit"].format(status=version.get_status_display())
    with pytest.raises(ValidationError) as error:
        services.assessment_update(
            actor=lead, version=version, revision=version.revision, content=services.VersionContent(), sections={}
        )
    assert _messages(error.value) == [message]
    with pytest.raises(ValidationError):
        services.assessment_need_add(
            actor=lead, version=version, person=None, outcome_area=OutcomeArea.HOUSING, description="Damp flat"
        )


def test_a_need_is_tagged_with_an_outcome_area_and_a_member_of_the_household(episode, lead):
    version = services.assessment_start(actor=lead, episode=episode)
    with pytest.raises(ValidationError) as error:
        services.assessment_need_add(actor=lead, version=version, person=None, outcome_area="pets", description="")
    assert error.value.message_dict == {
        "outcome_area": [services.NEED_AREA_REQUIRED],
        "description": [services.NEED_DESCRIPTION_REQUIRED],
    }
    parent = version.sections.get(is_child=False).person
    need = services.assessment_need_add(
        actor=lead, version=version, person=parent, outcome_area=OutcomeArea.HEALTH, description="Low mood"
    )
    assert need.get_outcome_area_display() == "Improved mental and physical health"


def test_the_diff_between_versions_shows_what_changed(episode, lead, coordinator):
    first = ApprovedVersionFactory(episode=episode)
    second = services.assessment_start(actor=lead, episode=episode)
    child = second.sections.get(is_child=True)
    services.assessment_update(
        actor=lead,
        version=second,
        revision=second.revision,
        content=services.VersionContent(
            past_harm=first.past_harm, working_well="Dad has started a parenting course", family_scale=7
        ),
        sections={child.pk: services.SectionContent(child_voice="Home is calmer now")},
    )
    services.assessment_need_add(
        actor=lead, version=second, person=None, outcome_area=OutcomeArea.HOUSING, description="Rent arrears"
    )
    changes = {(c.where, c.field, c.before, c.after) for c in assessment_diff(first, second)}
    assert ("Whole family", "What is working well", first.working_well, "Dad has started a parenting course") in changes
    assert ("Whole family", "Scale scored by the family", "4", "7") in changes
    assert (
        child.person.full_name,
        "In the child's own words",
        first.sections.get(person=child.person).child_voice,
        "Home is calmer now",
    ) in changes
    assert ("Need: whole family", "Need", "", "Rent arrears") in changes
    assert ("Whole family", "What has happened (past harm)", first.past_harm, first.past_harm) not in changes
