"""The team caseload a manager oversees: each worker's open episodes by level of need, their overdue
reviews and actions, how long since anything was recorded with each family, and the episodes that
drift (open longer than `OVERSIGHT_DRIFT_DAYS`). Built in a fixed number of queries whatever the size
of the team, and audited as a list naming every family shown."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import User
from earlyhelp.families.models import Household, Involvement, InvolvementRole
from earlyhelp.journey.models import ChronologyEntry, Episode, EpisodeStatus, LevelOfNeed
from earlyhelp.journey.selectors import listed
from earlyhelp.notes.models import CaseNote
from earlyhelp.plans.models import OPEN_ACTION_STATUSES, Plan, PlanAction

from .models import Handover, Supervision

CASELOAD_PAGE = "team caseload"


@dataclass
class FamilyLoad:
    household: Household
    opened_on: date
    level: int | None
    review_on: date | None
    last_recorded: date | None
    today: date

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
    def drifting(self) -> bool:
        return self.days_open > settings.OVERSIGHT_DRIFT_DAYS


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

    @property
    def drifting(self) -> list[tuple[User, FamilyLoad]]:
        return [(load.worker, family) for load in self.workers for family in load.families if family.drifting]


def team_caseload(manager: User) -> TeamCaseload:
    """The caseload of the team `manager` manages (empty for anyone else), audited as a list."""
    today = timezone.localdate()
    team = manager.team_id
    if team is None or not capabilities.can_see_team_caseload(manager):
        return TeamCaseload(workers=[], drift_days=settings.OVERSIGHT_DRIFT_DAYS)
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
            )
        )
    for load in loads.values():
        load.families.sort(key=lambda family: family.household.name)
    listed(manager, purpose=CASELOAD_PAGE, families=[lead.household for lead in leads])
    return TeamCaseload(workers=list(loads.values()), drift_days=settings.OVERSIGHT_DRIFT_DAYS)


def supervisions(household: Household) -> list[Supervision]:
    """The family's supervision records, newest first, with their actions. The caller has opened the
    household through the access choke point."""
    return list(household.supervisions.select_related("supervisor").prefetch_related("actions__owner"))


def handovers(household: Household) -> list[Handover]:
    return list(household.handovers.select_related("from_lead", "to_lead", "recorded_by"))
