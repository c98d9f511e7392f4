"""The team caseload a manager oversees: each worker's open episodes by level of need, their overdue
reviews and actions, how long since anything was recorded with each family, and the episodes that
drift (open longer than `OVERSIGHT_DRIFT_DAYS`, or the last `OVERSIGHT_DRIFT_REVIEWS` reviews scoring the
same scale). Built in a fixed number of queries whatever the size of the team, and audited as a list
naming every family shown. Also: the teams holding a family's episode, and the share of open episodes
with recent supervision for the dashboard."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import AgencyKind, User
from earlyhelp.families.models import Household, Involvement, InvolvementRole
from earlyhelp.journey.models import ChronologyEntry, Episode, EpisodeStatus, LevelOfNeed
from earlyhelp.journey.selectors import listed
from earlyhelp.notes.models import CaseNote
from earlyhelp.plans.models import OPEN_ACTION_STATUSES, Meeting, Plan, PlanAction

from .models import EpisodeTransfer, Handover, Supervision

CASELOAD_PAGE = "team caseload"


@dataclass
class FamilyLoad:
    household: Household
    opened_on: date
    level: int | None
    review_on: date | None
    last_recorded: date | None
    today: date
    # The family's and the practitioners' scale at the episode's latest reviews, newest first (at most
    # OVERSIGHT_DRIFT_REVIEWS of them).
    scales: list[tuple[int, int]] = field(default_factory=list)

    @property
    def review_overdue(self) -> bool:
        return self.review_on is not None and self.review_on < self.today

    @property
    def days_since_recorded(self) -> int | None:
        return (self.today - self.last_recorded).days if self.last_recorded else None

    @property
    def days_open(self) -> int:
        return (self.today - self.opened_on).days

    @property
    def scaling_unchanged(self) -> bool:
        reviews = settings.OVERSIGHT_DRIFT_REVIEWS
        return reviews > 1 and len(self.scales) >= reviews and len(set(self.scales[:reviews])) == 1

    @property
    def drift_reasons(self) -> list[str]:
        """Why the episode counts as drift, in words for the manager: none where it does not."""
        reasons = []
        if self.days_open > settings.OVERSIGHT_DRIFT_DAYS:
            reasons.append(f"open {self.days_open} days, longer than {settings.OVERSIGHT_DRIFT_DAYS}")
        if self.scaling_unchanged:
            family, practitioners = self.scales[0]
            reasons.append(
                f"the scale has not moved over the last {settings.OVERSIGHT_DRIFT_REVIEWS} reviews "
                f"(family {family}, practitioners {practitioners})"
            )
        return reasons

    @property
    def drifting(self) -> bool:
        return bool(self.drift_reasons)


@dataclass
class WorkerLoad:
    worker: User
    families: list[FamilyLoad] = field(default_factory=list)
    overdue_actions: int = 0

    @property
    def by_level(self) -> dict[str, int]:
        counts = Counter(str(family.level) if family.level else "not recorded" for family in self.families)
        return dict(sorted(counts.items()))

    @property
    def overdue_reviews(self) -> int:
        return sum(family.review_overdue for family in self.families)

    @property
    def longest_since_recorded(self) -> int | None:
        days = [family.days_since_recorded for family in self.families if family.days_since_recorded is not None]
        return max(days) if days else None


@dataclass
class TeamCaseload:
    workers: list[WorkerLoad]
    drift_days: int
    drift_reviews: int = 0

    @property
    def drifting(self) -> list[tuple[User, FamilyLoad]]:
        return [(load.worker, family) for load in self.workers for family in load.families if family.drifting]


def team_caseload(manager: User) -> TeamCaseload:
    """The caseload of the team `manager` manages (empty for anyone else), audited as a list."""
    today = timezone.localdate()
    team = manager.team_id
    if team is None or not capabilities.can_see_team_caseload(manager):
        return TeamCaseload(
            workers=[], drift_days=settings.OVERSIGHT_DRIFT_DAYS, drift_reviews=settings.OVERSIGHT_DRIFT_REVIEWS
        )
    workers = list(
        User.objects.filter(team_id=team, is_active=True, role__in=capabilities.named_lead_roles()).order_by(
            "last_name", "first_name"
        )
    )
    leads = list(
        Involvement.objects.filter(
            role=InvolvementRole.LEAD_PROFESSIONAL,
            ended_on__isnull=True,
            practitioner__in=workers,
            household__episodes__status__in=[EpisodeStatus.OPEN, EpisodeStatus.STEPPED_UP],
        )
        .select_related("household")
        .distinct()
    )
    households = [lead.household_id for lead in leads]
    opened = dict(
        Episode.objects.filter(household__in=households)
        .exclude(status=EpisodeStatus.CLOSED)
        .values_list("household_id", "opened_on")
    )
    levels: dict = {}
    for household_id, level in (
        LevelOfNeed.objects.filter(household__in=households)
        .order_by("household_id", "-recorded_at", "-id")
        .values_list("household_id", "level")
    ):
        levels.setdefault(household_id, level)
    reviews = dict(
        Plan.objects.filter(household__in=households, episode__status=EpisodeStatus.OPEN).values_list(
            "household_id", "next_review_on"
        )
    )
    scales: dict = defaultdict(list)
    reviews_counted = settings.OVERSIGHT_DRIFT_REVIEWS
    for household_id, family_scale, practitioner_scale in (
        Meeting.objects.filter(plan__household__in=households, plan__episode__status=EpisodeStatus.OPEN)
        .order_by("plan__household_id", "-held_on", "-id")
        .values_list("plan__household_id", "family_scale", "practitioner_scale")
    ):
        if len(scales[household_id]) < reviews_counted:
            scales[household_id].append((family_scale, practitioner_scale))
    recorded: dict = defaultdict(lambda: None)
    for model, column in ((ChronologyEntry, "occurred_at"), (CaseNote, "created_at")):
        latest = model.objects.filter(household__in=households).values("household_id").annotate(at=Max(column))
        for row in latest:
            day = timezone.localdate(row["at"])
            recorded[row["household_id"]] = max(filter(None, (recorded[row["household_id"]], day)))
    overdue = dict(
        PlanAction.objects.filter(practitioner__in=workers, status__in=OPEN_ACTION_STATUSES, due_on__lt=today)
        .values("practitioner_id")
        .annotate(count=Count("id"))
        .values_list("practitioner_id", "count")
    )
    loads = {worker.pk: WorkerLoad(worker=worker, overdue_actions=overdue.get(worker.pk, 0)) for worker in workers}
    for lead in leads:
        if lead.practitioner_id is None:  # filtered on the practitioner above; this tells the type checker
            continue
        loads[lead.practitioner_id].families.append(
            FamilyLoad(
                household=lead.household,
                opened_on=opened.get(lead.household_id, today),
                level=levels.get(lead.household_id),
                review_on=reviews.get(lead.household_id),
                last_recorded=recorded[lead.household_id],
                today=today,
                scales=scales.get(lead.household_id, []),
            )
        )
    for load in loads.values():
        load.families.sort(key=lambda family: family.household.name)
    listed(manager, purpose=CASELOAD_PAGE, families=[lead.household for lead in leads])
    return TeamCaseload(
        workers=list(loads.values()),
        drift_days=settings.OVERSIGHT_DRIFT_DAYS,
        drift_reviews=settings.OVERSIGHT_DRIFT_REVIEWS,
    )


def supervisions(household: Household) -> list[Supervision]:
    """The family's supervision records, newest first, with their actions. The caller has opened the
    household through the access choke point."""
    return list(household.supervisions.select_related("supervisor").prefetch_related("actions__owner"))


def handovers(household: Household) -> list[Handover]:
    return list(household.handovers.select_related("from_lead", "to_lead", "recorded_by"))


def transfers(household: Household) -> list[EpisodeTransfer]:
    """The family's episode transfers, newest first."""
    return list(household.transfers.select_related("from_team", "to_team", "from_lead", "to_lead", "recorded_by"))


