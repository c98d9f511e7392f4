"""Social care records and the journey's dated records, each on a day a test names."""

from datetime import date, datetime, time

import factory
from django.utils import timezone

from earlyhelp.journey.models import ClosureReason, EpisodeClosure, EpisodeStatus
from earlyhelp.measures.models import (
    CareEpisode,
    CareEpisodeKind,
    RecordRoute,
    Referral,
    ReferralOutcome,
    ReferralReason,
    SingleAssessment,
)
from tests.assessments.factories import EpisodeFactory
from tests.factories import ChildFactory, UserFactory


def at(day: date, hour: int = 12, minute: int = 0):
    """A moment on the day, in the council's time zone."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    person = factory.SubFactory(ChildFactory)
    route = RecordRoute.FEED
    source_id = factory.Sequence(lambda n: f"R{n}")
    recorded_by = factory.SubFactory(UserFactory)
    referred_on = date(2025, 5, 1)
    source_agency_type = "police"
    reason = ReferralReason.ABUSE_OR_NEGLECT
    outcome = ReferralOutcome.SINGLE_ASSESSMENT


class SingleAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SingleAssessment

    referral = factory.SubFactory(ReferralFactory)
    person = factory.SelfAttribute("referral.person")
    route = RecordRoute.FEED
    source_id = factory.Sequence(lambda n: f"A{n}")
    recorded_by = factory.SubFactory(UserFactory)
    started_on = factory.SelfAttribute("referral.referred_on")


class CareEpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareEpisode

    person = factory.SubFactory(ChildFactory)
    route = RecordRoute.FEED
    source_id = factory.Sequence(lambda n: f"E{n}")
    recorded_by = factory.SubFactory(UserFactory)
    kind = CareEpisodeKind.CHILD_IN_NEED
    started_on = date(2025, 1, 1)


def closure(*, household=None, closed_on: date, reason: str = ClosureReason.OUTCOMES_ACHIEVED) -> EpisodeClosure:
    """An episode of the family closed on the day, for the reason."""
    kwargs = {"household": household} if household is not None else {}
    episode = EpisodeFactory(status=EpisodeStatus.CLOSED, opened_on=date(2024, 1, 1), closed_on=closed_on, **kwargs)
    detail = "Other reasons" if reason == ClosureReason.OTHER else ""
    return EpisodeClosure.objects.create(
        episode=episode, reason=reason, detail=detail, closed_by=UserFactory(), closed_at=at(closed_on)
    )
