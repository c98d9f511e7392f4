"""Reads of the journey shared by pages and the API. Records are reached through the family's
access check (families.access), so a journey record is open exactly when its family's is."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from django.db import transaction
from django.db.models import Model, Prefetch, Q, QuerySet
from django.utils import timezone

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import AgencyKind, Team, User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record
from earlyhelp.families import rules as family_rules
from earlyhelp.families.access import (
    RecordNotFound,
    access_household_by_id,
    access_support_request,
    visible_households,
)
from earlyhelp.families.models import Household, Involvement, InvolvementRole, Membership
from earlyhelp.families.selectors import household_involvements

from . import casework, rules
from .models import (
    ChronologyEntry,
    Episode,
    EpisodeStatus,
    FeedbackInvitation,
    LevelOfNeed,
    NeedIndicator,
    RequestStatus,
    StepDown,
    StepDownStatus,
    StepUp,
    StepUpStatus,
    SupportRequest,
)


def active_episode(household: Household) -> Episode | None:
    """The family's episode that is not closed (open, or stepped up), if any: there is at most one.
    Use it for "is the family with us at all?"; `open_episode` for "can early help work in it?"."""
    return household.episodes.exclude(status=EpisodeStatus.CLOSED).first()


def open_episode(household: Household) -> Episode | None:
    """The family's episode open to early help (not stepped up, not closed), if any: the one that
    assessments and plans are written in."""
    return household.episodes.filter(status=EpisodeStatus.OPEN).first()


def household_episodes(household: Household) -> QuerySet[Episode]:
    """Every episode of early help the family has had, in any state, the newest first."""
    return household.episodes.all()


def current_level(household: Household) -> LevelOfNeed | None:
    """The family's most recent level of need."""
    return household.levels_of_need.select_related("recorded_by").first()


def level_history(household: Household) -> QuerySet[LevelOfNeed]:
    """Every level of need recorded for the family, newest first."""
    return household.levels_of_need.select_related("recorded_by")


def active_indicators() -> QuerySet[NeedIndicator]:
    return NeedIndicator.objects.filter(active=True)


# --- Access ----------------------------------------------------------------------------------------------


FamilyRecord = TypeVar("FamilyRecord", Episode, StepUp, StepDown)


def _access_by_id(user: User, records: QuerySet[FamilyRecord], record_id: object, *, purpose: str) -> FamilyRecord:
    """The record, if the user may open its family's record (same answer for missing and forbidden)."""
    record = records.filter(pk=uuid_or_none(record_id)).first()
    if record is None:
        raise RecordNotFound
    access_household_by_id(user, record.household_id, purpose=purpose)
    return record


def access_episode_by_id(user: User, episode_id: object, *, purpose: str = "") -> Episode:
    """The episode, if the user may open its family's record (same answer for missing and forbidden)."""
    return _access_by_id(user, Episode.objects.select_related("household"), episode_id, purpose=purpose or "episode")


def access_step_up_by_id(user: User, step_up_id: object, *, purpose: str = "") -> StepUp:
    """The step up, if the user may open its family's record."""
    step_ups = StepUp.objects.select_related(
        "household", "to_team", "requested_by", "decided_by", "responded_by", "episode"
    )
    return _access_by_id(user, step_ups, step_up_id, purpose=purpose or "step up")


def access_step_down_by_id(user: User, step_down_id: object, *, purpose: str = "") -> StepDown:
    """The step down, if the user may open its family's record."""
    step_downs = StepDown.objects.select_related("household", "requested_by")
    return _access_by_id(user, step_downs, step_down_id, purpose=purpose or "step down")


def access_request_by_id(user: User, request_id: object, *, purpose: str = "") -> SupportRequest:
    """The request, if the access choke point lets the user open it (families.access decides and audits)."""
    request = (
        SupportRequest.objects.filter(pk=uuid_or_none(request_id))
        .select_related("household", "requested_by", "triaged_by", "episode")
        .first()
    )
    if request is None:
        raise RecordNotFound
    access_support_request(user, request, purpose=purpose or "request for support")
    return request


def feedback_invitation_by_token(token: str) -> FeedbackInvitation | None:
    """The invitation a private feedback link names, if any: found by the token's hash, the only form kept."""
    if not rules.feedback_token_normal(token):
        return None
    return (
        FeedbackInvitation.objects.filter(token_hash=rules.feedback_token_hash(token))
        .select_related("episode__household")
        .first()
    )


def uuid_or_none(value: object):
    import uuid

    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


# --- Triage's family picker -----------------------------------------------------------------------------

FAMILY_SEARCH_LIMIT = 20


