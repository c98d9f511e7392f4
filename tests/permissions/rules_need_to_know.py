"""Rules for consent, case notes, break-glass and data protection pages (with break-glass relations)."""

import uuid

from earlyhelp.accounts.models import Role

from .matrix import (
    ANONYMOUS,
    BREAK_GLASS,
    BREAK_GLASS_EXPIRED,
    FORBIDDEN,
    INVOLVED,
    MISSING,
    NONE,
    NOT_FOUND,
    OK,
    SIGN_IN,
    UNRELATED,
    Rule,
    World,
    casework_record,
    no_kwargs,
    only,
    record,
)

RECORD = (INVOLVED, UNRELATED, MISSING, BREAK_GLASS, BREAK_GLASS_EXPIRED)
household = record("household_id", "household")


def _consent(world: World, relation: str) -> dict:
    from tests.dataprotection.factories import ConsentFactory

    consent = ConsentFactory(person=world.person, recorded_by=world.user or ConsentFactory().recorded_by)
    return household(world, relation) | {"consent_id": consent.pk}


def _share(world: World, relation: str) -> dict:
    """A request awaiting a decision: from the user's own agency (NONE), another agency (UNRELATED), or none."""
    from tests.dataprotection.factories import ShareFactory
    from tests.factories import UserFactory

    if relation == MISSING:
        return {"share_id": 999_999}
    if relation == NONE and world.user is not None and world.user.agency_id:
        requester = UserFactory(agency=world.user.agency, team=world.user.team)
    else:
        requester = UserFactory()
    return {"share_id": ShareFactory(household=world.household, requested_by=requester).pk}


def _manager_decides(role: str, relation: str) -> int:
    if role == ANONYMOUS:
        return SIGN_IN
    if role != Role.MANAGER:
        return FORBIDDEN
    return OK if relation == NONE else NOT_FOUND


def _alert(world: World, relation: str) -> dict:
    from tests.dataprotection.factories import AlertFactory

    if relation == MISSING:
        return {"alert_id": 999_999}
    own = relation == INVOLVED and world.user is not None
    return {"alert_id": (AlertFactory(recipient=world.user) if own else AlertFactory()).pk}


def _dismiss(role: str, relation: str) -> int:
    if role == ANONYMOUS:
        return SIGN_IN
    return 302 if relation == INVOLVED else NOT_FOUND


def _dpo_person(role: str, relation: str) -> int:
    if role == ANONYMOUS:
        return SIGN_IN
    if role != Role.DPO:
        return FORBIDDEN
    return NOT_FOUND if relation == MISSING else OK


def _person_kwargs(world: World, relation: str) -> dict:
    return {"person_id": uuid.uuid4() if relation == MISSING else world.person.pk}


RULES = {
    "consent:household": Rule(household, casework_record, RECORD),
    "consent:record": Rule(household, casework_record, RECORD),
    "consent:without-consent": Rule(household, casework_record, RECORD),
    "consent:withdraw": Rule(_consent, casework_record, RECORD),
    "consent:decisions": Rule(no_kwargs, only(Role.MANAGER)),
    "consent:decide": Rule(_share, _manager_decides, (NONE, UNRELATED, MISSING)),
    "notes:household": Rule(household, casework_record, RECORD),
    "dataprotection:overview": Rule(no_kwargs, only(Role.DPO)),
    "dataprotection:break-glass": Rule(no_kwargs, only(Role.PRACTITIONER, Role.SOCIAL_CARE, Role.MANAGER)),
    "dataprotection:alert-dismiss": Rule(
        _alert, _dismiss, (INVOLVED, UNRELATED, MISSING), method="POST", data=lambda world: {}
    ),
    "dataprotection:subject-access": Rule(_person_kwargs, _dpo_person, (UNRELATED, MISSING)),
    "dataprotection:subject-access-json": Rule(_person_kwargs, _dpo_person, (UNRELATED, MISSING)),
    "dataprotection:subject-access-pdf": Rule(_person_kwargs, _dpo_person, (UNRELATED, MISSING)),
}
