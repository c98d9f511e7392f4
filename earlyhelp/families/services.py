"""Every change to the family register. Each service runs in one transaction and records its
audit event in it; bad input raises ValidationError naming the field and changes nothing."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from earlyhelp.accounts.models import Agency, Team, User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record

from . import rules, selectors
from .access import Scope, scope_for, visible_persons
from .models import (
    Household,
    Involvement,
    InvolvementRole,
    MemberRole,
    Membership,
    NhsNumberMissingReason,
    Person,
    PersonName,
    Relationship,
    RelationshipKind,
)

NHS_NUMBER_TAKEN = "Another person already has this NHS number: search for them instead of adding them again"
# A person added with an NHS number someone on the register has. What the adder is told is the audited
# known-check's answer: that the person is known, and whom to ask; never the other family's details.
ALREADY_ON_REGISTER = (
    "This person is already on the register: add them to this household as someone already on the register "
    "instead of adding them again"
)
ALREADY_ON_REGISTER_ASK = (
    "This person is already on the register, in a record you cannot open: ask {contacts} before "
    "adding them to this household"
)
NOT_ON_REGISTER = "No one on the register has this NHS number: add them as a new person"
UPN_TAKEN = "Another person already has this Unique Pupil Number: search for them instead of adding them again"
ALREADY_A_MEMBER = "This person already lives in this household"
MEMBERSHIP_ALREADY_ENDED = "This person has already moved out of this household"
ONE_LEAD_PROFESSIONAL = "This family already has a lead professional: end their involvement first"
INVOLVEMENT_ALREADY_ENDED = "This involvement has already ended"
NAME_REQUIRED = "Enter a given name and a family name"
NO_AGENCY = "Your account is not linked to an agency: ask your system administrator to link it before adding families"

# The audit basis of a creator's involvement in the household they have just created (no members yet).
NOTHING_SHARED_YET = "no one is recorded in the household yet"


@dataclass(frozen=True)
class PersonDetails:
    given_name: str
    family_name: str
    date_of_birth: date | None = None
    expected_date_of_birth: date | None = None
    sex: str = "U"
    ethnicity: str = ""
    nhs_number: str = ""
    upn: str = ""
    address_line_1: str = ""
    address_line_2: str = ""
    town: str = ""
    postcode: str = ""
    phone: str = ""
    email: str = ""


def _clean_person_details(details: PersonDetails) -> dict[str, Any]:
    errors = rules.person_field_errors(
        date_of_birth=details.date_of_birth,
        expected_date_of_birth=details.expected_date_of_birth,
        nhs_number=details.nhs_number,
        upn=details.upn,
        postcode=details.postcode,
        today=timezone.localdate(),
    )
    if not details.given_name.strip() or not details.family_name.strip():
        errors["given_name"] = NAME_REQUIRED
    if errors:
        raise ValidationError(errors)
    values = {field: getattr(details, field) for field in PersonDetails.__dataclass_fields__}
    values["given_name"] = details.given_name.strip()
    values["family_name"] = details.family_name.strip()
    values["nhs_number"] = rules.normalise_nhs_number(details.nhs_number) or None
    values["upn"] = rules.normalise_upn(details.upn) or None
    values["postcode"] = rules.normalise_postcode(details.postcode) if details.postcode else ""
    values["search_name"] = rules.name_search_key(values["given_name"], values["family_name"])
    return values


def _check_identifiers_free(
    actor: User, values: dict[str, Any], *, exclude: Person | None = None, seen: str = ALREADY_ON_REGISTER
) -> None:
    """Refuse an NHS number or UPN another person has. Someone else's NHS number is answered through
    the known-check, which audits the question and reveals no more than it does. Call it outside the
    write's transaction, so that the known-check's audit event stays when the write is refused."""
    others = Person.objects.exclude(pk=exclude.pk) if exclude else Person.objects.all()
    errors = {}
    if values["nhs_number"] and others.filter(nhs_number=values["nhs_number"]).exists():
        errors["nhs_number"] = _known_check_message(actor, values["nhs_number"], seen=seen)
    if values["upn"] and others.filter(upn=values["upn"]).exists():
        errors["upn"] = UPN_TAKEN
    if errors:
        raise ValidationError(errors)


def _known_check_message(actor: User, nhs_number: str, *, seen: str) -> str:
    """What a user is told of the person with this NHS number: the known-check's answer (audited), or
    `seen` where the user may already open that person's record."""
    answer = selectors.person_known_check(user=actor, nhs_number=nhs_number)
    if not answer.known:
        return NOT_ON_REGISTER
    if visible_persons(actor).filter(nhs_number=nhs_number).exists():
        return seen
    return ALREADY_ON_REGISTER_ASK.format(contacts=" or ".join(answer.contacts))


