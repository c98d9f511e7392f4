"""A family in an open episode of early help, with a parent and a child, an approved assessment, a
plan, and a lead professional who works with them; and another family like it."""

from dataclasses import dataclass
from datetime import date

import pytest

from earlyhelp.consent.models import SharingPurpose
from earlyhelp.consent.services import consent_record
from earlyhelp.families.models import MemberRole
from tests.assessments.factories import ApprovedVersionFactory
from tests.factories import InvolvementFactory, MembershipFactory, PersonFactory, UserFactory
from tests.plans.factories import ActionFactory, MeetingInvitationFactory, PlanFactory, ScheduledMeetingFactory


@dataclass
class Casework:
    household: object
    parent: object
    child: object
    plan: object
    action: object
    version: object
    lead: object
    consent: object
    scheduled: object

    @property
    def ids(self) -> dict:
        """What the endpoints' paths name, for str.format."""
        return {
            "household": self.household.pk,
            "plan": self.plan.pk,
            "action": self.action.pk,
            "number": self.version.number,
            "consent": self.consent.pk,
            "scheduled": self.scheduled.pk,
        }


def _casework() -> Casework:
    plan = PlanFactory()
    child = MembershipFactory(household=plan.household, role=MemberRole.CHILD).person
    adult = PersonFactory(date_of_birth=date(1986, 4, 2))
    parent = MembershipFactory(household=plan.household, person=adult, role=MemberRole.PARENT).person
    version = ApprovedVersionFactory(episode=plan.episode)
    lead = InvolvementFactory(household=plan.household, role="lead").practitioner
    consent = consent_record(actor=lead, person=parent, agencies=[lead.agency], purpose=SharingPurpose.ASSESSMENT)
    return Casework(
        household=plan.household,
        parent=parent,
        child=child,
        plan=plan,
        action=ActionFactory(plan=plan),
        version=version,
        lead=lead,
        consent=consent,
        scheduled=MeetingInvitationFactory(
            scheduled_meeting=ScheduledMeetingFactory(plan=plan, organiser=lead), practitioner=lead
        ).scheduled_meeting,
    )


@pytest.fixture
def casework(db) -> Casework:
    return _casework()


@pytest.fixture
def other_casework(db) -> Casework:
    return _casework()


@pytest.fixture
def coordinator(db):
    return UserFactory(role="coordinator")
