"""Reads of family plans shared by pages, the printed plan and the work lists."""

import uuid
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import User
from earlyhelp.families.access import RecordNotFound, visible_through
from earlyhelp.families.models import Household, Involvement, InvolvementRole, Person
from earlyhelp.journey.models import EpisodeStatus

from . import ics
from .links import scheduled_meeting_page
from .models import (
    OPEN_ACTION_STATUSES,
    WAITING_REFERRAL_STATUSES,
    ActionStatus,
    ActionStatusChange,
    InvitationResponse,
    Meeting,
    MeetingInvitation,
    Plan,
    PlanAction,
    ReferralStatus,
    ScheduledMeeting,
    ServiceReferral,
)


def household_plans(household: Household) -> QuerySet[Plan]:
    """The family's plans, newest first, one per episode."""
    return household.plans.select_related("episode", "created_by")


def latest_plan(household: Household) -> Plan | None:
    """The family's newest plan (the plan of its latest episode with one), if any."""
    return household_plans(household).first()


def current_members(household: Household) -> list[Person]:
    """The people who live in the household now: who a plan's actions and meetings may name."""
    return [m.person for m in household.memberships.filter(ended_on__isnull=True).select_related("person")]


def taf_members(plan: Plan) -> QuerySet[Involvement]:
    """The practitioners in the Team Around the Family now: current TAF involvements with the household."""
    return plan.household.involvements.filter(role=InvolvementRole.TAF_MEMBER, ended_on__isnull=True).select_related(
        "practitioner", "agency"
    )


@dataclass(frozen=True)
class TeamAroundTheFamily:
    """Everyone around the family's plan: the lead professional, the family, and the practitioners
    who joined the TAF."""

    lead: Involvement | None
    family: list[Person]
    practitioners: list[Involvement]


def team_around_the_family(plan: Plan) -> TeamAroundTheFamily:
    """The Team Around the Family of a plan: it starts with the lead professional and the family."""
    lead = plan.household.involvements.current_lead().select_related("practitioner", "agency", "team").first()
    return TeamAroundTheFamily(lead=lead, family=current_members(plan.household), practitioners=list(taf_members(plan)))


def plan_of(household: Household, plan_id: uuid.UUID | str) -> Plan:
    """One plan of an opened household, with what its page shows; not found alike."""
    plan = (
        household_plans(household)
        .prefetch_related(
            "outcomes__needs__person",
            "actions__practitioner",
            "actions__family_member",
            "actions__agency",
            "actions__outcome",
            "actions__service",
            "meetings__recorded_by",
            "meetings__attendees__person",
            "meetings__attendees__agency",
            "meetings__attendees__practitioner",
        )
        .filter(pk=plan_id)
        .first()
    )
    if plan is None:
        raise RecordNotFound
    return plan


def with_referrals(plan: Plan) -> Plan:
    """The plan, each of its actions with its referral to a provider (if any) and that provider's
    agency, for the plan's page and print: in one query."""
    prefetch_related_objects(
        [plan],
        Prefetch(
            "actions__referral", queryset=ServiceReferral.objects.select_related("organization__agency", "service")
        ),
    )
    return plan


@dataclass(frozen=True)
class ServiceReferrals:
    """How many plan actions referred families to one directory service, by what came of them."""

    service_id: object
    service_name: str
    organization_name: str
    total: int
    completed: int
    in_progress: int
    not_started: int
    cancelled: int
    # What the provider answered: waiting (for the family's consent, or for the provider to answer),
    # accepted (not yet completed), declined, and completed by the provider.
    waiting: int = 0
    accepted: int = 0
    declined: int = 0
    provider_completed: int = 0


def referrals_by_service() -> list[ServiceReferrals]:
    """Which directory services families were referred to through their plans, the plan actions' own
    progress, and what each provider answered: aggregate counts only, no family is named."""
    rows = (
        PlanAction.objects.filter(service__isnull=False)
        .values("service_id", service_name=F("service__name"), organization_name=F("service__organization__name"))
        .annotate(
            total=Count("id"),
            completed=Count("id", filter=Q(status=ActionStatus.DONE)),
            in_progress=Count("id", filter=Q(status=ActionStatus.IN_PROGRESS)),
            not_started=Count("id", filter=Q(status=ActionStatus.NOT_STARTED)),
            cancelled=Count("id", filter=Q(status=ActionStatus.CANCELLED)),
            waiting=Count("id", filter=Q(referral__status__in=WAITING_REFERRAL_STATUSES)),
            accepted=Count("id", filter=Q(referral__status=ReferralStatus.ACCEPTED)),
            declined=Count("id", filter=Q(referral__status=ReferralStatus.DECLINED)),
            provider_completed=Count("id", filter=Q(referral__status=ReferralStatus.COMPLETED)),
        )
        .order_by("-total", "service__name")
    )
    return [ServiceReferrals(**row) for row in rows]


def lead_ids(household: Household) -> frozenset[int]:
    """The user ids of the family's current lead professional(s), for `capabilities.can_update_action`."""
    return frozenset(
        household.involvements.current_lead()
        .filter(practitioner__isnull=False)
        .values_list("practitioner_id", flat=True)
    )


