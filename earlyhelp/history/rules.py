"""The bundle's rules across rows and files, beyond what each file's layout checks: pure decisions on
the rows read, with no database. docs/history-import.md lists each rule; tests reuse the messages."""

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from earlyhelp.imports.validation import Problem, Row

from . import bundle as b

FUTURE_DATE = "The date is after today: history cannot be in the future"
BEFORE = "The date must be on or after {other} ({date})"
REQUIRED_WHEN = "A value is required when {column} is {value}"
BLANK_UNLESS = "Leave this blank unless {column} is {value}"
CURRENT_TWICE = "This person already has a current membership of this family in row {first}"
OPEN_EPISODES = "The family has another episode with no closure, in row {first}: a family has one open episode at most"
NAMED_TWICE = "The {column} {value} is named in row {first} too: it may be named once in this file"
FAMILY_DIFFERS = "The {what} named in this row belongs to another family"
RETURNED_NOT_LAST = "A returned assessment must be the family's last: a later one was reviewed in row {row}"
ORIGIN_REQUIRED = "Name the episode or the request the step up came from (episode_id or request_id)"
RATING_WITHOUT_ANSWER = "Give a rating only with the date the family answered (responded_on), and with it always"
NHS_NUMBER_REPEATED = "Another person in this file, in row {first}, has the same NHS number"

RULE_FUTURE = "future_date"
RULE_ORDER = "date_order"
RULE_REQUIRED = "required_when"
RULE_BLANK = "blank_unless"
RULE_ONCE = "named_once"
RULE_FAMILY = "family_differs"


def row_fingerprint(row: Row, column_names: Iterable[str]) -> str:
    """SHA-256 of the row's values in the layout's column order: the same row sent again has the same one."""
    values = [_plain(row.values.get(name)) for name in column_names]
    return hashlib.sha256(json.dumps(values, separators=(",", ":")).encode()).hexdigest()


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


