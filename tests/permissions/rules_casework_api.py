"""Access rules of the REST API for the assessment, the plan, case notes and consent (see matrix.py).
Writes are tried with a body that succeeds, so an allowed caller gets the write's own answer."""

import uuid

from earlyhelp.accounts.models import Role

from . import rules_assessments, rules_plans
from .matrix import (
    ANONYMOUS,
    BREAK_GLASS,
    BREAK_GLASS_EXPIRED,
    BREAK_GLASS_ROLES,
    CASEWORK,
    FORBIDDEN,
    INVOLVED,
    MISSING,
    NOT_FOUND,
    OK,
    UNRELATED,
    Rule,
    World,
    record,
)
from .rules_need_to_know import _consent

RECORD = (INVOLVED, UNRELATED, MISSING)
WITH_BREAK_GLASS = (*RECORD, BREAK_GLASS, BREAK_GLASS_EXPIRED)
CREATED = 201
household = record("household_id", "household")


def api_record(*roles: str, ok: int = OK):
    """A family's record over the API, for the named roles: anyone else (and anyone not signed in) is
    refused; the Early Help Team reaches every family, others those they work with or have broken
    the glass for; missing and not theirs are not found alike."""

    def expect(role: str, relation: str) -> int:
        if role == ANONYMOUS or role not in roles:
            return FORBIDDEN
        if relation == MISSING:
            return NOT_FOUND
        if relation == INVOLVED or role == Role.COORDINATOR:
            return ok
        if relation == BREAK_GLASS and role in BREAK_GLASS_ROLES:
            return ok
        return NOT_FOUND

    return expect


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


def _nothing(world: World) -> dict:
    return {}


CASEWORKERS = sorted(CASEWORK)

RULES = {
    "assessments-api:household": Rule(rules_assessments._household, api_record(*CASEWORKERS), RECORD),
    "assessments-api:start": Rule(
        _open_episode, api_record(*CASEWORKERS, ok=CREATED), RECORD, method="POST", data=_nothing
    ),
    "assessments-api:version": Rule(rules_assessments._draft, api_record(*CASEWORKERS), RECORD),
    "assessments-api:submit": Rule(_ready_draft, api_record(*CASEWORKERS), RECORD, method="POST", data=_nothing),
    "assessments-api:quality": Rule(
        rules_assessments._submitted,
        quality_assurance,
        RECORD,
        method="POST",
        data=lambda world: {"decision": "approve"},
    ),
    "plans-api:household": Rule(rules_plans._household, api_record(*CASEWORKERS), RECORD),
    "plans-api:plan": Rule(rules_plans._plan_kwargs, api_record(*CASEWORKERS), RECORD),
    "plans-api:actions": Rule(rules_plans._plan_kwargs, api_record(*CASEWORKERS), RECORD),
    "plans-api:action-status": Rule(
        rules_plans._action,
        api_record(*CASEWORKERS),
        RECORD,
        method="POST",
        data=lambda world: {"status": "in_progress"},
    ),
    "plans-api:meetings": Rule(rules_plans._plan_kwargs, api_record(*CASEWORKERS), RECORD),
    "notes-api:household": Rule(household, api_record(*CASEWORKERS), WITH_BREAK_GLASS),
    "consent-api:household": Rule(household, api_record(*CASEWORKERS), WITH_BREAK_GLASS),
    "consent-api:withdraw": Rule(_consent, api_record(*CASEWORKERS), RECORD, method="POST", data=_nothing),
}
