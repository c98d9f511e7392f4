"""Pure decision logic of the journey, with no database: the state machines, the thresholds
tool's suggestion, and when a review should prompt a step up or down."""

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.conf import settings

from earlyhelp.workflow import Machine

from .models import EpisodeStatus, RequestStatus, StepDownStatus, StepUpStatus

# --- State machines --------------------------------------------------------------------------------------
# Each table maps a state to the states it may move to; the Machines below carry them with the
# words for a refused move, and the services move records only through `workflow.transition`.
# docs/journey.md draws the same tables.

REQUEST_TRANSITIONS: dict[str, frozenset[str]] = {
    "awaiting_triage": frozenset({"advice", "universal", "assessment", "mash"}),
    "advice": frozenset(),
    "universal": frozenset(),
    "assessment": frozenset(),
    "mash": frozenset(),
}

EPISODE_TRANSITIONS: dict[str, frozenset[str]] = {
    "open": frozenset({"stepped_up", "closed"}),
    "stepped_up": frozenset({"closed"}),
    "closed": frozenset(),
}

STEP_UP_TRANSITIONS: dict[str, frozenset[str]] = {
    "awaiting_approval": frozenset({"sent", "declined"}),
    "sent": frozenset({"accepted", "nfa"}),
    "declined": frozenset(),
    "accepted": frozenset(),
    "nfa": frozenset(),
}

STEP_DOWN_TRANSITIONS: dict[str, frozenset[str]] = {
    "awaiting_acceptance": frozenset({"accepted", "declined"}),
    "accepted": frozenset(),
    "declined": frozenset(),
}


# Why a move is refused, by the state the record is in: the words a person reads.
REFUSAL_BY_STATE: dict[str, dict[str, str]] = {
    "request": {
        "advice": "This request has already been triaged (advice and signposting given): start a new request if "
        "the family needs more",
        "universal": "This request has already been triaged back to universal services: start a new request if "
        "the family needs more",
        "assessment": "This request has already been triaged to an early help assessment: work on the family's "
        "episode instead",
        "mash": "This request has already been passported to the MASH: follow the step up instead",
    },
    "episode": {
        "open": "This episode is open to early help",
        "stepped_up": "This episode has been stepped up to children's social care: it can only be closed",
        "closed": "This episode is closed: a new request for support opens a new one",
    },
    "step_up": {
        "awaiting_approval": "This step up is waiting for a manager's approval: social care cannot respond yet",
        "sent": "This step up has already been approved and is with social care",
        "declined": "This step up was not approved by the manager: ask for a new step up if risk has changed",
        "accepted": "Social care has already accepted this step up",
        "nfa": "Social care has already responded with no further action: the family is back with early help",
    },
    "step_down": {
        "awaiting_acceptance": "This step down is waiting for the Early Help Team",
        "accepted": "This step down has already been accepted into early help",
        "declined": "This step down has already been declined",
    },
}


REQUEST = Machine(name="request", states=RequestStatus, moves=REQUEST_TRANSITIONS, refusals=REFUSAL_BY_STATE["request"])
EPISODE = Machine(name="episode", states=EpisodeStatus, moves=EPISODE_TRANSITIONS, refusals=REFUSAL_BY_STATE["episode"])
STEP_UP = Machine(name="step_up", states=StepUpStatus, moves=STEP_UP_TRANSITIONS, refusals=REFUSAL_BY_STATE["step_up"])
STEP_DOWN = Machine(
    name="step_down", states=StepDownStatus, moves=STEP_DOWN_TRANSITIONS, refusals=REFUSAL_BY_STATE["step_down"]
)

# The tables by machine, as docs/journey.md and the transition tests read them.
MACHINES: dict[str, Mapping[str, frozenset[str]]] = {
    machine.name: machine.moves for machine in (REQUEST, EPISODE, STEP_UP, STEP_DOWN)
}


# --- Level of need ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Weighed:
    """An indicator as the tool weighs it."""

    weight: int
    minimum_level: int | None = None


def suggest_level(ticked: Iterable[Weighed], thresholds: tuple[int, int, int] | None = None) -> int:
    """The level (1 to 4) the ticked indicators suggest: by their total weight against the
    configured thresholds, and never below the highest level any one indicator reaches alone."""
    thresholds = thresholds or settings.EARLY_HELP.journey.level_weight_thresholds
    ticked = list(ticked)
    total = sum(item.weight for item in ticked)
    by_weight = 1 + sum(1 for threshold in thresholds if total >= threshold)
    floor = max((item.minimum_level or 1 for item in ticked), default=1)
    return max(1, min(4, max(by_weight, floor)))


