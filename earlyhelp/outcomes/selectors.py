"""Reads of the outcome framework: each episode's facts gathered in a few queries and judged by
`rules.judge`; the claims work list and the near misses, narrowed to the families the user may
open; and the quarterly progress return, which counts families and names none (docs/outcomes.md)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.assessments.models import AssessmentStatus, AssessmentVersion, OutcomeArea
from earlyhelp.datahub.models import Flag
from earlyhelp.families.access import RecordNotFound, access_household_by_id, visible_households
from earlyhelp.families.models import Household, MemberRole, Membership
from earlyhelp.journey.models import ClosureNeedOutcome, Episode, EpisodeStatus, NeedOutcome, SupportRequest
from earlyhelp.measures.models import Referral

from . import rules
from .models import Claim, ClaimStatus
from .rules import Event, EventKind, Evidence, EvidenceKind, History, Judgement

FOREVER = date.max


def sustainment_months() -> int:
    return settings.EARLY_HELP.outcomes.sustainment_months


def _members_during(memberships: list[Membership], start: date, end: date) -> list[Membership]:
    return [m for m in memberships if m.started_on <= end and (m.ended_on is None or m.ended_on >= start)]


def _has_dependent_child(members: list[Membership], opened_on: date) -> bool:
    """A member under 18 on the day the episode opened (or born since), or an expected baby."""
    coming_of_age = rules.add_months(opened_on, -12 * rules.ADULT_AGE)
    for membership in members:
        person = membership.person
        if membership.role == MemberRole.UNBORN or person.expected_date_of_birth is not None:
            return True
        if person.date_of_birth is not None and person.date_of_birth > coming_of_age:
            return True
    return False


def _latest_versions(household_ids: set) -> dict[object, list[AssessmentVersion]]:
    versions = (
        AssessmentVersion.objects.filter(assessment__household_id__in=household_ids, status=AssessmentStatus.APPROVED)
        .select_related("assessment")
        .prefetch_related("needs__person")
        .order_by("-number")
    )
    by_household: dict[object, list[AssessmentVersion]] = defaultdict(list)
    for version in versions:
        by_household[version.assessment.household_id].append(version)
    return by_household


def _needs(versions: list[AssessmentVersion], until: date) -> tuple[Evidence, ...]:
    """The needs of the latest version approved by `until`: those the closure form marks."""
    for version in versions:
        approved_on = timezone.localdate(version.reviewed_at) if version.reviewed_at else None
        if approved_on is not None and approved_on <= until:
            return tuple(
                Evidence(
                    EvidenceKind.ASSESSMENT,
                    str(need.key),
                    need.outcome_area,
                    approved_on,
                    need.description,
                    need.person.full_name if need.person is not None else "",
                )
                for need in version.needs.all()
            )
    return ()


def episode_histories(episodes: Iterable[Episode], *, as_of: date) -> list[History]:
    """Each episode's facts as known on `as_of`, in a fixed number of queries however many episodes."""
    episodes = list(episodes)
    household_ids = {episode.household_id for episode in episodes}
    memberships: dict[object, list[Membership]] = defaultdict(list)
    for membership in Membership.objects.filter(household_id__in=household_ids).select_related("person"):
        memberships[membership.household_id].append(membership)
    person_ids = {m.person_id for ms in memberships.values() for m in ms}
    versions = _latest_versions(household_ids)
    outcomes: dict[object, dict[str, str]] = defaultdict(dict)
    for row in ClosureNeedOutcome.objects.filter(closure__episode__in=episodes).values(
        "closure__episode_id", "need_ref", "outcome"
    ):
        if row["need_ref"]:
            outcomes[row["closure__episode_id"]][row["need_ref"]] = row["outcome"]
    flags: dict[object, list[Flag]] = defaultdict(list)
    for flag in Flag.objects.filter(person_id__in=person_ids, raised_on__lte=as_of).select_related("person"):
        flags[flag.person_id].append(flag)
    requests: dict[object, list[Event]] = defaultdict(list)
    for request in SupportRequest.objects.filter(household_id__in=household_ids).values(
        "id", "household_id", "received_at"
    ):
        on = timezone.localdate(request["received_at"])
        requests[request["household_id"]].append(Event(EventKind.REQUEST, str(request["id"]), on))
    referrals: dict[object, list[Event]] = defaultdict(list)
    for referral in Referral.objects.filter(person_id__in=person_ids).values("id", "person_id", "referred_on"):
        referrals[referral["person_id"]].append(Event(EventKind.REFERRAL, str(referral["id"]), referral["referred_on"]))

    histories = []
    for episode in episodes:
        closed_on = episode.closed_on if episode.closed_on is not None and episode.closed_on <= as_of else None
        until = closed_on or as_of
        members = _members_during(memberships[episode.household_id], episode.opened_on, until)
        member_ids = {m.person_id for m in members}
        member_flags = [flag for person in member_ids for flag in flags[person]]
        events: list[Event] = []
        if closed_on is not None:
            events += [e for e in requests[episode.household_id] if closed_on < e.on <= as_of]
            events += [e for person in member_ids for e in referrals[person] if closed_on < e.on <= as_of]
            events += [
                Event(EventKind.FLAG, str(flag.pk), flag.raised_on, flag.outcome_area)
                for flag in member_flags
                if flag.raised_on > closed_on
            ]
        histories.append(
            History(
                household_id=str(episode.household_id),
                household_name=episode.household.name,
                episode_id=str(episode.pk),
                opened_on=episode.opened_on,
                closed_on=closed_on,
                has_dependent_child=_has_dependent_child(members, episode.opened_on),
                needs=_needs(versions[episode.household_id], until),
                flags=tuple(
                    Evidence(
                        EvidenceKind.FLAG,
                        str(flag.pk),
                        flag.outcome_area,
                        flag.raised_on,
                        flag.reason,
                        flag.person.full_name,
                    )
                    for flag in sorted(member_flags, key=lambda f: (f.raised_on, f.pk))
                    if episode.opened_on <= flag.raised_on <= until
                ),
                closure_outcomes=outcomes[episode.pk] if closed_on is not None else {},
                events=tuple(sorted(events, key=lambda e: (e.on, e.kind, e.ref))),
            )
        )
    return histories