class _Found:
    """Problems found in one file, each placed at its row and column."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, Problem]] = []

    def add(self, file: str, row: Row, column: str, rule: str, message: str, *, shown: bool = True) -> None:
        value = row.values.get(column)
        text = None if value is None or not shown else str(value)
        self.problems.append((file, Problem(rule=rule, message=message, row=row.number, column=column, value=text)))

    def order(self, file: str, row: Row, later: str, earlier: str, earlier_date: date | None, label: str) -> None:
        value = row.values.get(later)
        if value is not None and earlier_date is not None and value < earlier_date:
            self.add(file, row, later, RULE_ORDER, BEFORE.format(other=label, date=earlier_date.isoformat()))

    def required_when(self, file: str, row: Row, column: str, when: str, value: str) -> None:
        if row.values.get(column) is None:
            self.add(file, row, column, RULE_REQUIRED, REQUIRED_WHEN.format(column=when, value=value))

    def blank_unless(self, file: str, row: Row, column: str, when: str, value: str) -> None:
        if row.values.get(column) is not None:
            self.add(file, row, column, RULE_BLANK, BLANK_UNLESS.format(column=when, value=value))

    def only_when(self, file: str, row: Row, column: str, when: str, value: str) -> None:
        """`column` is filled when `when` is `value`, and blank when it is not."""
        if row.values[when] == value:
            self.required_when(file, row, column, when, value)
        else:
            self.blank_unless(file, row, column, when, value)

    def once(self, file: str, rows: list[Row], column: str) -> None:
        first: dict[Any, int] = {}
        for row in rows:
            value = row.values.get(column)
            if value is None:
                continue
            if value in first:
                message = NAMED_TWICE.format(column=column, value=value, first=first[value])
                self.add(file, row, column, RULE_ONCE, message)
            else:
                first[value] = row.number


def bundle_problems(rows: Mapping[str, list[Row]], *, today: date) -> list[tuple[str, Problem]]:
    """Every rule across the bundle's rows; the rows are those each file's layout accepted."""
    found = _Found()
    _future_dates(found, rows, today)
    by_id = {name: _indexed(name, rows.get(name, [])) for name in rows}
    episodes, requests = by_id[b.EPISODES], by_id[b.REQUESTS]
    _persons(found, rows[b.PERSONS])
    _memberships(found, rows[b.MEMBERSHIPS])
    _episodes(found, rows[b.EPISODES], rows[b.CLOSURES])
    _requests(found, rows[b.REQUESTS], episodes)
    _assessments(found, rows[b.ASSESSMENTS], episodes)
    _closures(found, rows[b.CLOSURES], episodes)
    _step_ups(found, rows[b.STEP_UPS], episodes, requests)
    _step_downs(found, rows[b.STEP_DOWNS], episodes)
    _feedback(found, rows[b.FEEDBACK], episodes)
    return found.problems


def _indexed(name: str, rows: list[Row]) -> dict[Any, Row]:
    source_id = next(f.layout.source_id or "" for f in b.FILES if f.name == name)
    return {row.values[source_id]: row for row in rows}


def _future_dates(found: _Found, rows: Mapping[str, list[Row]], today: date) -> None:
    for bundle_file in b.FILES:
        dated = [column.name for column in bundle_file.layout.columns if column.type == "date"]
        for row in rows.get(bundle_file.name, []):
            for column in dated:
                value = row.values.get(column)
                if value is not None and value > today:
                    shown = not bundle_file.layout.by_key[column].identifying
                    found.add(bundle_file.name, row, column, RULE_FUTURE, FUTURE_DATE, shown=shown)


def _persons(found: _Found, rows: list[Row]) -> None:
    first: dict[str, int] = {}
    for row in rows:
        number = row.values["nhs_number"]
        if number is None:
            continue
        if number in first:
            found.add(
                b.PERSONS, row, "nhs_number", RULE_ONCE, NHS_NUMBER_REPEATED.format(first=first[number]), shown=False
            )
        else:
            first[number] = row.number


def _memberships(found: _Found, rows: list[Row]) -> None:
    current: dict[tuple[Any, Any], int] = {}
    for row in rows:
        values = row.values
        found.order(b.MEMBERSHIPS, row, "ended_on", "started_on", values["started_on"], "started_on")
        if values["ended_on"] is None:
            key = (values["family_id"], values["person_id"])
            if key in current:
                found.add(b.MEMBERSHIPS, row, "ended_on", RULE_ONCE, CURRENT_TWICE.format(first=current[key]))
            else:
                current[key] = row.number


def _episodes(found: _Found, rows: list[Row], closures: list[Row]) -> None:
    closed = {row.values["episode_id"] for row in closures}
    open_in: dict[Any, int] = {}
    for row in rows:
        if row.values["episode_id"] in closed:
            continue
        family = row.values["family_id"]
        if family in open_in:
            found.add(b.EPISODES, row, "family_id", RULE_ONCE, OPEN_EPISODES.format(first=open_in[family]))
        else:
            open_in[family] = row.number


def _same_family(found: _Found, file: str, row: Row, column: str, target: Row | None, what: str) -> None:
    if target is not None and target.values["family_id"] != row.values["family_id"]:
        found.add(file, row, column, RULE_FAMILY, FAMILY_DIFFERS.format(what=what))


def _opened(episodes: Mapping[Any, Row], episode_id: Any) -> date | None:
    episode = episodes.get(episode_id)
    return episode.values["opened_on"] if episode is not None else None


def _requests(found: _Found, rows: list[Row], episodes: Mapping[Any, Row]) -> None:
    for row in rows:
        values = row.values
        found.only_when(b.REQUESTS, row, "source_agency", "source", "practitioner")
        found.only_when(b.REQUESTS, row, "episode_id", "outcome", "assessment")
        found.order(b.REQUESTS, row, "triaged_on", "received_on", values["received_on"], "received_on")
        _same_family(found, b.REQUESTS, row, "episode_id", episodes.get(values["episode_id"]), "episode")


def _assessments(found: _Found, rows: list[Row], episodes: Mapping[Any, Row]) -> None:
    latest: dict[Any, Row] = {}
    returned: list[tuple[Row, Any]] = []
    for row in rows:
        values = row.values
        found.order(b.ASSESSMENTS, row, "reviewed_on", "submitted_on", values["submitted_on"], "submitted_on")
        opened = _opened(episodes, values["episode_id"])
        found.order(b.ASSESSMENTS, row, "reviewed_on", "opened_on", opened, "the episode's opened_on")
        episode = episodes.get(values["episode_id"])
        family = episode.values["family_id"] if episode is not None else ("episode", values["episode_id"])
        if family not in latest or _later(row, latest[family]):
            latest[family] = row
        if values["rating"] == "returned":
            returned.append((row, family))
    for row, family in returned:
        if latest[family] is not row:
            found.add(b.ASSESSMENTS, row, "rating", RULE_ORDER, RETURNED_NOT_LAST.format(row=latest[family].number))


def _later(row: Row, other: Row) -> bool:
    return (row.values["reviewed_on"], row.number) > (other.values["reviewed_on"], other.number)


def _closures(found: _Found, rows: list[Row], episodes: Mapping[Any, Row]) -> None:
    found.once(b.CLOSURES, rows, "episode_id")
    for row in rows:
        opened = _opened(episodes, row.values["episode_id"])
        found.order(b.CLOSURES, row, "closed_on", "opened_on", opened, "the episode's opened_on")
        if row.values["reason"] == "other":
            found.required_when(b.CLOSURES, row, "detail", "reason", "other")


def _step_ups(found: _Found, rows: list[Row], episodes: Mapping[Any, Row], request_rows: Mapping[Any, Row]) -> None:
    found.once(b.STEP_UPS, rows, "request_id")
    for row in rows:
        values = row.values
        if values["episode_id"] is None and values["request_id"] is None:
            found.add(b.STEP_UPS, row, "episode_id", RULE_REQUIRED, ORIGIN_REQUIRED)
        _same_family(found, b.STEP_UPS, row, "episode_id", episodes.get(values["episode_id"]), "episode")
        _same_family(found, b.STEP_UPS, row, "request_id", request_rows.get(values["request_id"]), "request")
        found.order(b.STEP_UPS, row, "decided_on", "requested_on", values["requested_on"], "requested_on")
        found.only_when(b.STEP_UPS, row, "outcome", "status", "accepted")
        if values["status"] == "declined":
            found.blank_unless(b.STEP_UPS, row, "responded_on", "status", "accepted or nfa")
        else:
            found.required_when(b.STEP_UPS, row, "responded_on", "status", values["status"])
            found.order(b.STEP_UPS, row, "responded_on", "decided_on", values["decided_on"], "decided_on")


def _step_downs(found: _Found, rows: list[Row], episodes: Mapping[Any, Row]) -> None:
    found.once(b.STEP_DOWNS, rows, "episode_id")
    for row in rows:
        values = row.values
        found.only_when(b.STEP_DOWNS, row, "episode_id", "status", "accepted")
        _same_family(found, b.STEP_DOWNS, row, "episode_id", episodes.get(values["episode_id"]), "episode")
        found.order(b.STEP_DOWNS, row, "decided_on", "requested_on", values["requested_on"], "requested_on")


def _feedback(found: _Found, rows: list[Row], episodes: Mapping[Any, Row]) -> None:
    found.once(b.FEEDBACK, rows, "episode_id")
    for row in rows:
        values = row.values
        if (values["rating"] is None) != (values["responded_on"] is None):
            found.add(b.FEEDBACK, row, "rating", RULE_REQUIRED, RATING_WITHOUT_ANSWER)
        found.order(b.FEEDBACK, row, "responded_on", "invited_on", values["invited_on"], "invited_on")
