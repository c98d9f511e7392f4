"""Flag rules: how linked partner facts become a flag on a person, declared as data so a council
changes them without code.

The rules are one JSON document: the shipped `flag_rules.json`, or a council's own named by the
setting DATAHUB_FLAG_RULES_FILE. Each rule reads the records of one layout linked to one person,
and names the Supporting Families outcome area its flag is in. The document is checked in full
against the layouts when it is loaded (and by `manage.py check`), so a mistake in it is found when
it is deployed. docs/datasets.md describes every key and the shipped rules.

Everything here is pure: `rule_findings` takes a person's records as plain values and says which
flags they raise; the service (services.flags_raise) reads and writes the database.
"""

import json
import string
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from earlyhelp.assessments.models import OutcomeArea
from earlyhelp.imports.layouts import Column, ColumnType, Layout

from . import messages
from .catalogue import layout_catalogue
from .rules import months_before

SHIPPED_RULES = Path(__file__).resolve().parent / "flag_rules.json"

_RULE_KEYS = {"name", "layout", "outcome_area", "description", "when", "date", "count", "reason"}
_CONDITION_KEYS = {"fact", "ratio", "is", "in", "at_least"}
_COUNT_KEYS = {"at_least", "within_months"}
# Values a reason may name beside the record's facts: the ratio as a whole percentage, and how many
# records a counting rule found.
_DERIVED = {"percent", "count"}
REASON_MAX = 300


@dataclass(frozen=True)
class Condition:
    """One test of a record's facts: a fact equal to a value (`is`), one of several (`in`), a number
    or a ratio of two at least a threshold (`at_least`)."""

    fact: str = ""
    ratio: tuple[str, str] | None = None
    equals: Any = None
    within: tuple[str, ...] = ()
    at_least: Fraction | None = None

    def holds(self, facts: dict[str, Any]) -> bool:
        if self.ratio is not None:
            value = ratio_of(facts, self.ratio)
            return value is not None and self.at_least is not None and value >= self.at_least
        value = facts.get(self.fact)
        if value is None or value == "":
            return False
        if self.within:
            return value in self.within
        if self.at_least is not None:
            number = _number(value)
            return number is not None and number >= self.at_least
        return bool(value == self.equals)


@dataclass(frozen=True)
class FlagRule:
    name: str
    layout: str
    outcome_area: str
    description: str
    reason: str
    when: tuple[Condition, ...]
    # The fact dating a record (a date column); a record without it is dated the day it was received.
    date: str = ""
    # A counting rule flags when at least `count_at_least` matching records fall within
    # `count_within_months` months; without it, every matching record raises a flag of its own.
    count_at_least: int = 0
    count_within_months: int = 0

    @property
    def outcome_area_label(self) -> str:
        return str(OutcomeArea(self.outcome_area).label)


@dataclass(frozen=True)
class LinkedFact:
    """A linked partner record as a rule reads it: its id, its facts and the day it was received."""

    record_id: int
    facts: dict[str, Any]
    received_on: date


@dataclass(frozen=True)
class Finding:
    """A flag a rule raises: dated by the latest fact that counts, with the records behind it."""

    raised_on: date
    record_ids: tuple[int, ...]
    reason: str


# --- Reading the document ---------------------------------------------------------------------------------


