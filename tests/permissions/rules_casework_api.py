"""Access rules of the REST API for the assessment, the plan, case notes and consent (see matrix.py).
Writes are tried with a body that succeeds, so an allowed caller gets the write's own answer."""

from earlyhelp.accounts.models import Role

from . import rules_assessments, rules_plans
from .matrix import (
    BREAK_GLASS,
    BREAK_GLASS_EXPIRED,
    FORBIDDEN,
    INVOLVED,
    MISSING,
    NOT_FOUND,
    OK,
    UNRELATED,
    Rule,
    World,
    api,
    casework_record,
    record,
)
from .rules_need_to_know import _consent

RECORD = (INVOLVED, UNRELATED, MISSING)
WITH_BREAK_GLASS = (*RECORD, BREAK_GLASS, BREAK_GLASS_EXPIRED)
CREATED = 201
household = record("household_id", "household")


def answering(status: int, expect):
    """The same rule, where an allowed call answers `status` (a write that makes a record: 201)."""

    def wrapped(role: str, relation: str) -> int:
        found = expect(role, relation)
        return status if found == OK else found

    return wrapped


casework_api = api(casework_record)


def quality_assurance(role: str, relation: str) -> int:
    """The Early Help Team assures any family's assessment; a manager only one their team leads, and the
    world's family is worked with by the manager but led by no one."""
    if role not in (Role.COORDINATOR, Role.MANAGER):
        return FORBIDDEN
    if relation == MISSING:
        return NOT_FOUND
    if role == Role.COORDINATOR:
        return OK
    return FORBIDDEN if relation == INVOLVED else NOT_FOUND


def _open_episode(world: World, relation: str) -> dict:
    """A family in an open episode of early help, not yet assessed."""
    from tests.assessments.factories import EpisodeFactory

    EpisodeFactory(household=world.household)
    return household(world, relation)


def _ready_draft(world: World, relation: str) -> dict:
    from tests.assessments.factories import EpisodeFactory, version_ready_to_submit

    version = version_ready_to_submit(episode=EpisodeFactory(household=world.household))
    return household(world, relation) | {"number": version.number}


def post(kwargs, expect, body: dict | None = None) -> Rule:
    """A write, tried with a body that succeeds for an allowed caller."""
    return Rule(kwargs, expect, RECORD, method="POST", data=lambda world: body or {})


RULES = {
    "assessments-api:household": Rule(rules_assessments._household, casework_api, RECORD),
    "assessments-api:start": post(_open_episode, answering(CREATED, casework_api)),
    "assessments-api:version": Rule(rules_assessments._draft, casework_api, RECORD),
    "assessments-api:submit": post(_ready_draft, casework_api),
    "assessments-api:quality": post(rules_assessments._submitted, quality_assurance, {"decision": "approve"}),
    "plans-api:household": Rule(rules_plans._household, casework_api, RECORD),
    "plans-api:plan": Rule(rules_plans._plan_kwargs, casework_api, RECORD),
    "plans-api:actions": Rule(rules_plans._plan_kwargs, casework_api, RECORD),
    "plans-api:action-status": post(rules_plans._action, casework_api, {"status": "in_progress"}),
    "plans-api:meetings": Rule(rules_plans._plan_kwargs, casework_api, RECORD),
    "plans-api:scheduled-meetings": Rule(rules_plans._plan_kwargs, casework_api, RECORD),
    "plans-api:scheduled-meeting-respond": post(rules_plans._scheduled, casework_api, {"response": "accepted"}),
    "plans-api:scheduled-meeting-ics": Rule(rules_plans._scheduled, casework_api, RECORD),
    "notes-api:household": Rule(household, casework_api, WITH_BREAK_GLASS),
    "consent-api:household": Rule(household, casework_api, WITH_BREAK_GLASS),
    "consent-api:withdraw": post(_consent, casework_api),
}
