"""Every change to the early help journey. Each service is one transition of a state machine
(rules.py), runs in one transaction, and writes its audit event and chronology entry in it.
Records move only through `workflow.transition` by the machines of rules.py. A refused transition
raises TransitionError (the shared RefusedError: a 409 on the API) with words a person can act on;
bad input raises ValidationError naming the field. Either way nothing changes."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import Agency, AgencyKind, Team, User
from earlyhelp.audit.models import Action
from earlyhelp.consent import rules as consent_rules
from earlyhelp.consent import services as consent_services
from earlyhelp.consent.models import LawfulBasis, ShareStatus, SharingPurpose, SharingWithoutConsent
from earlyhelp.consent.selectors import consent_check_sharing
from earlyhelp.consent.services import involvement_start
from earlyhelp.families import rules as family_rules
from earlyhelp.families import services as family_services
from earlyhelp.families.models import Household, Involvement, InvolvementRole, MemberRole
from earlyhelp.families.services import involvement_end
from earlyhelp.workflow import Machine, RefusedError, audit_change, transition

from . import casework, notices, rules, selectors
from .chronology import chronology_record
from .models import (
    ClosureNeedOutcome,
    ClosureReason,
    Episode,
    EpisodeClosure,
    EpisodeStatus,
    FeedbackAnswer,
    FeedbackInvitation,
    HarmReason,
    LevelOfNeed,
    NeedIndicator,
    NeedOutcome,
    RequestSource,
    RequestStatus,
    SocialCareOutcome,
    StepDown,
    StepDownStatus,
    StepPromptNotice,
    StepUp,
    StepUpStatus,
    SupportRequest,
)

# Messages people read; tests reuse them.
CONCERNS_REQUIRED = "Describe what is worrying you and what help the family needs"
CHILD_NAME_REQUIRED = "Enter the child's first name and last name"
REQUESTER_NAME_REQUIRED = "Enter your name"
REQUESTER_CONTACT_REQUIRED = "Enter a phone number or an email address so the Early Help Team can reach you"
DATE_OF_BIRTH_FUTURE = "The date of birth must be today or in the past"
CONSENT_REQUIRED = "The family must know about and agree to this request: ask them first"
FIELD_TOO_LONG = "This answer is too long: keep it under {limit} characters"
DECISION_UNKNOWN = "Choose a triage decision"
NEW_FAMILY_REFUSED = "The family could not be added to the register from the request: {why}"
HOUSEHOLD_REQUIRED = "Choose the family's record in the register (add the family first if they are new)"
LEAD_REQUIRED = "Choose who will lead the early help assessment"
LEAD_NOT_PRACTITIONER = "The lead professional must be an active practitioner linked to an agency"
EPISODE_ALREADY_OPEN = "This family already has an open episode of early help: add to it instead of opening another"
REASONS_REQUIRED = "Choose at least one reason"
REASON_UNKNOWN = "Choose reasons from the list"
DETAIL_REQUIRED = "Explain what has changed and why the family needs social care"
TEAM_REQUIRED = "Choose the social care team to send this to"
TEAM_NOT_SOCIAL_CARE = "Choose a team of children's social care"
STEP_UP_PENDING = "This family already has a step up waiting for a decision: follow that one"
EPISODE_NOT_OPEN = "Only an open episode can be stepped up: this one is {status}"
COMMENT_REQUIRED = "Say why the step up is not approved, so the lead professional can act on it"
OUTCOME_REQUIRED = "Choose what social care accepted the family into"
OFFER_REQUIRED = "Record the early help offered to the family, so the journey does not go dark"
SUMMARY_REQUIRED = "Enter the social worker's summary of the family's situation"
REASON_REQUIRED = "Enter why the family is being stepped down"
STEP_DOWN_PENDING = "This family already has a step down waiting for the Early Help Team"
NOTE_REQUIRED = "Say why the step down is not accepted"
LEVEL_UNKNOWN = "Choose a level from 1 to 4"
OVERRIDE_REASON_REQUIRED = "The level you chose differs from the one suggested: say why"
INDICATOR_UNKNOWN = "Choose indicators from the list"
CLOSURE_REASON_UNKNOWN = "Choose why the episode is closing"
CLOSURE_DETAIL_REQUIRED = "Say why the episode is closing"
NEED_OUTCOME_UNKNOWN = "Say for each need whether it was met, partly met or not met"
OUTCOMES_NEED_APPROVED_ASSESSMENT = (
    'An episode can close as "outcomes achieved" only against an approved early help assessment: '
    "have the assessment approved, or choose another reason"
)
STEP_UP_AWAITING_APPROVAL = (
    "The step up to {team} asked for on {date} is waiting for a manager's approval: have it approved or declined first"
)
STEP_UP_WITH_SOCIAL_CARE = (
    "The step up sent to {team} on {date} is waiting for social care's answer: close the episode once they "
    "have answered"
)
RATING_REQUIRED = "Choose how helpful the support was, from 1 to 5"
BETTER_SUPPORTED_REQUIRED = "Choose whether your family feels better supported"
KNOW_WHERE_REQUIRED = "Choose whether you know where to go for help"
ANSWER_UNKNOWN = "Choose one of the answers"
FEEDBACK_ALREADY_GIVEN = "Thank you: this survey has already been answered"
FEEDBACK_LINK_EXPIRED = (
    "This link has expired. If you would still like to tell us how the support went, phone the council on {phone}"
)
FEEDBACK_COMMENTS_LIMIT = 1000
ONLY_ROLE = "Only {who} can {what}"
LEAD_SHARING_NOT_COVERED = (
    "{agency} cannot lead yet: {people} must consent to sharing with {agency} themselves. Record their consent "
    "on the family's consent page (or a lawful basis for sharing without it), or choose a lead from an agency "
    "already working with the family"
)
WITHOUT_APPROVED_ASSESSMENT = "Sent without an approved early help assessment"
STEP_UP_NOT_YOUR_OWN = "A manager other than the person who asked for the step up must approve it"

COORDINATOR = "the Early Help Team"
MANAGER = "a team manager"
SOCIAL_CARE = "children's social care"
LIMIT = 5000

Record = TypeVar("Record", StepUp, StepDown, Episode, SupportRequest)
Decided = TypeVar("Decided", StepUp, StepDown)
# A step up and a step down are declined alike (StepUpStatus and StepDownStatus share the code).
DECLINED = "declined"
T = TypeVar("T")


# The journey's name for the refusal every state machine raises.
TransitionError = RefusedError


def _require(allowed: bool, who: str, what: str) -> None:
    if not allowed:
        raise TransitionError(ONLY_ROLE.format(who=who, what=what))


def _present(value: T | None, field: str, message: str) -> T:
    """`value`, which the checks before have required: a ValidationError naming `field` if it is missing."""
    if value is None:
        raise ValidationError({field: message})
    return value


def _locked(model, pk):
    """Re-read a record under a row lock, so two people cannot act on it at once."""
    return model.objects.select_for_update().get(pk=pk)


def _move(
    machine: Machine,
    record: Record,
    to: str,
    *,
    actor: User,
    changes: dict,
    chronicle: Callable[[Record], object] | None = None,
    details: Mapping[str, str] | None = None,
) -> Record:
    """Move a journey record with `workflow.transition`: its audit event carries the family and the
    new `status` (tests and the audit trail read it), with any other codes in `details`."""
    return transition(
        actor=actor,
        record=record,
        machine=machine,
        to=to,
        household_id=record.household_id,
        changes=changes,
        details={"status": to, **(details or {})},
        chronicle=chronicle,
    )


def _checked(machine: Machine, record: Record, to: str) -> Record:
    """The record as stored, under its row lock, if `machine` lets it move to `to`: a refused move is
    reported before the form's errors, since that is what the person needs to hear. `transition`
    checks again as it moves the record."""
    locked = _locked(type(record), record.pk)
    machine.check(getattr(locked, machine.field), to)
    return locked


def _too_long(values: dict[str, str], errors: dict[str, str]) -> None:
    for name, value in values.items():
        if len(value) > LIMIT:
            errors[name] = FIELD_TOO_LONG.format(limit=LIMIT)


# --- Requests for support ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestDetails:
    child_given_name: str
    child_family_name: str
    concerns: str
    child_date_of_birth: date | None = None
    address_line_1: str = ""
    postcode: str = ""
    requester_name: str = ""
    requester_relationship: str = ""
    requester_phone: str = ""
    requester_email: str = ""
    family_consents: bool = False


def _request_errors(details: RequestDetails, *, from_family: bool) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not details.child_given_name.strip() or not details.child_family_name.strip():
        errors["child_given_name"] = CHILD_NAME_REQUIRED
    if details.child_date_of_birth and details.child_date_of_birth > timezone.localdate():
        errors["child_date_of_birth"] = DATE_OF_BIRTH_FUTURE
    if details.postcode.strip() and not family_rules.postcode_is_valid(details.postcode):
        errors["postcode"] = family_rules.POSTCODE_INVALID
    if not details.concerns.strip():
        errors["concerns"] = CONCERNS_REQUIRED
    if not details.family_consents:
        errors["family_consents"] = CONSENT_REQUIRED
    if from_family:
        if not details.requester_name.strip():
            errors["requester_name"] = REQUESTER_NAME_REQUIRED
        if not details.requester_phone.strip() and not details.requester_email.strip():
            errors["requester_phone"] = REQUESTER_CONTACT_REQUIRED
    lengths = {"concerns": details.concerns}
    _too_long(lengths, errors)
    for name in ("child_given_name", "child_family_name", "requester_name", "address_line_1"):
        if len(getattr(details, name)) > 100 and name not in errors:
            errors[name] = FIELD_TOO_LONG.format(limit=100)
    return errors


def _new_request(*, details: RequestDetails, source: str, requested_by: User | None, household: Household | None):
    now = timezone.now()
    values = {
        "child_given_name": details.child_given_name.strip(),
        "child_family_name": details.child_family_name.strip(),
        "child_date_of_birth": details.child_date_of_birth,
        "address_line_1": details.address_line_1.strip(),
        "postcode": family_rules.normalise_postcode(details.postcode) if details.postcode.strip() else "",
        "concerns": details.concerns.strip(),
        "family_consents": details.family_consents,
        "requester_relationship": details.requester_relationship.strip(),
        "requester_phone": details.requester_phone.strip(),
        "requester_email": details.requester_email.strip(),
    }
    if requested_by is not None:
        values["requester_name"] = requested_by.display_name
        values["requester_relationship"] = requested_by.job_title or (
            requested_by.agency.name if requested_by.agency is not None else ""
        )
        values["requester_phone"] = requested_by.phone
        values["requester_email"] = requested_by.email
    else:
        values["requester_name"] = details.requester_name.strip()
    for _ in range(5):
        try:
            with transaction.atomic():
                return SupportRequest.objects.create(
                    reference=rules.new_reference(),
                    source=source,
                    household=household,
                    requested_by=requested_by,
                    received_at=now,
                    triage_due_at=now + timedelta(hours=settings.EARLY_HELP.journey.triage_within_hours),
                    **values,
                )
        except IntegrityError:  # a reference already taken: draw another
            continue
    raise RuntimeError("Could not draw a free request reference")


@transaction.atomic
def support_request_create(
    *, actor: User, details: RequestDetails, household: Household | None = None
) -> SupportRequest:
    """Any practitioner may ask for early help for a family, with the family's agreement."""
    _require(capabilities.works_with_families(actor), "practitioners", "ask for early help")
    return _request_made(details=details, source=RequestSource.PRACTITIONER, actor=actor, household=household)


