from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.consent import rules
from earlyhelp.consent.models import ConsentRecord, ShareStatus, SharingPurpose
from earlyhelp.consent.selectors import SharingBasis, consent_check_sharing
from earlyhelp.consent.services import (
    consent_record,
    consent_withdraw,
    involvement_start,
    sharing_without_consent_decide,
    sharing_without_consent_request,
)
from earlyhelp.families.models import Involvement, MemberRole
from earlyhelp.notifications.models import Alert
from tests.factories import AgencyFactory, MembershipFactory, PersonFactory, UserFactory

TAF = SharingPurpose.TEAM_AROUND_THE_FAMILY


@pytest.fixture
def family_with_parent(db):
    child = MembershipFactory()
    parent = MembershipFactory(
        household=child.household,
        role=MemberRole.PARENT,
        person=PersonFactory(date_of_birth=date(1985, 3, 1)),
    )
    return child.household, parent.person, child.person


def test_an_agency_cannot_join_the_team_without_consent_or_a_lawful_basis(family_with_parent):
    household, _, _ = family_with_parent
    practitioner = UserFactory()
    with pytest.raises(ValidationError) as error:
        involvement_start(
            actor=practitioner, household=household, role="taf", agency=practitioner.agency, practitioner=practitioner
        )
    assert error.value.message_dict["agency"] == [rules.NOT_COVERED.format(agency=practitioner.agency.name)]
    assert not Involvement.objects.filter(household=household).exists()


def test_a_parents_consent_naming_the_agency_lets_it_join(family_with_parent):
    household, parent, _ = family_with_parent
    practitioner = UserFactory()
    consent_record(actor=practitioner, person=parent, agencies=[practitioner.agency], purpose=TAF)
    involvement = involvement_start(
        actor=practitioner, household=household, role="taf", agency=practitioner.agency, practitioner=practitioner
    )
    assert involvement.pk is not None


def test_consent_for_another_agency_or_purpose_does_not_cover(family_with_parent):
    household, parent, _ = family_with_parent
    recorder = UserFactory()
    wanted = AgencyFactory()
    consent_record(actor=recorder, person=parent, agencies=[AgencyFactory()], purpose=TAF)
    consent_record(actor=recorder, person=parent, agencies=[wanted], purpose=SharingPurpose.REFERRAL)
    decision = consent_check_sharing(household=household, agency=wanted, purpose=TAF)
    assert not decision.allowed
    assert decision.without_consent == [parent]


def test_every_adult_must_consent(family_with_parent):
    household, parent, _ = family_with_parent
    other_adult = MembershipFactory(household=household, role=MemberRole.CARER, person=PersonFactory()).person
    agency = AgencyFactory()
    consent_record(actor=UserFactory(), person=parent, agencies=[agency], purpose=TAF)
    decision = consent_check_sharing(household=household, agency=agency, purpose=TAF)
    assert not decision.allowed
    assert decision.without_consent == [other_adult]


def test_withdrawn_consent_no_longer_covers_sharing(family_with_parent):
    household, parent, _ = family_with_parent
    agency = AgencyFactory()
    consent = consent_record(actor=UserFactory(), person=parent, agencies=[agency], purpose=TAF)
    assert consent_check_sharing(household=household, agency=agency, purpose=TAF).basis is SharingBasis.CONSENT
    consent_withdraw(actor=UserFactory(), consent=consent)
    assert not consent_check_sharing(household=household, agency=agency, purpose=TAF).allowed


def test_withdrawing_twice_is_refused(family_with_parent):
    _, parent, _ = family_with_parent
    consent = consent_record(actor=UserFactory(), person=parent, agencies=[AgencyFactory()], purpose=TAF)
    consent_withdraw(actor=UserFactory(), consent=consent)
    with pytest.raises(ValidationError) as error:
        consent_withdraw(actor=UserFactory(), consent=consent)
    assert error.value.message_dict["withdrawn_on"] == [rules.ALREADY_WITHDRAWN]


