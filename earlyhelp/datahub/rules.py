"""Pure decisions of the data hub: the checks it adds to every layout, and how a checked row is kept. No database."""

import calendar
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