def _save_unique(instance: Person) -> None:
    """Save, turning a lost race on a unique identifier into the same message as the check."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise ValidationError(
            {"nhs_number": NHS_NUMBER_TAKEN} if "nhs" in str(error) else {"upn": UPN_TAKEN}
        ) from error


def person_create(*, actor: User, details: PersonDetails) -> Person:
    """Add a person to the register, once: NHS number and UPN may belong to one person only."""
    values = _clean_person_details(details)
    _check_identifiers_free(actor, values)
    return _person_insert(actor=actor, values=values)


@transaction.atomic
def _person_insert(*, actor: User, values: dict[str, Any]) -> Person:
    person = Person(**values)
    _save_unique(person)
    audit_record(actor=actor, action=Action.CREATE, object_type="person", object_id=person.id, person_id=person.id)
    return person


def person_update(
    *, actor: User, person: Person, details: PersonDetails, name_used_until: date | None = None
) -> Person:
    """Change a person's details; a changed name keeps the old one as a previous name."""
    values = _clean_person_details(details)
    _check_identifiers_free(actor, values, exclude=person, seen=NHS_NUMBER_TAKEN)
    return _person_change(actor=actor, person=person, values=values, name_used_until=name_used_until)


@transaction.atomic
def _person_change(*, actor: User, person: Person, values: dict[str, Any], name_used_until: date | None) -> Person:
    changed = [field for field, value in values.items() if getattr(person, field) != value and field != "search_name"]
    if not changed:
        return person
    if {"given_name", "family_name"} & set(changed):
        PersonName.objects.create(
            person=person,
            given_name=person.given_name,
            family_name=person.family_name,
            search_name=person.search_name,
            used_until=name_used_until or timezone.localdate(),
        )
    for field, value in values.items():
        setattr(person, field, value)
    if person.nhs_number and person.nhs_number_missing_reason:
        # The number is known now, so the reason it was missing no longer holds.
        _nhs_missing_reason_clear(person)
        changed.append("nhs_number_missing_reason")
    _save_unique(person)
    audit_record(
        actor=actor,
        action=Action.CHANGE,
        object_type="person",
        object_id=person.id,
        person_id=person.id,
        details={"fields": sorted(changed)},
    )
    return person


@transaction.atomic
def household_create(
    *,
    actor: User,
    name: str,
    address_line_1: str = "",
    address_line_2: str = "",
    town: str = "",
    postcode: str = "",
    locality_id: int | None = None,
) -> Household:
    """Start a household record; its members are added one by one. A creator whose role does not
    cover the whole caseload becomes involved with it, so they can go on to add its members."""
    errors = {}
    if not name.strip():
        errors["name"] = "Enter how the family is known, for example “Smith family”"
    if postcode and not rules.postcode_is_valid(postcode):
        errors["postcode"] = rules.POSTCODE_INVALID
    if errors:
        raise ValidationError(errors)
    household = Household.objects.create(
        name=name.strip(),
        address_line_1=address_line_1,
        address_line_2=address_line_2,
        town=town,
        postcode=rules.normalise_postcode(postcode) if postcode else "",
        locality_id=locality_id,
    )
    audit_record(
        actor=actor, action=Action.CREATE, object_type="household", object_id=household.id, household_id=household.id
    )
    if scope_for(actor) is not Scope.CASELOAD:
        if actor.agency is None:
            raise ValidationError({"name": NO_AGENCY})
        # A household created a moment ago has no members, so nothing of theirs is shared yet.
        involvement_record(
            actor=actor,
            household=household,
            role=InvolvementRole.CONTRIBUTOR,
            agency=actor.agency,
            practitioner=actor,
            sharing_basis=NOTHING_SHARED_YET,
        )
    return household