@transaction.atomic
def support_request_create_by_family(*, details: RequestDetails) -> SupportRequest:
    """A family asks for help for itself through the public form; no one is signed in."""
    return _request_made(details=details, source=RequestSource.FAMILY, actor=None, household=None)


def _request_made(
    *, details: RequestDetails, source: str, actor: User | None, household: Household | None
) -> SupportRequest:
    """A request for support checked (the family's own asks for their name and a way to reach them),
    saved, audited and, where it names the family, put in its chronology."""
    errors = _request_errors(details, from_family=source == RequestSource.FAMILY)
    if errors:
        raise ValidationError(errors)
    request = _new_request(details=details, source=source, requested_by=actor, household=household)
    audit_change(
        actor=actor, record=request, action=Action.CREATE, household_id=request.household_id, source=request.source
    )
    if request.household is not None:
        _chronicle_received(actor, request, request.household)
    return request


def _chronicle_received(actor: User | None, request: SupportRequest, household: Household) -> None:
    chronology_record(
        actor=actor,
        household=household,
        kind="request",
        summary=f"Request for support {request.reference} received from {request.get_source_display().lower()}",
        occurred_at=request.received_at,
        source=request,
    )


@transaction.atomic
def support_request_triage(
    *,
    actor: User,
    support_request: SupportRequest,
    decision: str,
    note: str = "",
    household: Household | None = None,
    lead: User | None = None,
    mash_reasons: Sequence[str] = (),
    to_team: Team | None = None,
    new_family: bool = False,
) -> SupportRequest:
    """The Early Help Team decides: advice, universal services, an assessment with a lead, or the MASH.
    With `new_family`, the family and the child are first added to the register from the request."""
    _require(capabilities.can_triage(actor), COORDINATOR, "triage a request for support")
    if decision not in RequestStatus.values or decision == RequestStatus.AWAITING_TRIAGE:
        raise ValidationError({"decision": DECISION_UNKNOWN})
    support_request = _checked(rules.REQUEST, support_request, decision)
    if new_family and household is None and support_request.household_id is None:
        household = _family_from_request(actor=actor, support_request=support_request)
    household = household or support_request.household
    errors = _triage_errors(support_request, decision, note, household, lead, mash_reasons, to_team)
    if errors:
        raise ValidationError(errors)

    first_link = support_request.household_id is None and household is not None
    changes: dict[str, Any] = {
        "household": household,
        "triaged_at": timezone.now(),
        "triaged_by": actor,
        "decision_note": note.strip(),
        "mash_reasons": list(mash_reasons) if decision == RequestStatus.MASH else [],
    }
    if decision == RequestStatus.ASSESSMENT:
        family = _present(household, "household", HOUSEHOLD_REQUIRED)
        named_lead = _present(lead, "lead", LEAD_REQUIRED)
        _consent_from_request(actor=actor, support_request=support_request, household=family, lead=named_lead)
        changes["episode"] = _episode_open(
            actor=actor, household=family, lead=named_lead, why=f"request {support_request.reference}"
        )

    def chronicle(triaged: SupportRequest) -> None:
        if household is None:
            return
        if first_link:
            _chronicle_received(triaged.requested_by, triaged, household)
        chronology_record(
            actor=actor,
            household=household,
            episode=triaged.episode,
            kind="triage",
            summary=f"Request {triaged.reference} triaged: {triaged.get_status_display()}",
            source=triaged,
        )

    request = transition(
        actor=actor,
        record=support_request,
        machine=rules.REQUEST,
        to=decision,
        household_id=household.id if household else None,
        changes=changes,
        details={"status": decision},
        chronicle=chronicle,
    )
    if decision == RequestStatus.MASH:
        _step_up_create(
            actor=actor,
            household=_present(household, "household", HOUSEHOLD_REQUIRED),
            episode=None,
            support_request=request,
            reasons=mash_reasons,
            detail=note.strip() or request.concerns,
            to_team=_present(to_team, "to_team", TEAM_REQUIRED),
        )
    notices.request_triaged(actor=actor, support_request=request, lead=lead)
    return request