# Episodes gathered at a time: bounds the ids each query lists (SQLite caps a statement's parameters).
BATCH = 500


def judged(episodes: Iterable[Episode], *, as_of: date) -> list[Judgement]:
    """The framework's answer for each episode as of the day, in the order given."""
    months = sustainment_months()
    episodes = list(episodes)
    return [
        rules.judge(history, as_of=as_of, months=months)
        for start in range(0, len(episodes), BATCH)
        for history in episode_histories(episodes[start : start + BATCH], as_of=as_of)
    ]


def latest_closed_episodes(households: QuerySet[Household] | list[Household]) -> list[Episode]:
    """Each family's latest closed episode: the one the framework judges the family by."""
    latest: dict[object, Episode] = {}
    for episode in (
        Episode.objects.filter(household__in=households, status=EpisodeStatus.CLOSED)
        .select_related("household")
        .order_by("household_id", "-closed_on", "-opened_on")
    ):
        latest.setdefault(episode.household_id, episode)
    return list(latest.values())


def family_judgement(household: Household, *, as_of: date) -> Judgement | None:
    """The framework's answer for one family (by its latest closed episode), or None if none has closed;
    the caller has opened the family through the access choke point."""
    episodes = latest_closed_episodes([household])
    return judged(episodes, as_of=as_of)[0] if episodes else None


@dataclass(frozen=True)
class WorkList:
    """The claims work list: families ready to claim, near misses, and the claims made; `episodes` and
    `claims` are every record the lists show, for the audit of the list."""

    ready: list[Judgement]
    near_misses: list[Judgement]
    awaiting_sign_off: list[Claim]
    to_submit: list[Claim]
    submitted: list[Claim]
    episodes: list[Episode]
    claims: list[Claim]


