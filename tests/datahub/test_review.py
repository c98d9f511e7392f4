"""Clerical review: a reviewer sees the partner's record beside the register person the matcher found,
with each comparison's evidence in words, and accepts or rejects the link; both are audited, and the
register person's details are read through the access choke point. Nobody else may review."""

import random
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.datahub import messages, rules
from earlyhelp.datahub.models import LinkStatus, PartnerRecord
from earlyhelp.datahub.services import partner_record_link_accept, partner_record_link_reject
from earlyhelp.datahub.views import REVIEW_PURPOSE
from earlyhelp.demo.identifiers import synthetic_upn
from earlyhelp.families.services import UPN_TAKEN
from earlyhelp.web.errors import RefusedError
from tests.factories import PersonFactory, UserFactory

from .linking import an_upload, partner_records

pytestmark = pytest.mark.django_db

WEIGHTS = {"given_name": -7.5, "family_name": 9.2, "dob": 6.1, "postcode": 3.0, "nhs_number": 0.0}


@pytest.fixture
def candidate():
    return PersonFactory(
        given_name="Harriet", family_name="Oyelaran", postcode="BD9 4LT", address_line_1="3 Manor Row", upn=None
    )


def _in_review(person, *, status=LinkStatus.IN_REVIEW) -> PartnerRecord:
    row = {
        "record_id": "HENRY",
        "given_name": "Henry",
        "family_name": "Oyelaran",
        "date_of_birth": "2015-11-20",
        "postcode": "BD9 4LT",
    }
    record = partner_records(an_upload(), [row])["HENRY"]
    PartnerRecord.objects.filter(pk=record.pk).update(
        link_status=status, person=person, match_probability=0.93, match_weights=WEIGHTS
    )
    return PartnerRecord.objects.get(pk=record.pk)


@pytest.fixture
def record(candidate):
    return _in_review(candidate)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.DPO])
def test_the_review_page_shows_both_records_side_by_side_with_the_evidence_in_words(client, record, candidate, role):
    client.force_login(UserFactory(role=role))

    page = client.get(reverse("datahub:review", args=[record.pk])).content.decode()

    assert "Henry" in page
    assert f"Register: {candidate.full_name}" in page
    assert "3 Manor Row" in page
    assert "Strongly against</strong> (match weight -7.5)" in page
    assert "Strongly for</strong> (match weight 9.2)" in page
    assert "Makes it about 181 times less likely they are the same person" in page
    assert page.index("Family name</dt>") < page.index("Given name</dt>") < page.index("Date of birth</dt>")
    assert "0.9300" in page


def test_opening_the_review_page_reads_the_register_person_through_the_choke_point(client, record, candidate):
    reviewer = UserFactory(role=Role.DPO)
    client.force_login(reviewer)

    client.get(reverse("datahub:review", args=[record.pk]))

    view = AuditEvent.objects.get(action=Action.VIEW, object_type="person", actor=reviewer)
    assert view.person_id == candidate.pk
    assert view.purpose == REVIEW_PURPOSE


def test_a_reviewer_accepts_and_the_record_is_linked_by_them_with_an_audit_event(client, record, candidate):
    reviewer = UserFactory(role=Role.COORDINATOR)
    client.force_login(reviewer)

    response = client.post(reverse("datahub:review", args=[record.pk]), {"decision": "accept"})

    assert response.status_code == 302
    assert response.url == reverse("datahub:review-queue")
    record.refresh_from_db()
    assert record.link_status == LinkStatus.LINKED
    assert record.person_id == candidate.pk
    assert record.linked_by == reviewer
    assert record.linked_at is not None
    event = AuditEvent.objects.get(action=Action.CHANGE, object_type="partnerrecord", object_id=str(record.pk))
    assert event.actor == reviewer
    assert event.person_id == candidate.pk
    assert event.details["decision"] == "accepted"
    assert (event.details["from"], event.details["to"]) == (LinkStatus.IN_REVIEW, LinkStatus.LINKED)


def test_a_reviewer_rejects_and_the_record_is_known_to_partners_only(client, record, candidate):
    reviewer = UserFactory(role=Role.DPO)
    client.force_login(reviewer)

    client.post(reverse("datahub:review", args=[record.pk]), {"decision": "reject"})

    record.refresh_from_db()
    assert record.link_status == LinkStatus.PARTNERS_ONLY
    assert record.person_id is None
    assert record.match_weights == {}
    assert record.linked_by is None
    event = AuditEvent.objects.get(action=Action.CHANGE, object_type="partnerrecord", object_id=str(record.pk))
    assert event.person_id == candidate.pk
    assert event.details["decision"] == "rejected"
    assert event.details["to"] == LinkStatus.PARTNERS_ONLY
    listed = client.get(reverse("datahub:partners-only")).content.decode()
    assert "Henry Oyelaran" in listed


def test_a_decision_must_be_chosen_and_nothing_changes_without_one(client, record):
    client.force_login(UserFactory(role=Role.COORDINATOR))

    page = client.post(reverse("datahub:review", args=[record.pk]), {}).content.decode()

    assert messages.REVIEW_DECISION_REQUIRED in page
    record.refresh_from_db()
    assert record.link_status == LinkStatus.IN_REVIEW
    assert not AuditEvent.objects.filter(action=Action.CHANGE, object_type="partnerrecord").exists()


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.MANAGER, Role.SOCIAL_CARE, Role.ANALYST, Role.ADMIN])
def test_nobody_else_may_review(client, record, role):
    user = UserFactory(role=role)
    client.force_login(user)

    assert client.get(reverse("datahub:review-queue")).status_code == 403
    assert client.post(reverse("datahub:review", args=[record.pk]), {"decision": "accept"}).status_code == 403
    with pytest.raises(PermissionDenied, match=messages.NOT_ALLOWED_TO_REVIEW):
        partner_record_link_accept(actor=user, record=record)
    with pytest.raises(PermissionDenied, match=messages.NOT_ALLOWED_TO_REVIEW):
        partner_record_link_reject(actor=user, record=record)
    record.refresh_from_db()
    assert record.link_status == LinkStatus.IN_REVIEW
    assert not AuditEvent.objects.filter(object_type="partnerrecord").exists()


