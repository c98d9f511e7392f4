"""Who may do what: the one place that answers every "may this user …?" question.

Page decorators (`capability_required`), the API's permission classes, the navigation, the
`may` template filter and the services' own guards all call these functions; no other module
compares a role. Each function is named for the thing a person does, and takes the user (and,
where the answer depends on it, the record) so a rule can grow from "which role" to "which
relation" in one place. Reading a family's record is decided by the access choke point
(`families.access`), which asks `record_scope` how far the user's role reaches.

The permission matrix in tests/permissions states the expected answers independently; it never
calls this module.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from .models import Role


class Person(Protocol):
    """What the checks read of a user (the signed-in user, or an anonymous visitor)."""

    # Read-only: User.is_authenticated is a property, which a plain protocol attribute would refuse.
    @property
    def is_authenticated(self) -> bool: ...
    @property
    def is_active(self) -> bool: ...
    @property
    def role(self) -> str: ...
    @property
    def team_id(self) -> int | None: ...


class Scope(StrEnum):
    """How far a role's reading of families' records reaches (see docs/access.md)."""

    CASELOAD = "early help caseload"  # the Early Help Team: every family with early help involvement
    TEAM = "team's involvement"  # managers: the families their team works with
    RELATION = "involved"  # practitioners and social care: families they work with
    AUDIT_ONLY = "audit trail"  # the data protection officer: through the audit pages only
    BREAK_GLASS = "break-glass"  # anyone, for one family, while an emergency grant lasts
    NONE = "none"


_SCOPE: dict[str, Scope] = {
    Role.COORDINATOR: Scope.CASELOAD,
    Role.MANAGER: Scope.TEAM,
    Role.PRACTITIONER: Scope.RELATION,
    Role.SOCIAL_CARE: Scope.RELATION,
    Role.DPO: Scope.AUDIT_ONLY,
    Role.ANALYST: Scope.NONE,
    Role.ADMIN: Scope.NONE,
    Role.PROVIDER_EDITOR: Scope.NONE,
}

_CASEWORK = frozenset({Role.PRACTITIONER, Role.COORDINATOR, Role.MANAGER, Role.SOCIAL_CARE})
_LEADING = frozenset({Role.PRACTITIONER, Role.COORDINATOR, Role.MANAGER})
_NAMED_LEADS = frozenset({Role.PRACTITIONER, Role.COORDINATOR})
_BREAK_GLASS = frozenset({Role.PRACTITIONER, Role.SOCIAL_CARE, Role.MANAGER})
_INSIGHTS = frozenset({Role.ANALYST, Role.MANAGER})
_DASHBOARD = frozenset({Role.ANALYST, Role.MANAGER})
_COVERAGE = frozenset({Role.COORDINATOR, Role.MANAGER, Role.ANALYST})
_STEP_UP_LIST = frozenset({Role.COORDINATOR, Role.MANAGER, Role.SOCIAL_CARE})


def _signed_in(user: Person | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _role_in(user: Person | None, roles: frozenset[str]) -> bool:
    return _signed_in(user) and user is not None and user.role in roles


def _role_is(user: Person | None, role: str) -> bool:
    return _signed_in(user) and user is not None and user.role == role


# --- Families' records ---------------------------------------------------------------------------------


def record_scope(user: Person | None) -> Scope:
    """How far the user's reading of families' records reaches."""
    if not _signed_in(user) or user is None:
        return Scope.NONE
    return _SCOPE.get(user.role, Scope.NONE)


def works_with_families(user: Person | None) -> bool:
    """The casework roles: they search the register, open families they may see, and keep records."""
    return _role_in(user, _CASEWORK)


def sees_whole_caseload(user: Person | None) -> bool:
    """The Early Help Team sees every family with early help involvement."""
    return record_scope(user) is Scope.CASELOAD


def can_break_glass(user: Person | None) -> bool:
    """Open a family's record in an emergency, for a stated reason, for a limited time."""
    return _role_in(user, _BREAK_GLASS)