# --- Prompting a step at review ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StepPrompt:
    """The advice a review's change gives the lead professional."""

    direction: str  # "up" or "down"
    message: str


SCALE_FELL = "The family's scale fell from {previous} to {new} at this review: consider whether to step up"
SCALE_ROSE = "The family's scale rose from {previous} to {new} at this review: consider whether to step down"
LEVEL_SPECIALIST = "The level of need is now {new} (specialist): consider a step up to children's social care"
LEVEL_UNIVERSAL = "The level of need is now {new} (universal): consider stepping down to universal services"


def step_prompt(
    previous_level: int | None,
    new_level: int | None,
    previous_scale: int | None,
    new_scale: int | None,
    *,
    scale_change: int | None = None,
) -> StepPrompt | None:
    """Whether a review's re-scoring should prompt a step, and which way.

    The 0-10 scale is "10: the family is safe and well, 0: harm is certain". A fall by at least the
    configured change, or a level reaching 4, prompts a step up; a rise by at least the change, or a
    level falling to 1, prompts a step down. Risk wins where the two point different ways.
    """
    change = scale_change if scale_change is not None else settings.EARLY_HELP.journey.step_prompt_scale_change
    up: list[str] = []
    down: list[str] = []
    if previous_scale is not None and new_scale is not None:
        if previous_scale - new_scale >= change:
            up.append(SCALE_FELL.format(previous=previous_scale, new=new_scale))
        elif new_scale - previous_scale >= change:
            down.append(SCALE_ROSE.format(previous=previous_scale, new=new_scale))
    if new_level is not None and new_level != previous_level:
        if new_level == 4:
            up.append(LEVEL_SPECIALIST.format(new=new_level))
        elif new_level == 1 and previous_level is not None:
            down.append(LEVEL_UNIVERSAL.format(new=new_level))
    if up:
        return StepPrompt(direction="up", message="; ".join(up))
    if down:
        return StepPrompt(direction="down", message="; ".join(down))
    return None


# --- Small things -----------------------------------------------------------------------------------------

# No 0/O or 1/I: references are read out over the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_reference() -> str:
    """A request reference a family can quote, e.g. EH-7KQ4M2XD."""
    return "EH-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


# --- The family's feedback link ---------------------------------------------------------------------------

# 16 characters of the reference alphabet: 80 bits, beyond guessing at the feedback pages' rate limit, and
# short enough to read out or write on a card, in four groups: 7KQ4-M2XD-9RTA-W2HC.
FEEDBACK_TOKEN_LENGTH = 16
FEEDBACK_TOKEN_GROUP = 4


def feedback_token_new() -> str:
    """A new feedback link's token, written in groups of four."""
    characters = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(FEEDBACK_TOKEN_LENGTH))
    return "-".join(
        characters[start : start + FEEDBACK_TOKEN_GROUP]
        for start in range(0, FEEDBACK_TOKEN_LENGTH, FEEDBACK_TOKEN_GROUP)
    )


def feedback_token_normal(text: str) -> str:
    """The token as typed, made comparable: upper case, without spaces or hyphens; empty if it cannot be one."""
    token = "".join(text.split()).replace("-", "").upper()
    if len(token) != FEEDBACK_TOKEN_LENGTH or any(character not in REFERENCE_ALPHABET for character in token):
        return ""
    return token


def feedback_token_hash(token: str) -> str:
    """What is kept of a token: the SHA-256 of its normal form. A token has 80 random bits, so a plain hash
    cannot be reversed by trying tokens."""
    return hashlib.sha256(feedback_token_normal(token).encode()).hexdigest()


@dataclass(frozen=True)
class FeedbackMessage:
    subject: str
    body: str


def feedback_message(*, url: str, expires_on: date) -> FeedbackMessage:
    """The words that give a family its feedback link (by email or text, when the product sends them): the
    link and its last day, and nothing about the family, so a message read by someone else gives nothing away."""
    return FeedbackMessage(
        subject="Tell us how the support went",
        body=(
            "Thank you for working with us. Please tell us how the support went: it takes about 2 minutes.\n\n"
            f"{url}\n\n"
            f"The link works once, until {expires_on.day} {expires_on:%B %Y}. You do not need to sign in."
        ),
    )
