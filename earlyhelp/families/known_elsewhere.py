"""Who else holds data on a family: the question the "who is involved" panel asks of the apps above.

The register knows the practitioners and teams involved with a family (involvements). Partners'
agencies that send data through the partnership data hub know the family too, but the hub stands on
a floor above the register, so the register names the question here and the hub answers it,
registering its selector when it starts (`DatahubConfig.ready`). Without it the answer is empty.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from .models import Household


@dataclass(frozen=True)
class DataHolder:
    """An agency holding data on a family's current members: what it sends, and when it last sent any."""

    agency: str
    sources: tuple[str, ...]
    last_sent: datetime


Holders = Callable[[Household], list[DataHolder]]

_holders: dict[str, Holders] = {}


def answer_data_holders(app: str, selector: Holders) -> None:
    """Register, under the app's name, the selector naming the agencies that hold data on a family."""
    _holders[app] = selector


def data_holders(household: Household) -> list[DataHolder]:
    """Every agency any app says holds data on the family, the most recent sender first."""
    found = [holder for selector in _holders.values() for holder in selector(household)]
    return sorted(found, key=lambda holder: (-holder.last_sent.timestamp(), holder.agency))
