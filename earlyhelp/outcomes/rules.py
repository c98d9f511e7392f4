"""The Supporting Families outcome framework as pure decisions: eligibility, needs at assessment
against needs at closure, and significant and sustained progress, for one family's episode.

No database here: `selectors.episode_histories` gathers each episode's facts into a `History`, and
`judge` applies the rules written in docs/outcomes.md, in the order that page gives them."""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from earlyhelp.assessments.models import OutcomeArea
from earlyhelp.journey.models import NeedOutcome

# A family is eligible with needs in at least this many of the ten headline outcome areas.
ELIGIBLE_AREAS = 3
# A dependent child is under this age on the day the episode opened (or born since).
ADULT_AGE = 18


class EvidenceKind(StrEnum):
    ASSESSMENT = "assessment"  # a need in the approved Early Help Assessment the closure marked
    FLAG = "flag"  # a data hub flag on a member, raised while the episode was open


EVIDENCE_LABELS = {EvidenceKind.ASSESSMENT: "Assessed need", EvidenceKind.FLAG: "Data hub flag"}


class EventKind(StrEnum):
    """What, after closure, shows a need has come back."""

    REQUEST = "request"  # a new request for early help for the family: every area
    REFERRAL = "referral"  # a referral of a member to children's social care: every area
    FLAG = "flag"  # a data hub flag on a member: its own area


EVENT_LABELS = {
    EventKind.REQUEST: "A new request for early help",
    EventKind.REFERRAL: "A referral to children's social care",
    EventKind.FLAG: "A data hub flag in this area",
}


class AreaState(StrEnum):
    """Where one identified area stands."""

    OPEN = "open"  # the episode has not closed
    NOT_RECORDED = "not_recorded"  # no outcome recorded at closure for a need in the area
    NOT_MET = "not_met"  # a need in the area was not met, or only partly met, at closure
    NOT_SUSTAINED = "not_sustained"  # met at closure, then a request, referral or flag in the period
    SUSTAINING = "sustaining"  # met at closure, nothing since, the period still running
    SUSTAINED = "sustained"  # met at closure and nothing in the whole period


AREA_STATE_LABELS = {
    AreaState.OPEN: "Episode still open",
    AreaState.NOT_RECORDED: "No outcome recorded at closure",
    AreaState.NOT_MET: "Not met at closure",
    AreaState.NOT_SUSTAINED: "Met at closure, not sustained",
    AreaState.SUSTAINING: "Met at closure, sustainment period running",
    AreaState.SUSTAINED: "Met at closure and sustained",
}
# The states in which an area still counts towards progress.
ON_COURSE = frozenset({AreaState.SUSTAINING, AreaState.SUSTAINED})


@dataclass(frozen=True)
class Evidence:
    """What shows a need in an area: an assessed need (`ref` is its key) or a data hub flag (its id)."""

    kind: EvidenceKind
    ref: str
    area: str
    on: date
    text: str
    person: str = ""

    @property
    def kind_label(self) -> str:
        return EVIDENCE_LABELS[self.kind]


@dataclass(frozen=True)
class Event:
    """Something after closure that may show a need has come back; `area` is None for every area."""

    kind: EventKind
    ref: str
    on: date
    area: str | None = None

    @property
    def kind_label(self) -> str:
        return EVENT_LABELS[self.kind]


@dataclass(frozen=True)
class History:
    """One episode of one family, as the framework reads it (gathered by `selectors`).

    `needs` are the assessed needs the closure marked, `closure_outcomes` maps each need's key to the
    outcome recorded at closure, `flags` are the members' data hub flags raised while the episode was
    open, and `events` the requests, referrals and flags after closure."""

    household_id: str
    household_name: str
    episode_id: str
    opened_on: date
    closed_on: date | None
    has_dependent_child: bool
    needs: tuple[Evidence, ...] = ()
    flags: tuple[Evidence, ...] = ()
    closure_outcomes: dict[str, str] = field(default_factory=dict)
    events: tuple[Event, ...] = ()


@dataclass(frozen=True)
class AreaResult:
    area: str
    evidence: tuple[Evidence, ...]
    at_closure: str  # "met", "partly_met", "not_met", or "" when not recorded (or still open)
    state: AreaState
    broken_by: Event | None = None

    @property
    def label(self) -> str:
        return str(OutcomeArea(self.area).label)

    @property
    def at_closure_label(self) -> str:
        return str(NeedOutcome(self.at_closure).label) if self.at_closure else "Not recorded"

    @property
    def state_label(self) -> str:
        return AREA_STATE_LABELS[self.state]

    @property
    def on_course(self) -> bool:
        return self.state in ON_COURSE


