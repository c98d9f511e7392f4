"""Access rules of the early help journey's pages and API (see matrix.py)."""

import uuid
from collections.abc import Callable

from earlyhelp.accounts.models import Role
from earlyhelp.journey.services import feedback_link_make
from tests.factories import UserFactory
from tests.journey.factories import (
    EpisodeFactory,
    SentStepUpFactory,
    SocialCareTeamFactory,
    StepDownFactory,
    StepUpFactory,
    SupportRequestFactory,
)

from .matrix import (
    ANONYMOUS,
    FORBIDDEN,
    INVOLVED,
    MISSING,
    NOT_FOUND,
    OK,
    SIGN_IN,
    UNRELATED,
    Rule,
    World,
    api,
    casework_page,
    casework_record,
    no_kwargs,
    public,
    record,
)

RECORD = (INVOLVED, UNRELATED, MISSING)
LEADING = (Role.PRACTITIONER, Role.COORDINATOR, Role.MANAGER)
CREATED = 201


def role_record(*roles: str, ok: int = OK) -> Callable[[str, str], int]:
    """A family's record that only the named roles act on: others are told so before anything is read."""

    def expect(role: str, relation: str) -> int:
        if role == ANONYMOUS:
            return SIGN_IN
        if role not in roles:
            return FORBIDDEN
        if relation == MISSING:
            return NOT_FOUND
        return ok if relation == INVOLVED or role == Role.COORDINATOR else NOT_FOUND

    return expect


def made(url_kwarg: str, factory: Callable[[World], object]) -> Callable[[World, str], dict]:
    """URL arguments naming a journey record of the world's family, made for the case."""

    def kwargs(world: World, relation: str) -> dict:
        if relation == MISSING:
            return {url_kwarg: uuid.uuid4()}
        return {url_kwarg: factory(world).pk}

    return kwargs


request_of = made("request_id", lambda w: SupportRequestFactory(household=w.household))
episode_of = made("episode_id", lambda w: EpisodeFactory(household=w.household))
step_up_of = made("step_up_id", lambda w: StepUpFactory(episode=EpisodeFactory(household=w.household)))
sent_step_up_of = made("step_up_id", lambda w: SentStepUpFactory(episode=EpisodeFactory(household=w.household)))
step_down_of = made("step_down_id", lambda w: StepDownFactory(household=w.household))
household = record("household_id", "household")


def _feedback(world: World, relation: str) -> dict:
    episode = EpisodeFactory(household=world.household)
    return {"token": feedback_link_make(actor=world.user or UserFactory(), episode=episode, lead=None).token}


def _step_up_body(world: World) -> dict:
    return {"reasons": ["cse"], "detail": "Going missing", "to_team": SocialCareTeamFactory().pk}


RULES = {
    "journey:requests": Rule(no_kwargs, casework_page),
    "journey:request-check": Rule(no_kwargs, casework_page),
    "journey:request-new": Rule(no_kwargs, casework_page),
    "journey:request": Rule(request_of, casework_record, RECORD),
    "journey:request-triage": Rule(request_of, role_record(Role.COORDINATOR), RECORD),
    "journey:request-triage-families": Rule(request_of, role_record(Role.COORDINATOR), RECORD),
    "journey:household": Rule(household, casework_record, RECORD),
    "journey:chronology": Rule(household, casework_record, RECORD),
    "journey:level-new": Rule(household, casework_record, RECORD),
    "journey:step-down-new": Rule(household, role_record(Role.SOCIAL_CARE), RECORD),
    "journey:step-up-new": Rule(episode_of, role_record(*LEADING), RECORD),
    "journey:episode-close": Rule(episode_of, role_record(*LEADING), RECORD),
    "journey:step-ups": Rule(no_kwargs, casework_page),
    "journey:step-up": Rule(step_up_of, casework_record, RECORD),
    "journey:step-up-decide": Rule(step_up_of, role_record(Role.MANAGER), RECORD),
    "journey:step-up-respond": Rule(sent_step_up_of, role_record(Role.SOCIAL_CARE), RECORD),
    "journey:step-down": Rule(step_down_of, casework_record, RECORD),
    "journey:step-down-decide": Rule(step_down_of, role_record(Role.COORDINATOR), RECORD),
    "journey-public:request": Rule(no_kwargs, public),
    "journey-public:request-sent": Rule(no_kwargs, public),
    "journey-public:feedback": Rule(_feedback, public),
    "journey-api:requests": Rule(no_kwargs, api(casework_page)),
    "journey-api:request": Rule(request_of, api(casework_record), RECORD),
    "journey-api:request-triage": Rule(
        request_of, api(role_record(Role.COORDINATOR)), RECORD, method="POST", data=lambda w: {"decision": "advice"}
    ),
    "journey-api:indicators": Rule(no_kwargs, api(casework_page)),
    "journey-api:household": Rule(household, api(casework_record), RECORD),
    "journey-api:chronology": Rule(household, api(casework_record), RECORD),
    "journey-api:levels": Rule(household, api(casework_record), RECORD),
    "journey-api:step-down-new": Rule(
        household,
        api(role_record(Role.SOCIAL_CARE, ok=CREATED)),
        RECORD,
        method="POST",
        data=lambda w: {"summary": "Plan ended", "reason": "Lower need"},
    ),
    "journey-api:step-up-new": Rule(
        episode_of, api(role_record(*LEADING, ok=CREATED)), RECORD, method="POST", data=_step_up_body
    ),
    "journey-api:episode-close": Rule(
        episode_of, api(role_record(*LEADING)), RECORD, method="POST", data=lambda w: {"reason": "moved_away"}
    ),
    "journey-api:step-ups": Rule(no_kwargs, api(casework_page)),
    "journey-api:step-up": Rule(step_up_of, api(casework_record), RECORD),
    "journey-api:step-up-decide": Rule(
        step_up_of,
        api(role_record(Role.MANAGER)),
        RECORD,
        method="POST",
        data=lambda w: {"decision": "decline", "comment": "Below the threshold"},
    ),
    "journey-api:step-up-respond": Rule(
        sent_step_up_of,
        api(role_record(Role.SOCIAL_CARE)),
        RECORD,
        method="POST",
        data=lambda w: {"response": "child_in_need"},
    ),
    "journey-api:step-down": Rule(step_down_of, api(casework_record), RECORD),
    "journey-api:step-down-decide": Rule(
        step_down_of,
        api(role_record(Role.COORDINATOR)),
        RECORD,
        method="POST",
        data=lambda w: {"decision": "decline", "note": "Social care keeps the case"},
    ),
}
