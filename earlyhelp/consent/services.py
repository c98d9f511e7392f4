"""Recording consent, its withdrawal, and sharing without consent on a lawful basis. Each
service runs in one transaction with its audit event; bad input changes nothing."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import Agency, Team, User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record
from earlyhelp.families.models import Household, Involvement, InvolvementRole, Membership, Person
from earlyhelp.families.services import involvement_check, involvement_record
from earlyhelp.notifications.models import NotificationKind
from earlyhelp.notifications.services import alert_raise, notification_send
from earlyhelp.web.errors import RefusedError

from . import rules
from .covered import sharing_may_be_covered
from .models import ConsentRecord, LawfulBasis, ShareStatus, SharingPurpose, SharingWithoutConsent
from .selectors import SharingDecision, consent_check_sharing, manager_may_decide


@transaction.atomic
def consent_record(
    *,
    actor: User,
    person: Person,
    agencies: Iterable[Agency],
    purpose: str,
    given_on: date | None = None,
    young_person_competent: bool = False,
) -> ConsentRecord:
    """Record a person's consent to share with the named agencies for one purpose. The system-wide
    record of consent: the assessment and referral services call this too."""
    today = timezone.localdate()
    given_on = given_on or today
    agencies = list(agencies)
    errors = {}
    if not agencies:
        errors["agencies"] = rules.CHOOSE_AGENCIES
    if purpose not in SharingPurpose.values:
        errors["purpose"] = rules.CHOOSE_PURPOSE
    if given_on > today:
        errors["given_on"] = rules.GIVEN_IN_FUTURE
    who = rules.consent_error(
        date_of_birth=person.date_of_birth,
        unborn=person.is_unborn,
        competent=young_person_competent,
        today=today,
    )
    if who:
        errors["person"] = who
    if errors:
        raise ValidationError(errors)
    consent = ConsentRecord.objects.create(
        person=person,
        purpose=purpose,
        given_on=given_on,
        young_person_competent=young_person_competent,
        recorded_by=actor,
    )
    consent.agencies.set(agencies)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="consent",
        object_id=consent.id,
        person_id=person.id,
        details={"purpose": purpose, "agencies": sorted(agency.id for agency in agencies)},
    )
    households = Membership.objects.filter(person=person, ended_on__isnull=True).values_list("household_id", flat=True)
    sharing_may_be_covered(actor=actor, household_ids=households)
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User, consent: ConsentRecord, withdrawn_on: date | None = None) -> ConsentRecord:
    """Record that a person withdrew consent; sharing it covered stops being covered from then."""
    withdrawn_on = withdrawn_on or timezone.localdate()
    consent = ConsentRecord.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise RefusedError(rules.ALREADY_WITHDRAWN, field="withdrawn_on")
    if withdrawn_on < consent.given_on:
        raise ValidationError({"withdrawn_on": rules.WITHDRAWN_BEFORE_GIVEN})
    if withdrawn_on > timezone.localdate():
        raise ValidationError({"withdrawn_on": rules.GIVEN_IN_FUTURE})
    consent.withdrawn_on = withdrawn_on
    consent.withdrawn_by = actor
    consent.save(update_fields=["withdrawn_on", "withdrawn_by"])
    audit_record(
        actor=actor,
        action=Action.CHANGE,
        object_type="consent",
        object_id=consent.id,
        person_id=consent.person_id,
        details={"fields": ["withdrawn_on"]},
    )
    return consent


def sharing_require(*, household: Household, agency: Agency, purpose: str) -> SharingDecision:
    """The sharing decision, or a ValidationError naming the agency when nothing covers the share."""
    decision = consent_check_sharing(household=household, agency=agency, purpose=purpose)
    if not decision.allowed:
        raise ValidationError({"agency": rules.NOT_COVERED.format(agency=agency.name)})
    return decision


@transaction.atomic
def sharing_without_consent_request(
    *, actor: User, household: Household, agency: Agency, purpose: str, lawful_basis: str, reason: str
) -> SharingWithoutConsent:
    """Ask to share a family's information without consent, on a recorded lawful basis; a manager
    must confirm it before it takes effect."""
    errors = {}
    if purpose not in SharingPurpose.values:
        errors["purpose"] = rules.CHOOSE_PURPOSE
    if lawful_basis not in LawfulBasis.values:
        errors["lawful_basis"] = rules.CHOOSE_BASIS
    if not reason.strip():
        errors["reason"] = rules.REASON_REQUIRED
    if errors:
        raise ValidationError(errors)
    share = SharingWithoutConsent.objects.create(
        household=household,
        agency=agency,
        purpose=purpose,
        lawful_basis=lawful_basis,
        reason=reason.strip(),
        requested_by=actor,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="sharing_without_consent",
        object_id=share.id,
        household_id=household.id,
        details={"agency": agency.id, "purpose": purpose, "lawful_basis": lawful_basis},
    )
    managers = User.objects.filter(
        role__in=capabilities.roles_for(capabilities.can_decide_sharing), agency=actor.agency, is_active=True
    ).exclude(pk=actor.pk)
    for manager in managers:
        alert_raise(
            recipient=manager,
            kind="sharing_requested",
            household_id=household.id,
            message="A colleague asks to share a family's information without consent: confirm or decline it.",
            link=reverse("consent:decide", args=[share.id]),
        )
    return share


@transaction.atomic
def sharing_without_consent_decide(
    *, actor: User, share: SharingWithoutConsent, confirm: bool
) -> SharingWithoutConsent:
    """A manager other than the requester, from the requester's agency or from the team working with the
    family, confirms or declines; the data protection officer is told."""
    share = SharingWithoutConsent.objects.select_for_update().select_related("requested_by").get(pk=share.pk)
    if not manager_may_decide(manager=actor, share=share):
        raise ValidationError({"status": rules.MANAGER_ONLY})
    if actor.pk == share.requested_by_id:
        raise ValidationError({"status": rules.NOT_YOUR_OWN})
    if share.status != ShareStatus.AWAITING:
        raise ValidationError({"status": rules.ALREADY_DECIDED})
    share.status = ShareStatus.CONFIRMED if confirm else ShareStatus.DECLINED
    share.decided_by = actor
    share.decided_at = timezone.now()
    share.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action=Action.CHANGE,
        object_type="sharing_without_consent",
        object_id=share.id,
        household_id=share.household_id,
        details={"status": share.status},
    )
    officers = User.objects.filter(role__in=capabilities.roles_for(capabilities.is_data_protection_officer))
    for officer in officers.filter(is_active=True):
        alert_raise(
            recipient=officer,
            kind="sharing_without_consent",
            household_id=share.household_id,
            message=f"A manager {share.status} sharing a family's information without consent.",
        )
    if share.status == ShareStatus.CONFIRMED:
        sharing_may_be_covered(actor=actor, household_ids=[share.household_id])
    return share


@transaction.atomic
def involvement_start(
    *,
    actor: User,
    household: Household,
    role: str,
    agency: Agency,
    practitioner: User | None = None,
    team: Team | None = None,
    started_on: date | None = None,
) -> Involvement:
    """Start a practitioner's or team's involvement with a family, once consent or a confirmed lawful
    basis covers sharing the family's information with their agency; access follows the involvement."""
    involvement_check(household=household, role=role, practitioner=practitioner, team=team)
    sharing = sharing_require(household=household, agency=agency, purpose=SharingPurpose.TEAM_AROUND_THE_FAMILY)
    involvement = involvement_record(
        actor=actor,
        household=household,
        role=role,
        agency=agency,
        practitioner=practitioner,
        team=team,
        started_on=started_on,
        sharing_basis=sharing.basis.value,
    )
    sharing_may_be_covered(actor=actor, household_ids=[household.pk])
    if role == InvolvementRole.LEAD_PROFESSIONAL and practitioner is not None and practitioner.pk != actor.pk:
        # Now involved, the new lead may open the family's record: the notice may name the family.
        notification_send(
            recipient=practitioner,
            kind=NotificationKind.MADE_LEAD,
            text=f"You are now the lead professional for the {household.name}.",
            link=reverse("families:household", args=[household.pk]),
        )
    return involvement
