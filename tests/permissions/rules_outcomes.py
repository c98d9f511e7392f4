"""Access rules of the Supporting Families claims: the work lists and the progress return for the
Early Help Team and managers; preparing and signing off a claim for them too, over the families they
may open; marking a claim submitted for the Early Help Team alone."""

import uuid

from earlyhelp.accounts.models import Role

from .matrix import (
    ANONYMOUS,
    BREAK_GLASS,
    FORBIDDEN,
    INVOLVED,
    MISSING,
    NOT_FOUND,
    OK,
    SIGN_IN,
    UNRELATED,
    Rule,
    World,
    no_kwargs,
    only,
)

CLAIMS = only(Role.COORDINATOR, Role.MANAGER)
RECORD = (INVOLVED, UNRELATED, MISSING, BREAK_GLASS)


def family_record_for(*roles: str):
    """A page about one family's claim, for these roles, as far as each may open the family: the Early
    Help Team any, a manager the families their team works with or they opened break-glass."""

    def expect(role: str, relation: str) -> int:
        if role == ANONYMOUS:
            return SIGN_IN
        if role not in roles:
            return FORBIDDEN
        if relation == MISSING:
            return NOT_FOUND
        if role == Role.COORDINATOR or relation in (INVOLVED, BREAK_GLASS):
            return OK
        return NOT_FOUND

    return expect


def household_kwargs(world: World, relation: str) -> dict:
    return {"household_id": uuid.uuid4() if relation == MISSING else world.household.pk}


def claim_kwargs(world: World, relation: str) -> dict:
    if relation == MISSING:
        return {"claim_id": 999_999}
    from datetime import date

    from django.utils import timezone

    from earlyhelp.journey.models import EpisodeStatus
    from earlyhelp.outcomes.models import Claim
    from tests.assessments.factories import EpisodeFactory
    from tests.factories import UserFactory

    episode = EpisodeFactory(household=world.household, status=EpisodeStatus.CLOSED, closed_on=date(2025, 6, 30))
    claim = Claim.objects.create(
        household=world.household,
        episode=episode,
        sustained_until=date(2025, 12, 31),
        prepared_by=UserFactory(role=Role.COORDINATOR),
        prepared_at=timezone.now(),
    )
    return {"claim_id": claim.pk}


RULES = {
    "outcomes:claims": Rule(no_kwargs, CLAIMS),
    "outcomes:near-misses": Rule(no_kwargs, CLAIMS),
    "outcomes:progress-return": Rule(no_kwargs, CLAIMS),
    "outcomes:progress-return-csv": Rule(no_kwargs, CLAIMS),
    "outcomes:prepare": Rule(household_kwargs, family_record_for(Role.COORDINATOR, Role.MANAGER), RECORD),
    "outcomes:sign-off": Rule(claim_kwargs, family_record_for(Role.COORDINATOR, Role.MANAGER), RECORD),
    "outcomes:submit": Rule(claim_kwargs, family_record_for(Role.COORDINATOR), RECORD),
}
