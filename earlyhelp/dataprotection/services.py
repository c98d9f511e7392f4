"""Break-glass access and alerts. Each service runs in one transaction with its audit event."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.utils import timezone

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record
from earlyhelp.families import rules as family_rules
from earlyhelp.families.models import BreakGlassGrant, Household, MemberRole, Person
from earlyhelp.families.selectors import KNOWN_CHECK_NEEDS, _known_matches, current_household_ids
from earlyhelp.notifications.models import Alert, AlertKind
from earlyhelp.notifications.services import alert_raise

from . import retention, rules

BREAK_GLASS_REASON_REQUIRED = "Explain why you need to open this family's record now"
BREAK_GLASS_REASON_TOO_SHORT = "Give a fuller reason: at least 20 characters"
BREAK_GLASS_REASON_NOT_WORDS = "Give the reason in words: at least 3 words a colleague could read"
BREAK_GLASS_ROLE = "Your role does not open families' records in an emergency"
# The same answer "is this child known?" gives, which any practitioner may already ask.
BREAK_GLASS_NO_RECORD = "The register has no child with these details"


def _break_glass_recipients(actor: User) -> list[User]:
    """The opener's team managers; failing those, their agency's; failing those (a school or a
    charity may have no manager on the system), the managers of the Early Help Team, then of its
    agency. And always the data protection officer."""
    active = User.objects.filter(is_active=True).exclude(pk=actor.pk)
    line_managers = active.filter(role__in=capabilities.roles_for(capabilities.is_team_manager))
    early_help = User.objects.filter(role__in=capabilities.roles_for(capabilities.sees_whole_caseload), is_active=True)
    candidates = [
        Q(team_id=actor.team_id) if actor.team_id else None,
        Q(agency_id=actor.agency_id) if actor.agency_id else None,
        Q(team_id__in=early_help.exclude(team__isnull=True).values("team_id")),
        Q(agency_id__in=early_help.exclude(agency__isnull=True).values("agency_id")),
    ]
    managers: list[User] = []
    for where in candidates:
        if where is not None and not managers:
            managers = list(line_managers.filter(where))
    return managers + list(active.filter(role__in=capabilities.roles_for(capabilities.is_data_protection_officer)))


@transaction.atomic
def break_glass_open(
    *,
    actor: User,
    reason: str,
    given_name: str = "",
    family_name: str = "",
    date_of_birth: date | None = None,
    nhs_number: str = "",
) -> list[Household]:
    """Open the record of the child's current household for a limited time, for a stated reason;
    their manager and the data protection officer are alerted and the grant is audited."""
    if not capabilities.can_break_glass(actor):
        raise ValidationError({"reason": BREAK_GLASS_ROLE})
    errors = {}
    nhs_number = nhs_number.strip()
    if nhs_number and not family_rules.nhs_number_is_valid(nhs_number):
        errors["nhs_number"] = family_rules.NHS_NUMBER_INVALID
    elif not nhs_number and not (given_name.strip() and family_name.strip() and date_of_birth):
        errors["given_name"] = KNOWN_CHECK_NEEDS
    reason = rules.without_invisible(reason)
    if not reason:
        errors["reason"] = BREAK_GLASS_REASON_REQUIRED
    elif len(rules.visible_text(reason)) < rules.REASON_MIN_LENGTH:
        errors["reason"] = BREAK_GLASS_REASON_TOO_SHORT
    elif len(rules.reason_words(reason)) < rules.REASON_MIN_WORDS:
        errors["reason"] = BREAK_GLASS_REASON_NOT_WORDS
    if errors:
        raise ValidationError(errors)
    matches = _known_matches(
        given_name=given_name, family_name=family_name, date_of_birth=date_of_birth, nhs_number=nhs_number
    )
    households = list(Household.objects.filter(id__in=current_household_ids(matches)).order_by("name"))
    if not households:
        raise ValidationError({"given_name": BREAK_GLASS_NO_RECORD})
    now = timezone.now()
    expires_at = now + timedelta(hours=settings.EARLY_HELP.break_glass_hours)
    recipients = _break_glass_recipients(actor)
    already_open = set(
        BreakGlassGrant.objects.filter(user=actor, household__in=households, expires_at__gt=now).values_list(
            "household_id", flat=True
        )
    )
    for household in households:
        if household.id in already_open:
            continue  # a grant still lasts: the opener is shown it, not given (and alerted about) another
        grant = BreakGlassGrant.objects.create(
            user=actor, household=household, reason=reason, granted_at=now, expires_at=expires_at
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="break_glass",
            object_id=grant.id,
            household_id=household.id,
            purpose="break-glass",
            details={"expires_at": expires_at.isoformat()},
        )
        for recipient in recipients:
            alert_raise(
                recipient=recipient,
                kind=AlertKind.BREAK_GLASS,
                household_id=household.id,
                message=f"{actor.display_name} opened a family's record they are not involved with, break-glass.",
            )
    return households


@transaction.atomic
def person_export_record(*, actor: User, person: Person, object_type: str, details: dict) -> None:
    """Audit that something about a person has left the system as a file, and what."""
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type=object_type,
        object_id=person.id,
        person_id=person.id,
        details=details,
    )


@dataclass
class RetentionReport:
    """What the retention policy removed (or, in a dry run, would remove): record ids only."""

    today: str
    dry_run: bool
    households_deleted: list[str] = field(default_factory=list)
    households_redacted: list[str] = field(default_factory=list)
    people_deleted: list[str] = field(default_factory=list)
    people_redacted: list[str] = field(default_factory=list)
    break_glass_deleted: int = 0
    alerts_deleted: int = 0


def _household_facts(household: Household) -> retention.HouseholdFacts:
    children = household.memberships.filter(role__in=[MemberRole.CHILD, MemberRole.UNBORN])
    births = [
        born
        for pair in children.values_list("person__date_of_birth", "person__expected_date_of_birth")
        for born in pair
        if born
    ]
    involvements = list(household.involvements.values_list("started_on", "ended_on"))
    worked = [day for pair in involvements for day in pair if day] + [timezone.localdate(household.created_at)]
    return retention.HouseholdFacts(
        youngest_child_born=max(births) if births else None,
        last_worked_with=max(worked),
        still_worked_with=any(ended is None for _, ended in involvements),
    )


def retention_due_households(today: date) -> list[Household]:
    """Households whose record the retention policy says may now go."""
    policy = settings.EARLY_HELP.retention.household
    due = []
    for household in Household.objects.order_by("created_at"):
        until = retention.household_keep_until(
            _household_facts(household),
            youngest_child_age=policy.youngest_child_age,
            years_since_last_involvement=policy.years_since_last_involvement,
        )
        if until is not None and until < today:
            due.append(household)
    return due


def _redact_person(person: Person) -> None:
    Person.objects.filter(pk=person.pk).update(
        given_name="Redacted",
        family_name="Redacted",
        search_name="redacted redacted",
        nhs_number=None,
        upn=None,
        address_line_1="",
        address_line_2="",
        town="",
        postcode="",
        phone="",
        email="",
        ethnicity="",
    )
    person.previous_names.all().delete()
    person.consents.all().delete()


def _delete_or_redact(instance: models.Model, redact) -> bool:
    """Delete the record; where other records protect it, redact its personal data instead."""
    try:
        with transaction.atomic():
            instance.delete()
    except (ProtectedError, RestrictedError):
        redact(instance)
        return False
    return True


def _retire(record: Person | Household, redact, *, object_type: str, deleted: list[str], redacted: list[str]) -> None:
    """Delete or redact one record past its retention date, note its id in the list that says which, and audit it."""
    # Deleting clears the instance's pk, so the id is kept first for the report and the audit event.
    record_id = record.id
    was_deleted = _delete_or_redact(record, redact)
    (deleted if was_deleted else redacted).append(str(record_id))
    audit_record(
        actor=None,
        action=Action.DELETE if was_deleted else Action.CHANGE,
        object_type=object_type,
        object_id=record_id,
        household_id=record_id if object_type == "household" else None,
        person_id=record_id if object_type == "person" else None,
        purpose="retention policy",
        details={"retention": "deleted" if was_deleted else "redacted"},
    )


def _redact_household(household: Household) -> None:
    Household.objects.filter(pk=household.pk).update(
        name="Redacted family", address_line_1="", address_line_2="", town="", postcode=""
    )
    household.case_notes.all().delete()
    household.documents.all().delete()


@transaction.atomic
def retention_apply(*, today: date | None = None, dry_run: bool = False) -> RetentionReport:
    """Delete the records the retention policy says are due, redacting where other records depend on
    them; the audit trail stays, since it holds ids, not the records."""
    today = today or timezone.localdate()
    report = RetentionReport(today=today.isoformat(), dry_run=dry_run)
    due = retention_due_households(today)
    due_ids = {household.id for household in due}
    people = [
        person
        for person in Person.objects.filter(memberships__household_id__in=due_ids).distinct()
        if not person.memberships.exclude(household_id__in=due_ids).exists()
    ]
    kept = settings.EARLY_HELP.retention
    old_grants = BreakGlassGrant.objects.filter(expires_at__lt=_years_ago(today, kept.break_glass.years))
    old_alerts = Alert.objects.filter(created_at__lt=_years_ago(today, kept.alert.years))
    if dry_run:
        report.households_deleted = [str(household.id) for household in due]
        report.people_deleted = [str(person.id) for person in people]
        report.break_glass_deleted = old_grants.count()
        report.alerts_deleted = old_alerts.count()
        return report
    for person in people:
        _retire(
            person, _redact_person, object_type="person", deleted=report.people_deleted, redacted=report.people_redacted
        )
    for household in due:
        _retire(
            household,
            _redact_household,
            object_type="household",
            deleted=report.households_deleted,
            redacted=report.households_redacted,
        )
    report.break_glass_deleted = old_grants.delete()[0]
    report.alerts_deleted = old_alerts.delete()[0]
    return report


def _years_ago(today: date, years: int) -> datetime:
    day = retention.years_after(today, -years)
    return timezone.make_aware(datetime.combine(day, time.min))
