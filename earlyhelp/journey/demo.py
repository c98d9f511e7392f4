"""Demo journey data for the synthetic borough: requests at the front door, episodes with levels of
need, a step up awaiting a manager, one answered with no further action, and a step down."""

import random
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from earlyhelp.accounts.models import Team, User
from earlyhelp.families.models import Household

from . import selectors, services
from .models import NeedIndicator, SupportRequest


@dataclass(frozen=True)
class JourneySize:
    requests: int
    episodes: int
    step_ups: int


def _try(step) -> bool:
    """Run one demo step in its own savepoint; a family whose consent does not cover it is skipped."""
    try:
        with transaction.atomic():
            step()
    except ValidationError:
        return False
    return True


def build_journey(*, seed: int) -> JourneySize:
    """Add journey records through the journey's own services, so they obey its rules."""
    if SupportRequest.objects.exists():
        return JourneySize(0, 0, 0)
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    users = {
        user.username: user
        for user in User.objects.filter(
            username__in=["coordinator", "manager", "socialworker", "keyworker", "teacher", "healthvisitor"]
        )
    }
    coordinator, manager, keyworker = users.get("coordinator"), users.get("manager"), users.get("keyworker")
    social_worker = users.get("socialworker")
    mash = Team.objects.filter(name="MASH").first()
    if not all([coordinator, manager, keyworker, social_worker, mash]):
        return JourneySize(0, 0, 0)
    referrer = users.get("teacher") or keyworker
    indicators = list(NeedIndicator.objects.filter(active=True))
    # Families the key worker's agency already works with: sharing with it is covered.
    known = Household.objects.filter(
        episodes__isnull=True, involvements__agency=keyworker.agency, involvements__ended_on__isnull=True
    )
    households = list(known.distinct().order_by("name")[:40])
    households += list(Household.objects.filter(episodes__isnull=True).exclude(pk__in=known).order_by("name")[:10])
    rng.shuffle(households)
    requests = episodes = step_ups = 0

    def details(household: Household) -> services.RequestDetails:
        child = household.memberships.filter(role="child").select_related("person").first()
        person = child.person if child else None
        return services.RequestDetails(
            child_given_name=person.given_name if person else "Sam",
            child_family_name=person.family_name if person else household.name.split()[0],
            child_date_of_birth=person.date_of_birth if person else None,
            concerns=rng.choice(
                [
                    "Attendance has dropped this term and the child seems withdrawn.",
                    "Mum has asked for help with routines and money worries.",
                    "Health visitor concerned about home conditions and isolation.",
                ]
            ),
            family_consents=True,
        )

    for household in households:
        if requests >= 12:
            break
        request = services.support_request_create(actor=referrer, details=details(household), household=household)
        requests += 1
        if requests <= 4:
            continue  # left at the front door, awaiting triage
        if requests <= 6:
            services.support_request_triage(
                actor=coordinator,
                support_request=request,
                decision="advice",
                note="Signposted to the parenting programme",
            )
            continue

        def open_episode(request=request, household=household) -> None:
            services.support_request_triage(
                actor=coordinator,
                support_request=request,
                decision="assessment",
                lead=keyworker,
                note="Needs across home and school",
            )
            ticked = rng.sample(indicators, k=rng.randint(1, 4))
            services.level_record(
                actor=keyworker,
                household=household,
                indicator_ids=[i.id for i in ticked],
                level=services.rules.suggest_level(services.rules.Weighed(i.weight, i.minimum_level) for i in ticked),
            )

        if not _try(open_episode):
            continue
        episodes += 1
        episode = selectors.active_episode(household)
        if step_ups < 2:

            def step_up(episode=episode, first=step_ups == 0) -> None:
                made = services.step_up_request(
                    actor=keyworker,
                    episode=episode,
                    reasons=["domestic_abuse"],
                    detail="Police notification of domestic abuse at the home",
                    to_team=mash,
                )
                if not first:
                    services.step_up_approve(actor=manager, step_up=made, comment="Agreed")
                    services.step_up_no_further_action(
                        actor=social_worker, step_up=made, offer="Domestic abuse support and a family key worker"
                    )

            if _try(step_up):
                step_ups += 1
    return JourneySize(requests, episodes, step_ups)
