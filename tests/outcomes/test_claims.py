"""Claims through their services: prepared by one person, signed off by a second (the internal audit
check), submitted; a family claimed for once; every step audited; and the work lists."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.assessments.models import OutcomeArea
from earlyhelp.audit.models import AuditEvent
from earlyhelp.journey.models import NeedOutcome
from earlyhelp.outcomes import selectors, services
from earlyhelp.outcomes.models import Claim, ClaimStatus
from earlyhelp.web.errors import RefusedError
from tests.factories import InvolvementFactory, UserFactory

from .support import THREE, family, flag, new_request

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 1)  # the families below closed on 15 August 2025: their period ended 15 February 2026


@pytest.fixture
def coordinator():
    return UserFactory(role=Role.COORDINATOR)


@pytest.fixture
def manager():
    return UserFactory(role=Role.MANAGER)


def prepared(built, by):
    return services.claim_prepare(actor=by, household=built.household, today=TODAY)


def test_a_claim_keeps_the_evidence_for_each_outcome_as_prepared(coordinator):
    built = family()
    claim = prepared(built, coordinator)
    assert claim.status == ClaimStatus.PREPARED
    assert claim.episode_id == built.episode.pk
    assert claim.sustained_until == date(2026, 2, 15)
    assert [area["area"] for area in claim.evidence] == [a for a in OutcomeArea.values if a in THREE]
    assert {area["at_closure"] for area in claim.evidence} == {"met"}
    education = next(area for area in claim.evidence if area["area"] == OutcomeArea.EDUCATION)
    assert education["evidence"][0]["ref"] == str(built.needs[OutcomeArea.EDUCATION].key)
    event = AuditEvent.objects.get(object_type="claim", object_id=str(claim.pk))
    assert event.household_id == built.household.pk


def test_the_person_who_prepared_a_claim_cannot_sign_it_off(coordinator):
    claim = prepared(family(), coordinator)
    with pytest.raises(RefusedError) as refused:
        services.claim_sign_off(actor=coordinator, claim=claim)
    assert refused.value.reason == services.SAME_PERSON
    claim.refresh_from_db()
    assert (claim.status, claim.signed_off_by) == (ClaimStatus.PREPARED, None)


def test_a_second_person_signs_off_and_the_early_help_team_submits(coordinator, manager):
    claim = prepared(family(), manager)
    signed = services.claim_sign_off(actor=coordinator, claim=claim)
    assert (signed.status, signed.signed_off_by) == (ClaimStatus.SIGNED_OFF, coordinator)
    submitted = services.claim_submit(actor=coordinator, claim=signed)
    assert (submitted.status, submitted.submitted_by) == (ClaimStatus.SUBMITTED, coordinator)
    changes = AuditEvent.objects.filter(object_type="claim", object_id=str(claim.pk), action="change")
    assert [event.details["to"] for event in changes.order_by("id")] == ["signed_off", "submitted"]


def test_the_database_refuses_a_claim_signed_off_by_its_preparer(coordinator):
    claim = prepared(family(), coordinator)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(
            status=ClaimStatus.SIGNED_OFF, signed_off_by=coordinator, signed_off_at=timezone.now()
        )


def test_a_claim_is_not_submitted_before_it_is_signed_off(coordinator):
    claim = prepared(family(), coordinator)
    with pytest.raises(RefusedError):
        services.claim_submit(actor=coordinator, claim=claim)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PREPARED


def test_a_family_is_claimed_for_once(coordinator, manager):
    built = family()
    prepared(built, coordinator)
    with pytest.raises(RefusedError) as refused:
        prepared(built, manager)
    assert refused.value.reason == services.ALREADY_CLAIMED
    assert Claim.objects.count() == 1


def test_the_database_refuses_a_second_claim_for_the_same_family(coordinator):
    built = family()
    claim = prepared(built, coordinator)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(
            household=built.household,
            episode=built.episode,
            sustained_until=claim.sustained_until,
            prepared_by=coordinator,
            prepared_at=timezone.now(),
        )


def test_a_family_still_in_its_sustainment_period_is_refused_with_the_date(coordinator):
    built = family()
    with pytest.raises(RefusedError) as refused:
        services.claim_prepare(actor=coordinator, household=built.household, today=date(2026, 2, 15))
    assert refused.value.reason == services.NOT_PROGRESS.format(
        why=services.PERIOD_RUNNING.format(date="15 February 2026")
    )
    assert not Claim.objects.exists()


def test_a_family_with_an_unmet_need_is_refused_naming_the_outcome(coordinator):
    built = family(outcomes={OutcomeArea.HEALTH: NeedOutcome.NOT_MET})
    with pytest.raises(RefusedError) as refused:
        prepared(built, coordinator)
    assert refused.value.reason == services.NOT_PROGRESS.format(
        why=services.AREAS_SHORT.format(areas="improved mental and physical health")
    )


def test_an_ineligible_family_is_refused(coordinator):
    with pytest.raises(RefusedError) as refused:
        prepared(family(areas=THREE[:2]), coordinator)
    assert refused.value.reason == services.NOT_PROGRESS.format(why=services.NOT_ELIGIBLE)


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.SOCIAL_CARE, Role.ANALYST, Role.DPO, Role.ADMIN])
def test_only_the_early_help_team_and_managers_prepare_or_sign_off(role, coordinator):
    built = family()
    someone = UserFactory(role=role)
    with pytest.raises(RefusedError):
        services.claim_prepare(actor=someone, household=built.household, today=TODAY)
    claim = prepared(built, coordinator)
    with pytest.raises(RefusedError):
        services.claim_sign_off(actor=someone, claim=claim)


def test_a_manager_does_not_mark_a_claim_submitted(coordinator, manager):
    claim = services.claim_sign_off(actor=manager, claim=prepared(family(), coordinator))
    with pytest.raises(RefusedError):
        services.claim_submit(actor=manager, claim=claim)


def test_the_work_list_holds_ready_families_near_misses_and_claims_by_state(coordinator, manager):
    ready = family(name="Ready family")
    short = family(name="Short family")
    flag(short, OutcomeArea.HOUSING, date(2025, 10, 1))
    family(name="Broken family", outcomes={OutcomeArea.EDUCATION: "not_met", OutcomeArea.HEALTH: "not_met"})
    waiting = family(name="Claimed family")
    services.claim_prepare(actor=manager, household=waiting.household, today=TODAY)
    work = selectors.claims_work_list(coordinator, as_of=TODAY)
    assert [j.history.household_name for j in work.ready] == ["Ready family"]
    assert [(j.history.household_name, j.short[0].area) for j in work.near_misses] == [
        ("Short family", OutcomeArea.HOUSING)
    ]
    assert [c.household for c in work.awaiting_sign_off] == [waiting.household]
    assert {e.household_id for e in work.episodes} == {ready.household.pk, short.household.pk}


def test_a_manager_sees_only_the_families_their_team_works_with(manager):
    mine = family(name="Team family")
    family(name="Other family")
    InvolvementFactory(household=mine.household, practitioner=UserFactory(team=manager.team))
    work = selectors.claims_work_list(manager, as_of=TODAY)
    assert [j.history.household_name for j in work.ready] == ["Team family"]


def test_a_family_whose_need_came_back_is_not_ready(coordinator):
    built = family(name="Returned family")
    new_request(built, date(2025, 9, 1))
    work = selectors.claims_work_list(coordinator, as_of=TODAY)
    assert work.ready == []
    assert work.near_misses == []  # every area is short: a new request touches them all
