"""When a family's record is due for removal under the retention policy. Pure: no database."""

from dataclasses import dataclass
from datetime import date


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class HouseholdFacts:
    youngest_child_born: date | None
    last_worked_with: date
    still_worked_with: bool


def household_keep_until(
    facts: HouseholdFacts, *, youngest_child_age: int, years_since_last_involvement: int
) -> date | None:
    """The day after which the household's record may go; None while anyone still works with it."""
    if facts.still_worked_with:
        return None
    until = years_after(facts.last_worked_with, years_since_last_involvement)
    if facts.youngest_child_born is not None:
        until = max(until, years_after(facts.youngest_child_born, youngest_child_age))
    return until
