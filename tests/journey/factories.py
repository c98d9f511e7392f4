"""Journey records in each state they can be in."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from earlyhelp.accounts.models import AgencyKind, Role
from earlyhelp.families.models import InvolvementRole
from earlyhelp.journey import rules
from earlyhelp.journey.models import (
    Episode,
    EpisodeStatus,
    RequestSource,
    RequestStatus,
    StepDown,
    StepDownStatus,
    StepUp,
    StepUpStatus,
    SupportRequest,
)
from tests.factories import AgencyFactory, HouseholdFactory, InvolvementFactory, TeamFactory, UserFactory


class SocialCareTeamFactory(TeamFactory):
    name = factory.Sequence(lambda n: f"MASH {n}")
    agency = factory.SubFactory(AgencyFactory, kind=AgencyKind.SOCIAL_CARE)


class CoordinatorFactory(UserFactory):
    role = Role.COORDINATOR


class ManagerFactory(UserFactory):
    role = Role.MANAGER


class SocialWorkerFactory(UserFactory):
    role = Role.SOCIAL_CARE
    team = factory.SubFactory(SocialCareTeamFactory)


class SupportRequestFactory(factory.django.DjangoModelFactory):
    """A practitioner's request awaiting triage."""

    class Meta:
        model = SupportRequest

    reference = factory.LazyFunction(rules.new_reference)
    source = RequestSource.PRACTITIONER
    household = factory.SubFactory(HouseholdFactory)
    requested_by = factory.SubFactory(UserFactory)
    requester_name = factory.LazyAttribute(lambda r: r.requested_by.display_name if r.requested_by else "A parent")
    child_given_name = "Jamie"
    child_family_name = "Example"
    child_date_of_birth = date(2015, 5, 1)
    concerns = "Attendance has fallen and the family is struggling with money."
    family_consents = True
    received_at = factory.LazyFunction(timezone.now)
    triage_due_at = factory.LazyAttribute(lambda r: r.received_at + timedelta(hours=72))


class FamilyRequestFactory(SupportRequestFactory):
    """A family's own request from the public form, not yet linked to a household."""

    source = RequestSource.FAMILY
    household = None
    requested_by = None
    requester_name = "Alex Example"
    requester_phone = "07700 900000"


class TriagedRequestFactory(SupportRequestFactory):
    status = RequestStatus.ADVICE
    triaged_at = factory.LazyFunction(timezone.now)
    triaged_by = factory.SubFactory(CoordinatorFactory)


class EpisodeFactory(factory.django.DjangoModelFactory):
    """An open episode."""

    class Meta:
        model = Episode

    household = factory.SubFactory(HouseholdFactory)
    status = EpisodeStatus.OPEN
    opened_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))


class SteppedUpEpisodeFactory(EpisodeFactory):
    status = EpisodeStatus.STEPPED_UP


class ClosedEpisodeFactory(EpisodeFactory):
    status = EpisodeStatus.CLOSED
    closed_on = factory.LazyFunction(timezone.localdate)


def lead_for(episode: Episode, practitioner=None):
    """Make a practitioner the episode's lead professional."""
    return InvolvementFactory(
        household=episode.household,
        practitioner=practitioner or UserFactory(),
        role=InvolvementRole.LEAD_PROFESSIONAL,
    ).practitioner


class StepUpFactory(factory.django.DjangoModelFactory):
    """A step up from an open episode, awaiting a manager's approval."""

    class Meta:
        model = StepUp

    episode = factory.SubFactory(EpisodeFactory)
    household = factory.SelfAttribute("episode.household")
    reasons = factory.LazyFunction(lambda: ["domestic_abuse"])
    detail = "Police notification of domestic abuse at the home."
    to_team = factory.SubFactory(SocialCareTeamFactory)
    requested_by = factory.SubFactory(UserFactory)
    requested_at = factory.LazyFunction(timezone.now)
    status = StepUpStatus.AWAITING_APPROVAL


class SentStepUpFactory(StepUpFactory):
    status = StepUpStatus.SENT
    decided_by = factory.SubFactory(ManagerFactory)
    decided_at = factory.LazyFunction(timezone.now)


class DeclinedStepUpFactory(SentStepUpFactory):
    status = StepUpStatus.DECLINED
    manager_comment = "Not enough to meet the threshold."


class AcceptedStepUpFactory(SentStepUpFactory):
    status = StepUpStatus.ACCEPTED
    outcome = "child_in_need"
    responded_at = factory.LazyFunction(timezone.now)


class NoFurtherActionStepUpFactory(SentStepUpFactory):
    status = StepUpStatus.NO_FURTHER_ACTION
    offer = "Parenting programme and school nurse support."
    responded_at = factory.LazyFunction(timezone.now)


class StepDownFactory(factory.django.DjangoModelFactory):
    """A step down awaiting the Early Help Team."""

    class Meta:
        model = StepDown

    household = factory.SubFactory(HouseholdFactory)
    summary = "Child in need plan ended; risks reduced."
    reason = "Needs can be met by early help."
    requested_by = factory.SubFactory(SocialWorkerFactory)
    requested_at = factory.LazyFunction(timezone.now)
    accept_by = factory.LazyAttribute(lambda s: s.requested_at + timedelta(days=5))
    status = StepDownStatus.AWAITING_ACCEPTANCE


class AcceptedStepDownFactory(StepDownFactory):
    status = StepDownStatus.ACCEPTED
    episode = factory.SubFactory(EpisodeFactory, household=factory.SelfAttribute("..household"))
    decided_at = factory.LazyFunction(timezone.now)


class DeclinedStepDownFactory(StepDownFactory):
    status = StepDownStatus.DECLINED
    decision_note = "Social care still holds a plan."
    decided_at = factory.LazyFunction(timezone.now)
