"""Demo journey data for the synthetic borough: a realistic mix of work for each demo role.

Requests waiting at the front door and triaged ones; open episodes with the Early Help Assessment
in each state (not started, draft, submitted for quality assurance, returned, approved); plans
with overdue actions and reviews; a step up waiting for a manager and one waiting for social care;
one answered "no further action" with an offer; a step down waiting for the Early Help Team and
one accepted; closed episodes. Every record is made through the services, so each is audited and
in the chronology; nothing is bulk-created."""

import functools
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from earlyhelp.accounts.models import Team, User
from earlyhelp.assessments import selectors as assessment_selectors
from earlyhelp.assessments import services as assessments
from earlyhelp.consent.models import SharingPurpose
from earlyhelp.consent.services import consent_record
from earlyhelp.demo.borough import record_levels
from earlyhelp.directory.needs import need_term_id
from earlyhelp.directory.selectors import published_services
from earlyhelp.families.models import Household, Membership
from earlyhelp.journey import selectors, services
from earlyhelp.journey.models import (
    ClosureReason,
    Episode,
    LevelOfNeed,
    NeedIndicator,
    SocialCareOutcome,
    StepUp,
    SupportRequest,
)
from earlyhelp.plans import referral_services as referrals
from earlyhelp.plans import services as plans
from earlyhelp.plans.models import Plan, PlanAction, ServiceReferral

T = TypeVar("T")

# What becomes of each family in turn, in the order the demo builds them.
STORY = [
    "awaiting",
    "awaiting",
    "awaiting",
    "awaiting",
    "advice",
    "universal",
    "opened",
    "draft",
    "submitted",
    "submitted",
    "returned",
    "plan_overdue",
    "plan_overdue_school_lead",
    "plan",
    "step_up_pending",
    "step_up_sent",
    "no_further_action",
    "closed_achieved",
    "closed_universal",
    "step_down_awaiting",
    "step_down_accepted",
    "family_awaiting",
    "family_advice",
    "family_universal",
    "family_assessment",
    "family_mash",
    "mash",
    "step_up_declined",
    "step_up_accepted_single_assessment",
    "step_up_accepted_child_in_need",
    "step_up_accepted_child_protection",
    "closed_stepped_up",
    "closed_moved_away",
    "closed_consent_withdrawn",
    "closed_other",
]
# At most one family in four enters the demo journey, so most of the borough stays unknown to services.
JOURNEY_SHARE_OF_BOROUGH = 4
# The story is told this many times over, so each count the analyst sees is 5 or more.
ROUNDS = 5
WEEKS_BEFORE_FIRST_MEETING = 4
CONCERNS = [
    "Attendance has dropped this term and the child seems withdrawn.",
    "Mum has asked for help with routines and money worries.",
    "Health visitor concerned about home conditions and isolation.",
    "Dad is struggling since losing his job; the children are often late and hungry.",
]


@dataclass(frozen=True)
class JourneySize:
    requests: int
    episodes: int
    step_ups: int


@dataclass(frozen=True)
class Cast:
    coordinator: User
    manager: User
    keyworker: User
    school: User
    health: User
    social_worker: User
    mash: Team


def _present(value: T | None, what: str) -> T:
    """A record the demo built itself; its absence is a fault in the builder, not a family to skip."""
    if value is None:
        raise LookupError(f"The demo has no {what}")
    return value


def _first_member(household: Household, roles: list[str], what: str) -> Membership:
    return _present(
        household.memberships.filter(role__in=roles, ended_on__isnull=True).select_related("person").first(), what
    )


def _cast() -> Cast | None:
    users = {
        user.username: user
        for user in User.objects.filter(
            username__in=["coordinator", "manager", "socialworker", "keyworker", "practitioner", "healthvisitor"]
        ).select_related("agency", "team")
    }
    mash = Team.objects.filter(name="MASH").select_related("agency").first()
    needed = ["coordinator", "manager", "keyworker", "practitioner", "healthvisitor", "socialworker"]
    if mash is None or any(name not in users for name in needed):
        return None
    return Cast(
        coordinator=users["coordinator"],
        manager=users["manager"],
        keyworker=users["keyworker"],
        school=users["practitioner"],
        health=users["healthvisitor"],
        social_worker=users["socialworker"],
        mash=mash,
    )