# --- The journey -----------------------------------------------------------------------------------------


def can_triage(user: Person | None) -> bool:
    """Decide what happens to a request for support: the Early Help Team's front door."""
    return _role_is(user, Role.COORDINATOR)


def can_lead(user: Person | None) -> bool:
    """Be a family's lead professional, or name one."""
    return _role_in(user, _LEADING)


def can_be_named_lead(user: Person | None) -> bool:
    """Be named by someone else as a family's lead professional: practitioners and the Early Help Team."""
    return _role_in(user, _NAMED_LEADS)


def named_lead_roles() -> frozenset[str]:
    """The roles `can_be_named_lead` allows, for narrowing a list of people in the database."""
    return _NAMED_LEADS


def can_see_step_ups(user: Person | None) -> bool:
    """The list of step ups: those who send, approve or answer them."""
    return _role_in(user, _STEP_UP_LIST)


def can_approve_step_up(user: Person | None, step_up: Any = None) -> bool:
    """Approve or decline a step up to children's social care before it is sent."""
    return _role_is(user, Role.MANAGER)


def can_answer_step_up(user: Person | None, step_up: Any = None) -> bool:
    """Give social care's response to a step up (accepted, or no further action with an offer)."""
    return _role_is(user, Role.SOCIAL_CARE)


def can_step_down(user: Person | None) -> bool:
    """Step a family down from social care to early help."""
    return _role_is(user, Role.SOCIAL_CARE)


def can_accept_step_down(user: Person | None, step_down: Any = None) -> bool:
    """Accept a step down into early help: the Early Help Team."""
    return _role_is(user, Role.COORDINATOR)


def can_quality_assure(user: Person | None, assessment: Any = None) -> bool:
    """Quality-assure a submitted Early Help Assessment: the Early Help Team, and a manager of the
    team the family's lead professional works in (`assessment.lead_team_ids`). Without an
    assessment: whether the user may quality-assure any, as the page asks before opening one."""
    if _role_is(user, Role.COORDINATOR):
        return True
    if not manages_team(user) or user is None:
        return False
    return assessment is None or user.team_id in assessment.lead_team_ids


def manages_team(user: Person | None) -> bool:
    """A team manager, with a team: they oversee their team's families, work lists and assessments."""
    return _role_is(user, Role.MANAGER) and user is not None and user.team_id is not None


def casework_roles() -> frozenset[str]:
    """The roles that work with families, for choosing a practitioner (a plan action, the TAF)."""
    return _CASEWORK


# --- Consent and data protection ------------------------------------------------------------------------


def can_decide_sharing(user: Person | None, share: Any = None) -> bool:
    """Confirm or refuse sharing a family's information without consent, on a lawful basis."""
    return _role_is(user, Role.MANAGER)


def is_data_protection_officer(user: Person | None) -> bool:
    """The audit trail, subject access, the register of break-glass openings and shares."""
    return _role_is(user, Role.DPO)


def receives_break_glass_alerts(user: Person | None) -> bool:
    """Managers of the opener's team or agency, and the data protection officer."""
    return _role_in(user, frozenset({Role.MANAGER, Role.DPO}))


def is_team_manager(user: Person | None) -> bool:
    """Line managers: told when someone they answer for opens a record break-glass or asks to share."""
    return _role_is(user, Role.MANAGER)


# --- Reporting and the directory ------------------------------------------------------------------------


def can_see_insights(user: Person | None) -> bool:
    """Aggregate counts with small numbers suppressed: analysts and managers."""
    return _role_in(user, _INSIGHTS)


def can_see_dashboard(user: Person | None) -> bool:
    """The indicators dashboard, aggregates only with small numbers shown as a marker: managers, and analysts
    (the governance group's members who do no casework hold the analyst's role)."""
    return _role_in(user, _DASHBOARD)


def can_answer_confidence_survey(user: Person | None) -> bool:
    """The practitioner confidence survey is for those who identify need, judge levels and lead
    assessments: practitioners, the Early Help Team and team managers."""
    return _role_in(user, _LEADING)