def household_add_new_person(
    *, actor: User, household: Household, details: PersonDetails, role: str, started_on: date | None = None
) -> Membership:
    """Add someone new to the register and to the household in one step; someone already on the
    register is added as such (`household_add_known_person`), never twice."""
    values = _clean_person_details(details)
    _check_identifiers_free(actor, values)
    with transaction.atomic():
        person = _person_insert(actor=actor, values=values)
        return household_add_member(actor=actor, household=household, person=person, role=role, started_on=started_on)


def household_add_known_person(
    *, actor: User, household: Household, nhs_number: str, role: str, started_on: date | None = None
) -> Membership:
    """Add someone already on the register to the household, found by their NHS number among the
    people the user may see; of anyone else the user is told only the known-check's answer."""
    if not rules.nhs_number_is_valid(nhs_number):
        raise ValidationError({"nhs_number": rules.NHS_NUMBER_INVALID})
    normalised = rules.normalise_nhs_number(nhs_number)
    person = visible_persons(actor).filter(nhs_number=normalised).first()
    if person is None:
        raise ValidationError({"nhs_number": _known_check_message(actor, normalised, seen=ALREADY_ON_REGISTER)})
    return household_add_member(actor=actor, household=household, person=person, role=role, started_on=started_on)


@transaction.atomic
def household_add_member(
    *, actor: User, household: Household, person: Person, role: str, started_on: date | None = None
) -> Membership:
    """Record that a person lives in the household from a date."""
    if role not in MemberRole.values:
        raise ValidationError({"role": "Choose the person's role in the household"})
    if selectors.current_members(household).filter(person=person).exists():
        raise ValidationError({"person": ALREADY_A_MEMBER})
    membership = Membership.objects.create(
        household=household, person=person, role=role, started_on=started_on or timezone.localdate()
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="membership",
        object_id=membership.id,
        household_id=household.id,
        person_id=person.id,
        details={"role": role},
    )
    return membership


@transaction.atomic
def membership_end(*, actor: User, membership: Membership, ended_on: date | None = None) -> Membership:
    """Record that a person moved out; the membership stays in the history."""
    _period_end(
        actor=actor,
        record=membership,
        object_type="membership",
        ended_on=ended_on,
        already_ended=MEMBERSHIP_ALREADY_ENDED,
        person_id=membership.person_id,
    )
    return membership


def _period_end(
    *,
    actor: User,
    record: Membership | Involvement,
    object_type: str,
    ended_on: date | None,
    already_ended: str,
    person_id: uuid.UUID | None = None,
) -> None:
    """End a dated link to a household once, never before it started, and audit the change."""
    ended_on = ended_on or timezone.localdate()
    if record.ended_on is not None:
        raise ValidationError({"ended_on": already_ended})
    if not rules.dates_in_order(record.started_on, ended_on):
        raise ValidationError({"ended_on": rules.DATES_OUT_OF_ORDER})
    record.ended_on = ended_on
    record.save(update_fields=["ended_on"])
    audit_record(
        actor=actor,
        action=Action.CHANGE,
        object_type=object_type,
        object_id=record.id,
        household_id=record.household_id,
        person_id=person_id,
        details={"fields": ["ended_on"]},
    )


