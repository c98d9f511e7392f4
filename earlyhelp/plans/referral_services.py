"""Every change to a referral to a provider's service. Each runs in one transaction, moves the referral
by the rules' machine (`rules.REFERRAL`), audits in that transaction and tells whoever must know:
the provider's editors when a referral reaches their queue, the lead professional and whoever made
the referral when the provider answers. Notices name no family (docs/notifications.md)."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from earlyhelp import workflow
from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record
from earlyhelp.directory.access import edited_organization_ids
from earlyhelp.journey.chronology import chronology_record
from earlyhelp.notifications.models import NotificationKind
from earlyhelp.notifications.services import notification_send, notifications_send
from earlyhelp.web.errors import RefusedError

from . import rules
from .links import plan_page
from .models import PlanAction, ReferralStatus, ServiceReferral
from .referral_selectors import person_referred, sharing_covered
from .selectors import lead_ids

DECLINE_REASON_REQUIRED = "Say why the referral is declined: the lead professional will see the reason"
DECLINE_REASON_MAX = 1_000
DECLINE_REASON_TOO_LONG = f"Keep the reason to {DECLINE_REASON_MAX:,} characters or fewer"
NOT_YOUR_REFERRAL = "Only the editors of the organisation the referral was sent to answer it"

OBJECT_TYPE = "service_referral"


def _audit_ids(referral: ServiceReferral) -> dict[str, Any]:
    return {"household_id": referral.action.plan.household_id, "person_id": referral.person_id}


def _chronicle(actor: User | None, referral: ServiceReferral, summary: str) -> None:
    plan = referral.action.plan
    chronology_record(
        actor=actor, household=plan.household, episode=plan.episode, kind="plan", summary=summary, source=referral
    )


def _move(*, actor: User, referral: ServiceReferral, to: str, changes: dict[str, Any] | None = None) -> ServiceReferral:
    locked = ServiceReferral.objects.select_for_update().get(pk=referral.pk)
    if refusal := rules.referral_refusal(locked.status, to):
        raise RefusedError(refusal, field="status")
    moved = workflow.transition(
        actor=actor,
        record=referral,
        machine=rules.REFERRAL,
        to=to,
        changes=changes,
        details={"service": str(referral.service_id), "organization": str(referral.organization_id)},
        object_type=OBJECT_TYPE,
        **_audit_ids(referral),
    )
    # The caller's related records (the action, the plan, the service) serve the locked copy too.
    for name in ("action", "service", "organization", "person", "referred_by"):
        setattr(moved, name, getattr(referral, name))
    return moved


def referral_make(*, actor: User, action: PlanAction) -> ServiceReferral:
    """Make the referral of a plan action that refers the family to a directory service, in the
    action's transaction; it is sent to the provider at once if sharing with it is covered, else held
    until consent is recorded (`referrals_release`)."""
    if action.service is None:
        raise ValueError("Only an action that names a directory service is a referral")
    referral = ServiceReferral.objects.create(
        action=action,
        service=action.service,
        organization=action.service.organization,
        person=person_referred(action),
        referred_by=actor,
    )
    workflow.audit_change(
        actor=actor,
        record=referral,
        action=Action.CREATE,
        object_type=OBJECT_TYPE,
        service=str(referral.service_id),
        organization=str(referral.organization_id),
        **_audit_ids(referral),
    )
    if sharing_covered(referral):
        referral_release(actor=actor, referral=referral)
    return referral


def _editors(referral: ServiceReferral) -> Iterable[User]:
    return User.objects.filter(directory_editing__organization_id=referral.organization_id, is_active=True)


@transaction.atomic
def referral_release(*, actor: User, referral: ServiceReferral) -> ServiceReferral:
    """Send a referral held for consent to the provider's queue, and tell the provider's editors."""
    released = _move(actor=actor, referral=referral, to=ReferralStatus.NEW, changes={"released_at": timezone.now()})
    link = reverse("referrals:referral", args=[released.pk])
    for editor in _editors(released):
        notification_send(
            recipient=editor,
            kind=NotificationKind.REFERRAL_RECEIVED,
            text=f"A new referral to {released.service.name} is in your organisation's referral queue.",
            link=link,
        )
    _chronicle(actor, released, f"Referral to {released.service.name} sent to {released.organization.name}")
    return released


@transaction.atomic
def referrals_release(*, actor: User | None, household_ids: Iterable[Any]) -> int:
    """Release every referral of these families held for consent that sharing now covers (consent
    was recorded, sharing without consent confirmed, the provider's agency started working with the
    family); how many were released. Consent calls this when sharing may have become covered."""
    waiting = (
        ServiceReferral.objects.filter(
            status=ReferralStatus.AWAITING_CONSENT, action__plan__household_id__in=list(household_ids)
        )
        .select_related("action__plan__household", "action__plan__episode", "service", "organization__agency")
        .order_by("created_at", "id")
    )
    released = 0
    for referral in waiting:
        if sharing_covered(referral):
            referral_release(actor=actor or referral.referred_by, referral=referral)
            released += 1
    return released


def _require_provider(actor: User, referral: ServiceReferral) -> None:
    if not capabilities.can_answer_referral(actor, referral, edited_organization_ids(actor)):
        raise RefusedError(NOT_YOUR_REFERRAL)


@transaction.atomic
def referral_open(*, actor: User, referral: ServiceReferral) -> ServiceReferral:
    """A provider's editor reads a referral: the read is audited, and a new referral becomes opened."""
    _require_provider(actor, referral)
    workflow.audit_change(
        actor=actor, record=referral, action=Action.VIEW, object_type=OBJECT_TYPE, **_audit_ids(referral)
    )
    if referral.status == ReferralStatus.NEW:
        return _move(actor=actor, referral=referral, to=ReferralStatus.OPENED)
    return referral


