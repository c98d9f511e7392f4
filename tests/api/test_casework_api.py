"""The assessment, the plan, its actions and meetings, case notes and consent over the REST API:
the same access rules, services, audit and errors as the pages."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from earlyhelp.assessments import services as assessments
from earlyhelp.assessments.models import AssessmentStatus, AssessmentVersion
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.consent import rules as consent_rules
from earlyhelp.consent.models import ConsentRecord
from earlyhelp.notes.models import CaseNote
from earlyhelp.notes.services import NOTE_REQUIRED
from earlyhelp.plans import rules as plan_rules
from earlyhelp.plans import services as plans
from earlyhelp.plans.models import ActionStatus, Meeting, PlanAction
from earlyhelp.web.api import NOT_YOUR_PART
from tests.assessments.factories import SubmittedVersionFactory, version_ready_to_submit
from tests.factories import AgencyFactory, InvolvementFactory, UserFactory
from tests.plans.factories import CancelledActionFactory

pytestmark = pytest.mark.django_db

ASSESSMENT = "/api/assessments/families/{household}/"
VERSION = ASSESSMENT + "versions/{number}/"
PLANS = "/api/plans/families/{household}/"
PLAN = PLANS + "{plan}/"
NOTES = "/api/notes/families/{household}/"
CONSENT = "/api/consent/families/{household}/"
TODAY = timezone.localdate()

# Every endpoint, with a body that would succeed for the family's lead professional.
ENDPOINTS = [
    ("get", ASSESSMENT, None),
    ("post", ASSESSMENT + "start/", {}),
    ("get", VERSION, None),
    ("patch", VERSION, {"revision": 1}),
    ("post", VERSION + "submit/", {}),
    ("post", VERSION + "quality/", {"decision": "approve"}),
    ("get", PLANS, None),
    ("get", PLAN, None),
    ("get", PLAN + "actions/", None),
    ("post", PLAN + "actions/", {"what": "Breakfast club", "due_on": str(TODAY), "agency": None}),
    ("post", PLAN + "actions/{action}/status/", {"status": "in_progress"}),
    ("get", PLAN + "meetings/", None),
    ("post", PLAN + "meetings/", {"kind": "taf"}),
    ("get", PLAN + "arranged-meetings/", None),
    ("post", PLAN + "arranged-meetings/", {"kind": "taf"}),
    ("post", PLAN + "arranged-meetings/{scheduled}/answer/", {"response": "accepted"}),
    ("get", PLAN + "arranged-meetings/{scheduled}/meeting.ics", None),
    ("get", NOTES, None),
    ("post", NOTES, {"text": "Mum called"}),
    ("get", CONSENT, None),
    ("post", CONSENT, {"purpose": "taf"}),
    ("post", CONSENT + "{consent}/withdraw/", {}),
]
READS = [(method, path) for method, path, body in ENDPOINTS if method == "get"]


def _call(client, user, method: str, path: str, body=None, **ids):
    client.force_login(user)
    return getattr(client, method)(path.format(**ids), body, content_type="application/json")


def _views(casework) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=Action.VIEW, household_id=casework.household.pk))


@pytest.mark.parametrize(("method", "path"), READS)
def test_each_read_answers_the_lead_professional_and_is_audited_as_a_view_of_the_family(client, casework, method, path):
    response = _call(client, casework.lead, method, path, **casework.ids)
    assert response.status_code == 200, response.content
    assert [event.purpose.split()[0] for event in _views(casework)] == ["api"]


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_another_familys_records_and_missing_ones_are_not_found_alike(
    client, casework, other_casework, method, path, body
):
    # A team manager working with the first family: every endpoint is theirs to call, quality assurance too.
    manager = UserFactory(role="manager")
    InvolvementFactory(household=casework.household, practitioner=manager)
    theirs = _call(client, manager, method, path, body, **other_casework.ids)
    missing = _call(client, manager, method, path, body, **(other_casework.ids | {"household": uuid.uuid4()}))
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_a_role_that_does_not_work_with_families_is_refused_every_endpoint(client, casework, method, path, body):
    response = _call(client, UserFactory(role="analyst"), method, path, body, **casework.ids)
    assert response.status_code == 403
    assert response.json() == {"detail": NOT_YOUR_PART}


# --- The assessment ---------------------------------------------------------------------------------------


def test_the_assessments_versions_and_one_version_with_its_sections_are_read(client, casework):
    listed = _call(client, casework.lead, "get", ASSESSMENT, **casework.ids).json()
    version = _call(client, casework.lead, "get", VERSION, **casework.ids).json()
    assert [row["number"] for row in listed] == [casework.version.number]
    assert version["status"] == AssessmentStatus.APPROVED
    assert {section["person"] for section in version["sections"]} == {
        str(casework.parent.pk),
        str(casework.child.pk),
    }


def test_the_next_version_is_started_from_the_approved_one_and_a_second_start_is_a_conflict(client, casework):
    started = _call(client, casework.lead, "post", ASSESSMENT + "start/", {}, **casework.ids)
    again = _call(client, casework.lead, "post", ASSESSMENT + "start/", {}, **casework.ids)
    assert started.status_code == 201
    assert started.json()["number"] == casework.version.number + 1
    assert started.json()["past_harm"] == casework.version.past_harm
    assert again.status_code == 409
    assert again.json()["detail"] == assessments.VERSION_IN_PROGRESS.format(number=casework.version.number + 1)
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type=assessments.AUDITED_AS).count() == 1


def test_saving_a_members_section_keeps_what_was_not_sent_and_is_audited(client, casework):
    version = version_ready_to_submit(episode=casework.plan.episode)
    section = version.sections.get(person=casework.child)
    body = {"revision": version.revision, "sections": [{"id": section.pk, "about": "Loves football"}]}
    response = _call(client, casework.lead, "patch", VERSION, body, **(casework.ids | {"number": version.number}))
    assert response.status_code == 200, response.content
    section.refresh_from_db()
    assert section.about == "Loves football"
    assert section.child_voice == "I don't like it when they shout. I like football club."
    assert response.json()["past_harm"] == version.past_harm
    assert AuditEvent.objects.filter(action=Action.CHANGE, object_type=assessments.AUDITED_AS).exists()


def test_a_save_from_an_out_of_date_revision_is_a_conflict_and_changes_nothing(client, casework):
    version = version_ready_to_submit(episode=casework.plan.episode)
    body = {"revision": version.revision + 1, "past_harm": "Overwritten"}
    response = _call(client, casework.lead, "patch", VERSION, body, **(casework.ids | {"number": version.number}))
    assert response.status_code == 409
    assert response.json()["detail"] == assessments.EDIT_CONFLICT
    assert AssessmentVersion.objects.get(pk=version.pk).past_harm == version.past_harm


def test_a_scale_out_of_range_is_bad_input_naming_the_field(client, casework):
    version = version_ready_to_submit(episode=casework.plan.episode)
    body = {"revision": version.revision, "family_scale": 11}
    response = _call(client, casework.lead, "patch", VERSION, body, **(casework.ids | {"number": version.number}))
    assert response.status_code == 400
    assert list(response.json()) == ["family_scale"]


def test_an_approved_version_cannot_be_saved_or_submitted(client, casework):
    saved = _call(client, casework.lead, "patch", VERSION, {"revision": casework.version.revision}, **casework.ids)
    submitted = _call(client, casework.lead, "post", VERSION + "submit/", {}, **casework.ids)
    assert (saved.status_code, submitted.status_code) == (409, 409)


def test_a_complete_draft_is_submitted_and_an_incomplete_one_is_refused_naming_what_is_missing(client, casework):
    version = version_ready_to_submit(episode=casework.plan.episode)
    ids = casework.ids | {"number": version.number}
    AssessmentVersion.objects.filter(pk=version.pk).update(family_scale=None)
    incomplete = _call(client, casework.lead, "post", VERSION + "submit/", {}, **ids)
    AssessmentVersion.objects.filter(pk=version.pk).update(family_scale=4)
    submitted = _call(client, casework.lead, "post", VERSION + "submit/", {}, **ids)
    assert incomplete.status_code == 400
    assert "family_scale" in incomplete.json()
    assert submitted.status_code == 200
    assert submitted.json()["status"] == AssessmentStatus.SUBMITTED


def test_the_early_help_team_approves_or_returns_a_submitted_version_saying_what_to_change(
    client, casework, coordinator
):
    version = SubmittedVersionFactory(episode=casework.plan.episode)
    ids = casework.ids | {"number": version.number}
    unexplained = _call(client, coordinator, "post", VERSION + "quality/", {"decision": "return"}, **ids)
    returned = _call(
        client, coordinator, "post", VERSION + "quality/", {"decision": "return", "comments": "Add Dad"}, **ids
    )
    approved_again = _call(client, coordinator, "post", VERSION + "quality/", {"decision": "approve"}, **ids)
    assert unexplained.status_code == 400
    assert unexplained.json() == {"comments": [assessments.COMMENTS_REQUIRED]}
    assert returned.status_code == 200
    assert returned.json()["status"] == AssessmentStatus.RETURNED
    assert approved_again.status_code == 409


def test_a_practitioner_cannot_quality_assure(client, casework):
    version = SubmittedVersionFactory(episode=casework.plan.episode)
    ids = casework.ids | {"number": version.number}
    response = _call(client, casework.lead, "post", VERSION + "quality/", {"decision": "approve"}, **ids)
    assert response.status_code == 403
    assert AssessmentVersion.objects.get(pk=version.pk).status == AssessmentStatus.SUBMITTED


# --- The plan ---------------------------------------------------------------------------------------------


def test_the_plan_is_read_with_its_outcomes_actions_and_meetings(client, casework):
    listed = _call(client, casework.lead, "get", PLANS, **casework.ids).json()
    plan = _call(client, casework.lead, "get", PLAN, **casework.ids).json()
    assert [row["id"] for row in listed] == [str(casework.plan.pk)]
    assert [action["id"] for action in plan["actions"]] == [casework.action.pk]
    assert (plan["outcomes"], plan["meetings"]) == ([], [])


def test_an_action_for_a_family_member_is_added_and_audited(client, casework):
    body = {"what": "Join the parenting course", "due_on": str(TODAY + timedelta(days=30))}
    body["family_member"] = str(casework.parent.pk)
    response = _call(client, casework.lead, "post", PLAN + "actions/", body, **casework.ids)
    assert response.status_code == 201, response.content
    action = PlanAction.objects.get(pk=response.json()["id"])
    assert (action.family_member, action.status) == (casework.parent, ActionStatus.NOT_STARTED)
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="plan_action", object_id=action.pk).exists()


def test_an_action_without_what_or_who_or_for_someone_outside_the_family_is_bad_input_naming_each_field(
    client, casework, other_casework
):
    body = {"what": " ", "due_on": str(TODAY - timedelta(days=1))}
    outsider = {**body, "what": "Visit", "family_member": str(other_casework.parent.pk)}
    missing = _call(client, casework.lead, "post", PLAN + "actions/", body, **casework.ids)
    elsewhere = _call(client, casework.lead, "post", PLAN + "actions/", outsider, **casework.ids)
    assert missing.status_code == 400
    assert missing.json() == {
        "what": [plans.WHAT_REQUIRED],
        "practitioner": [plans.WHO_REQUIRED],
        "due_on": [plans.DUE_IN_PAST],
    }
    assert elsewhere.status_code == 400
    assert list(elsewhere.json()) == ["family_member"]
    assert casework.plan.actions.count() == 1


def test_an_action_moves_on_by_the_allowed_steps_and_a_cancelled_one_is_a_conflict(client, casework):
    cancelled = CancelledActionFactory(plan=casework.plan)
    moved = _call(client, casework.lead, "post", PLAN + "actions/{action}/status/", {"status": "done"}, **casework.ids)
    refused = _call(
        client,
        casework.lead,
        "post",
        PLAN + "actions/{action}/status/",
        {"status": "in_progress"},
        **(casework.ids | {"action": cancelled.pk}),
    )
    assert moved.status_code == 200
    assert moved.json()["status"] == ActionStatus.DONE
    assert AuditEvent.objects.filter(action=Action.CHANGE, object_type="plan_action").count() == 1
    assert (refused.status_code, refused.json()) == (409, {"detail": plan_rules.ACTION_CANCELLED})


def test_a_meeting_is_recorded_with_who_came_and_the_actions_it_reviewed(client, casework):
    body = {
        "kind": "taf",
        "held_on": str(TODAY),
        "decisions": "School offers a breakfast club place",
        "family_scale": 6,
        "practitioner_scale": 5,
        "next_review_on": str(TODAY + timedelta(weeks=6)),
        "family_members": [str(casework.parent.pk)],
        "actions": [{"action": casework.action.pk, "status": "in_progress"}],
    }
    response = _call(client, casework.lead, "post", PLAN + "meetings/", body, **casework.ids)
    listed = _call(client, casework.lead, "get", PLAN + "meetings/", **casework.ids).json()
    assert response.status_code == 201, response.content
    assert [row["id"] for row in listed] == [response.json()["id"]]
    assert listed[0]["attendees"] == [{"person": str(casework.parent.pk), "agency": None, "practitioner": None}]
    casework.action.refresh_from_db()
    assert casework.action.status == ActionStatus.IN_PROGRESS
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="meeting").exists()


def test_a_meeting_without_decisions_or_attendance_is_bad_input_naming_each_field(client, casework):
    body = {"kind": "taf", "held_on": str(TODAY), "decisions": "", "family_scale": 6, "practitioner_scale": 12}
    response = _call(client, casework.lead, "post", PLAN + "meetings/", body, **casework.ids)
    assert response.status_code == 400
    assert response.json() == {
        "next_review_on": [plans.REVIEW_REQUIRED],
        "decisions": [plans.DECISIONS_REQUIRED],
        "practitioner_scale": [plans.SCALE_OUT_OF_RANGE],
        "family_members": [plans.ATTENDANCE_REQUIRED],
    }
    assert not Meeting.objects.exists()


# --- Case notes and consent -------------------------------------------------------------------------------


def test_another_agencys_confidential_note_is_not_listed_and_a_note_is_added_in_the_authors_agency(client, casework):
    other_agency = UserFactory()
    CaseNote.objects.create(
        household=casework.household, author=other_agency, agency=other_agency.agency, text="Secret", confidential=True
    )
    added = _call(client, casework.lead, "post", NOTES, {"text": "Mum called", "confidential": True}, **casework.ids)
    listed = _call(client, casework.lead, "get", NOTES, **casework.ids).json()
    assert added.status_code == 201
    assert added.json()["agency"] == casework.lead.agency.name
    assert [note["text"] for note in listed] == ["Mum called"]
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="case_note").exists()


def test_a_blank_note_is_bad_input_naming_the_text(client, casework):
    response = _call(client, casework.lead, "post", NOTES, {"text": "  "}, **casework.ids)
    assert (response.status_code, response.json()) == (400, {"text": [NOTE_REQUIRED]})


def test_consent_is_listed_recorded_and_withdrawn_and_a_second_withdrawal_is_a_conflict(client, casework):
    agency = AgencyFactory()
    body = {"person": str(casework.parent.pk), "agencies": [agency.pk], "purpose": "taf"}
    recorded = _call(client, casework.lead, "post", CONSENT, body, **casework.ids)
    listed = _call(client, casework.lead, "get", CONSENT, **casework.ids).json()
    withdraw = CONSENT + "{consent}/withdraw/"
    withdrawn = _call(client, casework.lead, "post", withdraw, {}, **casework.ids)
    again = _call(client, casework.lead, "post", withdraw, {}, **casework.ids)
    assert recorded.status_code == 201, recorded.content
    assert recorded.json()["agencies"] == [agency.pk]
    assert {row["id"] for row in listed} == {casework.consent.pk, recorded.json()["id"]}
    assert (withdrawn.status_code, withdrawn.json()["withdrawn_on"]) == (200, str(TODAY))
    assert (again.status_code, again.json()) == (409, {"detail": consent_rules.ALREADY_WITHDRAWN})
    assert AuditEvent.objects.filter(object_type="consent", action=Action.CHANGE).count() == 1


def test_consent_of_someone_outside_the_family_or_of_a_child_not_judged_competent_is_bad_input(
    client, casework, other_casework
):
    agency = AgencyFactory()
    outsider = {"person": str(other_casework.parent.pk), "agencies": [agency.pk], "purpose": "taf"}
    child = {**outsider, "person": str(casework.child.pk), "agencies": [2**70]}
    elsewhere = _call(client, casework.lead, "post", CONSENT, outsider, **casework.ids)
    too_young = _call(client, casework.lead, "post", CONSENT, {**child, "agencies": [agency.pk]}, **casework.ids)
    unknown_agency = _call(client, casework.lead, "post", CONSENT, child, **casework.ids)
    assert (elsewhere.status_code, list(elsewhere.json())) == (400, ["person"])
    assert (too_young.status_code, too_young.json()) == (400, {"person": [consent_rules.NOT_COMPETENT]})
    assert (unknown_agency.status_code, list(unknown_agency.json())) == (400, ["agencies"])
    assert ConsentRecord.objects.count() == 2  # the fixtures' own
