"""The journey and the consent model: triage records the family's agreement as consent for the lead's
agency, and a step up shares with social care on a lawful basis the approving manager confirms."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from earlyhelp.audit.models import AuditEvent
from earlyhelp.consent import rules as consent_rules
from earlyhelp.consent.models import ConsentRecord, LawfulBasis, ShareStatus, SharingWithoutConsent
from earlyhelp.consent.selectors import SharingBasis, consent_check_sharing, shares_awaiting_manager
from earlyhelp.consent.services import consent_record
from earlyhelp.families.models import InvolvementRole
from earlyhelp.journey import services
from earlyhelp.journey.models import RequestStatus, StepUpStatus
from tests.factories import (
    AgencyFactory,
    HouseholdFactory,
    InvolvementFactory,
    MembershipFactory,
    PersonFactory,
    TeamFactory,
    UserFactory,
)

from .factories import EpisodeFactory, ManagerFactory, SupportRequestFactory

pytestmark = pytest.mark.django_db
TAF = "taf"


def _household_with(*roles: str):
    household = HouseholdFactory()
    for role in roles:
        born = date(1985, 5, 1) if role == "parent" else date(2016, 3, 4)
        MembershipFactory(household=household, person=PersonFactory(date_of_birth=born), role=role)
    return household


def test_triage_to_assessment_records_each_adult_s_consent_for_the_lead_s_agency_with_an_audit_event(coordinator):
    household = _household_with("parent", "parent", "child")
    request = SupportRequestFactory(household=household, family_consents=True)
    lead = UserFactory()
    assert not consent_check_sharing(household=household, agency=lead.agency, purpose=TAF).allowed

    services.support_request_triage(actor=coordinator, support_request=request, decision="assessment", lead=lead)

    consents = ConsentRecord.objects.filter(person__memberships__household=household)
    assert consents.count() == 2
    assert all(list(consent.agencies.all()) == [lead.agency] for consent in consents)
    assert all(consent.recorded_by == coordinator for consent in consents)
    assert AuditEvent.objects.filter(object_type="consent", actor=coordinator).count() == 2
    lead_involvement = household.involvements.get(role=InvolvementRole.LEAD_PROFESSIONAL)
    assert lead_involvement.practitioner == lead


def test_triage_to_assessment_for_children_with_no_adult_asks_for_consent_to_be_recorded_and_changes_nothing(
    coordinator,
):
    household = _household_with("child")
    request = SupportRequestFactory(household=household, family_consents=True)
    lead = UserFactory(agency=AgencyFactory(name="Northgate Primary"))

    with pytest.raises(ValidationError) as error:
        services.support_request_triage(actor=coordinator, support_request=request, decision="assessment", lead=lead)

    message = error.value.message_dict["lead"][0]
    assert message.startswith("Northgate Primary cannot lead yet")
    assert "consent page" in message
    request.refresh_from_db()
    assert request.status == RequestStatus.AWAITING_TRIAGE
    assert not household.episodes.exists()
    assert not ConsentRecord.objects.exists()


def test_a_step_up_asks_to_share_on_a_safeguarding_basis_that_the_approving_manager_confirms():
    team = TeamFactory()
    lead = UserFactory(team=team, agency=team.agency)
    manager = ManagerFactory(team=team, agency=team.agency)
    episode = EpisodeFactory(household=_household_with("parent", "child"))
    InvolvementFactory(household=episode.household, practitioner=lead, role=InvolvementRole.LEAD_PROFESSIONAL)
    mash = TeamFactory(agency=AgencyFactory(kind="social_care"))

    step_up = services.step_up_request(
        actor=lead, episode=episode, reasons=["domestic_abuse"], detail="Police notification", to_team=mash
    )
    share = SharingWithoutConsent.objects.get()
    assert (share.requested_by, share.status, share.lawful_basis) == (
        lead,
        ShareStatus.AWAITING,
        LawfulBasis.SAFEGUARDING_CHILD,
    )
    assert list(shares_awaiting_manager(manager)) == [share]

    services.step_up_approve(actor=manager, step_up=step_up)

    share.refresh_from_db()
    assert (share.status, share.decided_by) == (ShareStatus.CONFIRMED, manager)
    decision = consent_check_sharing(household=episode.household, agency=mash.agency, purpose=TAF)
    assert decision.allowed
    assert episode.household.involvements.filter(team=mash, role=InvolvementRole.CASE_HOLDER).exists()


def test_a_school_lead_s_step_up_is_approved_by_the_manager_of_the_team_working_with_the_family():
    school = TeamFactory(agency=AgencyFactory(name="Northgate Primary", kind="education"))
    early_help = TeamFactory()
    lead = UserFactory(team=school, agency=school.agency)
    manager = ManagerFactory(team=early_help, agency=early_help.agency)
    episode = EpisodeFactory(household=_household_with("parent", "child"))
    InvolvementFactory(household=episode.household, practitioner=lead, role=InvolvementRole.LEAD_PROFESSIONAL)
    InvolvementFactory(household=episode.household, practitioner=UserFactory(team=early_help), role="taf")
    mash = TeamFactory(agency=AgencyFactory(kind="social_care"))
    step_up = services.step_up_request(
        actor=lead, episode=episode, reasons=["domestic_abuse"], detail="Police notification", to_team=mash
    )

    services.step_up_approve(actor=manager, step_up=step_up)

    step_up.refresh_from_db()
    assert step_up.status == StepUpStatus.SENT
    assert SharingWithoutConsent.objects.get().decided_by == manager


def test_a_manager_with_no_tie_to_the_family_or_the_requester_cannot_confirm_the_share_and_nothing_changes():
    lead = UserFactory()
    stranger = ManagerFactory()
    episode = EpisodeFactory(household=_household_with("parent"))
    InvolvementFactory(household=episode.household, practitioner=lead, role=InvolvementRole.LEAD_PROFESSIONAL)
    mash = TeamFactory(agency=AgencyFactory(kind="social_care"))
    step_up = services.step_up_request(
        actor=lead, episode=episode, reasons=["domestic_abuse"], detail="Police notification", to_team=mash
    )

    with pytest.raises(ValidationError) as error:
        services.step_up_approve(actor=stranger, step_up=step_up)

    assert error.value.message_dict["status"] == [consent_rules.MANAGER_ONLY]
    step_up.refresh_from_db()
    assert step_up.status == StepUpStatus.AWAITING_APPROVAL
    assert SharingWithoutConsent.objects.get().status == ShareStatus.AWAITING
    assert shares_awaiting_manager(stranger).count() == 0


def test_a_manager_cannot_approve_a_step_up_they_asked_for():
    team = TeamFactory()
    manager = ManagerFactory(team=team, agency=team.agency)
    episode = EpisodeFactory(household=_household_with("parent"))
    mash = TeamFactory(agency=AgencyFactory(kind="social_care"))
    step_up = services.step_up_request(
        actor=manager, episode=episode, reasons=["domestic_abuse"], detail="Police notification", to_team=mash
    )

    with pytest.raises(services.TransitionError) as error:
        services.step_up_approve(actor=manager, step_up=step_up)

    assert error.value.reason == services.STEP_UP_NOT_YOUR_OWN
    step_up.refresh_from_db()
    assert step_up.status == StepUpStatus.AWAITING_APPROVAL


def test_consent_already_covering_social_care_needs_no_lawful_basis(coordinator):
    parent = PersonFactory(date_of_birth=date(1985, 5, 1))
    household = HouseholdFactory()
    MembershipFactory(household=household, person=parent, role="parent")
    mash = TeamFactory(agency=AgencyFactory(kind="social_care"))
    consent_record(actor=coordinator, person=parent, agencies=[mash.agency], purpose=TAF)
    episode = EpisodeFactory(household=household)
    lead = UserFactory()
    step_up = services.step_up_request(
        actor=lead, episode=episode, reasons=["domestic_abuse"], detail="Police notification", to_team=mash
    )
    decision = consent_check_sharing(household=household, agency=mash.agency, purpose=TAF)
    assert decision.basis is SharingBasis.CONSENT
    services.step_up_approve(actor=ManagerFactory(), step_up=step_up)

    assert not SharingWithoutConsent.objects.exists()
    step_up.refresh_from_db()
    assert step_up.status == StepUpStatus.SENT
