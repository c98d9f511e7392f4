"""A bundle: several files in one directory, each under its own layout, whose rows name each other's
rows by the sending system's ids. The whole bundle is checked before anything is stored: every file
is present, every row passes its layout, and every id a row names belongs to a row of the file it
points at (or to one a previous import already holds).

Rules that only the capability loading the bundle knows (dates in order across files, say) are its
own, added to the same report with `BundleReport.add`.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import messages
from .layouts import Layout
from .progress import Progress
from .validation import Checks, Problem, Report, Row, problems_csv, validate

# Ids a previous import holds, for the file named: given a set of ids, those already stored.
KnownIds = Callable[[str, set[Any]], Iterable[Any]]

MISSING_FILE = "missing_file"
UNKNOWN_ID = "unknown_id"


@dataclass(frozen=True)
class BundleFile:
    """One file of a bundle: its name in the directory, its layout (whose `source_id` names its rows),
    the caller's checks, and `references`: a column naming a row of another file (column -> file name)."""

    name: str
    layout: Layout
    references: Mapping[str, str] = field(default_factory=dict)
    checks: Checks | None = None


@dataclass
class BundleReport:
    """Every file's report, and the problems found across files; `rows` holds each file's typed rows."""

    files: Sequence[BundleFile]
    problems: list[tuple[str, Problem]] = field(default_factory=list)
    rows: dict[str, list[Row]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, file_name: str, problem: Problem) -> None:
        self.problems.append((file_name, problem))

    def sorted_problems(self) -> list[tuple[str, Problem]]:
        """The problems in the bundle's order of files, then by row (the file as a whole first)."""
        order = {bundle_file.name: position for position, bundle_file in enumerate(self.files)}
        return sorted(self.problems, key=lambda item: (order.get(item[0], len(order)), item[1].row or 0))

    def to_csv(self) -> str:
        """The problems as one CSV, its `file` column naming the file each is in (see validation.REPORT_COLUMNS)."""
        return problems_csv(self.sorted_problems())


def validate_bundle(
    directory: Path,
    files: Sequence[BundleFile],
    *,
    known_ids: KnownIds | None = None,
    progress: Progress | None = None,
) -> BundleReport:
    """Check every file of the bundle against its layout, then every reference between files."""
    report = BundleReport(files=files)
    reports: dict[str, Report] = {}
    for bundle_file in files:
        path = directory / bundle_file.name
        if not path.is_file():
            report.add(bundle_file.name, Problem(rule=MISSING_FILE, message=messages.BUNDLE_FILE_MISSING))
            continue
        checked = validate(bundle_file.layout, path, checks=bundle_file.checks, progress=progress, allow_no_rows=True)
        reports[bundle_file.name] = checked
        report.problems += [(bundle_file.name, problem) for problem in checked.problems]
        report.rows[bundle_file.name] = checked.rows
    for bundle_file in files:
        if bundle_file.name in reports and reports[bundle_file.name].ok:
            _check_references(bundle_file, reports, known_ids, report)
    return report


def _check_references(
    bundle_file: BundleFile, reports: Mapping[str, Report], known_ids: KnownIds | None, report: BundleReport
) -> None:
    for column, target_name in bundle_file.references.items():
        target = reports.get(target_name)
        if target is None or not target.ok:
            # The file named is missing or refused already: its ids are unknown, not wrong.
            continue
        source_id = target.layout.source_id
        in_file = {row.values[source_id] for row in target.rows} if source_id else set()
        named = {row.values[column] for row in report.rows[bundle_file.name] if row.values[column] is not None}
        wanted = named - in_file
        held = set(known_ids(target_name, wanted)) if known_ids is not None and wanted else set()
        missing = wanted - held
        if not missing:
            continue
        message = messages.BUNDLE_ID_UNKNOWN.format(file=target_name, column=source_id)
        identifying = bundle_file.layout.by_key[column.casefold()].identifying
        for row in report.rows[bundle_file.name]:
            if row.values[column] in missing:
                shown = None if identifying else str(row.values[column])
                report.add(
                    bundle_file.name,
                    Problem(rule=UNKNOWN_ID, message=message, row=row.number, column=column, value=shown),
                )