def holding_team_ids(household: Household) -> frozenset[int]:
    """The teams that hold the family's episode now, whose managers may transfer it: the lead
    professional's team (or the team named on the lead's involvement) and any team holding the case for
    early help. A social care team holding the case after a step up is not early help's to move."""
    rows = Involvement.objects.filter(household=household, ended_on__isnull=True).filter(
        Q(role=InvolvementRole.LEAD_PROFESSIONAL)
        | (Q(role=InvolvementRole.CASE_HOLDER, team__isnull=False) & ~Q(team__agency__kind=AgencyKind.SOCIAL_CARE))
    )
    return frozenset(
        team for pair in rows.values_list("practitioner__team_id", "team_id") for team in pair if team is not None
    )


@dataclass(frozen=True)
class SupervisionCoverage:
    """Open episodes, and how many of them had supervision held in the last `days` days."""

    supervised: int
    open_episodes: int
    days: int


def supervision_coverage(as_of: date | None = None) -> SupervisionCoverage:
    """How many episodes open to early help had a supervision discussion recorded in the last
    `OVERSIGHT_SUPERVISION_DAYS` days (up to `as_of`, today by default), of all open episodes: one query."""
    today = as_of or timezone.localdate()
    days = settings.OVERSIGHT_SUPERVISION_DAYS
    recent = Supervision.objects.filter(
        episode=OuterRef("pk"), held_on__gt=today - timedelta(days=days), held_on__lte=today
    )
    counts = Episode.objects.filter(status=EpisodeStatus.OPEN).aggregate(
        total=Count("id"), supervised=Count("id", filter=Exists(recent))
    )
    return SupervisionCoverage(supervised=counts["supervised"], open_episodes=counts["total"], days=days)