@transaction.atomic
def referral_queue_view(*, actor: User, referrals: list[ServiceReferral], status: str = "") -> list[ServiceReferral]:
    """A provider's editor reads the queue: one audit event names the referrals listed."""
    audit_record(
        actor=actor,
        action=Action.VIEW,
        object_type="service_referral_queue",
        details={"status": status, "count": len(referrals), "referrals": [str(r.pk) for r in referrals]},
    )
    return referrals


def _answered(actor: User, referral: ServiceReferral) -> None:
    """Tell whoever made the referral and the family's lead professional(s) what the provider said."""
    plan = referral.action.plan
    recipients = [referral.referred_by, *User.objects.filter(pk__in=lead_ids(plan.household), is_active=True)]
    notifications_send(
        recipients=recipients,
        actor=actor,
        kind=NotificationKind.REFERRAL_ANSWERED,
        text=(
            f"{referral.organization.name} {referral.get_status_display().lower()} a referral to "
            f"{referral.service.name} from a family plan."
        ),
        link=plan_page(plan),
    )
    _chronicle(
        actor,
        referral,
        f"Referral to {referral.service.name} {referral.get_status_display().lower()} by {referral.organization.name}",
    )


@transaction.atomic
def referral_accept(*, actor: User, referral: ServiceReferral) -> ServiceReferral:
    """The provider takes the family on."""
    _require_provider(actor, referral)
    accepted = _move(
        actor=actor,
        referral=referral,
        to=ReferralStatus.ACCEPTED,
        changes={"answered_at": timezone.now(), "answered_by": actor},
    )
    _answered(actor, accepted)
    return accepted


@transaction.atomic
def referral_decline(*, actor: User, referral: ServiceReferral, reason: str) -> ServiceReferral:
    """The provider declines the referral, saying why (the lead professional sees the reason)."""
    _require_provider(actor, referral)
    reason = (reason or "").strip()
    if refusal := rules.referral_refusal(referral.status, ReferralStatus.DECLINED):
        raise RefusedError(refusal, field="status")
    if not reason:
        raise ValidationError({"reason": DECLINE_REASON_REQUIRED})
    if len(reason) > DECLINE_REASON_MAX:
        raise ValidationError({"reason": DECLINE_REASON_TOO_LONG})
    declined = _move(
        actor=actor,
        referral=referral,
        to=ReferralStatus.DECLINED,
        changes={"answered_at": timezone.now(), "answered_by": actor, "decline_reason": reason},
    )
    _answered(actor, declined)
    return declined


@transaction.atomic
def referral_complete(*, actor: User, referral: ServiceReferral) -> ServiceReferral:
    """The provider has done what the family was referred for."""
    _require_provider(actor, referral)
    completed = _move(
        actor=actor, referral=referral, to=ReferralStatus.COMPLETED, changes={"completed_at": timezone.now()}
    )
    _answered(actor, completed)
    return completed


# What a referral can be withdrawn from: anything the provider has not declined or completed.
WITHDRAWABLE = (
    ReferralStatus.AWAITING_CONSENT,
    ReferralStatus.NEW,
    ReferralStatus.OPENED,
    ReferralStatus.ACCEPTED,
)


def referral_withdraw(*, actor: User, action: PlanAction) -> ServiceReferral | None:
    """Withdraw the referral of an action that is no longer needed, in the action's transaction: it leaves
    the provider's queue (the provider no longer sees the family's details), and the provider's editors are
    told if it had reached them. None when the action has no referral to withdraw."""
    referral = (
        ServiceReferral.objects.filter(action=action, status__in=WITHDRAWABLE)
        .select_related("action__plan__household", "action__plan__episode", "service", "organization")
        .first()
    )
    if referral is None:
        return None
    reached_provider = referral.status != ReferralStatus.AWAITING_CONSENT
    withdrawn = _move(actor=actor, referral=referral, to=ReferralStatus.WITHDRAWN)
    if reached_provider:
        notifications_send(
            recipients=_editors(withdrawn),
            actor=actor,
            kind=NotificationKind.REFERRAL_WITHDRAWN,
            text=f"A referral to {withdrawn.service.name} is no longer needed and was withdrawn.",
            link=reverse("referrals:queue"),
        )
    _chronicle(actor, withdrawn, f"Referral to {withdrawn.service.name} withdrawn: no longer needed")
    return withdrawn
