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


def _early_help_team_record(role: str, relation: str) -> int:
    """Merging duplicate records: the Early Help Team, over the whole register; anyone else is refused."""
    if role == "anonymous":
        return 302
    if role != Role.COORDINATOR:
        return 403
    return 404 if relation == MISSING else 200


def _duplicate(world) -> object:
    from tests.factories import MembershipFactory

    return MembershipFactory(household=world.household, person__nhs_number=None, person__upn=None).person


def _merge_kwargs(world, relation: str) -> dict:
    """A merge of a duplicate into the world's person, made by the Early Help Team; or a merge of none."""
    if relation == MISSING:
        return {"merge_id": 999_999}
    from earlyhelp.families.merging import person_merge
    from tests.factories import UserFactory

    merge = person_merge(
        actor=UserFactory(role=Role.COORDINATOR),
        survivor=world.person,
        duplicate=_duplicate(world),
        reason="Same child",
    )
    return {"merge_id": merge.pk}


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
    "families:person-nhs-missing": Rule(record("person_id", "person"), casework_record, RECORD),
    "families:person-merge-pick": Rule(record("person_id", "person"), _early_help_team_record, RECORD),
    "families:person-merge": Rule(
        lambda world, relation: record("person_id", "person")(world, relation) | {"duplicate_id": _duplicate(world).pk},
        _early_help_team_record,
        RECORD,
    ),
    "families:merge": Rule(_merge_kwargs, _early_help_team_record, RECORD),
    "families:merge-undo": Rule(_merge_kwargs, _early_help_team_record, RECORD),
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
