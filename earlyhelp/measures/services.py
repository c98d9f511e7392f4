"""Every write of social care activity: one record at a time, validated, audited in its transaction.

Two routes call them: social care's answer to a step up (`social_care_from_step_up`, which the
journey calls through `casework.step_up_answered`), and the feed (`feed.social_care_feed_load`)."""

from datetime import date, timedelta
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import AgencyKind, User
from earlyhelp.audit.models import Action
from earlyhelp.families.models import Household, MemberRole, Membership, Person
from earlyhelp.journey.models import RequestSource, SocialCareOutcome, StepUp, StepUpStatus
from earlyhelp.workflow import RefusedError, audit_change

from . import rules
from .models import (
    SELF_REFERRAL,
    SOURCE_AGENCY_TYPES,
    AssessmentOutcome,
    CareEpisode,
    CareEpisodeKind,
    ConfidenceAnswer,
    RecordRoute,
    Referral,
    ReferralOutcome,
    ReferralReason,
    SingleAssessment,
)

# Messages people read; tests reuse them.
SOURCE_ID_REQUIRED = "Give the sending system's id for this record"
SOURCE_ID_TAKEN = "A record with this id was already received by this route"
SOURCE_AGENCY_TYPE_UNKNOWN = "The source agency type must be one of: {choices}"
REASON_UNKNOWN = "The reason must be one of: {choices}"
REFERRAL_OUTCOME_UNKNOWN = "The referral's outcome must be one of: {choices}"
ASSESSMENT_OUTCOME_UNKNOWN = "The single assessment's outcome must be one of: {choices}"
EPISODE_KIND_UNKNOWN = "The kind of episode must be one of: {choices}"
OFFER_ONLY_AFTER_NFA = "An early help offer is recorded only after no further action"
COMPLETED_BEFORE_STARTED = "The completion date must be on or after the start date"
OUTCOME_WITHOUT_COMPLETION = "An outcome is recorded only once the assessment is completed, with its date"
COMPLETION_WITHOUT_OUTCOME = "A completed assessment needs its outcome"
STARTED_BEFORE_REFERRAL = "It cannot start before the referral it follows ({date})"
ENDED_BEFORE_STARTED = "The end date must be on or after the start date"


def _choice_error(value: str, allowed: list[str], message: str) -> str | None:
    return None if value in allowed else message.format(choices=", ".join(allowed))


def family_of(person: Person) -> Household | None:
    """The household the person lives in now (their latest current membership), or None."""
    membership = (
        Membership.objects.filter(person=person, ended_on__isnull=True)
        .select_related("household")
        .order_by("-started_on", "-id")
        .first()
    )
    return membership.household if membership else None


Record = TypeVar("Record", Referral, SingleAssessment, CareEpisode)


def _recorded(
    record: Record,
    *,
    actor: User,
    person: Person,
    household: Household | None,
    errors: dict[str, str],
    audited: bool = True,
) -> Record:
    """Place the record in the child's family and locality, refuse it with every error, else save and audit it
    (unless the caller audits the whole load it belongs to, in the same transaction: `audited=False`)."""
    record.person = person
    record.household = household if household is not None else family_of(person)
    record.locality_id = record.household.locality_id if record.household is not None else None
    record.source_id = record.source_id.strip()
    if not record.source_id:
        errors["source_id"] = SOURCE_ID_REQUIRED
    elif type(record)._default_manager.filter(route=record.route, source_id=record.source_id).exists():
        errors["source_id"] = SOURCE_ID_TAKEN
    if errors:
        raise ValidationError(errors)
    record.recorded_by = actor
    record.save()
    if not audited:
        return record
    audit_change(
        actor=actor,
        record=record,
        action=Action.CREATE,
        household_id=record.household_id,
        person_id=record.person_id,
        route=record.route,
    )
    return record