def _with_members(households: QuerySet[Household]) -> QuerySet[Household]:
    current = (
        Membership.objects.filter(ended_on__isnull=True).select_related("person").order_by("person__date_of_birth")
    )
    return households.prefetch_related(Prefetch("memberships", queryset=current, to_attr="current_members"))


def family_search(user: User, query: str) -> list[Household]:
    """Families the user may open whose name, postcode or a current member's name matches `query`."""
    words = family_rules.name_search_key(query).split()
    if not words:
        return []
    households = visible_households(user)
    for word in words:
        households = households.filter(
            Q(name__icontains=word)
            | Q(postcode__icontains=word)
            | Q(memberships__ended_on__isnull=True, memberships__person__search_name__icontains=word)
        )
    return list(_with_members(households.distinct().order_by("name"))[:FAMILY_SEARCH_LIMIT])


def request_family_match(user: User, support_request: SupportRequest) -> Household | None:
    """The family a request names, or the one the register knows its child in (same name and date of
    birth, as the known-check matches), among those the user may open."""
    visible = visible_households(user)
    if support_request.household_id:
        return _with_members(visible.filter(pk=support_request.household_id)).first()
    if support_request.child_date_of_birth is None:
        return None
    key = family_rules.name_search_key(support_request.child_given_name, support_request.child_family_name)
    matched = visible.filter(
        memberships__ended_on__isnull=True,
        memberships__person__date_of_birth=support_request.child_date_of_birth,
        memberships__person__search_name=key,
    ).distinct()
    return _with_members(matched).first() if matched.count() == 1 else None


def family_by_id(user: User, household_id: object) -> Household | None:
    """A family the user may open, with its current members, or None for any other id."""
    return _with_members(visible_households(user).filter(pk=uuid_or_none(household_id))).first()


def family_option_label(household: Household) -> str:
    """A family as the picker names it: the name, each current member with their age, and the postcode."""
    today = timezone.localdate()
    members = []
    for membership in getattr(household, "current_members", []):
        person = membership.person
        born = person.date_of_birth
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day)) if born else None
        members.append(f"{person.full_name} ({age})" if age is not None else person.full_name)
    label = household.name + (": " + ", ".join(members) if members else "")
    return label + (f"; {household.postcode}" if household.postcode else "")


# --- Work lists ------------------------------------------------------------------------------------------


def listed(user: User, *, purpose: str, **lists: Iterable[Model]) -> dict[str, list]:
    """The work lists as they are shown, audited as one view that names the id of every record on them
    (by list), since each row carries a child's name and the family's circumstances, and the families
    those records are about (`households`), so each member's trail shows the list they appeared in."""
    shown = {name: list(records) for name, records in lists.items()}
    details = {name: [str(record.pk) for record in records] for name, records in shown.items()}
    families = {_household_id(record) for records in shown.values() for record in records}
    details["households"] = sorted(str(family) for family in families if family is not None)
    with transaction.atomic():
        audit_record(actor=user, action=Action.VIEW, object_type="list", purpose=purpose, details=details)
    return shown


def _household_id(record: Model) -> object | None:
    """The family a listed record is about: the record itself, its own household, or its parent's (an
    assessment version's assessment, a plan action's plan). A request not yet linked to one has none."""
    if isinstance(record, Household):
        return record.pk
    if hasattr(record, "household_id"):
        return record.household_id
    for parent in ("assessment", "plan"):
        if hasattr(record, parent):
            return getattr(record, parent).household_id
    return None


def requests_awaiting_triage() -> QuerySet[SupportRequest]:
    """The Early Help Team's front door: requests not yet triaged, the most urgent first."""
    return SupportRequest.objects.filter(status=RequestStatus.AWAITING_TRIAGE).order_by("triage_due_at")


def request_lead(support_request: SupportRequest) -> User | None:
    """The lead professional of the episode a request opened, while they lead it: the requester's contact."""
    # A request opens an episode only once it names the family.
    if support_request.episode_id is None or support_request.household_id is None:
        return None
    involvement = (
        Involvement.objects.filter(
            household_id=support_request.household_id,
            role=InvolvementRole.LEAD_PROFESSIONAL,
            ended_on__isnull=True,
            practitioner__isnull=False,
        )
        .select_related("practitioner__agency")
        .first()
    )
    return involvement.practitioner if involvement else None


def requests_made_by(user: User) -> QuerySet[SupportRequest]:
    """The requests a practitioner made, newest first."""
    return SupportRequest.objects.filter(requested_by=user).order_by("-received_at")


def step_downs_awaiting() -> QuerySet[StepDown]:
    """Step downs from social care waiting for the Early Help Team, the most urgent first."""
    return StepDown.objects.filter(status=StepDownStatus.AWAITING_ACCEPTANCE).select_related("household")


