"""Every write of a claim: prepared by one person, signed off by a second, marked submitted; each
audited in its transaction. A family is claimed for once (docs/outcomes.md)."""

import uuid
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record
from earlyhelp.families.models import Household
from earlyhelp.web.errors import RefusedError
from earlyhelp.workflow import Machine, audit_change, transition

from . import selectors
from .models import Claim, ClaimStatus
from .rules import Judgement

# Messages people read; tests reuse them.
ONLY_ROLE = "Only {who} may {what}"
NO_CLOSED_EPISODE = "This family has no closed episode of early help to claim for"
NOT_PROGRESS = "This family has not made significant and sustained progress yet: {why}"
NOT_ELIGIBLE = (
    "the family is not eligible (it needs dependent children or an expected baby, and needs in at least three"
    " outcome areas)"
)
PERIOD_RUNNING = "the sustainment period runs until {date}"
AREAS_SHORT = "not yet achieved in {areas}"
ALREADY_CLAIMED = "This family has already been claimed for; a family is claimed for once"
SAME_PERSON = "You prepared this claim, so a second person must sign it off (the internal audit check)"

CLAIM = Machine(
    name="claim",
    states=ClaimStatus,
    moves={
        ClaimStatus.PREPARED: frozenset({ClaimStatus.SIGNED_OFF}),
        ClaimStatus.SIGNED_OFF: frozenset({ClaimStatus.SUBMITTED}),
    },
    refusals={
        ClaimStatus.PREPARED: "This claim must be signed off before it is submitted",
        ClaimStatus.SIGNED_OFF: "This claim has already been signed off",
        ClaimStatus.SUBMITTED: "This claim has already been submitted",
    },
)


def _require(allowed: bool, who: str, what: str) -> None:
    if not allowed:
        raise RefusedError(ONLY_ROLE.format(who=who, what=what))


def _why_not(judgement: Judgement) -> str:
    if not judgement.eligible:
        return NOT_ELIGIBLE
    if judgement.short:
        return AREAS_SHORT.format(areas=", ".join(area.label.lower() for area in judgement.short))
    return PERIOD_RUNNING.format(date=f"{judgement.sustained_until:%-d %B %Y}")


def _evidence(judgement: Judgement) -> list[dict]:
    """The framework's answer kept with the claim: each area, what showed the need, its outcome at closure."""
    return [
        {
            "area": area.area,
            "at_closure": area.at_closure,
            "evidence": [
                {
                    "kind": str(item.kind),
                    "ref": item.ref,
                    "on": item.on.isoformat(),
                    "text": item.text,
                    "person": item.person,
                }
                for item in area.evidence
            ],
        }
        for area in judgement.areas
    ]


@transaction.atomic
def claim_prepare(*, actor: User, household: Household, today: date | None = None) -> Claim:
    """Prepare a claim for a family whose latest closed episode shows significant and sustained progress
    today; refused for a family claimed for before, or one not there yet (saying why)."""
    _require(capabilities.can_prepare_claim(actor), "the Early Help Team or a manager", "prepare a claim")
    if Claim.objects.filter(household=household).exists():
        raise RefusedError(ALREADY_CLAIMED)
    judgement = selectors.family_judgement(household, as_of=today or timezone.localdate())
    if judgement is None:
        raise RefusedError(NO_CLOSED_EPISODE)
    if not judgement.progress or judgement.sustained_until is None:
        raise RefusedError(NOT_PROGRESS.format(why=_why_not(judgement)))
    try:
        with transaction.atomic():
            claim = Claim.objects.create(
                household=household,
                episode_id=uuid.UUID(judgement.history.episode_id),
                sustained_until=judgement.sustained_until,
                evidence=_evidence(judgement),
                prepared_by=actor,
                prepared_at=timezone.now(),
            )
    except IntegrityError as clash:
        # Someone else prepared one for the same family a moment ago: the constraint holds the rule.
        raise RefusedError(ALREADY_CLAIMED) from clash
    audit_change(
        actor=actor,
        record=claim,
        action=Action.CREATE,
        household_id=household.pk,
        episode=judgement.history.episode_id,
        areas=[area.area for area in judgement.areas],
    )
    return claim


def claim_sign_off(*, actor: User, claim: Claim) -> Claim:
    """Sign a claim off: the internal audit check, by someone other than the person who prepared it."""
    _require(capabilities.can_sign_off_claim(actor), "the Early Help Team or a manager", "sign off a claim")
    if not capabilities.can_sign_off_claim(actor, claim):
        raise RefusedError(SAME_PERSON)
    return _claim_move(actor, claim, ClaimStatus.SIGNED_OFF, by="signed_off_by", at="signed_off_at")


def claim_submit(*, actor: User, claim: Claim) -> Claim:
    """Mark a signed-off claim as submitted to the department."""
    _require(capabilities.can_submit_claims(actor), "the Early Help Team", "mark a claim submitted")
    return _claim_move(actor, claim, ClaimStatus.SUBMITTED, by="submitted_by", at="submitted_at")


def _claim_move(actor: User, claim: Claim, to: str, *, by: str, at: str) -> Claim:
    """Move the claim on, recording who moved it in the field `by` and when in the field `at`."""
    return transition(
        actor=actor,
        record=claim,
        machine=CLAIM,
        to=to,
        household_id=claim.household_id,
        changes={by: actor, at: timezone.now()},
    )


def progress_return_read(*, actor: User, year: int, download: bool = False) -> list[dict]:
    """The quarterly progress return for a financial year, with a view (or, for the CSV, an export)
    event recorded in the same transaction: it counts families and names none, but is read by few."""
    _require(capabilities.can_see_progress_return(actor), "the Early Help Team or a manager", "see the progress return")
    with transaction.atomic():
        rows = selectors.progress_return(year, as_of=timezone.localdate())
        audit_record(
            actor=actor,
            action=Action.EXPORT if download else Action.VIEW,
            object_type="progress_return",
            object_id=str(year),
            details={"format": "csv"} if download else {},
        )
    return rows