@transaction.atomic
def referral_record(
    *,
    actor: User,
    person: Person,
    route: str,
    source_id: str,
    referred_on: date,
    source_agency_type: str,
    reason: str,
    outcome: str,
    early_help_offer: bool = False,
    household: Household | None = None,
    step_up: StepUp | None = None,
    audited: bool = True,
) -> Referral:
    """Record a referral of a child to children's social care and what social care decided."""
    errors = {
        field: message
        for field, message in {
            "source_agency_type": _choice_error(
                source_agency_type, [value for value, _ in SOURCE_AGENCY_TYPES], SOURCE_AGENCY_TYPE_UNKNOWN
            ),
            "reason": _choice_error(reason, ReferralReason.values, REASON_UNKNOWN),
            "outcome": _choice_error(outcome, ReferralOutcome.values, REFERRAL_OUTCOME_UNKNOWN),
            "early_help_offer": OFFER_ONLY_AFTER_NFA
            if early_help_offer and outcome != ReferralOutcome.NO_FURTHER_ACTION
            else None,
        }.items()
        if message
    }
    referral = Referral(
        route=route,
        source_id=source_id,
        step_up=step_up,
        referred_on=referred_on,
        source_agency_type=source_agency_type,
        reason=reason,
        outcome=outcome,
        early_help_offer=early_help_offer,
    )
    return _recorded(referral, actor=actor, person=person, household=household, errors=errors, audited=audited)


@transaction.atomic
def single_assessment_record(
    *,
    actor: User,
    referral: Referral,
    route: str,
    source_id: str,
    started_on: date,
    completed_on: date | None = None,
    outcome: str = "",
    early_help_offer: bool = False,
    audited: bool = True,
) -> SingleAssessment:
    """Record social care's single assessment of the referred child: started, and completed with its outcome."""
    errors: dict[str, str] = {}
    if started_on < referral.referred_on:
        errors["started_on"] = STARTED_BEFORE_REFERRAL.format(date=referral.referred_on.isoformat())
    if completed_on is not None and completed_on < started_on:
        errors["completed_on"] = COMPLETED_BEFORE_STARTED
    if completed_on is None and outcome:
        errors["outcome"] = OUTCOME_WITHOUT_COMPLETION
    elif completed_on is not None:
        message = _choice_error(outcome, AssessmentOutcome.values, ASSESSMENT_OUTCOME_UNKNOWN)
        if message:
            errors["outcome"] = COMPLETION_WITHOUT_OUTCOME if not outcome else message
    if early_help_offer and outcome != AssessmentOutcome.NO_FURTHER_ACTION:
        errors["early_help_offer"] = OFFER_ONLY_AFTER_NFA
    assessment = SingleAssessment(
        route=route,
        source_id=source_id,
        referral=referral,
        started_on=started_on,
        completed_on=completed_on,
        outcome=outcome,
        early_help_offer=early_help_offer,
    )
    return _recorded(
        assessment, actor=actor, person=referral.person, household=referral.household, errors=errors, audited=audited
    )


@transaction.atomic
def care_episode_record(
    *,
    actor: User,
    person: Person,
    kind: str,
    route: str,
    source_id: str,
    started_on: date,
    ended_on: date | None = None,
    referral: Referral | None = None,
    household: Household | None = None,
    audited: bool = True,
) -> CareEpisode:
    """Record a period of a child being a child in need, on a child protection plan, or looked after."""
    errors: dict[str, str] = {}
    message = _choice_error(kind, CareEpisodeKind.values, EPISODE_KIND_UNKNOWN)
    if message:
        errors["kind"] = message
    if ended_on is not None and ended_on < started_on:
        errors["ended_on"] = ENDED_BEFORE_STARTED
    if referral is not None and started_on < referral.referred_on:
        errors["started_on"] = STARTED_BEFORE_REFERRAL.format(date=referral.referred_on.isoformat())
    episode = CareEpisode(
        route=route, source_id=source_id, kind=kind, started_on=started_on, ended_on=ended_on, referral=referral
    )
    return _recorded(episode, actor=actor, person=person, household=household, errors=errors, audited=audited)


# --- The step-up route ---------------------------------------------------------------------------------


def step_up_source_agency_type(step_up: StepUp) -> str:
    """Who referred: the maker of the request a passport to the MASH came from, else whoever asked for the step up."""
    request = step_up.support_request
    if request is not None and request.source == RequestSource.FAMILY:
        return SELF_REFERRAL
    referrer = request.requested_by if request is not None and request.requested_by else step_up.requested_by
    return referrer.agency.kind if referrer.agency is not None else AgencyKind.OTHER


# What social care accepted a family into becomes the episode that starts for each child.
_EPISODE_BY_OUTCOME = {
    SocialCareOutcome.CHILD_IN_NEED: CareEpisodeKind.CHILD_IN_NEED,
    SocialCareOutcome.CHILD_PROTECTION: CareEpisodeKind.CHILD_PROTECTION,
}


