"""The one place that decides who may read a family's or person's record.

Every read of a household or person goes through `access_household_by_id` or
`access_person_by_id`: they decide by role and relation, write an audit event, and answer
"not found" alike for a record that does not exist and one the user may not see, so that
the answer leaks nothing. Lists and searches are narrowed by `visible_households` and
`visible_persons`, which apply the same rules as querysets.

The rules (docs/access.md):
- coordinator (Early Help Team): the whole early help caseload;
- practitioner and MASH/social care worker: households they are currently involved with,
  or whose case their team currently holds;
- team manager: households any current involvement of their team or its members touches;
- practitioner, MASH/social care worker and team manager, besides: a household whose record they
  opened "break-glass", with a stated reason, while that grant lasts (alerts and history in
  earlyhelp.dataprotection);
- data protection officer: the identity of any person, for the audit trail only;
- analyst and system administrator: no personal records at all.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.capabilities import Scope, record_scope
from earlyhelp.accounts.models import User
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.audit.services import audit_record

from .models import BreakGlassGrant, Household, Involvement, Person

NOT_FOUND = "No record was found, or you do not have access to it."


class RecordNotFound(Http404):
    """Raised alike for a missing record and a forbidden one."""

    def __init__(self) -> None:
        super().__init__(NOT_FOUND)


@dataclass(frozen=True)
class Grant:
    """Why a user may see a record; recorded with the view."""

    scope: Scope


def scope_for(user: User) -> Scope:
    return record_scope(user)


def _current_involvements_of(user: User, scope: Scope) -> QuerySet[Involvement]:
    current = Involvement.objects.filter(ended_on__isnull=True)
    if scope is Scope.TEAM:
        if user.team_id is None:
            return current.filter(practitioner=user)
        return current.filter(Q(team_id=user.team_id) | Q(practitioner__team_id=user.team_id))
    by_user = Q(practitioner=user)
    if user.team_id is not None:
        by_user |= Q(team_id=user.team_id, role="case_holder")
    return current.filter(by_user)


def _break_glass_household_ids(user: User) -> QuerySet[BreakGlassGrant, Any]:
    return BreakGlassGrant.objects.filter(user=user, expires_at__gt=timezone.now()).values("household_id")


def _related_household_ids(user: User, scope: Scope) -> Q:
    return Q(id__in=_current_involvements_of(user, scope).values("household_id")) | Q(
        id__in=_break_glass_household_ids(user)
    )


def visible_households(user: User) -> QuerySet[Household]:
    """The households whose case records this user may open."""
    scope = scope_for(user)
    if scope is Scope.CASELOAD:
        return Household.objects.all()
    if scope in (Scope.TEAM, Scope.RELATION):
        return Household.objects.filter(_related_household_ids(user, scope))
    return Household.objects.none()


def visible_through(user: User, path: str) -> Q:
    """The condition that the household a record names at `path` (for example "household_id" of a plan) is
    one `visible_households` gives this user, by the same rule, written as a probe of each record's household
    (an index read a record) rather than a list of households: for queries that start from a few records of a
    large register, where the list would be built by reading every household."""
    scope = scope_for(user)
    if scope is Scope.CASELOAD:
        return Q()
    if scope in (Scope.TEAM, Scope.RELATION):
        involved = _current_involvements_of(user, scope).filter(household_id=OuterRef(path))
        granted = _break_glass_household_ids(user).filter(household_id=OuterRef(path))
        return Q(Exists(involved)) | Q(Exists(granted))
    return Q(pk__in=[])


def _grant_for(user: User, household_id: uuid.UUID) -> Scope:
    """The scope to record with a view: break-glass where no involvement covers the household."""
    scope = scope_for(user)
    involved = _current_involvements_of(user, scope).filter(household_id=household_id)
    if scope in (Scope.TEAM, Scope.RELATION) and not involved.exists():
        return Scope.BREAK_GLASS
    return scope


def visible_persons(user: User) -> QuerySet[Person]:
    """The people whose records this user may open: members, now or before, of visible households."""
    scope = scope_for(user)
    if scope in (Scope.CASELOAD, Scope.AUDIT_ONLY):
        return Person.objects.all()
    if scope in (Scope.TEAM, Scope.RELATION):
        households = Household.objects.filter(_related_household_ids(user, scope)).values("id")
        return Person.objects.filter(memberships__household_id__in=households).distinct()
    return Person.objects.none()


def _as_uuid(value: object) -> uuid.UUID | None:
    """The id, or None for one that cannot be a record's (refused, and audited, like any other)."""
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def _audit_view(user: User, object_type: str, object_id: object, *, purpose: str, details: dict, **about: Any) -> None:
    """One view of a record, allowed or refused, audited in a transaction of its own."""
    with transaction.atomic():
        audit_record(
            actor=user,
            action=Action.VIEW,
            object_type=object_type,
            object_id=str(object_id)[: AuditEvent._meta.get_field("object_id").max_length],
            purpose=purpose,
            details=details,
            **about,
        )


def _refuse(user: User, object_type: str, object_id: object, purpose: str) -> RecordNotFound:
    _audit_view(user, object_type, object_id, purpose=purpose, details={"outcome": "refused"})
    return RecordNotFound()


def access_household_by_id(user: User, household_id: object, *, purpose: str = "") -> Household:
    """The household, if this user may open its case record; the view is audited either way."""
    if scope_for(user) is Scope.AUDIT_ONLY:
        raise _refuse(user, "household", household_id, purpose)
    key = _as_uuid(household_id)
    household = visible_households(user).filter(id=key).select_related("locality").first() if key else None
    if household is None:
        raise _refuse(user, "household", household_id, purpose)
    grant = _grant_for(user, household.id).value
    _audit_view(user, "household", household.id, purpose=purpose, details={"grant": grant}, household_id=household.id)
    return household


def access_person_by_id(user: User, person_id: object, *, purpose: str = "") -> Person:
    """The person, if this user may open their record; the view is audited either way."""
    key = _as_uuid(person_id)
    person = visible_persons(user).filter(id=key).first() if key else None
    if person is None:
        raise _refuse(user, "person", person_id, purpose)
    _audit_view(
        user, "person", person.id, purpose=purpose, details={"grant": scope_for(user).value}, person_id=person.id
    )
    return person


def can_open_household(user: User, household: Household) -> bool:
    """Whether a link to this household's page should be offered (no audit: nothing is read)."""
    return scope_for(user) is not Scope.AUDIT_ONLY and visible_households(user).filter(id=household.id).exists()


def access_support_request(user: User, support_request: Any, *, purpose: str = "") -> None:
    """Decide whether the user may open a request for support, and audit it: the Early Help Team and
    the person who made it may; anyone else only as they may open the family's record it is linked to.
    The request is read duck-typed (`pk`, `household_id`, `requested_by_id`), since the journey's
    records live above this floor. Raises `RecordNotFound` when the answer is no."""
    triage = capabilities.can_triage(user)
    made_it = support_request.requested_by_id is not None and support_request.requested_by_id == user.id
    if support_request.household_id is not None and not (triage or made_it):
        access_household_by_id(user, support_request.household_id, purpose=purpose)
        return
    if not (user.is_authenticated and (triage or made_it)):
        raise _refuse(user, "supportrequest", support_request.pk, purpose)
    _audit_view(
        user,
        "supportrequest",
        support_request.pk,
        purpose=purpose,
        details={"outcome": "allowed"},
        household_id=support_request.household_id,
    )
