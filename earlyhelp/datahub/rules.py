"""Pure decisions of the data hub: the checks it adds to every layout, and how a checked row is kept. No database."""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from earlyhelp.imports.layouts import Check, ColumnType, Layout
from earlyhelp.imports.validation import Checks, Row

from . import messages

NOT_NEGATIVE = Check(rule="not_negative", message=messages.VALUE_NEGATIVE, passes=lambda value: value >= 0)


def layout_checks(layout: Layout) -> Checks:
    """What every dataset's file must also satisfy: a whole-number fact is a count, so never below 0."""
    return {
        column.name: [NOT_NEGATIVE]
        for column in layout.columns
        if column.type == ColumnType.INTEGER and not column.identifying
    }


def stored_value(value: Any) -> Any:
    """A typed value as JSON keeps it: dates as YYYY-MM-DD, decimals as their exact text."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def record_parts(layout: Layout, row: Row) -> tuple[dict[str, Any], dict[str, Any]]:
    """A row's identifying values (who it is about, for linkage) and its facts, apart."""
    identifying: dict[str, Any] = {}
    facts: dict[str, Any] = {}
    for column in layout.columns:
        if column.name == layout.source_id:
            continue
        part = identifying if column.identifying else facts
        part[column.name] = stored_value(row.values.get(column.name))
    return identifying, facts


def retention_months_valid(months: int) -> bool:
    return 1 <= months <= 1200


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier, or that month's last day where it is shorter."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


# What each of the matching model's comparisons compares, for a reviewer.
COMPARISONS = {
    "given_name": "Given name",
    "family_name": "Family name",
    "middle_names": "Middle names",
    "dob": "Date of birth",
    "sex": "Sex",
    "postcode": "Postcode",
    "address": "Address",
    "nhs_number": "NHS number",
    "upn": "Unique Pupil Number",
}
# A match weight is the log, base 2, of how much a comparison's outcome changes the odds of a match.
STRONG_WEIGHT = 6.0
SLIGHT_WEIGHT = 1.0


@dataclass(frozen=True)
class Evidence:
    """One comparison's part in a match: its weight, and what that means in words."""

    comparison: str
    weight: float
    direction: str
    meaning: str


def evidence_in_words(weight: float) -> tuple[str, str]:
    """How far one comparison's match weight moves the odds that two records are one person, in words."""
    factor = 2 ** abs(weight)
    times = f"{factor:,.0f}" if factor >= 10 else f"{factor:.1f}"
    if abs(weight) < SLIGHT_WEIGHT:
        return "Neither for nor against", "Makes little difference either way (often: missing on one side)"
    strength = "Strongly " if abs(weight) >= STRONG_WEIGHT else ""
    if weight > 0:
        return f"{strength}for".capitalize(), f"Makes it about {times} times more likely they are the same person"
    return f"{strength}against".capitalize(), f"Makes it about {times} times less likely they are the same person"


def evidence(weights: dict[str, float]) -> list[Evidence]:
    """Each comparison's weight, strongest first, in the order a reviewer reads them."""
    lines = []
    for name, weight in weights.items():
        direction, meaning = evidence_in_words(weight)
        lines.append(Evidence(COMPARISONS.get(name, name), weight, direction, meaning))
    return sorted(lines, key=lambda line: -abs(line.weight))