def _family_from_request(*, actor: User, support_request: SupportRequest) -> Household:
    """A new family in the register from the request's details, through the register's services."""
    try:
        household = family_services.household_create(
            actor=actor,
            name=f"{support_request.child_family_name} family",
            address_line_1=support_request.address_line_1,
            postcode=support_request.postcode,
        )
        family_services.household_add_new_person(
            actor=actor,
            household=household,
            details=family_services.PersonDetails(
                given_name=support_request.child_given_name,
                family_name=support_request.child_family_name,
                date_of_birth=support_request.child_date_of_birth,
                address_line_1=support_request.address_line_1,
                postcode=support_request.postcode,
            ),
            role=MemberRole.CHILD,
        )
    except ValidationError as error:
        raise ValidationError({"household": NEW_FAMILY_REFUSED.format(why="; ".join(error.messages))}) from error
    return household


def _triage_errors(
    request: SupportRequest,
    decision: str,
    note: str,
    household: Household | None,
    lead: User | None,
    mash_reasons: Sequence[str],
    to_team: Team | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if decision in (RequestStatus.ASSESSMENT, RequestStatus.MASH) and household is None:
        errors["household"] = HOUSEHOLD_REQUIRED
    if decision == RequestStatus.ASSESSMENT:
        lead_error = _lead_error(lead)
        if lead_error:
            errors["lead"] = lead_error
        if household is not None and selectors.active_episode(household) is not None:
            errors["household"] = EPISODE_ALREADY_OPEN
    if decision == RequestStatus.MASH:
        errors.update(_step_up_errors(household, mash_reasons, to_team, detail=note or request.concerns))
    _too_long({"note": note}, errors)
    return errors


def _consent_from_request(*, actor: User, support_request: SupportRequest, household: Household, lead: User) -> None:
    """The family agreed to the request for early help, so each adult's consent to share with the
    lead's agency for working together is recorded through the consent service. Someone who cannot
    consent for themselves (a child with no adult in the household) is left for a person to record;
    the refusal says so."""
    purpose = SharingPurpose.TEAM_AROUND_THE_FAMILY
    agency = _lead_agency(lead)
    decision = consent_check_sharing(household=household, agency=agency, purpose=purpose)
    if decision.allowed:
        return
    today = timezone.localdate()
    given_on = min(timezone.localdate(support_request.received_at), today)
    can_consent = [
        person
        for person in decision.without_consent
        if consent_rules.consent_error(
            date_of_birth=person.date_of_birth, unborn=person.is_unborn, competent=False, today=today
        )
        is None
    ]
    if support_request.family_consents and len(can_consent) == len(decision.without_consent):
        for person in can_consent:
            consent_services.consent_record(
                actor=actor, person=person, agencies=[agency], purpose=purpose, given_on=given_on
            )
        return
    people = ", ".join(person.full_name for person in decision.without_consent)
    raise ValidationError({"lead": LEAD_SHARING_NOT_COVERED.format(agency=agency.name, people=people)})


def _lead_agency(lead: User) -> Agency:
    """The agency a lead professional works for, which `_lead_error` has required."""
    return _present(lead.agency, "lead", LEAD_NOT_PRACTITIONER)


def _lead_error(lead: User | None) -> str | None:
    if lead is None:
        return LEAD_REQUIRED
    if not lead.is_active or lead.agency_id is None or not capabilities.can_be_named_lead(lead):
        return LEAD_NOT_PRACTITIONER
    return None


def _episode_open(*, actor: User, household: Household, lead: User | None, why: str) -> Episode:
    episode = Episode.objects.create(household=household, opened_on=timezone.localdate())
    audit_change(actor=actor, record=episode, action=Action.CREATE, household_id=household.id, why=why)
    chronology_record(
        actor=actor,
        household=household,
        episode=episode,
        kind="episode",
        summary=f"Episode of early help opened ({why})",
        source=episode,
    )
    if lead is not None:
        agency = _lead_agency(lead)
        involvement_start(
            actor=actor,
            household=household,
            role=InvolvementRole.LEAD_PROFESSIONAL,
            agency=agency,
            practitioner=lead,
        )
        chronology_record(
            actor=actor,
            household=household,
            episode=episode,
            kind="lead",
            summary=f"{lead.display_name} ({agency.name}) is the lead professional",
            source=episode,
        )
    return episode


# --- Level of need ----------------------------------------------------------------------------------------


@transaction.atomic
def level_record(
    *,
    actor: User,
    household: Household,
    indicator_ids: Iterable[int],
    level: int,
    reason: str = "",
    episode: Episode | None = None,
) -> LevelOfNeed:
    """Record a judgement of the family's level of need; where it differs from the tool's suggestion,
    the reason is required."""
    ids = sorted(set(indicator_ids))
    # A number no database key can hold names no indicator, and would overflow the driver if asked.
    indicators = list(NeedIndicator.objects.filter(id__in=[i for i in ids if 0 < i < 2**63], active=True))
    errors: dict[str, str] = {}
    if len(indicators) != len(ids):
        errors["indicators"] = INDICATOR_UNKNOWN
    if level not in (1, 2, 3, 4):
        errors["level"] = LEVEL_UNKNOWN
    suggested = rules.suggest_level(rules.Weighed(i.weight, i.minimum_level) for i in indicators)
    if level != suggested and not reason.strip() and "level" not in errors:
        errors["reason"] = OVERRIDE_REASON_REQUIRED
    _too_long({"reason": reason}, errors)
    if errors:
        raise ValidationError(errors)
    episode = episode or selectors.active_episode(household)
    previous = selectors.current_level(household)
    record = LevelOfNeed.objects.create(
        household=household,
        episode=episode,
        indicator_snapshot=[
            {"label": i.label, "domain": i.domain, "weight": i.weight, "minimum_level": i.minimum_level}
            for i in indicators
        ],
        suggested_level=suggested,
        level=level,
        reason=reason.strip(),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    record.indicators.set(indicators)
    audit_change(
        actor=actor, record=record, action=Action.CREATE, household_id=household.id, level=level, suggested=suggested
    )
    change = f"from {previous.level} " if previous else ""
    chronology_record(
        actor=actor,
        household=household,
        episode=episode,
        kind="level",
        summary=f"Level of need recorded {change}to {level}"
        + (f" (tool suggested {suggested})" if level != suggested else ""),
        source=record,
    )
    return record


# --- Step up ----------------------------------------------------------------------------------------------


def _step_up_errors(
    household: Household | None, reasons: Sequence[str], to_team: Team | None, *, detail: str
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not reasons:
        errors["reasons"] = REASONS_REQUIRED
    elif any(reason not in HarmReason.values for reason in reasons):
        errors["reasons"] = REASON_UNKNOWN
    if not detail.strip():
        errors["detail"] = DETAIL_REQUIRED
    if to_team is None:
        errors["to_team"] = TEAM_REQUIRED
    elif to_team.agency.kind != AgencyKind.SOCIAL_CARE:
        errors["to_team"] = TEAM_NOT_SOCIAL_CARE
    if (
        household is not None
        and StepUp.objects.filter(
            household=household, status__in=[StepUpStatus.AWAITING_APPROVAL, StepUpStatus.SENT]
        ).exists()
    ):
        errors["reasons"] = STEP_UP_PENDING
    return errors


def _step_up_create(
    *,
    actor: User,
    household: Household,
    episode: Episode | None,
    support_request: SupportRequest | None,
    reasons: Sequence[str],
    detail: str,
    to_team: Team,
) -> StepUp:
    step_up = StepUp.objects.create(
        household=household,
        episode=episode,
        support_request=support_request,
        reasons=list(dict.fromkeys(reasons)),
        detail=detail.strip(),
        history=selectors.compiled_history(household),
        without_approved_assessment=not casework.has_approved_assessment(household),
        to_team=to_team,
        requested_by=actor,
        requested_at=timezone.now(),
    )
    audit_change(actor=actor, record=step_up, action=Action.CREATE, household_id=household.id, reasons=step_up.reasons)
    if not consent_check_sharing(household=household, agency=to_team.agency, purpose=SHARE_PURPOSE).allowed:
        _safeguarding_share_request(actor=actor, step_up=step_up)
    chronology_record(
        actor=actor,
        household=household,
        episode=episode,
        kind="step_up",
        summary=f"Step up to {to_team.name} asked for: {', '.join(step_up.reason_labels())}"
        + (f". {WITHOUT_APPROVED_ASSESSMENT}" if step_up.without_approved_assessment else ""),
        source=step_up,
    )
    notices.step_up_awaiting(actor=actor, step_up=step_up)
    return step_up


@transaction.atomic
def step_up_request(
    *, actor: User, episode: Episode, reasons: Sequence[str], detail: str, to_team: Team | None
) -> StepUp:
    """From an open episode, ask for the family to go to social care; a manager must approve."""
    _require(capabilities.can_lead(actor), "the lead professional or the Early Help Team", "ask for a step up")
    episode = _locked(Episode, episode.pk)
    if episode.status != EpisodeStatus.OPEN:
        raise TransitionError(EPISODE_NOT_OPEN.format(status=episode.get_status_display().lower()))
    errors = _step_up_errors(episode.household, reasons, to_team, detail=detail)
    _too_long({"detail": detail}, errors)
    if errors:
        raise ValidationError(errors)
    return _step_up_create(
        actor=actor,
        household=episode.household,
        episode=episode,
        support_request=None,
        reasons=reasons,
        detail=detail,
        to_team=_present(to_team, "to_team", TEAM_REQUIRED),
    )


# A step up shares the family's information with social care. Where the family has not consented to
# that, asking for the step up asks to share on the lawful basis of safeguarding a child, and the
# manager who approves the step up confirms that basis: one decision, recorded in the consent app.
SHARE_PURPOSE = SharingPurpose.TEAM_AROUND_THE_FAMILY


def _safeguarding_share_request(*, actor: User, step_up: StepUp) -> SharingWithoutConsent:
    return consent_services.sharing_without_consent_request(
        actor=actor,
        household=step_up.household,
        agency=step_up.to_team.agency,
        purpose=SHARE_PURPOSE,
        lawful_basis=LawfulBasis.SAFEGUARDING_CHILD,
        reason="Step up to children's social care: " + ", ".join(step_up.reason_labels()),
    )


def _cover_safeguarding_share(*, manager: User, step_up: StepUp) -> None:
    household, agency = step_up.household, step_up.to_team.agency
    if consent_check_sharing(household=household, agency=agency, purpose=SHARE_PURPOSE).allowed:
        return
    share = (
        SharingWithoutConsent.objects.filter(
            household=household, agency=agency, purpose=SHARE_PURPOSE, status=ShareStatus.AWAITING
        )
        .order_by("-requested_at", "-id")
        .first()
    )
    # None when consent covered the share at the request and was withdrawn since, or a manager
    # declined the request on the sharing page: the step up's own reasons ask again.
    share = share or _safeguarding_share_request(actor=step_up.requested_by, step_up=step_up)
    consent_services.sharing_without_consent_decide(actor=manager, share=share, confirm=True)


@transaction.atomic
def step_up_approve(*, actor: User, step_up: StepUp, comment: str = "") -> StepUp:
    """A manager approves: the step up goes to social care, whose team now holds the case with us."""
    _require(capabilities.can_approve_step_up(actor, step_up), MANAGER, "approve a step up")
    step_up = _checked(rules.STEP_UP, step_up, StepUpStatus.SENT)
    if step_up.requested_by_id == actor.pk:
        raise TransitionError(STEP_UP_NOT_YOUR_OWN)
    team = step_up.to_team
    step_up = _decided(
        STEP_UP_DECISION,
        step_up,
        StepUpStatus.SENT,
        actor=actor,
        note=comment,
        summary=f"Step up approved by {actor.display_name} and sent to {team.name}",
    )
    _cover_safeguarding_share(manager=actor, step_up=step_up)
    if not step_up.household.involvements.filter(
        team=team, role=InvolvementRole.CASE_HOLDER, ended_on__isnull=True
    ).exists():
        involvement_start(
            actor=actor, household=step_up.household, role=InvolvementRole.CASE_HOLDER, agency=team.agency, team=team
        )
    notices.step_up_decided(actor=actor, step_up=step_up)
    return step_up


@transaction.atomic
def step_up_decline(*, actor: User, step_up: StepUp, comment: str) -> StepUp:
    """A manager does not approve, saying why; the family stays with early help."""
    _require(capabilities.can_approve_step_up(actor, step_up), MANAGER, "decide on a step up")
    step_up = _declined(
        STEP_UP_DECISION, step_up, actor=actor, note=comment, summary=f"Step up not approved by {actor.display_name}"
    )
    notices.step_up_decided(actor=actor, step_up=step_up)
    return step_up


@dataclass(frozen=True)
class _Decision:
    """How a decision on a step up or a step down is kept: the state machine, the field its note goes
    in, the kind of chronology entry, and the field and message that refuse a decline saying no reason."""

    machine: Machine
    note_field: str
    kind: str
    reason_field: str
    reason_required: str


STEP_UP_DECISION = _Decision(rules.STEP_UP, "manager_comment", "step_up", "comment", COMMENT_REQUIRED)
STEP_DOWN_DECISION = _Decision(rules.STEP_DOWN, "decision_note", "step_down", "note", NOTE_REQUIRED)


def _decided(
    decision: _Decision,
    record: Decided,
    to: str,
    *,
    actor: User,
    note: str,
    summary: str,
    changes: Mapping[str, Any] | None = None,
) -> Decided:
    """Record who decided, when and their note, moving `record` to `to`; the chronology says `summary`."""
    return _move(
        decision.machine,
        record,
        to,
        actor=actor,
        changes={
            "decided_by": actor,
            "decided_at": timezone.now(),
            decision.note_field: note.strip(),
            **(changes or {}),
        },
        chronicle=lambda decided: chronology_record(
            actor=actor,
            household=decided.household,
            episode=decided.episode,
            kind=decision.kind,
            summary=summary,
            source=decided,
        ),
    )


def _declined(decision: _Decision, record: Decided, *, actor: User, note: str, summary: str) -> Decided:
    """A step up or a step down not taken: whoever declines it says why, so the other side can act on it."""
    record = _checked(decision.machine, record, DECLINED)
    if not note.strip():
        raise ValidationError({decision.reason_field: decision.reason_required})
    return _decided(decision, record, DECLINED, actor=actor, note=note, summary=summary)


def step_up_decide(*, actor: User, step_up: StepUp, approve: bool, comment: str = "") -> StepUp:
    """A manager's decision on a step up, for the page and the API alike: approve it, or decline it saying why."""
    if approve:
        return step_up_approve(actor=actor, step_up=step_up, comment=comment)
    return step_up_decline(actor=actor, step_up=step_up, comment=comment)


def _social_care_answered(
    *, actor: User, step_up: StepUp, to: str, note: str, outcome: str = "", offer: str = ""
) -> StepUp:
    changes: dict[str, Any] = {"response_note": note.strip(), "responded_by": actor, "responded_at": timezone.now()}
    details: dict[str, str] = {}
    if outcome:
        changes["outcome"] = details["outcome"] = outcome
    if offer:
        changes["offer"] = offer
    answered = _move(rules.STEP_UP, step_up, to, actor=actor, changes=changes, details=details)
    notices.step_up_answered(actor=actor, step_up=answered)
    return answered


def _social_care_answer_told(*, actor: User, step_up: StepUp, episode: Episode | None, summary: str) -> StepUp:
    """Social care's answer, once the family's episode has followed it: in the chronology, and passed to
    whoever records what social care did (casework.step_up_answered)."""
    chronology_record(
        actor=actor,
        household=step_up.household,
        episode=episode,
        kind="social_care_response",
        summary=summary,
        source=step_up,
    )
    casework.step_up_answered(actor=actor, step_up=step_up)
    return step_up


@transaction.atomic
def step_up_accept(*, actor: User, step_up: StepUp, outcome: str, note: str = "") -> StepUp:
    """Social care accepts the family into a single assessment, child in need or child protection."""
    _require(capabilities.can_answer_step_up(actor, step_up), SOCIAL_CARE, "respond to a step up")
    step_up = _checked(rules.STEP_UP, step_up, StepUpStatus.ACCEPTED)
    if outcome not in SocialCareOutcome.values:
        raise ValidationError({"outcome": OUTCOME_REQUIRED})
    step_up = _social_care_answered(actor=actor, step_up=step_up, to=StepUpStatus.ACCEPTED, note=note, outcome=outcome)
    opened = selectors.open_episode(step_up.household)
    if opened is not None:
        _move(rules.EPISODE, opened, EpisodeStatus.STEPPED_UP, actor=actor, changes=_touched())
    return _social_care_answer_told(
        actor=actor,
        step_up=step_up,
        episode=selectors.active_episode(step_up.household),
        summary=f"Social care accepted the step up: {step_up.get_outcome_display()}",
    )


@transaction.atomic
def step_up_no_further_action(*, actor: User, step_up: StepUp, offer: str, note: str = "") -> StepUp:
    """Social care takes no further action: the family returns to early help with the offer recorded."""
    _require(capabilities.can_answer_step_up(actor, step_up), SOCIAL_CARE, "respond to a step up")
    step_up = _checked(rules.STEP_UP, step_up, StepUpStatus.NO_FURTHER_ACTION)
    if not offer.strip():
        raise ValidationError({"offer": OFFER_REQUIRED})
    step_up = _social_care_answered(
        actor=actor, step_up=step_up, to=StepUpStatus.NO_FURTHER_ACTION, note=note, offer=offer.strip()
    )
    for involvement in step_up.household.involvements.filter(
        team=step_up.to_team, role=InvolvementRole.CASE_HOLDER, ended_on__isnull=True
    ):
        involvement_end(actor=actor, involvement=involvement)
    episode = selectors.active_episode(step_up.household)
    if episode is None:
        episode = _episode_open(
            actor=actor, household=step_up.household, lead=None, why="no further action from social care"
        )
    return _social_care_answer_told(
        actor=actor,
        step_up=step_up,
        episode=episode,
        summary=f"Social care: no further action. Early help offered: {step_up.offer}",
    )


def step_up_respond(*, actor: User, step_up: StepUp, response: str, offer: str = "", note: str = "") -> StepUp:
    """Social care's answer to a step up, for the page and the API alike: an outcome it accepted the
    family into, or no further action ("nfa") with the early help offered."""
    if response == StepUpStatus.NO_FURTHER_ACTION:
        return step_up_no_further_action(actor=actor, step_up=step_up, offer=offer, note=note)
    return step_up_accept(actor=actor, step_up=step_up, outcome=response, note=note)


def _touched() -> dict:
    # `updated_at` is auto_now, which writes only when the save names it.
    return {"updated_at": timezone.now()}


# --- Step down --------------------------------------------------------------------------------------------


@transaction.atomic
def step_down_request(*, actor: User, household: Household, summary: str, reason: str) -> StepDown:
    """Social care hands a family to early help with the social worker's summary and the reason."""
    _require(capabilities.can_step_down(actor), SOCIAL_CARE, "step a family down")
    errors: dict[str, str] = {}
    if not summary.strip():
        errors["summary"] = SUMMARY_REQUIRED
    if not reason.strip():
        errors["reason"] = REASON_REQUIRED
    _too_long({"summary": summary, "reason": reason}, errors)
    if StepDown.objects.filter(household=household, status=StepDownStatus.AWAITING_ACCEPTANCE).exists():
        errors["summary"] = STEP_DOWN_PENDING
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    step_down = StepDown.objects.create(
        household=household,
        summary=summary.strip(),
        reason=reason.strip(),
        requested_by=actor,
        requested_at=now,
        accept_by=now + timedelta(days=settings.EARLY_HELP.journey.step_down_accept_within_days),
    )
    audit_change(actor=actor, record=step_down, action=Action.CREATE, household_id=household.id)
    chronology_record(
        actor=actor,
        household=household,
        episode=selectors.active_episode(household),
        kind="step_down",
        summary=f"Step down to early help asked for by {actor.display_name}",
        source=step_down,
    )
    notices.step_down_to_accept(actor=actor, step_down=step_down)
    return step_down


@transaction.atomic
def step_down_accept(*, actor: User, step_down: StepDown, lead: User | None, note: str = "") -> StepDown:
    """The Early Help Team accepts: an episode opens with a lead, and the history comes with it."""
    _require(capabilities.can_accept_step_down(actor, step_down), COORDINATOR, "accept a step down")
    step_down = _checked(rules.STEP_DOWN, step_down, StepDownStatus.ACCEPTED)
    lead_error = _lead_error(lead)
    if lead_error:
        raise ValidationError({"lead": lead_error})
    household = step_down.household
    current = selectors.active_episode(household)
    if current is not None and current.status == EpisodeStatus.OPEN:
        raise ValidationError({"lead": EPISODE_ALREADY_OPEN})
    if current is not None:  # stepped up before: that episode ends as the family comes back
        _close(actor=actor, episode=current, reason=ClosureReason.STEPPED_UP, detail="Stepped down by social care")
    episode = _episode_open(actor=actor, household=household, lead=lead, why="step down from social care")
    return _decided(
        STEP_DOWN_DECISION,
        step_down,
        StepDownStatus.ACCEPTED,
        actor=actor,
        note=note,
        summary="Step down accepted by the Early Help Team",
        changes={"episode": episode},
    )


@transaction.atomic
def step_down_decline(*, actor: User, step_down: StepDown, note: str) -> StepDown:
    """The Early Help Team does not accept the step down, saying why."""
    _require(capabilities.can_accept_step_down(actor, step_down), COORDINATOR, "decide on a step down")
    return _declined(
        STEP_DOWN_DECISION, step_down, actor=actor, note=note, summary="Step down not accepted by the Early Help Team"
    )


def step_down_decide(
    *, actor: User, step_down: StepDown, accept: bool, lead: User | None = None, note: str = ""
) -> StepDown:
    """The Early Help Team's decision on a step down, for the page and the API alike: accept it with a
    lead, or decline it saying why."""
    if accept:
        return step_down_accept(actor=actor, step_down=step_down, lead=lead, note=note)
    return step_down_decline(actor=actor, step_down=step_down, note=note)


# --- Prompting a step at review ---------------------------------------------------------------------------


@transaction.atomic
def step_prompt_record(
    *,
    actor: User | None,
    episode: Episode,
    previous_level: int | None,
    new_level: int | None,
    previous_scale: int | None,
    new_scale: int | None,
) -> StepPromptNotice | None:
    """Where a review's change crosses the configured thresholds, prompt the lead professional to
    consider a step (rules.step_prompt); otherwise record nothing."""
    prompt = rules.step_prompt(previous_level, new_level, previous_scale, new_scale)
    if prompt is None:
        return None
    notice = StepPromptNotice.objects.create(
        household=episode.household,
        episode=episode,
        direction=prompt.direction,
        message=prompt.message[:300],
        previous_level=previous_level,
        new_level=new_level,
        previous_scale=previous_scale,
        new_scale=new_scale,
        created_at=timezone.now(),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    audit_change(
        actor=actor, record=notice, action=Action.CREATE, household_id=episode.household_id, direction=prompt.direction
    )
    chronology_record(
        actor=actor,
        household=episode.household,
        episode=episode,
        kind="step_prompt",
        summary=prompt.message,
        source=notice,
    )
    return notice


# --- Closure ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NeedResult:
    need_text: str
    outcome: str
    need_ref: str = ""
    outcome_area: str = ""


@dataclass(frozen=True)
class FeedbackLink:
    """A feedback invitation with its token, which is kept nowhere: give it to the family now, or make a new one."""

    invitation: FeedbackInvitation
    token: str


@dataclass(frozen=True)
class Closed:
    closure: EpisodeClosure
    feedback: FeedbackLink


def _close(*, actor: User, episode: Episode, reason: str, detail: str) -> EpisodeClosure:
    episode = _checked(rules.EPISODE, episode, EpisodeStatus.CLOSED)
    closure = EpisodeClosure.objects.create(
        episode=episode, reason=reason, detail=detail.strip(), closed_by=actor, closed_at=timezone.now()
    )
    closed_on = max(timezone.localdate(), episode.opened_on)
    episode = _move(
        rules.EPISODE,
        episode,
        EpisodeStatus.CLOSED,
        actor=actor,
        changes={"closed_on": closed_on, **_touched()},
        details={"reason": reason},
    )
    for involvement in Involvement.objects.filter(
        household=episode.household,
        role__in=[InvolvementRole.LEAD_PROFESSIONAL, InvolvementRole.TAF_MEMBER],
        ended_on__isnull=True,
    ):
        involvement_end(actor=actor, involvement=involvement, ended_on=max(closed_on, involvement.started_on))
    chronology_record(
        actor=actor,
        household=episode.household,
        episode=episode,
        kind="closure",
        summary=f"Episode closed: {closure.get_reason_display()}",
        source=closure,
    )
    return closure


def closure_blockers(*, episode: Episode, reason: str) -> list[str]:
    """What of the episode's work is still open and must be settled before it closes for `reason`: a step
    up awaiting approval or with social care, an assessment not approved, a plan action with no fate
    recorded; and "outcomes achieved" claims an approved assessment."""
    blockers = []
    for step_up in StepUp.objects.filter(
        household=episode.household, status__in=[StepUpStatus.AWAITING_APPROVAL, StepUpStatus.SENT]
    ).select_related("to_team"):
        words = (
            STEP_UP_AWAITING_APPROVAL if step_up.status == StepUpStatus.AWAITING_APPROVAL else STEP_UP_WITH_SOCIAL_CARE
        )
        when = step_up.decided_at if step_up.status == StepUpStatus.SENT else step_up.requested_at
        blockers.append(words.format(team=step_up.to_team.name, date=date_format(timezone.localtime(when), "j F Y")))
    blockers += casework.closure_blockers(episode)
    if reason == ClosureReason.OUTCOMES_ACHIEVED and not casework.has_approved_assessment(episode.household):
        blockers.append(OUTCOMES_NEED_APPROVED_ASSESSMENT)
    return blockers


@transaction.atomic
def episode_close(
    *, actor: User, episode: Episode, reason: str, detail: str = "", need_results: Sequence[NeedResult] = ()
) -> Closed:
    """Close an episode with its reason and how far each assessed need was met; make the family's feedback
    link, which the result carries: the only time its token exists outside the family's hands."""
    _require(capabilities.can_lead(actor), "the lead professional or the Early Help Team", "close an episode")
    episode = _checked(rules.EPISODE, episode, EpisodeStatus.CLOSED)
    errors: dict[str, str] = {}
    if reason not in ClosureReason.values:
        errors["reason"] = CLOSURE_REASON_UNKNOWN
    elif reason == ClosureReason.OTHER and not detail.strip():
        errors["detail"] = CLOSURE_DETAIL_REQUIRED
    if any(result.outcome not in NeedOutcome.values for result in need_results):
        errors["need_results"] = NEED_OUTCOME_UNKNOWN
    _too_long({"detail": detail}, errors)
    if errors:
        raise ValidationError(errors)
    blockers = closure_blockers(episode=episode, reason=reason)
    if blockers:
        # Open work is the episode's state refusing the move (409 on the API), not bad input.
        raise TransitionError(*blockers)
    # The lead's involvement ends with the episode: their agency is read first, for feedback by agency.
    lead = episode.household.involvements.current_lead().first()
    closure = _close(actor=actor, episode=episode, reason=reason, detail=detail)
    ClosureNeedOutcome.objects.bulk_create(
        ClosureNeedOutcome(
            closure=closure,
            need_ref=result.need_ref[:64],
            need_text=result.need_text[:500],
            outcome_area=result.outcome_area[:40],
            outcome=result.outcome,
        )
        for result in need_results
    )
    return Closed(closure=closure, feedback=feedback_link_make(actor=actor, episode=episode, lead=lead))


@transaction.atomic
def feedback_link_make(*, actor: User, episode: Episode, lead: Involvement | None) -> FeedbackLink:
    """The family's feedback invitation for a closed episode, with a new single-use token that expires after
    the configured days; only the token's hash is kept. Called in closure's transaction. To send the link to
    the family, give `rules.feedback_message` the link's address and its last day."""
    now = timezone.now()
    token = rules.feedback_token_new()
    invitation = FeedbackInvitation.objects.create(
        episode=episode,
        token_hash=rules.feedback_token_hash(token),
        created_at=now,
        expires_at=now + timedelta(days=settings.EARLY_HELP.journey.feedback_link_days),
        lead_agency_id=lead.agency_id if lead is not None else None,
    )
    audit_change(actor=actor, record=invitation, action=Action.CREATE, household_id=episode.household_id)
    return FeedbackLink(invitation=invitation, token=token)


@dataclass(frozen=True)
class FeedbackAnswers:
    better_supported: str
    know_where_to_go: str
    listened_to: str = ""
    rating: int | None = None
    comments: str = ""


@transaction.atomic
def feedback_submit(*, invitation: FeedbackInvitation, answers: FeedbackAnswers) -> FeedbackInvitation:
    """The family answers the survey once, through its private link, before the link expires. The two
    questions K16 counts must be answered; the others may be left."""
    invitation = _locked(FeedbackInvitation, invitation.pk)
    if invitation.responded_at is not None:
        raise TransitionError(FEEDBACK_ALREADY_GIVEN)
    if invitation.expires_at <= timezone.now():
        raise TransitionError(FEEDBACK_LINK_EXPIRED.format(phone=settings.EARLY_HELP.council_phone))
    errors: dict[str, str] = {}
    required = {"better_supported": BETTER_SUPPORTED_REQUIRED, "know_where_to_go": KNOW_WHERE_REQUIRED}
    for field, message in required.items():
        if getattr(answers, field) not in FeedbackAnswer.values:
            errors[field] = message
    if answers.listened_to not in (*FeedbackAnswer.values, ""):
        errors["listened_to"] = ANSWER_UNKNOWN
    if answers.rating not in (None, 1, 2, 3, 4, 5):
        errors["rating"] = RATING_REQUIRED
    if len(answers.comments) > FEEDBACK_COMMENTS_LIMIT:
        errors["comments"] = FIELD_TOO_LONG.format(limit=FEEDBACK_COMMENTS_LIMIT)
    if errors:
        raise ValidationError(errors)
    invitation.better_supported = answers.better_supported
    invitation.know_where_to_go = answers.know_where_to_go
    invitation.listened_to = answers.listened_to
    invitation.rating = answers.rating
    invitation.comments = answers.comments.strip()
    invitation.responded_at = timezone.now()
    invitation.save()
    # The answers themselves stay out of the audit trail and the chronology: the family gave them to the
    # partnership, not to the worker who next opens the record.
    audit_change(actor=None, record=invitation, household_id=invitation.episode.household_id)
    chronology_record(
        actor=None,
        household=invitation.episode.household,
        episode=invitation.episode,
        kind="feedback",
        summary="The family answered the feedback survey",
        source=invitation,
    )
    return invitation