@transaction.atomic
def relationship_add(
    *,
    actor: User,
    person: Person,
    relative: Person,
    kind: str,
    started_on: date | None = None,
    ended_on: date | None = None,
) -> Relationship:
    """Record how two people are related, over dates where they are known."""
    errors = {}
    if kind not in RelationshipKind.values:
        errors["kind"] = "Choose how they are related"
    if person.pk == relative.pk:
        errors["relative"] = "A person cannot be related to themselves"
    if not rules.dates_in_order(started_on, ended_on):
        errors["ended_on"] = rules.DATES_OUT_OF_ORDER
    if errors:
        raise ValidationError(errors)
    relationship = Relationship.objects.create(
        person=person, relative=relative, kind=kind, started_on=started_on, ended_on=ended_on
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="relationship",
        object_id=relationship.id,
        person_id=person.id,
        details={"kind": kind, "relative": str(relative.id)},
    )
    return relationship


def involvement_check(*, household: Household, role: str, practitioner: User | None, team: Team | None) -> None:
    """The register's rules for a new involvement: a known role, someone named, one current lead."""
    if role not in InvolvementRole.values:
        raise ValidationError({"role": "Choose how they are involved"})
    if practitioner is None and team is None:
        raise ValidationError({"practitioner": "Name a practitioner or a team"})
    if role == InvolvementRole.LEAD_PROFESSIONAL and household.involvements.current_lead().exists():
        raise ValidationError({"role": ONE_LEAD_PROFESSIONAL})


@transaction.atomic
def involvement_record(
    *,
    actor: User,
    household: Household,
    role: str,
    agency: Agency,
    practitioner: User | None = None,
    team: Team | None = None,
    sharing_basis: str,
    started_on: date | None = None,
) -> Involvement:
    """Record that a practitioner or team is working with the household; access follows it.

    The register's write only: an agency joining a family receives its information, so everyone else
    starts an involvement through `consent.services.involvement_start`, which first checks that consent
    or a confirmed lawful basis covers the share and passes the basis here for the audit."""
    involvement_check(household=household, role=role, practitioner=practitioner, team=team)
    involvement = Involvement.objects.create(
        household=household,
        agency=agency,
        team=team,
        practitioner=practitioner,
        role=role,
        started_on=started_on or timezone.localdate(),
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="involvement",
        object_id=involvement.id,
        household_id=household.id,
        details={"role": role, "agency": agency.name, "sharing_basis": sharing_basis},
    )
    return involvement


@transaction.atomic
def involvement_end(*, actor: User, involvement: Involvement, ended_on: date | None = None) -> Involvement:
    """End an involvement; the practitioner's access to the record ends with it."""
    _period_end(
        actor=actor,
        record=involvement,
        object_type="involvement",
        ended_on=ended_on,
        already_ended=INVOLVEMENT_ALREADY_ENDED,
    )
    return involvement


def _nhs_missing_reason_clear(person: Person) -> None:
    person.nhs_number_missing_reason = ""
    person.nhs_number_missing_detail = ""
    person.nhs_number_missing_recorded_at = None
    person.nhs_number_missing_recorded_by = None


@transaction.atomic
def person_nhs_number_missing_record(*, actor: User, person: Person, reason: str, detail: str = "") -> Person:
    """Record why a child on the register has no NHS number (the consistent child identifier), when and
    by whom; recording an NHS number later clears it (`person_update`)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    errors = rules.nhs_missing_reason_errors(
        reason=reason,
        detail=detail,
        reasons=NhsNumberMissingReason.values,
        has_nhs_number=bool(person.nhs_number),
        date_of_birth=person.date_of_birth,
        today=timezone.localdate(),
    )
    if errors:
        raise ValidationError(errors)
    person.nhs_number_missing_reason = reason
    person.nhs_number_missing_detail = detail.strip()
    person.nhs_number_missing_recorded_at = timezone.now()
    person.nhs_number_missing_recorded_by = actor
    person.save(update_fields=[*NHS_MISSING_FIELDS, "updated_at"])
    audit_record(
        actor=actor,
        action=Action.CHANGE,
        object_type="person",
        object_id=person.id,
        person_id=person.id,
        details={"fields": ["nhs_number_missing_reason"], "reason": reason},
    )
    return person


NHS_MISSING_FIELDS = (
    "nhs_number_missing_reason",
    "nhs_number_missing_detail",
    "nhs_number_missing_recorded_at",
    "nhs_number_missing_recorded_by",
)