def step_ups_for(user: User) -> QuerySet[StepUp]:
    """Step ups waiting on this user: a manager's to approve, social care's to answer."""
    visible = StepUp.objects.filter(household__in=visible_households(user)).select_related("household", "to_team")
    if capabilities.can_triage(user):
        return visible.filter(status__in=[StepUpStatus.AWAITING_APPROVAL, StepUpStatus.SENT])
    if capabilities.can_approve_step_up(user):
        return visible.filter(status=StepUpStatus.AWAITING_APPROVAL)
    if capabilities.can_answer_step_up(user):
        return visible.filter(status=StepUpStatus.SENT)
    return visible.filter(requested_by=user, status__in=[StepUpStatus.AWAITING_APPROVAL, StepUpStatus.SENT])


def possible_leads() -> QuerySet[User]:
    """Who may lead an episode: active practitioners and Early Help Team members linked to an agency."""
    return (
        User.objects.filter(is_active=True, agency__isnull=False, role__in=capabilities.named_lead_roles())
        .select_related("agency")
        .order_by("last_name", "first_name")
    )


def social_care_teams() -> QuerySet[Team]:
    return Team.objects.filter(agency__kind=AgencyKind.SOCIAL_CARE).select_related("agency")


# How councils name the Multi-Agency Safeguarding Hub, children's social care's front door.
MASH_NAMES = Q(name__iexact="MASH") | Q(name__icontains="Multi-Agency Safeguarding Hub")


def step_up_default_team() -> Team | None:
    """The social care team a step up or a passport goes to unless the sender chooses another: the
    MASH, where children's social care takes in new concerns; any social care team if there is none."""
    teams = social_care_teams()
    return teams.filter(MASH_NAMES).first() or teams.first()


# --- The journey in one place ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChronologyFilter:
    kinds: tuple[str, ...] = ()
    person_id: object | None = None
    since: date | None = None
    until: date | None = None


def chronology(household: Household, filters: ChronologyFilter | None = None) -> QuerySet[ChronologyEntry]:
    """The family's chronology in order, narrowed by kind, child (their entries and the whole
    family's) and dates."""
    filters = filters or ChronologyFilter()
    entries = household.chronology.select_related("actor", "person")
    if filters.kinds:
        entries = entries.filter(kind__in=filters.kinds)
    if filters.person_id:
        entries = entries.filter(Q(person_id=filters.person_id) | Q(person__isnull=True))
    if filters.since:
        entries = entries.filter(occurred_at__date__gte=filters.since)
    if filters.until:
        entries = entries.filter(occurred_at__date__lte=filters.until)
    return entries.order_by("occurred_at", "id")


def chronology_kinds(household: Household) -> list[str]:
    return sorted(set(household.chronology.values_list("kind", flat=True)))


@dataclass(frozen=True)
class InvolvementPanel:
    current: list[Involvement]
    past: list[Involvement]


def involvement_panel(household: Household) -> InvolvementPanel:
    """Who is involved now and who was before, with dates."""
    everyone = list(household_involvements(household))
    return InvolvementPanel(
        current=[i for i in everyone if i.ended_on is None], past=[i for i in everyone if i.ended_on is not None]
    )


PLAN_KINDS = ("plan", "action", "meeting", "review", "lead")


def compiled_history(household: Household) -> dict:
    """The family's history as social care should read it: levels, episodes, assessment, plan,
    who is involved and the chronology. Stored with a step up, so it stays as it was sent."""
    level = current_level(household)
    panel = involvement_panel(household)
    entries = list(household.chronology.order_by("occurred_at", "id"))
    return {
        "compiled_at": timezone.now().isoformat(),
        "level": {"level": level.level, "suggested": level.suggested_level, "reason": level.reason} if level else None,
        "episodes": [
            {
                "opened_on": e.opened_on.isoformat(),
                "status": e.get_status_display(),
                "closed_on": e.closed_on.isoformat() if e.closed_on else None,
            }
            for e in household_episodes(household)
        ],
        "assessment": casework.assessment_summary(household),
        # The plan as its changes and meetings were recorded in the chronology.
        "plan": [{"at": e.occurred_at.isoformat(), "summary": e.summary} for e in entries if e.kind in PLAN_KINDS],
        "involved": [
            {
                # The database requires a practitioner or a team, so one of the two is always there.
                "who": i.practitioner.display_name if i.practitioner is not None else getattr(i.team, "name", ""),
                "agency": i.agency.name,
                "role": i.get_role_display(),
                "since": i.started_on.isoformat(),
            }
            for i in panel.current
        ],
        "chronology": [{"at": e.occurred_at.isoformat(), "kind": e.kind, "summary": e.summary} for e in entries],
    }
