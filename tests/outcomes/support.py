"""Hand-built family histories for the outcome framework: a family, its episode, the approved
assessment's needs each in an outcome area, the closure's outcome for each need, and whatever
happened after closure (a request, a referral, a data hub flag), each on a day the test names."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from earlyhelp.assessments.models import AssessmentStatus, Need, OutcomeArea
from earlyhelp.datahub.models import Flag
from earlyhelp.families.models import Household, MemberRole, Person
from earlyhelp.journey.models import ClosureNeedOutcome, ClosureReason, EpisodeClosure, EpisodeStatus, NeedOutcome
from tests.assessments.factories import DraftVersionFactory, EpisodeFactory
from tests.factories import ChildFactory, HouseholdFactory, MembershipFactory, PersonFactory, UserFactory
from tests.journey.factories import SupportRequestFactory
from tests.measures.factories import ReferralFactory, at

THREE = [OutcomeArea.EDUCATION, OutcomeArea.HEALTH, OutcomeArea.HOUSING]


@dataclass
class Family:
    household: Household
    parent: Person
    child: Person | None
    episode: object
    needs: dict[str, Need] = field(default_factory=dict)


def family(
    *,
    areas=THREE,
    closed_on: date | None = date(2025, 8, 15),
    opened_on: date = date(2025, 1, 6),
    outcomes: dict | None = None,
    child: bool = True,
    expecting: bool = False,
    name: str = "",
) -> Family:
    """A family with a parent (and a child of ten, unless `child` is False; an expected baby if
    `expecting`), an episode opened and closed on the days given, an approved assessment with one need
    in each of `areas`, and each need marked at closure as `outcomes` says (met by default)."""
    household = HouseholdFactory(**({"name": name} if name else {}))
    parent = MembershipFactory(
        household=household, person=PersonFactory(date_of_birth=date(1988, 4, 2)), role=MemberRole.PARENT
    ).person
    kid = None
    if child:
        kid = MembershipFactory(household=household, person=ChildFactory(date_of_birth=date(2015, 3, 1))).person
    if expecting:
        baby = PersonFactory(date_of_birth=None, expected_date_of_birth=date(2025, 11, 1), nhs_number=None)
        MembershipFactory(household=household, person=baby, role=MemberRole.UNBORN)
    episode = EpisodeFactory(
        household=household,
        opened_on=opened_on,
        status=EpisodeStatus.CLOSED if closed_on else EpisodeStatus.OPEN,
        closed_on=closed_on,
    )
    version = DraftVersionFactory(
        episode=episode,
        status=AssessmentStatus.APPROVED,
        reviewed_by=UserFactory(role="coordinator"),
        reviewed_at=at(opened_on + timedelta(days=30)),
    )
    built = Family(household=household, parent=parent, child=kid, episode=episode)
    for area in areas:
        built.needs[area] = Need.objects.create(
            version=version, person=kid or parent, outcome_area=area, description=f"A need in {area}"
        )
    if closed_on:
        closure = EpisodeClosure.objects.create(
            episode=episode, reason=ClosureReason.OUTCOMES_ACHIEVED, closed_by=UserFactory(), closed_at=at(closed_on)
        )
        for area, need in built.needs.items():
            outcome = (outcomes or {}).get(area, NeedOutcome.MET)
            if outcome is None:
                continue
            ClosureNeedOutcome.objects.create(
                closure=closure, need_ref=str(need.key), need_text=need.description, outcome_area=area, outcome=outcome
            )
    return built


def new_request(built: Family, on: date):
    return SupportRequestFactory(household=built.household, received_at=at(on))


def referral(built: Family, on: date):
    return ReferralFactory(person=built.child or built.parent, household=built.household, referred_on=on)


def flag(built: Family, area: str, on: date) -> Flag:
    return Flag.objects.create(
        person=built.child or built.parent,
        rule=f"rule-{area}",
        outcome_area=area,
        reason="A partner fact",
        raised_on=on,
    )
