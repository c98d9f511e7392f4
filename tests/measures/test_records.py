"""Social care records are written only through audited services, and the database holds their rules too."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from earlyhelp.audit.models import AuditEvent
from earlyhelp.measures import services
from earlyhelp.measures.models import AssessmentOutcome, RecordRoute, ReferralOutcome
from tests.factories import ChildFactory, HouseholdFactory, LocalityFactory, MembershipFactory, UserFactory

from .factories import CareEpisodeFactory, ReferralFactory, SingleAssessmentFactory

pytestmark = pytest.mark.django_db


def _referral(**changes):
    values = {
        "actor": UserFactory(),
        "person": ChildFactory(),
        "route": RecordRoute.FEED,
        "source_id": "R1",
        "referred_on": date(2025, 5, 1),
        "source_agency_type": "police",
        "reason": "abuse_or_neglect",
        "outcome": ReferralOutcome.SINGLE_ASSESSMENT,
    }
    return services.referral_record(**{**values, **changes})


def test_a_referral_is_audited_and_placed_in_the_locality_of_the_childs_family():
    household = HouseholdFactory(locality=LocalityFactory(name="East"))
    child = MembershipFactory(household=household).person

    referral = _referral(person=child)

    assert (referral.household, referral.locality.name) == (household, "East")
    event = AuditEvent.objects.get(object_type="referral", object_id=str(referral.pk))
    assert (event.person_id, event.household_id, event.details["route"]) == (child.pk, household.pk, "feed")


def test_a_source_id_is_taken_once_per_route():
    _referral()
    with pytest.raises(ValidationError) as refusal:
        _referral()
    assert refusal.value.message_dict == {"source_id": [services.SOURCE_ID_TAKEN]}
    _referral(route=RecordRoute.STEP_UP)


def test_a_referral_with_values_off_the_lists_is_refused_naming_each_field():
    with pytest.raises(ValidationError) as refusal:
        _referral(source_agency_type="church", reason="bad luck", outcome="closed", early_help_offer=True)
    assert set(refusal.value.message_dict) == {"source_agency_type", "reason", "outcome", "early_help_offer"}


def test_a_single_assessment_cannot_start_before_its_referral_nor_finish_before_it_starts_nor_lack_an_outcome():
    referral = ReferralFactory(referred_on=date(2025, 5, 1))
    actor = UserFactory()
    common = {"actor": actor, "referral": referral, "route": RecordRoute.FEED, "source_id": "A1"}

    with pytest.raises(ValidationError) as early:
        services.single_assessment_record(**common, started_on=date(2025, 4, 30))
    with pytest.raises(ValidationError) as backwards:
        services.single_assessment_record(
            **common, started_on=date(2025, 5, 2), completed_on=date(2025, 5, 1), outcome=AssessmentOutcome.OTHER
        )
    with pytest.raises(ValidationError) as no_outcome:
        services.single_assessment_record(**common, started_on=date(2025, 5, 2), completed_on=date(2025, 6, 1))

    assert early.value.message_dict == {"started_on": [services.STARTED_BEFORE_REFERRAL.format(date="2025-05-01")]}
    assert backwards.value.message_dict == {"completed_on": [services.COMPLETED_BEFORE_STARTED]}
    assert no_outcome.value.message_dict == {"outcome": [services.COMPLETION_WITHOUT_OUTCOME]}


@pytest.mark.parametrize(
    "make",
    [
        lambda: CareEpisodeFactory(started_on=date(2025, 5, 1), ended_on=date(2025, 4, 30)),
        lambda: CareEpisodeFactory(kind="adopted"),
        lambda: SingleAssessmentFactory(started_on=date(2025, 5, 2), completed_on=date(2025, 5, 1), outcome="nfa"),
        lambda: SingleAssessmentFactory(completed_on=date(2025, 6, 1)),
        lambda: SingleAssessmentFactory(outcome="nfa"),
        lambda: ReferralFactory(outcome=ReferralOutcome.OTHER, early_help_offer=True),
        lambda: ReferralFactory(reason="bad luck"),
        lambda: ReferralFactory(source_agency_type="church"),
        lambda: ReferralFactory(route="email"),
    ],
)
def test_the_database_refuses_records_that_break_the_rules(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_the_database_refuses_a_second_record_with_the_same_source_id_by_one_route():
    ReferralFactory(source_id="R1")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralFactory(source_id="R1")