def is_analyst(user: Person | None) -> bool:
    """Analysts see aggregates only, never a family's record."""
    return _role_is(user, Role.ANALYST)


def is_administrator(user: Person | None) -> bool:
    """System administrators manage the partnership's accounts, not families."""
    return _role_is(user, Role.ADMIN)


def can_see_coverage(user: Person | None) -> bool:
    """The directory's coverage report: the Early Help Team, managers and analysts."""
    return _role_in(user, _COVERAGE)


def can_review_listings(user: Person | None) -> bool:
    """Approve directory listings before publication, and edit any of them: the Early Help Team."""
    return _role_is(user, Role.COORDINATOR)


# --- Referrals that providers answer -------------------------------------------------------------------


def can_see_referral_queue(user: Person | None, edits_for: Collection[Any] | None = None) -> bool:
    """The queue of referrals to a provider's services: whoever keeps listings for an organisation in the
    directory (`edits_for`, the ids of the organisations they edit for; being an editor adds no role, so
    the caller looks them up). Without `edits_for`, as the navigation asks (without a query): whether the
    account is kept for a provider's listings alone; editors of any other role reach the queue from the
    directory's page."""
    if edits_for is None:
        return _role_is(user, Role.PROVIDER_EDITOR)
    return _signed_in(user) and bool(edits_for)


def can_answer_referral(user: Person | None, referral: Any = None, edits_for: Collection[Any] = ()) -> bool:
    """Open, accept, decline (with a reason) or complete a referral: the editors of the organisation it
    was sent to (`referral.organization_id` among `edits_for`). Without a referral: whether the user
    may answer any."""
    if not _signed_in(user):
        return False
    if referral is None:
        return bool(edits_for)
    return referral.organization_id in edits_for


# --- Supporting Families outcomes and claims ------------------------------------------------------------

_CLAIMS = frozenset({Role.COORDINATOR, Role.MANAGER})


def can_see_claims(user: Person | None) -> bool:
    """The claims work list and the near misses: the Early Help Team and managers (each over the
    families they may open)."""
    return _role_in(user, _CLAIMS)


def can_prepare_claim(user: Person | None) -> bool:
    """Prepare a claim for a family's significant and sustained progress: the Early Help Team and managers."""
    return _role_in(user, _CLAIMS)


def can_sign_off_claim(user: Person | None, claim: Any = None) -> bool:
    """Sign a claim off (the internal audit check): the Early Help Team and managers, never the person
    who prepared it. Without a claim: whether the user may sign off any."""
    if not _role_in(user, _CLAIMS) or user is None:
        return False
    return claim is None or claim.prepared_by_id != getattr(user, "pk", None)


def can_submit_claims(user: Person | None) -> bool:
    """Mark signed-off claims submitted to the department: the Early Help Team."""
    return _role_is(user, Role.COORDINATOR)


def can_see_progress_return(user: Person | None) -> bool:
    """The quarterly progress return (counts of families and claims): the Early Help Team and managers."""
    return _role_in(user, _CLAIMS)


# --- The partnership data hub -------------------------------------------------------------------------

_DATASET_REGISTER = frozenset({Role.DPO, Role.ADMIN, Role.COORDINATOR})


def can_view_dataset_register(user: Person | None) -> bool:
    """The register of partners' datasets (source, agreement, lawful basis, retention): the data
    protection officer, system administrators and the Early Help Team."""
    return _role_in(user, _DATASET_REGISTER)


def can_manage_datasets(user: Person | None) -> bool:
    """Register a partner's dataset and its layout: system administrators."""
    return _role_is(user, Role.ADMIN)


def can_load_partner_files(user: Person | None) -> bool:
    """Load a partner's file into a dataset and follow its progress: the Early Help Team."""
    return _role_is(user, Role.COORDINATOR)


