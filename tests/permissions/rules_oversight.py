"""Access rules for management oversight: the team caseload, supervision, changing the lead and transferring
an episode, on the pages and over the API (see matrix.py)."""

from earlyhelp.accounts.models import Role

from .matrix import (
    ANONYMOUS,
    BREAK_GLASS,
    BREAK_GLASS_EXPIRED,
    FORBIDDEN,
    INVOLVED,
    MISSING,
    OK,
    SIGN_IN,
    UNRELATED,
    Rule,
    World,
    api,
    casework_record,
    no_kwargs,
    only,
    record,
)

RECORD = (INVOLVED, UNRELATED, MISSING, BREAK_GLASS, BREAK_GLASS_EXPIRED)
household = record("household_id", "household")


def lead_changers(role: str, relation: str) -> int:
    """Only a team manager or the Early Help Team changes a lead, and then only for a family they may open."""
    if role == ANONYMOUS:
        return SIGN_IN
    if role not in (Role.MANAGER, Role.COORDINATOR):
        return FORBIDDEN
    return casework_record(role, relation)


CREATED = 201
API_RECORD = (INVOLVED, UNRELATED, MISSING)


def transferrers(role: str, relation: str) -> int:
    """Only a team manager transfers an episode (the service asks that their team holds it)."""
    if role == ANONYMOUS:
        return SIGN_IN
    if role != Role.MANAGER:
        return FORBIDDEN
    return casework_record(role, relation)


def _created(expect):
    def wrapped(role: str, relation: str) -> int:
        status = api(expect)(role, relation)
        return CREATED if status == OK else status

    return wrapped


def _lead_change(world: World, relation: str) -> dict:
    """A family in an open episode, and a practitioner its consent lets lead it."""
    from tests.dataprotection.factories import ConsentFactory
    from tests.factories import UserFactory
    from tests.journey.factories import EpisodeFactory

    EpisodeFactory(household=world.household)
    new_lead = UserFactory()
    ConsentFactory(person=world.person, agencies=[new_lead.agency])
    world.extra["new_lead"] = new_lead.pk
    return household(world, relation)


def _lead_change_body(world: World) -> dict:
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    return {
        "new_lead": world.extra["new_lead"],
        "note": "Mum prefers texts",
        "family_told": "phone",
        "family_told_on": today,
    }


def _transfer(world: World, relation: str) -> dict:
    """A family in an open episode led from the user's team (INVOLVED) or another team, and a receiving
    team with a manager, which the family's consent covers."""
    from earlyhelp.families.models import InvolvementRole
    from tests.dataprotection.factories import ConsentFactory
    from tests.factories import InvolvementFactory, TeamFactory, UserFactory
    from tests.journey.factories import EpisodeFactory

    EpisodeFactory(household=world.household)
    user = world.user
    team = user.team if relation == INVOLVED and user is not None and user.team is not None else TeamFactory()
    InvolvementFactory(
        household=world.household, practitioner=UserFactory(team=team), role=InvolvementRole.LEAD_PROFESSIONAL
    )
    to_team = TeamFactory()
    UserFactory(role=Role.MANAGER, team=to_team)
    ConsentFactory(person=world.person, agencies=[to_team.agency])
    world.extra["to_team"] = to_team.pk
    return household(world, relation)


RULES = {
    "oversight:caseload": Rule(no_kwargs, only(Role.MANAGER)),
    "oversight:supervision": Rule(household, casework_record, RECORD),
    "oversight:lead-change": Rule(household, lead_changers, RECORD),
    "oversight:transfer": Rule(household, transferrers, RECORD),
    "oversight-api:caseload": Rule(no_kwargs, api(only(Role.MANAGER))),
    "oversight-api:supervision": Rule(household, api(casework_record), RECORD),
    "oversight-api:lead-change": Rule(
        _lead_change, _created(lead_changers), API_RECORD, method="POST", data=_lead_change_body
    ),
    "oversight-api:transfer": Rule(
        _transfer,
        _created(transferrers),
        API_RECORD,
        method="POST",
        data=lambda world: {"to_team": world.extra["to_team"], "reason": "The family moved across the borough"},
    ),
}