def actions_for(plan: Plan, user: User) -> list[PlanAction]:
    """The plan's actions as its page shows them, each with `updatable` (may this user update it) and
    `latest_note` (the newest note left when its status moved, if any). In two queries."""
    leads = lead_ids(plan.household)
    notes: dict[int, str] = {}
    for action_id, note in (
        ActionStatusChange.objects.filter(action__plan=plan)
        .exclude(note="")
        .order_by("action_id", "-changed_at", "-id")
        .values_list("action_id", "note")
    ):
        notes.setdefault(action_id, note)
    actions = list(plan.actions.all())
    for action in actions:
        action.updatable = capabilities.can_update_action(user, action, leads)  # type: ignore[attr-defined]
        action.latest_note = notes.get(action.pk, "")  # type: ignore[attr-defined]
    return actions


def meeting_of(plan: Plan, meeting_id: int) -> Meeting:
    """One meeting of a plan, with who attended and the actions it updated; not found alike."""
    meeting = (
        plan.meetings.select_related("scheduled_meeting")
        .prefetch_related("attendees__person", "attendees__agency", "attendees__practitioner")
        .prefetch_related("action_changes__action")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise RecordNotFound
    return meeting


def _led_households(user: User) -> QuerySet[Involvement]:
    leads = Involvement.objects.current_lead()
    if capabilities.manages_team(user):
        return leads.filter(Q(practitioner=user) | Q(practitioner__team_id=user.team_id) | Q(team_id=user.team_id))
    return leads.filter(practitioner=user)


def overdue_work(*, user: User) -> dict:
    """Overdue plan reviews and actions of open episodes: the lead professional's own families, a
    manager's team's families, and any action assigned to the user, among families they may see."""
    if not user.is_authenticated:
        return {"reviews": [], "actions": []}
    today = timezone.localdate()
    led = _led_households(user).values("household_id")
    # Each open plan's family checked for visibility (a manager's team sees thousands of families of a large
    # register: listing them all first took three times as long).
    open_plans = Plan.objects.filter(episode__status=EpisodeStatus.OPEN).filter(visible_through(user, "household_id"))
    reviews = open_plans.filter(household_id__in=led, next_review_on__lt=today).select_related("household")
    actions = (
        PlanAction.objects.filter(plan__in=open_plans, status__in=OPEN_ACTION_STATUSES, due_on__lt=today)
        .filter(Q(plan__household_id__in=led) | Q(practitioner=user))
        .select_related("plan__household", "practitioner", "family_member", "agency")
        .order_by("due_on", "pk")
    )
    return {"reviews": list(reviews.order_by("next_review_on", "pk")[:50]), "actions": list(actions[:50])}


def invitable_practitioners(plan: Plan) -> QuerySet[User]:
    """Who may be invited to a plan's meetings: the active practitioners working with the family now
    (its lead professional, TAF members and any other current involvement)."""
    return (
        User.objects.filter(
            is_active=True,
            involvements__household_id=plan.household_id,
            involvements__ended_on__isnull=True,
        )
        .select_related("agency")
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


def _with_invitations(meetings: QuerySet[ScheduledMeeting]) -> QuerySet[ScheduledMeeting]:
    invitations = MeetingInvitation.objects.select_related("practitioner__agency", "person").order_by("id")
    return meetings.select_related("organiser", "plan").prefetch_related(Prefetch("invitations", queryset=invitations))


def scheduled_meetings(plan: Plan) -> QuerySet[ScheduledMeeting]:
    """The meetings arranged for a plan, soonest first, with their invitees and answers."""
    return _with_invitations(plan.scheduled_meetings.all()).order_by("starts_at", "id")


def scheduled_meeting_of(plan: Plan, scheduled_id: object) -> ScheduledMeeting:
    """One arranged meeting of a plan, with its invitees and answers; not found alike."""
    try:
        key = int(str(scheduled_id))
    except ValueError:
        raise RecordNotFound from None
    scheduled = _with_invitations(plan.scheduled_meetings.filter(pk=key)).first()
    if scheduled is None:
        raise RecordNotFound
    return scheduled


def own_invitation(scheduled: ScheduledMeeting, user: User) -> MeetingInvitation | None:
    """The user's own invitation to the meeting, if they are invited (from the prefetched invitations)."""
    return next((each for each in scheduled.invitations.all() if each.practitioner_id == user.pk), None)


def accepted_invitees(scheduled: ScheduledMeeting) -> tuple[list[User], list[Person]]:
    """Who said they would come: the practitioners and family members whose answer is "accepted"."""
    accepted = [each for each in scheduled.invitations.all() if each.response == InvitationResponse.ACCEPTED]
    return (
        [each.practitioner for each in accepted if each.practitioner is not None],
        [each.person for each in accepted if each.person is not None],
    )


def scheduled_meeting_ics(scheduled: ScheduledMeeting, *, method: str = ics.REQUEST) -> str:
    """The meeting's calendar invitation (a cancelled meeting's is a cancellation), for its invitees'
    calendars: it names the practitioners invited, never the family."""
    if scheduled.status == "cancelled":
        method = ics.CANCEL
    organiser = scheduled.organiser
    invitees = [
        ics.Invitee(name=each.practitioner.display_name, email=each.practitioner.email, response=each.response)
        for each in scheduled.invitations.all()
        if each.practitioner is not None and each.practitioner.email
    ]
    page = scheduled_meeting_page(scheduled)
    return ics.invitation(
        uid=scheduled.uid,
        sequence=scheduled.sequence,
        starts_at=scheduled.starts_at,
        ends_at=scheduled.ends_at,
        place=scheduled.place,
        online_link=scheduled.online_link,
        organiser=ics.Invitee(
            name=organiser.display_name, email=organiser.email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
        ),
        invitees=invitees,
        url=settings.EARLY_HELP.notifications.service_url.rstrip("/") + page,
        method=method,
    )
