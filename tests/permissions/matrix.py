"""The permission matrix: every URL × every role × every relation to the record.

Each app declares its URLs' rules in `tests/permissions/rules_<app>.py` as a dict `RULES`
mapping the URL name (with namespace, e.g. "families:household") to a `Rule`. The matrix test
resolves every named URL in the project; a URL without a rule fails the suite.

A `Rule` says how to build the URL's arguments for a relation, and what each role should get:
- `relations`: which relations to the record to try. `NONE` for URLs about no record;
  `INVOLVED` (the user works with the family), `UNRELATED` (they do not), `MISSING` (no such
  record) for URLs about one.
- `expect(role, relation) -> status`: the status a GET (or `method`) should answer, where
  role is a Role value or ANONYMOUS.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from earlyhelp.accounts.models import Role

ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, *Role.values]
CASEWORK = {Role.PRACTITIONER, Role.COORDINATOR, Role.MANAGER, Role.SOCIAL_CARE}

NONE = "none"
INVOLVED = "involved"
UNRELATED = "unrelated"
MISSING = "missing"
# Not involved, but holding a break-glass grant for the household: live, or past its time.
BREAK_GLASS = "break_glass"
BREAK_GLASS_EXPIRED = "break_glass_expired"
BREAK_GLASS_ROLES = {Role.PRACTITIONER, Role.SOCIAL_CARE, Role.MANAGER}

OK = 200
SIGN_IN = 302  # anonymous people are sent to sign in
FORBIDDEN = 403  # the role never uses this page
NOT_FOUND = 404  # missing and not-yours alike


@dataclass
class World:
    """The records a matrix case runs against: for each role and relation, built once for the module
    (test_matrix.worlds), every case getting its own copy and its writes rolled back after it."""

    household: object
    person: object
    membership: object
    user: object | None
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    kwargs: Callable[[World, str], dict]
    expect: Callable[[str, str], int]
    relations: tuple[str, ...] = (NONE,)
    method: str = "GET"
    data: Callable[[World], dict] | None = None


def casework_record(role: str, relation: str) -> int:
    """A family's record: caseworkers see it when involved; the coordinator sees the whole caseload."""
    if role == ANONYMOUS:
        return SIGN_IN
    if role not in CASEWORK:
        return FORBIDDEN
    if relation == MISSING:
        return NOT_FOUND
    if relation == INVOLVED or role == Role.COORDINATOR:
        return OK
    if relation == BREAK_GLASS and role in BREAK_GLASS_ROLES:
        return OK
    return NOT_FOUND


def casework_page(role: str, relation: str) -> int:
    """A page for roles that work with families, about no one record."""
    if role == ANONYMOUS:
        return SIGN_IN
    return OK if role in CASEWORK else FORBIDDEN


def signed_in(role: str, relation: str) -> int:
    return SIGN_IN if role == ANONYMOUS else OK


def public(role: str, relation: str) -> int:
    return OK


def only(*roles: str) -> Callable[[str, str], int]:
    """A page about no record, for the named roles only."""

    def expect(role: str, relation: str) -> int:
        if role == ANONYMOUS:
            return SIGN_IN
        return OK if role in roles else FORBIDDEN

    return expect


def no_kwargs(world: World, relation: str) -> dict:
    return {}


def api(expect: Callable[[str, str], int]) -> Callable[[str, str], int]:
    """The same rule over the API, where an anonymous caller is refused (403) rather than redirected."""

    def wrapped(role: str, relation: str) -> int:
        status = expect(role, relation)
        return FORBIDDEN if status == SIGN_IN else status

    return wrapped


def record(url_kwarg: str, attribute: str) -> Callable[[World, str], dict]:
    """URL arguments naming a record of the world, or a well-formed id of none for MISSING."""
    import uuid

    def kwargs(world: World, relation: str) -> dict:
        if relation == MISSING:
            return {url_kwarg: uuid.uuid4()}
        return {url_kwarg: getattr(world, attribute).pk}

    return kwargs