def claims_work_list(user: User, *, as_of: date) -> WorkList:
    """The families this user may open, judged by their latest closed episode; a claimed family is
    listed only with its claim."""
    households = visible_households(user)
    claims = list(
        Claim.objects.filter(household__in=households)
        .select_related("household", "prepared_by", "signed_off_by", "submitted_by")
        .order_by("prepared_at", "id")
    )
    claimed = {claim.household_id for claim in claims}
    episodes = [e for e in latest_closed_episodes(households) if e.household_id not in claimed]
    judgements = sorted(
        judged(episodes, as_of=as_of), key=lambda j: (j.history.household_name.lower(), j.history.household_id)
    )
    ready = [j for j in judgements if j.progress]
    near = [j for j in judgements if j.near_miss]
    shown = {j.history.episode_id for j in ready + near}
    return WorkList(
        ready=ready,
        near_misses=near,
        awaiting_sign_off=[c for c in claims if c.status == ClaimStatus.PREPARED],
        to_submit=[c for c in claims if c.status == ClaimStatus.SIGNED_OFF],
        submitted=[c for c in claims if c.status == ClaimStatus.SUBMITTED],
        episodes=[e for e in episodes if str(e.pk) in shown],
        claims=claims,
    )


def claim_by_id(user: User, claim_id: int) -> Claim:
    """A claim, opened through its family's record (the choke point audits the view, and answers not
    found alike for a missing claim and one about a family the user may not open)."""
    claim = Claim.objects.select_related("household", "prepared_by", "signed_off_by").filter(pk=claim_id).first()
    if claim is None:
        raise RecordNotFound()
    access_household_by_id(user, claim.household_id, purpose="claim")
    return claim


def claim_evidence(claim: Claim) -> list[dict]:
    """The evidence kept with a claim, with the names of its areas and outcomes, for its page."""
    return [
        {
            **area,
            "label": OutcomeArea(area["area"]).label,
            "at_closure_label": NeedOutcome(area["at_closure"]).label if area["at_closure"] else "Not recorded",
        }
        for area in claim.evidence
    ]


# --- The quarterly progress return ----------------------------------------------------------------------


RETURN_COLUMNS = [
    "financial_year",
    "quarter",
    "period_start",
    "period_end",
    "families_worked_with",
    "families_eligible",
    "families_with_significant_and_sustained_progress",
    "claims_prepared",
    "claims_signed_off",
    "claims_submitted",
]


def financial_quarters(year: int) -> list[tuple[int, date, date]]:
    """The financial year starting 1 April `year`, as its four quarters (number, first day, last day)."""
    starts = [date(year, 4, 1), date(year, 7, 1), date(year, 10, 1), date(year + 1, 1, 1)]
    return [(n + 1, start, rules.add_months(start, 3) - timedelta(days=1)) for n, start in enumerate(starts)]


def _in(moment, start: date, end: date) -> bool:
    return moment is not None and start <= timezone.localdate(moment) <= end


def progress_return(year: int, *, as_of: date) -> list[dict]:
    """One row a quarter of the financial year, for the quarters begun by `as_of`; each counted as it
    stood at the quarter's end (or at `as_of`, for the quarter under way)."""
    claims = list(Claim.objects.values("prepared_at", "signed_off_at", "submitted_at"))
    rows = []
    for number, start, end in financial_quarters(year):
        if start > as_of:
            break
        known = min(end, as_of)
        earliest_close = rules.add_months(start, -sustainment_months()) - timedelta(days=1)
        episodes = Episode.objects.filter(opened_on__lte=known).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gte=earliest_close)
        )
        judgements = judged(episodes.select_related("household"), as_of=known)
        worked = [j for j in judgements if j.history.closed_on is None or j.history.closed_on >= start]
        achieved = [j for j in judgements if j.achieved_on is not None and start <= j.achieved_on <= end]
        rows.append(
            {
                "financial_year": f"{year}-{(year + 1) % 100:02d}",
                "quarter": f"Q{number}",
                "period_start": start.isoformat(),
                "period_end": end.isoformat(),
                "families_worked_with": len({j.history.household_id for j in worked}),
                "families_eligible": len({j.history.household_id for j in worked if j.eligible}),
                "families_with_significant_and_sustained_progress": len({j.history.household_id for j in achieved}),
                "claims_prepared": sum(_in(c["prepared_at"], start, known) for c in claims),
                "claims_signed_off": sum(_in(c["signed_off_at"], start, known) for c in claims),
                "claims_submitted": sum(_in(c["submitted_at"], start, known) for c in claims),
            }
        )
    return rows