def _candidates() -> list[Household]:
    """Families with an adult (who can consent) and a child, not yet in the journey."""
    current = Membership.objects.filter(household=OuterRef("pk"), ended_on__isnull=True)
    return list(
        Household.objects.filter(episodes__isnull=True, step_downs__isnull=True)
        .filter(Exists(current.filter(role__in=["parent", "carer"])), Exists(current.filter(role="child")))
        .order_by("name")[: min(len(STORY) * ROUNDS * 2, Household.objects.count() // JOURNEY_SHARE_OF_BOROUGH)]
    )


class _Builder:
    def __init__(self, cast: Cast, rng: random.Random) -> None:
        self.cast, self.rng = cast, rng
        self.indicators = list(NeedIndicator.objects.filter(active=True))
        self.today = timezone.localdate()
        self.school_agency = cast.school.agency

    def request(self, household: Household, by: User) -> SupportRequest:
        child = _first_member(household, ["child"], "child in a candidate family")
        made = services.support_request_create(
            actor=by,
            household=household,
            details=services.RequestDetails(
                child_given_name=child.person.given_name,
                child_family_name=child.person.family_name,
                child_date_of_birth=child.person.date_of_birth,
                concerns=self.rng.choice(CONCERNS),
                family_consents=True,
            ),
        )
        return made

    def open_episode(self, household: Household, *, lead: User | None = None) -> Episode:
        cast = self.cast
        referrer = self.rng.choice([cast.school, cast.health])
        services.support_request_triage(
            actor=cast.coordinator,
            support_request=self.request(household, referrer),
            decision="assessment",
            lead=lead or cast.keyworker,
            note="Needs across home and school",
        )
        ticked = self.rng.sample(self.indicators, k=self.rng.randint(1, 4))
        services.level_record(
            actor=lead or cast.keyworker,
            household=household,
            indicator_ids=[i.id for i in ticked],
            level=services.rules.suggest_level(services.rules.Weighed(i.weight, i.minimum_level) for i in ticked),
        )
        return _present(selectors.active_episode(household), "episode just opened")

    def assess(self, episode: Episode, lead: User, until: str):
        version = assessments.assessment_start(actor=lead, episode=episode)
        sections = {}
        for section in version.sections.select_related("person"):
            name = section.person.given_name
            if section.is_child:
                sections[section.pk] = assessments.SectionContent(
                    about=f"{name} is doing well in class when in school.",
                    child_voice=self.rng.choice(["I like football club", "I miss school when mum is poorly"]),
                )
            else:
                sections[section.pk] = assessments.SectionContent(
                    about=f"{name} wants help with routines.",
                    consent_given=True,
                    consent_what="The assessment and the plan",
                    consent_with_whom="School, health visiting and the Early Help Service",
                )
        version = assessments.assessment_update(
            actor=lead,
            version=version,
            revision=version.revision,
            content=assessments.VersionContent(
                working_well="Grandparents help with the school run.",
                future_danger="Money worries could mean the family loses its home.",
                needs_to_happen="A steady morning routine and help with debts.",
                family_scale=self.rng.randint(3, 6),
                practitioner_scale=self.rng.randint(3, 6),
            ),
            sections=sections,
        )
        assessments.assessment_need_add(
            actor=lead, version=version, person=None, outcome_area="education", description="Attendance below 90%"
        )
        assessments.assessment_need_add(
            actor=lead, version=version, person=None, outcome_area="financial_stability", description="Rent arrears"
        )
        if until == "draft":
            return version
        version = assessments.assessment_submit(actor=lead, version=version)
        if until == "submitted":
            return version
        if until == "returned":
            return assessments.assessment_return(
                actor=self.cast.coordinator, version=version, comments="Add the father's view, please."
            )
        return assessments.assessment_approve(actor=self.cast.coordinator, version=version)

    def plan(self, episode: Episode, lead: User, *, overdue: bool) -> None:
        version = self.assess(episode, lead, "approved")
        plan = plans.plan_start(actor=lead, episode=episode)
        outcome = plans.plan_outcome_add(
            actor=lead, plan=plan, description="The children are in school every day", needs=version.needs.all()
        )
        due = self.today - timedelta(days=10) if overdue else self.today + timedelta(days=21)
        breakfast = plans.plan_action_add(
            actor=lead,
            plan=plan,
            what="Breakfast club place",
            due_on=max(due, self.today),
            outcome=outcome,
            agency=self.cast.school.agency,
        )
        # A referral to a money and debt service from the demo directory, when it has been built.
        debt_advice = (
            published_services()
            .filter(attributes__taxonomy_term_id=need_term_id("money-and-debt"))
            .order_by("name")
            .first()
        )
        debt = plans.plan_action_add(
            actor=lead,
            plan=plan,
            what="Debt advice appointment",
            due_on=max(due + timedelta(days=7), self.today),
            practitioner=lead,
            service=debt_advice,
        )
        self.refer_to_provider(plan, lead, due=max(due + timedelta(days=14), self.today))
        if overdue:
            # A new action cannot be due in the past: these were added weeks ago, so the demo backdates them.
            PlanAction.objects.filter(pk=breakfast.pk).update(due_on=due)
            PlanAction.objects.filter(pk=debt.pk).update(due_on=due + timedelta(days=7))
        held = self.today - timedelta(days=50 if overdue else 10)
        # The services open an episode today, but this family's story began weeks before its first
        # meeting: the demo backdates the opening and the lead's start so neither follows the review.
        opened = held - timedelta(days=WEEKS_BEFORE_FIRST_MEETING * 7)
        Episode.objects.filter(pk=episode.pk).update(opened_on=opened)
        episode.household.involvements.current_lead().filter(started_on__gt=opened).update(started_on=opened)
        plans.meeting_record(
            actor=lead,
            plan=plan,
            kind="taf",
            held_on=held,
            decisions="Breakfast club from Monday; debt advice booked.",
            family_scale=self.rng.randint(4, 7),
            practitioner_scale=self.rng.randint(4, 7),
            next_review_on=held + timedelta(days=42),
            practitioners=[lead],
        )

    def refer_to_provider(self, plan: Plan, lead: User, *, due) -> None:
        """A referral to Families Together's mentoring (the demo provider editor's charity): for most
        families the parents' consent is recorded and the provider has answered or has it waiting;
        for some it still waits for consent, as the lead sees on the plan."""
        mentoring = published_services().filter(name="Family Mentoring", organization__agency__isnull=False).first()
        if mentoring is None or mentoring.organization.agency is None:
            return
        fate = self.rng.choice(["awaiting_consent", "new", "new", "opened", "accepted", "declined", "completed"])
        if fate != "awaiting_consent":
            for membership in plan.household.memberships.filter(role__in=["parent", "carer"], ended_on__isnull=True):
                consent_record(
                    actor=lead,
                    person=membership.person,
                    agencies=[mentoring.organization.agency],
                    purpose=SharingPurpose.REFERRAL,
                )
        action = plans.plan_action_add(
            actor=lead, plan=plan, what="Weekly visits from a family mentor", due_on=due, practitioner=lead,
            service=mentoring,
        )  # fmt: skip
        editor = User.objects.filter(directory_editing__organization=mentoring.organization).order_by("pk").first()
        referral = ServiceReferral.objects.get(action=action)
        if editor is None or fate in ("awaiting_consent", "new"):
            return
        referral = referrals.referral_open(actor=editor, referral=referral)
        if fate in ("accepted", "completed"):
            referral = referrals.referral_accept(actor=editor, referral=referral)
        if fate == "completed":
            referrals.referral_complete(actor=editor, referral=referral)
        if fate == "declined":
            referrals.referral_decline(
                actor=editor, referral=referral, reason="Our mentors are fully booked until the spring: try Home-Start."
            )

    def step_up(self, episode: Episode, until: str) -> None:
        cast = self.cast
        made = services.step_up_request(
            actor=cast.keyworker,
            episode=episode,
            reasons=["domestic_abuse"],
            detail="Police notification of domestic abuse at the home",
            to_team=cast.mash,
        )
        if until == "pending":
            return
        if until == "declined":
            services.step_up_decline(actor=cast.manager, step_up=made, comment="Early help can meet these needs")
            return
        services.step_up_approve(actor=cast.manager, step_up=made, comment="Agreed: threshold met")
        if until.startswith("accepted_"):
            services.step_up_accept(actor=cast.social_worker, step_up=made, outcome=until.removeprefix("accepted_"))
        if until == "nfa":
            services.step_up_no_further_action(
                actor=cast.social_worker, step_up=made, offer="Domestic abuse support and a family key worker"
            )

    def close(self, episode: Episode, reason: str) -> None:
        results = [
            services.NeedResult(
                need_ref=need["ref"], need_text=need["text"], outcome_area=need["area_code"], outcome="met"
            )
            for need in assessment_selectors.assessed_needs(episode.household)
        ]
        services.episode_close(
            actor=self.cast.keyworker, episode=episode, reason=reason, detail="Review agreed", need_results=results
        )

    def step_down(self, household: Household, *, accept: bool) -> None:
        cast = self.cast
        # Consent to share with early help is recorded at the handover, as social care would.
        for membership in household.memberships.filter(role__in=["parent", "carer"], ended_on__isnull=True):
            consent_record(
                actor=cast.social_worker,
                person=membership.person,
                agencies=[_present(cast.keyworker.agency, "agency for the keyworker")],
                purpose=SharingPurpose.TEAM_AROUND_THE_FAMILY,
            )
        made = services.step_down_request(
            actor=cast.social_worker,
            household=household,
            summary="Child in need plan ended; the family engaged well.",
            reason="Needs can now be met by early help",
        )
        if accept:
            services.step_down_accept(actor=cast.coordinator, step_down=made, lead=cast.keyworker)

    def from_family(self, household: Household, decision: str) -> None:
        cast = self.cast
        child = _first_member(household, ["child"], "child in a candidate family")
        parent = _first_member(household, ["parent", "carer"], "parent in a candidate family")
        made = services.support_request_create_by_family(
            details=services.RequestDetails(
                child_given_name=child.person.given_name,
                child_family_name=child.person.family_name,
                child_date_of_birth=child.person.date_of_birth,
                concerns=self.rng.choice(CONCERNS),
                requester_name=f"{parent.person.given_name} {parent.person.family_name}",
                requester_relationship="Parent",
                # Ofcom's range for drama: a number that can never ring a real family.
                requester_phone=f"07700 900{self.rng.randrange(1000):03d}",
                family_consents=True,
            )
        )
        if decision == "awaiting":
            return
        services.support_request_triage(
            actor=cast.coordinator,
            support_request=made,
            decision=decision,
            note="Spoke to mum on the phone",
            household=household if decision in ("assessment", "mash") else None,
            lead=cast.keyworker if decision == "assessment" else None,
            mash_reasons=["domestic_abuse"] if decision == "mash" else (),
            to_team=cast.mash if decision == "mash" else None,
        )

    def build(self, household: Household, story: str) -> None:
        cast = self.cast
        if story.startswith("family_"):
            self.from_family(household, story.removeprefix("family_"))
            return
        if story == "mash":
            services.support_request_triage(
                actor=cast.coordinator,
                support_request=self.request(household, cast.health),
                decision="mash",
                note="Disclosure of domestic abuse at the health visit",
                household=household,
                mash_reasons=["domestic_abuse"],
                to_team=cast.mash,
            )
            return
        if story in ("awaiting", "advice", "universal"):
            made = self.request(household, self.rng.choice([cast.school, cast.health]))
            if story != "awaiting":
                services.support_request_triage(
                    actor=cast.coordinator, support_request=made, decision=story, note="Signposted to the library"
                )
            return
        if story.startswith("step_down"):
            self.step_down(household, accept=story.endswith("accepted"))
            return
        lead = cast.school if story == "plan_overdue_school_lead" else cast.keyworker
        episode = self.open_episode(household, lead=lead)

        def plan() -> None:
            self.plan(episode, lead, overdue=False)

        steps: dict[str, list[Callable[[], None]]] = {
            "opened": [],
            "draft": [lambda: self.assess(episode, lead, "draft")],
            "submitted": [lambda: self.assess(episode, lead, "submitted")],
            "returned": [lambda: self.assess(episode, lead, "returned")],
            "plan_overdue": [lambda: self.plan(episode, lead, overdue=True)],
            "plan_overdue_school_lead": [lambda: self.plan(episode, lead, overdue=True)],
            "plan": [plan],
            "step_up_pending": [plan, lambda: self.step_up(episode, until="pending")],
            "step_up_sent": [plan, lambda: self.step_up(episode, until="sent")],
            "no_further_action": [lambda: self.step_up(episode, "nfa")],
            "closed_achieved": [plan, lambda: self.close(episode, ClosureReason.OUTCOMES_ACHIEVED)],
            "closed_universal": [lambda: self.close(episode, ClosureReason.STEPPED_DOWN)],
            "step_up_declined": [plan, lambda: self.step_up(episode, "declined")],
            "closed_stepped_up": [
                lambda: self.step_up(episode, "accepted_single_assessment"),
                lambda: self.close(episode, ClosureReason.STEPPED_UP),
            ],
            "closed_moved_away": [lambda: self.close(episode, ClosureReason.MOVED_AWAY)],
            "closed_consent_withdrawn": [lambda: self.close(episode, ClosureReason.CONSENT_WITHDRAWN)],
            "closed_other": [lambda: self.close(episode, ClosureReason.OTHER)],
        }
        for outcome in SocialCareOutcome.values:
            steps[f"step_up_accepted_{outcome}"] = [functools.partial(self.step_up, episode, f"accepted_{outcome}")]
        for step in steps[story]:
            step()


# One transaction for the whole journey: each family is a savepoint within it, and SQLite writes
# to disk once rather than once a family.
ATTEMPTS_PER_STORY = 4


@transaction.atomic
def build_journey(*, seed: int) -> JourneySize:
    """Add journey records through the journey's own services, so they obey its rules and are audited."""
    if SupportRequest.objects.exists():
        return JourneySize(0, 0, 0)
    cast = _cast()
    if cast is None:
        return JourneySize(0, 0, 0)
    rng = random.Random(seed)
    households = _candidates()
    rng.shuffle(households)
    builder = _Builder(cast, rng)
    for story in STORY * ROUNDS:
        # A story the rules refuse for one family is tried on a few more, never on all of them: a
        # story that no family can tell must not use up the families the later stories need.
        for _attempt in range(ATTEMPTS_PER_STORY):
            if not households:
                break
            household = households.pop()
            try:
                # One savepoint per family: a family the rules refuse (for example, a lead who would
                # be its second) is left out whole, and the next family tells this part of the story.
                with transaction.atomic():
                    builder.build(household, story)
            except ValidationError:
                continue
            break
    # Some stories bring a family in without a level (a step down, a request triaged to assessment):
    # the Early Help Team records one, so every family known to services has its level.
    unlevelled = (
        Household.objects.filter(Q(involvements__isnull=False) | Q(episodes__isnull=False))
        .exclude(pk__in=LevelOfNeed.objects.values("household_id"))
        .distinct()
        .order_by("name", "pk")
    )
    record_levels(rng, [(household, cast.coordinator) for household in unlevelled])
    return JourneySize(SupportRequest.objects.count(), Episode.objects.count(), StepUp.objects.count())