@dataclass(frozen=True)
class Judgement:
    """The framework's answer for one episode, as of one day."""

    history: History
    as_of: date
    areas: tuple[AreaResult, ...]
    sustained_until: date | None  # the last day of the sustainment period; None while open

    @property
    def identified(self) -> int:
        return len(self.areas)

    @property
    def eligible(self) -> bool:
        """Dependent children or an expectant parent, and needs in at least three areas."""
        return self.history.has_dependent_child and self.identified >= ELIGIBLE_AREAS

    @property
    def short(self) -> tuple[AreaResult, ...]:
        """The identified areas that no longer count towards progress."""
        return tuple(area for area in self.areas if not area.on_course)

    @property
    def period_over(self) -> bool:
        return self.sustained_until is not None and self.as_of > self.sustained_until

    @property
    def progress(self) -> bool:
        """Significant and sustained progress: eligible, every identified area met at closure and
        sustained, and the whole sustainment period over."""
        return self.eligible and self.period_over and all(area.state is AreaState.SUSTAINED for area in self.areas)

    @property
    def near_miss(self) -> bool:
        """Eligible and closed, with exactly one identified area short and every other still on course."""
        return self.eligible and self.history.closed_on is not None and len(self.short) == 1

    @property
    def achieved_on(self) -> date | None:
        """The day progress was confirmed: the day after the sustainment period ended."""
        return self.sustained_until + timedelta(days=1) if self.progress and self.sustained_until else None


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later (earlier if negative), or that month's last day where
    it is shorter (31 August and six months is 28 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def sustainment_end(closed_on: date, months: int) -> date:
    """The last day of the sustainment period: `months` after the day of closure."""
    return add_months(closed_on, months)


def _at_closure(needs: list[Evidence], outcomes: dict[str, str]) -> str:
    """The area's outcome at closure: its worst need's (not recorded, then not met, partly met, met)."""
    recorded = [outcomes.get(need.ref, "") for need in needs]
    if not needs or "" in recorded:
        return ""
    for outcome in (NeedOutcome.NOT_MET, NeedOutcome.PARTLY_MET):
        if outcome in recorded:
            return str(outcome)
    return str(NeedOutcome.MET)


def _first_break(events: tuple[Event, ...], area: str, closed_on: date, end: date) -> Event | None:
    """The first request, referral or flag in this area after closure, up to the period's last day."""
    inside = [event for event in events if closed_on < event.on <= end and (event.area is None or event.area == area)]
    return min(inside, key=lambda event: (event.on, event.kind, event.ref), default=None)


def judge(history: History, *, as_of: date, months: int) -> Judgement:
    """Apply the framework to one episode as of a day (docs/outcomes.md): each identified area with its
    evidence, its outcome at closure and whether it has stayed met, counting only what was known by then."""
    known_needs = [need for need in history.needs if need.on <= as_of]
    known_flags = [flag for flag in history.flags if flag.on <= as_of]
    closed_on = history.closed_on if history.closed_on is not None and history.closed_on <= as_of else None
    end = sustainment_end(closed_on, months) if closed_on is not None else None
    seen = tuple(event for event in history.events if event.on <= as_of)
    results = []
    for area in OutcomeArea.values:
        needs = [need for need in known_needs if need.area == area]
        evidence = tuple(needs) + tuple(flag for flag in known_flags if flag.area == area)
        if not evidence:
            continue
        if closed_on is None or end is None:
            results.append(AreaResult(area, evidence, "", AreaState.OPEN))
            continue
        outcome = _at_closure(needs, history.closure_outcomes)
        if not outcome:
            results.append(AreaResult(area, evidence, "", AreaState.NOT_RECORDED))
        elif outcome != NeedOutcome.MET:
            results.append(AreaResult(area, evidence, outcome, AreaState.NOT_MET))
        else:
            broken = _first_break(seen, area, closed_on, end)
            if broken is not None:
                state = AreaState.NOT_SUSTAINED
            else:
                state = AreaState.SUSTAINED if as_of > end else AreaState.SUSTAINING
            results.append(AreaResult(area, evidence, outcome, state, broken))
    return Judgement(history=history, as_of=as_of, areas=tuple(results), sustained_until=end)