def can_update_action(user: Person | None, action: Any = None, leads: frozenset[int] = frozenset()) -> bool:
    """Update a plan action's status, with a note: the family's lead professional (`leads`, their user
    ids), the Early Help Team and managers, and whoever the action is assigned to: its practitioner, or
    anyone of its agency (a Team Around the Family member keeps their own agency's actions). Without an
    action: whether the user may update any."""
    if _role_in(user, frozenset({Role.COORDINATOR, Role.MANAGER})):
        return True
    if not works_with_families(user) or user is None:
        return False
    if action is None:
        return True
    me, agency = getattr(user, "pk", None), getattr(user, "agency_id", None)
    return me in leads or action.practitioner_id == me or (agency is not None and action.agency_id == agency)


# --- Management oversight -------------------------------------------------------------------------------


def can_record_supervision(user: Person | None) -> bool:
    """Record supervision on a family's record: a team manager with a team, and the Early Help Team."""
    return manages_team(user) or _role_is(user, Role.COORDINATOR)


def can_change_lead(user: Person | None) -> bool:
    """Hand a family to another lead professional: a team manager with a team, and the Early Help Team."""
    return manages_team(user) or _role_is(user, Role.COORDINATOR)


def can_transfer_episode(user: Person | None, holding_team_ids: Any = None) -> bool:
    """Move a family's open episode to another team: a manager of a team that holds it now
    (`holding_team_ids`: the teams of its lead professional and of the team holding the case). Without
    them: whether the user may transfer any."""
    if not manages_team(user) or user is None:
        return False
    return holding_team_ids is None or user.team_id in holding_team_ids


def can_see_team_caseload(user: Person | None) -> bool:
    """The team caseload page: a manager, for the team they manage."""
    return manages_team(user)


def can_work_identification_list(user: Person | None) -> bool:
    """See the families that partners' data flags with several needs and no early help, and start a
    request for one or dismiss it: the Early Help Team."""
    return _role_is(user, Role.COORDINATOR)


_LINK_REVIEWERS = frozenset({Role.COORDINATOR, Role.DPO})


def can_review_links(user: Person | None) -> bool:
    """Review the partner records the matcher was unsure of (accept or reject the register person it
    found), and see the records known to partners only: the Early Help Team and the data protection officer."""
    return _role_in(user, _LINK_REVIEWERS)


def can_create_person_from_record(user: Person | None) -> bool:
    """Add a person to the register from a partner record known to partners only: the Early Help Team."""
    return _role_is(user, Role.COORDINATOR)


def can_merge_persons(user: Person | None) -> bool:
    """Merge a duplicate register record into the record kept, and undo a merge: the Early Help Team,
    who review the data hub's links and see the whole caseload. The data protection officer reviews
    links too, but reads the register for the audit trail only and changes no one's record."""
    return _role_is(user, Role.COORDINATOR)


# --- The home page --------------------------------------------------------------------------------------


def sees_own_requests(user: Person | None) -> bool:
    """Practitioners' home page lists the requests for support they made."""
    return _role_is(user, Role.PRACTITIONER)


# --- Choosing people by what they may do ----------------------------------------------------------------

# A partner system's service account reads and writes as a practitioner does: by its relations to
# families (involvements), never the whole caseload.
PARTNER_SYSTEM_ROLE: str = Role.PRACTITIONER


@dataclass(frozen=True)
class _Holder:
    role: str
    is_authenticated: bool = True
    is_active: bool = True
    team_id: int | None = None


def roles_for(check: Callable[..., bool]) -> list[str]:
    """The roles whose active holders pass `check`, for choosing whom to alert or list; the rule
    stays here, so callers filter users by `role__in=roles_for(check)` without naming a role."""
    return [role for role in Role.values if check(_Holder(role=role))]


CAPABILITIES: dict[str, Callable[..., bool]] = {
    name: function
    for name, function in dict(globals()).items()
    if callable(function) and (name.startswith(("can_", "is_", "sees_", "works_", "receives_")))
}
"""Every capability by name, for the `may` template filter and the navigation."""
