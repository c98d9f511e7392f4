"""Factories for family plans: a plan, its outcomes and actions in each status, TAF meetings."""

from datetime import timedelta

import factory
from django.utils import timezone

from earlyhelp.plans.models import (
    ActionStatus,
    Meeting,
    MeetingInvitation,
    MeetingKind,
    Outcome,
    Plan,
    PlanAction,
    ReferralStatus,
    ScheduledMeeting,
    ServiceReferral,
)
from tests.assessments.factories import EpisodeFactory
from tests.directory.factories import ServiceFactory
from tests.factories import UserFactory


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    episode = factory.SubFactory(EpisodeFactory)
    household = factory.SelfAttribute("episode.household")
    created_by = factory.SubFactory(UserFactory)
    next_review_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(weeks=6))


class OverdueReviewPlanFactory(PlanFactory):
    next_review_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3))


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    plan = factory.SubFactory(PlanFactory)
    description = "The children are in school every day"


class ActionFactory(factory.django.DjangoModelFactory):
    """A not-started action for a practitioner, due in two weeks."""

    class Meta:
        model = PlanAction

    plan = factory.SubFactory(PlanFactory)
    what = "Walk to school with the children on Mondays"
    practitioner = factory.SubFactory(UserFactory)
    agency = factory.SelfAttribute("practitioner.agency")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(weeks=2))
    status = ActionStatus.NOT_STARTED


class InProgressActionFactory(ActionFactory):
    status = ActionStatus.IN_PROGRESS


class DoneActionFactory(ActionFactory):
    status = ActionStatus.DONE


class CancelledActionFactory(ActionFactory):
    status = ActionStatus.CANCELLED


class OverdueActionFactory(ActionFactory):
    due_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    plan = factory.SubFactory(PlanFactory)
    kind = MeetingKind.TAF
    held_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))
    decisions = "School to offer a breakfast club place; Dad to start the parenting course."
    family_scale = 5
    practitioner_scale = 5
    next_review_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(weeks=6))
    recorded_by = factory.SubFactory(UserFactory)


class ScheduledMeetingFactory(factory.django.DjangoModelFactory):
    """A TAF meeting arranged a week ahead, for an hour, at a venue."""

    class Meta:
        model = ScheduledMeeting

    plan = factory.SubFactory(PlanFactory)
    kind = MeetingKind.TAF
    starts_at = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) + timedelta(days=7))
    duration_minutes = 60
    place = "Meeting room 2, Northgate Children's Centre"
    organiser = factory.SubFactory(UserFactory)


class PastScheduledMeetingFactory(ScheduledMeetingFactory):
    """Arranged for yesterday, and not recorded yet."""

    starts_at = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) - timedelta(days=1))


class MeetingInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingInvitation

    scheduled_meeting = factory.SubFactory(ScheduledMeetingFactory)
    practitioner = factory.SubFactory(UserFactory)


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral of a plan action to a directory service, new in the provider's queue."""

    class Meta:
        model = ServiceReferral

    service = factory.SubFactory(ServiceFactory)
    action = factory.SubFactory(ActionFactory, service=factory.SelfAttribute("..service"))
    organization = factory.SelfAttribute("service.organization")
    person = None
    referred_by = factory.SelfAttribute("action.practitioner")
    status = ReferralStatus.NEW
    released_at = factory.LazyFunction(timezone.now)

    class Params:
        awaiting = factory.Trait(status=ReferralStatus.AWAITING_CONSENT, released_at=None)
        accepted = factory.Trait(status=ReferralStatus.ACCEPTED, answered_at=factory.LazyFunction(timezone.now))