def _number(value: Any) -> Fraction | None:
    if isinstance(value, bool):
        return None
    try:
        return Fraction(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return None


def ratio_of(facts: dict[str, Any], columns: tuple[str, str]) -> Fraction | None:
    """One fact divided by another, exactly; None where either is missing or the divisor is 0."""
    top, bottom = (_number(facts.get(column)) for column in columns)
    if top is None or bottom is None or bottom == 0:
        return None
    return top / bottom


def _fact_column(layout: Layout, name: Any, where: str, problems: list[str]) -> Column | None:
    column = layout.by_key.get(str(name).casefold()) if isinstance(name, str) else None
    if column is None or column.name != name or column.identifying or column.name == layout.source_id:
        problems.append(messages.FLAG_RULE_FACT_UNKNOWN.format(where=where, fact=name, layout=layout.name))
        return None
    return column


def _condition(entry: Any, layout: Layout, where: str, problems: list[str]) -> Condition | None:
    if not isinstance(entry, dict) or set(entry) - _CONDITION_KEYS or ("fact" in entry) == ("ratio" in entry):
        problems.append(messages.FLAG_RULE_CONDITION_INVALID.format(where=where))
        return None
    tests = [key for key in ("is", "in", "at_least") if key in entry]
    if len(tests) != 1:
        problems.append(messages.FLAG_RULE_CONDITION_INVALID.format(where=where))
        return None
    test = tests[0]
    threshold = _number(entry["at_least"]) if test == "at_least" else None
    if test == "at_least" and threshold is None:
        problems.append(messages.FLAG_RULE_THRESHOLD_INVALID.format(where=where))
        return None
    if "ratio" in entry:
        pair = entry["ratio"]
        if not (isinstance(pair, list) and len(pair) == 2) or test != "at_least":
            problems.append(messages.FLAG_RULE_CONDITION_INVALID.format(where=where))
            return None
        columns = [_fact_column(layout, name, where, problems) for name in pair]
        if any(column is None or not column.numeric for column in columns):
            problems.append(messages.FLAG_RULE_NOT_NUMERIC.format(where=where))
            return None
        return Condition(ratio=(str(pair[0]), str(pair[1])), at_least=threshold)
    column = _fact_column(layout, entry["fact"], where, problems)
    if column is None:
        return None
    if test == "at_least":
        if not column.numeric:
            problems.append(messages.FLAG_RULE_NOT_NUMERIC.format(where=where))
            return None
        return Condition(fact=column.name, at_least=threshold)
    values = entry["in"] if test == "in" else [entry["is"]]
    if not isinstance(values, list) or not values or not all(_fits(column, value) for value in values):
        problems.append(messages.FLAG_RULE_VALUE_INVALID.format(where=where, fact=column.name))
        return None
    if test == "in":
        return Condition(fact=column.name, within=tuple(values))
    return Condition(fact=column.name, equals=values[0])


def _fits(column: Column, value: Any) -> bool:
    """Whether a value in a rule is one the column can hold, as stored."""
    if column.type == ColumnType.BOOLEAN:
        return isinstance(value, bool)
    if column.type == ColumnType.CHOICE:
        return value in column.choices
    if column.numeric:
        return _number(value) is not None
    return isinstance(value, str)


def _count(entry: Any, where: str, problems: list[str]) -> tuple[int, int]:
    if entry is None:
        return 0, 0
    if (
        not isinstance(entry, dict)
        or set(entry) != _COUNT_KEYS
        or not all(isinstance(entry[key], int) and not isinstance(entry[key], bool) for key in _COUNT_KEYS)
        or entry["at_least"] < 2
        or not 1 <= entry["within_months"] <= 120
    ):
        problems.append(messages.FLAG_RULE_COUNT_INVALID.format(where=where))
        return 0, 0
    return entry["at_least"], entry["within_months"]


def _reason(text: Any, layout: Layout, where: str, problems: list[str]) -> str:
    if not isinstance(text, str) or not text.strip() or len(text) > REASON_MAX:
        problems.append(messages.FLAG_RULE_REASON_INVALID.format(where=where, most=REASON_MAX))
        return ""
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError:
        problems.append(messages.FLAG_RULE_REASON_INVALID.format(where=where, most=REASON_MAX))
        return ""
    for name in names:
        if name not in _DERIVED:
            _fact_column(layout, name, where, problems)
    return text.strip()


def _rule(entry: Any, index: int, layouts: dict[str, Layout], problems: list[str]) -> FlagRule | None:
    where = f"rule {index + 1}"
    if not isinstance(entry, dict):
        problems.append(messages.FLAG_RULE_NOT_A_TABLE.format(where=where))
        return None
    name = entry.get("name")
    if isinstance(name, str) and name:
        where = f"rule '{name}'"
    else:
        problems.append(messages.FLAG_RULE_NAME_MISSING.format(where=where))
    unknown = set(entry) - _RULE_KEYS
    if unknown:
        problems.append(messages.FLAG_RULE_KEY_UNKNOWN.format(where=where, keys=", ".join(sorted(map(str, unknown)))))
    layout = layouts.get(entry.get("layout"))  # type: ignore[arg-type]
    if layout is None:
        problems.append(messages.FLAG_RULE_LAYOUT_UNKNOWN.format(where=where, layout=entry.get("layout")))
    if entry.get("outcome_area") not in OutcomeArea.values:
        problems.append(messages.FLAG_RULE_AREA_UNKNOWN.format(where=where, areas=", ".join(OutcomeArea.values)))
    if layout is None:
        return None
    when = entry.get("when", [])
    if not isinstance(when, list):
        problems.append(messages.FLAG_RULE_CONDITION_INVALID.format(where=where))
        when = []
    conditions = [_condition(condition, layout, where, problems) for condition in when]
    dated_by = entry.get("date") or ""
    if dated_by:
        column = _fact_column(layout, dated_by, where, problems)
        if column is not None and column.type != ColumnType.DATE:
            problems.append(messages.FLAG_RULE_DATE_NOT_DATE.format(where=where, fact=dated_by))
    at_least, within = _count(entry.get("count"), where, problems)
    reason = _reason(entry.get("reason"), layout, where, problems)
    if not conditions and not at_least:
        problems.append(messages.FLAG_RULE_NO_TEST.format(where=where))
    return FlagRule(
        name=name if isinstance(name, str) else "",
        layout=layout.name,
        outcome_area=str(entry.get("outcome_area")),
        description=str(entry.get("description", "")),
        reason=reason,
        when=tuple(condition for condition in conditions if condition is not None),
        date=dated_by,
        count_at_least=at_least,
        count_within_months=within,
    )


def rules_from_json(text: str | bytes, layouts: dict[str, Layout]) -> list[FlagRule]:
    """Read a rules document against the layouts it names, or raise ImproperlyConfigured naming
    every mistake in it."""
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ImproperlyConfigured(messages.FLAG_RULES_UNREADABLE.format(problem=error)) from error
    entries = document.get("rules") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise ImproperlyConfigured(messages.FLAG_RULES_UNREADABLE.format(problem="it needs a list named 'rules'"))
    problems: list[str] = []
    rules = [_rule(entry, index, layouts, problems) for index, entry in enumerate(entries)]
    names = [rule.name for rule in rules if rule is not None and rule.name]
    for name in sorted({name for name in names if names.count(name) > 1}):
        problems.append(messages.FLAG_RULE_NAME_TWICE.format(name=name))
    if problems:
        raise ImproperlyConfigured(messages.FLAG_RULES_INVALID.format(problems="; ".join(problems)))
    return [rule for rule in rules if rule is not None]


def rules_path() -> Path:
    configured = getattr(settings, "DATAHUB_FLAG_RULES_FILE", "")
    return Path(configured) if configured else SHIPPED_RULES


def flag_rules() -> list[FlagRule]:
    """The rules in force: the council's document where the setting names one, else the shipped rules."""
    path = rules_path()
    if not path.is_file():
        raise ImproperlyConfigured(messages.FLAG_RULES_FILE_MISSING.format(path=path))
    return rules_from_json(path.read_bytes(), layout_catalogue())


# --- Applying a rule ------------------------------------------------------------------------------------


def record_date(rule: FlagRule, record: LinkedFact) -> date:
    """The day a record speaks of: its dating fact where the rule names one and it is filled, else
    the day it was received."""
    value = record.facts.get(rule.date) if rule.date else None
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    return record.received_on


def _reason_for(rule: FlagRule, facts: dict[str, Any], **derived: Any) -> str:
    shown = {name: ("" if value is None else value) for name, value in facts.items()}
    if rule.when and rule.when[0].ratio is not None:
        ratio = ratio_of(facts, rule.when[0].ratio)
        shown["percent"] = int(ratio * 100) if ratio is not None else ""
    shown.setdefault("percent", "")
    shown.setdefault("count", "")
    shown |= derived
    return rule.reason.format_map(_Blank(shown))[:REASON_MAX]


class _Blank(dict):
    """Facts for a reason: one the record lacks is shown blank, never an error."""

    def __missing__(self, key: str) -> str:
        return ""


def rule_findings(rule: FlagRule, records: Sequence[LinkedFact]) -> list[Finding]:
    """The flags one person's records of the rule's layout raise, one per day at most.

    Without a count, each record that meets every condition raises a flag dated by it. With one, a
    flag is raised on the day of each matching record that brings the matching records within the
    window to `count_at_least`: the window is the `count_within_months` months ending on that day,
    so a record exactly that many months earlier (the same day of the month) is outside it."""
    matching = sorted(
        ((record_date(rule, record), record) for record in records if all(c.holds(record.facts) for c in rule.when)),
        key=lambda pair: (pair[0], pair[1].record_id),
    )
    found: dict[date, Finding] = {}
    for day, record in matching:
        if rule.count_at_least:
            start = months_before(day, rule.count_within_months)
            window = [other for other_day, other in matching if start < other_day <= day]
            if len(window) < rule.count_at_least:
                continue
            ids = tuple(other.record_id for other in window)
            found[day] = Finding(day, ids, _reason_for(rule, record.facts, count=len(window)))
        else:
            earlier = found.get(day)
            ids = (earlier.record_ids if earlier else ()) + (record.record_id,)
            found[day] = Finding(day, ids, _reason_for(rule, record.facts))
    return [found[day] for day in sorted(found)]
