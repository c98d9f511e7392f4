"""Access rules for management oversight: the team caseload, supervision and changing the lead (see matrix.py)."""

from earlyhelp.accounts.models import Role

from .matrix import (
    ANONYMOUS,
    BREAK_GLASS,
    BREAK_GLASS_EXPIRED,
    FORBIDDEN,
    INVOLVED,
    MISSING,
    SIGN_IN,
    UNRELATED,
    Rule,
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


RULES = {
    "oversight:caseload": Rule(no_kwargs, only(Role.MANAGER)),
    "oversight:supervision": Rule(household, casework_record, RECORD),
    "oversight:lead-change": Rule(household, lead_changers, RECORD),
}
