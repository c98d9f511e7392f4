"""Who waits for sharing to become covered.

Some work waits until a family's information may go to an agency: a referral to a provider's
service is held until consent to share with the provider is recorded (plans). The apps that wait
stand above consent, so consent names the moment here and they register what to do then
(`PlansConfig.ready`), in the transaction of the change that may have covered the sharing: a consent
recorded, sharing without consent confirmed, an agency's involvement started. Each listener checks
the sharing again itself (`selectors.consent_check_sharing`); being told is no more than a prompt.
"""

from collections.abc import Callable, Iterable
from typing import Any

Listener = Callable[..., object]

_listeners: dict[str, Listener] = {}


def when_sharing_may_be_covered(app: str, listener: Listener) -> None:
    """Register, under the app's name, `listener(actor=..., household_ids=...)`, called when sharing a
    family's information may have become covered."""
    _listeners[app] = listener


def sharing_may_be_covered(*, actor: Any, household_ids: Iterable[Any]) -> None:
    """Tell every registered app that sharing these families' information may now be covered."""
    ids = sorted({str(household_id) for household_id in household_ids})
    if not ids:
        return
    for listener in _listeners.values():
        listener(actor=actor, household_ids=ids)