def test_a_child_consents_only_when_judged_competent(family_with_parent):
    _, _, child = family_with_parent
    child.date_of_birth = timezone.localdate() - timedelta(days=365 * 14)
    with pytest.raises(ValidationError) as error:
        consent_record(actor=UserFactory(), person=child, agencies=[AgencyFactory()], purpose=TAF)
    assert error.value.message_dict["person"] == [rules.NOT_COMPETENT]
    assert not ConsentRecord.objects.exists()
    consent = consent_record(
        actor=UserFactory(), person=child, agencies=[AgencyFactory()], purpose=TAF, young_person_competent=True
    )
    assert consent.young_person_competent


def test_consent_dated_in_the_future_is_refused(family_with_parent):
    _, parent, _ = family_with_parent
    with pytest.raises(ValidationError) as error:
        consent_record(
            actor=UserFactory(),
            person=parent,
            agencies=[AgencyFactory()],
            purpose=TAF,
            given_on=timezone.localdate() + timedelta(days=1),
        )
    assert error.value.message_dict["given_on"] == [rules.GIVEN_IN_FUTURE]


def test_sharing_without_consent_needs_another_managers_confirmation_and_tells_the_dpo(family_with_parent):
    household, _, _ = family_with_parent
    practitioner = UserFactory()
    manager = UserFactory(role=Role.MANAGER, agency=practitioner.agency, team=practitioner.team)
    officer = UserFactory(role=Role.DPO)
    target = AgencyFactory()
    share = sharing_without_consent_request(
        actor=practitioner,
        household=household,
        agency=target,
        purpose=TAF,
        lawful_basis="safeguarding_child",
        reason="Police domestic abuse notification; asking would raise the risk",
    )
    assert Alert.objects.filter(recipient=manager, kind="sharing_requested").exists()
    assert not consent_check_sharing(household=household, agency=target, purpose=TAF).allowed
    with pytest.raises(ValidationError) as error:
        sharing_without_consent_decide(actor=practitioner, share=share, confirm=True)
    assert error.value.message_dict["status"] == [rules.MANAGER_ONLY]
    sharing_without_consent_decide(actor=manager, share=share, confirm=True)
    share.refresh_from_db()
    assert share.status == ShareStatus.CONFIRMED
    decision = consent_check_sharing(household=household, agency=target, purpose=TAF)
    assert decision.basis is SharingBasis.LAWFUL_BASIS
    assert Alert.objects.filter(recipient=officer, kind="sharing_without_consent").exists()


def test_a_manager_cannot_confirm_their_own_request(family_with_parent):
    household, _, _ = family_with_parent
    manager = UserFactory(role=Role.MANAGER)
    share = sharing_without_consent_request(
        actor=manager,
        household=household,
        agency=AgencyFactory(),
        purpose=TAF,
        lawful_basis="safeguarding_child",
        reason="Child at risk",
    )
    with pytest.raises(ValidationError) as error:
        sharing_without_consent_decide(actor=manager, share=share, confirm=True)
    assert error.value.message_dict["status"] == [rules.NOT_YOUR_OWN]


def test_sharing_without_consent_needs_a_reason(family_with_parent):
    household, _, _ = family_with_parent
    with pytest.raises(ValidationError) as error:
        sharing_without_consent_request(
            actor=UserFactory(),
            household=household,
            agency=AgencyFactory(),
            purpose=TAF,
            lawful_basis="safeguarding_child",
            reason="   ",
        )
    assert error.value.message_dict["reason"] == [rules.REASON_REQUIRED]


def test_a_new_family_with_no_members_yet_needs_no_consent_for_its_creator(db):
    practitioner = UserFactory()
    from earlyhelp.families.services import household_create

    household = household_create(actor=practitioner, name="Smith family")
    assert Involvement.objects.filter(household=household, practitioner=practitioner).exists()


def test_consent_page_records_consent_for_a_household_member(client, family_with_parent):
    household, parent, _ = family_with_parent
    practitioner = UserFactory()
    Involvement.objects.create(
        household=household,
        agency=practitioner.agency,
        practitioner=practitioner,
        role="taf",
        started_on=date(2024, 1, 1),
    )
    client.force_login(practitioner)
    other = AgencyFactory()
    response = client.post(
        f"/consent/{household.id}/new/", {"person": str(parent.id), "agencies": [other.id], "purpose": TAF}
    )
    assert response.status_code == 302
    assert ConsentRecord.objects.get(person=parent).agencies.get() == other
    page = client.get(f"/consent/{household.id}/")
    assert parent.full_name in page.content.decode()
