"""Pure decisions about plans: how an action's status may change, and what makes a date overdue."""

from datetime import date

from earlyhelp.workflow import Machine

from .models import OPEN_ACTION_STATUSES, ActionStatus, ReferralStatus

# Each status maps to the statuses it may move to. A done action may be reopened; a cancelled one
# stays cancelled (add a new action instead), so the history says what was dropped and when.
ACTION_TRANSITIONS: dict[str, frozenset[str]] = {
    ActionStatus.NOT_STARTED: frozenset({ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.CANCELLED}),
    ActionStatus.IN_PROGRESS: frozenset({ActionStatus.DONE, ActionStatus.CANCELLED}),
    ActionStatus.DONE: frozenset({ActionStatus.IN_PROGRESS}),
    ActionStatus.CANCELLED: frozenset(),
}

ACTION_CANCELLED = "This action is no longer needed and cannot be changed: add a new action instead"
ACTION_SAME_STATUS = "This action is already {status}"
ACTION_CANNOT_MOVE = "An action that is {current} cannot become {target}"

ACTION = Machine(
    name="plan action",
    states=ActionStatus,
    moves=ACTION_TRANSITIONS,
    refusals={ActionStatus.CANCELLED: ACTION_CANCELLED},
    cannot=ACTION_CANNOT_MOVE,
)


def action_refusal(current: str, target: str) -> str | None:
    """None if an action may move from `current` to `target`; otherwise why not."""
    refusal = ACTION.refusal(current, target)
    if refusal is not None and current == target and current not in ACTION.refusals:
        return ACTION_SAME_STATUS.format(status=ActionStatus(current).label.lower())
    return refusal


def is_overdue(due: date | None, today: date, status: str | None = None) -> bool:
    """A date is overdue once it has passed, for anything still open."""
    if due is None or due >= today:
        return False
    return status is None or status in OPEN_ACTION_STATUSES


# A referral to a provider's service: held until sharing is covered, then new in the provider's queue;
# opened when the provider first reads it; accepted or declined; an accepted one is completed.
REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.AWAITING_CONSENT: frozenset({ReferralStatus.NEW, ReferralStatus.WITHDRAWN}),
    ReferralStatus.NEW: frozenset(
        {ReferralStatus.OPENED, ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN}
    ),
    ReferralStatus.OPENED: frozenset({ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN}),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.COMPLETED, ReferralStatus.WITHDRAWN}),
    ReferralStatus.DECLINED: frozenset(),
    ReferralStatus.COMPLETED: frozenset(),
    ReferralStatus.WITHDRAWN: frozenset(),
}
REFERRAL_DECLINED = "This referral was declined, so it cannot be changed: the lead professional can refer again"
REFERRAL_COMPLETED = "This referral is completed, so it cannot be changed"
REFERRAL_WITHDRAWN = "This referral was withdrawn, so it cannot be changed: the lead professional can refer again"
REFERRAL_CANNOT_MOVE = "A referral that is {current} cannot become {target}"
REFERRAL_NOT_ACCEPTED = "Only an accepted referral can be completed: accept it first"

REFERRAL = Machine(
    name="referral",
    states=ReferralStatus,
    moves=REFERRAL_TRANSITIONS,
    refusals={
        ReferralStatus.DECLINED: REFERRAL_DECLINED,
        ReferralStatus.COMPLETED: REFERRAL_COMPLETED,
        ReferralStatus.WITHDRAWN: REFERRAL_WITHDRAWN,
    },
    cannot=REFERRAL_CANNOT_MOVE,
)


def referral_refusal(current: str, target: str) -> str | None:
    """None if a referral may move from `current` to `target`; otherwise why not, in words the provider
    can act on."""
    if target == ReferralStatus.COMPLETED and current in (ReferralStatus.NEW, ReferralStatus.OPENED):
        return REFERRAL_NOT_ACCEPTED
    return REFERRAL.refusal(current, target)