def test_a_record_decided_meanwhile_is_refused_with_the_reason(record):
    first, second = UserFactory(role=Role.COORDINATOR), UserFactory(role=Role.DPO)
    partner_record_link_accept(actor=first, record=record)

    with pytest.raises(RefusedError, match=messages.REVIEW_ALREADY_LINKED):
        partner_record_link_reject(actor=second, record=record)
    record.refresh_from_db()
    assert record.linked_by == first


def test_a_record_not_in_review_has_no_review_page(client, candidate):
    linked = _in_review(candidate, status=LinkStatus.LINKED)
    client.force_login(UserFactory(role=Role.COORDINATOR))

    assert client.get(reverse("datahub:review", args=[linked.pk])).status_code == 404


def test_the_queue_lists_records_in_review_only_and_links_each_to_its_page(client, record, candidate):
    _in_review(candidate, status=LinkStatus.LINKED)
    client.force_login(UserFactory(role=Role.COORDINATOR))

    page = client.get(reverse("datahub:review-queue")).content.decode()

    assert reverse("datahub:review", args=[record.pk]) in page
    assert "1 record waiting" in page
    # The candidate is read only on the record's own page, through the choke point.
    assert candidate.family_name not in page.replace("Oyelaran</a>", "").replace("Henry Oyelaran", "")


@pytest.mark.parametrize(
    ("weight", "direction", "meaning"),
    [
        (10.0, "Strongly for", "Makes it about 1,024 times more likely they are the same person"),
        (3.0, "For", "Makes it about 8.0 times more likely they are the same person"),
        (-2.0, "Against", "Makes it about 4.0 times less likely they are the same person"),
        (-6.0, "Strongly against", "Makes it about 64 times less likely they are the same person"),
        (0.0, "Neither for nor against", "Makes little difference either way (often: missing on one side)"),
    ],
)
def test_a_match_weight_reads_as_words(weight, direction, meaning):
    assert rules.evidence_in_words(weight) == (direction, meaning)


def _partners_only(**identifying) -> PartnerRecord:
    row = {"record_id": "ZAINAB", "given_name": "Zainab", "family_name": "Okafor", "date_of_birth": "2016-01-17"}
    record = partner_records(an_upload(), [row | {"sex": "female", "postcode": "BD3 7QA", **identifying}])["ZAINAB"]
    PartnerRecord.objects.filter(pk=record.pk).update(link_status=LinkStatus.PARTNERS_ONLY)
    return PartnerRecord.objects.get(pk=record.pk)


def test_the_early_help_team_adds_a_person_from_a_record_known_to_partners_only(client):
    record = _partners_only()
    coordinator = UserFactory(role=Role.COORDINATOR)
    client.force_login(coordinator)
    listed = client.get(reverse("datahub:partners-only")).content.decode()
    assert reverse("datahub:person-from-record", args=[record.pk]) in listed

    response = client.post(reverse("datahub:person-from-record", args=[record.pk]))

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.link_status == LinkStatus.LINKED
    assert record.linked_by == coordinator
    person = record.person
    assert (person.given_name, person.family_name, person.sex, person.postcode) == ("Zainab", "Okafor", "F", "BD3 7QA")
    assert person.date_of_birth.isoformat() == "2016-01-17"
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="person", person_id=person.pk).exists()
    change = AuditEvent.objects.get(object_type="partnerrecord", object_id=str(record.pk))
    assert change.details["decision"] == "person_created"


def test_a_person_is_not_created_from_a_record_whose_upn_someone_else_holds(client):
    held = PersonFactory(upn=synthetic_upn(random.Random(5)))
    record = _partners_only(upn=held.upn)
    client.force_login(UserFactory(role=Role.COORDINATOR))

    page = client.post(reverse("datahub:person-from-record", args=[record.pk])).content.decode()

    assert UPN_TAKEN in page
    record.refresh_from_db()
    assert record.link_status == LinkStatus.PARTNERS_ONLY
    assert PersonFactory._meta.model.objects.count() == 1


def test_the_data_protection_officer_sees_records_known_to_partners_only_but_adds_no_one(client):
    record = _partners_only()
    client.force_login(UserFactory(role=Role.DPO))

    listed = client.get(reverse("datahub:partners-only")).content.decode()

    assert "Zainab Okafor" in listed
    assert reverse("datahub:person-from-record", args=[record.pk]) not in listed
    assert client.post(reverse("datahub:person-from-record", args=[record.pk])).status_code == 403


def test_an_age_the_partner_gave_is_shown_beside_the_register_persons_age_on_that_date(client, candidate):
    candidate.date_of_birth = date(2015, 11, 20)
    candidate.save()
    record = _in_review(candidate)
    aged = record.identifying | {"age": 8, "age_on": "2024-06-01"}
    PartnerRecord.objects.filter(pk=record.pk).update(identifying=aged)
    client.force_login(UserFactory(role=Role.COORDINATOR))

    page = " ".join(client.get(reverse("datahub:review", args=[record.pk])).content.decode().split())

    # Born 20 November 2015, the register's person was 8 on 1 June 2024, as the partner said.
    cell = '<td class="govuk-table__cell">'
    assert f">Age on 01/06/2024</th> {cell}8</td> {cell}8</td>" in page
