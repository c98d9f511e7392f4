from earlyhelp.accounts.models import Role

from .matrix import (
    INVOLVED,
    MISSING,
    UNRELATED,
    Rule,
    api,
    casework_page,
    casework_record,
    no_kwargs,
    only,
    public,
    record,
)

RECORD = (INVOLVED, UNRELATED, MISSING)


def _sign_in_page(role: str, relation: str) -> int:
    # A signed-in person is sent on to the home page; everyone else sees the form.
    return 200 if role == "anonymous" else 302


def _dpo_record(role: str, relation: str) -> int:
    if role == "anonymous":
        return 302
    if role != Role.DPO:
        return 403
    return 404 if relation == MISSING else 200


RULES = {
    "healthz": Rule(no_kwargs, public),
    # Open to everyone, as healthz is; no worker runs in the test, so it answers "not ready" to all.
    "readyz": Rule(no_kwargs, lambda role, relation: 503),
    "api-schema": Rule(no_kwargs, public),
    "api-docs": Rule(no_kwargs, public),
    "accounts:sign-in": Rule(no_kwargs, _sign_in_page),
    "accounts:sign-out": Rule(no_kwargs, lambda role, relation: 302, method="POST", data=lambda world: {}),
    "home:dashboard": Rule(no_kwargs, lambda role, relation: 302 if role == "anonymous" else 200),
    "families:search": Rule(no_kwargs, casework_page),
    "families:known-check": Rule(no_kwargs, casework_page),
    "families:household-create": Rule(no_kwargs, casework_page),
    "families:household": Rule(record("household_id", "household"), casework_record, RECORD),
    "families:member-add": Rule(record("household_id", "household"), casework_record, RECORD),
    "families:member-add-known": Rule(record("household_id", "household"), casework_record, RECORD),
    "families:member-move-out": Rule(
        lambda world, relation: (
            record("household_id", "household")(world, relation) | {"membership_id": world.membership.pk}
        ),
        casework_record,
        RECORD,
    ),
    "families:person": Rule(record("person_id", "person"), casework_record, RECORD),
    "families:person-edit": Rule(record("person_id", "person"), casework_record, RECORD),
    "families:relationship-add": Rule(record("person_id", "person"), casework_record, RECORD),
    "audit:search": Rule(no_kwargs, only(Role.DPO)),
    "audit:person": Rule(record("person_id", "person"), _dpo_record, (UNRELATED, MISSING)),
    "audit:person-export": Rule(record("person_id", "person"), _dpo_record, (UNRELATED, MISSING)),
    "families-api:person-search": Rule(
        no_kwargs, api(casework_page), data=lambda world: {"name": world.person.given_name}
    ),
    "families-api:person": Rule(record("person_id", "person"), api(casework_record), RECORD),
    "families-api:household": Rule(record("household_id", "household"), api(casework_record), RECORD),
    "families-api:known-check": Rule(
        no_kwargs, api(casework_page), method="POST", data=lambda world: {"nhs_number": world.person.nhs_number}
    ),
}
