"""Aggregates of the early help journey for analysts and managers: counts only, suppressed.

Nothing here returns a record, a name or an id; every cell is already a published string
(see measures.suppression.suppress), so no caller can show an unsuppressed count by mistake.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from earlyhelp.accounts.models import Locality
from earlyhelp.families.models import Household
from earlyhelp.journey.models import (
    ClosureReason,
    Episode,
    EpisodeClosure,
    EpisodeStatus,
    Level,
    LevelOfNeed,
    RequestSource,
    RequestStatus,
    SocialCareOutcome,
    StepUp,
    StepUpStatus,
    SupportRequest,
)
from earlyhelp.measures.replica import reporting_reads
from earlyhelp.measures.suppression import suppress

NO_LOCALITY = "No locality recorded"
NO_LEVEL = "No level recorded"


@dataclass(frozen=True)
class Table:
    title: str
    row_heading: str
    columns: list[str]
    rows: list[tuple[str, list[str]]]


@dataclass(frozen=True)
class Insights:
    open_episodes: str
    tables: list[Table]
    counted_at: datetime


def _cross_table(title: str, row_heading: str, counts: Counter, rows: list[tuple], columns: list[tuple]) -> Table:
    return Table(
        title=title,
        row_heading=row_heading,
        columns=[label for _, label in columns],
        rows=[(row_label, [suppress(counts[(row, column)]) for column, _ in columns]) for row, row_label in rows],
    )


def _list_table(title: str, row_heading: str, counts: Counter, rows: list[tuple]) -> Table:
    return Table(
        title=title,
        row_heading=row_heading,
        columns=["Number"],
        rows=[(label, [suppress(counts[value])]) for value, label in rows],
    )


def _families_by_locality_and_level() -> Table:
    # Each family's current level is its latest record (by moment, then id): the records no later one of the
    # same family follows. One pass over the levels recorded, not a probe for every family on the register.
    later = LevelOfNeed.objects.filter(household=OuterRef("household")).filter(
        Q(recorded_at__gt=OuterRef("recorded_at")) | Q(recorded_at=OuterRef("recorded_at"), id__gt=OuterRef("id"))
    )
    counts: Counter[tuple[Any, Any]] = Counter(
        {
            (row["household__locality"], row["level"]): row["n"]
            for row in LevelOfNeed.objects.exclude(Exists(later))
            .values("household__locality", "level")
            .annotate(n=Count("pk"))
            .order_by()
        }
    )
    # The families with no level recorded: each locality's families less those with a level.
    for row in Household.objects.values("locality").annotate(n=Count("pk")).order_by():
        levelled = sum(n for (locality, _), n in counts.items() if locality == row["locality"])
        counts[(row["locality"], None)] = row["n"] - levelled
    localities = [(locality.pk, locality.name) for locality in Locality.objects.all()]
    return _cross_table(
        "Families by locality and current level of need",
        "Locality",
        counts,
        [*localities, (None, NO_LOCALITY)],
        [*Level.choices, (None, NO_LEVEL)],
    )


def _requests_by_source_and_decision() -> Table:
    counts = Counter(
        {
            (row["source"], row["status"]): row["n"]
            for row in SupportRequest.objects.values("source", "status").annotate(n=Count("pk")).order_by()
        }
    )
    return _cross_table(
        "Requests for support by source and triage decision",
        "Source",
        counts,
        RequestSource.choices,
        RequestStatus.choices,
    )


def _step_ups_by_outcome() -> Table:
    counts: Counter = Counter()
    for row in StepUp.objects.values("status", "outcome").annotate(n=Count("pk")).order_by():
        key = (row["status"], row["outcome"]) if row["status"] == StepUpStatus.ACCEPTED else (row["status"], "")
        counts[key] += row["n"]
    rows: list[tuple[tuple[str, str], str]] = []
    for status, label in StepUpStatus.choices:
        if status == StepUpStatus.ACCEPTED:
            rows.extend(
                ((status, outcome), f"{label}: {outcome_label}") for outcome, outcome_label in SocialCareOutcome.choices
            )
            rows.append(((status, ""), f"{label}: outcome not yet recorded"))
        else:
            rows.append(((status, ""), label))
    return _list_table("Step ups by outcome", "Outcome", counts, rows)


def _closures_by_reason() -> Table:
    counts = Counter(
        {row["reason"]: row["n"] for row in EpisodeClosure.objects.values("reason").annotate(n=Count("pk")).order_by()}
    )
    return _list_table("Closures by reason", "Reason", counts, ClosureReason.choices)


@reporting_reads()
def insights_report() -> Insights:
    """Counts of families, requests, episodes, step ups and closures, each suppressed below 5."""
    return Insights(
        open_episodes=suppress(Episode.objects.filter(status=EpisodeStatus.OPEN).count()),
        tables=[
            _families_by_locality_and_level(),
            _requests_by_source_and_decision(),
            _step_ups_by_outcome(),
            _closures_by_reason(),
        ],
        counted_at=timezone.now(),
    )


def insights_rows(report: Insights) -> list[list[str]]:
    """The report as rows for a spreadsheet: table, row, column, count."""
    rows = [["Table", "Row", "Column", "Count"], ["Open episodes", "All", "Number", report.open_episodes]]
    for table in report.tables:
        for label, cells in table.rows:
            rows.extend([table.title, label, column, cell] for column, cell in zip(table.columns, cells, strict=True))
    return rows