def social_care_from_step_up(actor: User, step_up: StepUp) -> None:
    """Social care answered a step up: for each child of the family, a referral on the day it was sent, and
    what followed on the day of the answer (a single assessment started, a child in need or child protection
    episode started, or no further action with the early help offer recorded). docs/indicators.md says more."""
    children = Person.objects.filter(
        memberships__household=step_up.household, memberships__role=MemberRole.CHILD, memberships__ended_on__isnull=True
    ).distinct()
    sent_at = step_up.decided_at or step_up.requested_at
    referred_on = timezone.localdate(sent_at)
    answered_on = timezone.localdate(step_up.responded_at) if step_up.responded_at else timezone.localdate()
    nfa = step_up.status == StepUpStatus.NO_FURTHER_ACTION
    if nfa:
        outcome = ReferralOutcome.NO_FURTHER_ACTION
    elif step_up.outcome == SocialCareOutcome.SINGLE_ASSESSMENT:
        outcome = ReferralOutcome.SINGLE_ASSESSMENT
    else:
        outcome = ReferralOutcome.OTHER
    for child in children:
        source_id = f"{step_up.pk}:{child.pk}"
        referral = referral_record(
            actor=actor,
            person=child,
            route=RecordRoute.STEP_UP,
            source_id=source_id,
            referred_on=referred_on,
            source_agency_type=step_up_source_agency_type(step_up),
            reason=rules.referral_reason(step_up.reasons),
            outcome=outcome,
            early_help_offer=nfa,
            household=step_up.household,
            step_up=step_up,
        )
        if outcome == ReferralOutcome.SINGLE_ASSESSMENT:
            single_assessment_record(
                actor=actor, referral=referral, route=RecordRoute.STEP_UP, source_id=source_id, started_on=answered_on
            )
        elif not nfa:
            care_episode_record(
                actor=actor,
                person=child,
                kind=_EPISODE_BY_OUTCOME[SocialCareOutcome(step_up.outcome)],
                route=RecordRoute.STEP_UP,
                source_id=source_id,
                started_on=answered_on,
                referral=referral,
                household=step_up.household,
            )


# --- The practitioner confidence survey ----------------------------------------------------------------

CONFIDENCE_NOT_FOR_YOU = "The confidence survey is for practitioners, the Early Help Team and team managers"
CONFIDENCE_SCORE_REQUIRED = "Choose a score from 1 (not at all confident) to 5 (very confident)"
CONFIDENCE_ALREADY_GIVEN = (
    "You have already answered the survey for {start} to {end}. Thank you: the next one opens on {next}"
)


def confidence_period_now() -> tuple[date, date]:
    """The survey period holding today."""
    return rules.confidence_period(timezone.localdate(), settings.EARLY_HELP.measures.confidence_survey_months)


def confidence_answered(practitioner: User) -> ConfidenceAnswer | None:
    """The practitioner's answer for the current survey period, if they have given it."""
    start, _end = confidence_period_now()
    return ConfidenceAnswer.objects.filter(practitioner=practitioner, period_start=start).first()


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


@transaction.atomic
def confidence_answer_record(
    *, actor: User, identifying_need: int | None, using_levels: int | None, leading_assessment: int | None
) -> ConfidenceAnswer:
    """A practitioner's answer to the confidence survey: three scores from 1 to 5, once in each survey period
    (`EARLY_HELP.measures.confidence_survey_months`), with their agency and team's locality as they stand."""
    if not capabilities.can_answer_confidence_survey(actor):
        raise RefusedError(CONFIDENCE_NOT_FOR_YOU)
    start, end = confidence_period_now()
    # The lock on the practitioner's row makes a second answer sent at the same moment wait, then be refused.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    if ConfidenceAnswer.objects.filter(practitioner=actor, period_start=start).exists():
        raise RefusedError(
            CONFIDENCE_ALREADY_GIVEN.format(start=_day(start), end=_day(end), next=_day(end + timedelta(days=1)))
        )
    scores = {
        "identifying_need": identifying_need,
        "using_levels": using_levels,
        "leading_assessment": leading_assessment,
    }
    errors = {name: CONFIDENCE_SCORE_REQUIRED for name, score in scores.items() if score not in (1, 2, 3, 4, 5)}
    if errors:
        raise ValidationError(errors)
    team = actor.team
    answer = ConfidenceAnswer.objects.create(
        practitioner=actor,
        period_start=start,
        agency_id=actor.agency_id,
        locality_id=team.locality_id if team is not None else None,
        answered_at=timezone.now(),
        **scores,
    )
    # The scores stay out of the audit trail: the survey's results are published only as aggregates.
    audit_change(actor=actor, record=answer, action=Action.CREATE, period_start=start.isoformat())
    return answer
