"""Social care records and the journey's dated records, each on a day a test names."""

from datetime import date, datetime, time

import factory
from django.utils import timezone

from earlyhelp.journey.models import ClosureReason, EpisodeClosure, EpisodeStatus
from earlyhelp.measures import models as records
from tests.assessments.factories import EpisodeFactory
from tests.factories import ChildFactory, UserFactory


def at(day: date, hour: int = 12, minute: int = 0):
    """A moment on the day, in the council's time zone."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class _RecordFactory(factory.django.DjangoModelFactory):
    """What every social care record holds: a child, the feed's route, a source id, who recorded it."""

    class Meta:
        abstract = True

    person = factory.SubFactory(ChildFactory)
    route = records.RecordRoute.FEED
    source_id = factory.Sequence(lambda n: f"S{n}")
    recorded_by = factory.SubFactory(UserFactory)


class ReferralFactory(_RecordFactory):
    class Meta:
        model = records.Referral

    referred_on = date(2025, 5, 1)
    source_agency_type = "police"
    reason = records.ReferralReason.ABUSE_OR_NEGLECT
    outcome = records.ReferralOutcome.SINGLE_ASSESSMENT


class SingleAssessmentFactory(_RecordFactory):
    class Meta:
        model = records.SingleAssessment

    referral = factory.SubFactory(ReferralFactory)
    person = factory.SelfAttribute("referral.person")
    started_on = factory.SelfAttribute("referral.referred_on")


class CareEpisodeFactory(_RecordFactory):
    class Meta:
        model = records.CareEpisode

    kind = records.CareEpisodeKind.CHILD_IN_NEED
    started_on = date(2025, 1, 1)


def closure(*, household=None, closed_on: date, reason: str = ClosureReason.OUTCOMES_ACHIEVED) -> EpisodeClosure:
    """An episode of the family closed on the day, for the reason."""
    kwargs = {"household": household} if household is not None else {}
    episode = EpisodeFactory(status=EpisodeStatus.CLOSED, opened_on=date(2024, 1, 1), closed_on=closed_on, **kwargs)
    detail = "Other reasons" if reason == ClosureReason.OTHER else ""
    return EpisodeClosure.objects.create(
        episode=episode, reason=reason, detail=detail, closed_by=UserFactory(), closed_at=at(closed_on)
    )
