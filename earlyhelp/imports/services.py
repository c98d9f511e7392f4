"""Loading a checked file: the caller's rows and the record of the file in one transaction, or nothing."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import formats, timezone

from earlyhelp.accounts.models import User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record

from . import messages
from .layouts import Layout
from .models import ImportedFile
from .progress import Progress
from .reading import FileRefusedError, Readable, Upload, max_bytes_allowed, upload_read
from .selectors import imported_file_find
from .validation import Checks, Report, Row, refused_report, validate_upload

Store = Callable[[list[Row]], object]


@transaction.atomic
def imported_file_record(*, actor: User, layout: Layout, sha256: str, size: int, row_count: int) -> ImportedFile:
    """Record that a file's rows were stored, audited with counts and the hash only."""
    imported = ImportedFile.objects.create(
        layout=layout.name,
        layout_version=layout.version,
        sha256=sha256,
        size=size,
        row_count=row_count,
        loaded_by=actor,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="imported_file",
        object_id=imported.pk,
        details={"layout": layout.name, "version": layout.version, "sha256": sha256, "size": size, "rows": row_count},
    )
    return imported


@dataclass(frozen=True)
class LoadOutcome:
    """What `load` did: stored the rows, refused the file (see `report`), or found it already loaded."""

    report: Report
    imported_file: ImportedFile | None = None
    already_loaded: bool = False

    @property
    def loaded(self) -> bool:
        return self.imported_file is not None and not self.already_loaded

    @property
    def message(self) -> str:
        if self.already_loaded and self.imported_file is not None:
            return already_loaded_message(self.imported_file)
        if self.loaded:
            return messages.LOADED.format(rows=_counted(len(self.report.rows), "row"), name=self.report.file_name)
        if len(self.report.problems) == 1:
            return self.report.problems[0].message
        problems = _counted(len(self.report.problems), "problem")
        return messages.NOT_LOADED.format(name=self.report.file_name, problems=problems)


def _counted(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def already_loaded_message(imported: ImportedFile) -> str:
    return messages.ALREADY_LOADED.format(date=formats.date_format(timezone.localtime(imported.loaded_at), "j F Y"))


def load(
    *,
    actor: User,
    layout: Layout,
    source: Upload | Path | Readable,
    store: Store,
    checks: Checks | None = None,
    max_bytes: int | None = None,
    progress: Progress | None = None,
) -> LoadOutcome:
    """Check the whole file, then store its rows with `store` and record the file in one transaction;
    a refused file or one already loaded changes nothing."""
    limit = max_bytes if max_bytes is not None else max_bytes_allowed()
    try:
        upload = upload_read(source, max_bytes=limit)
    except FileRefusedError as refusal:
        return LoadOutcome(report=refused_report(layout, source, refusal))
    existing = imported_file_find(layout=layout, sha256=upload.sha256)
    if existing is not None:
        return _already_loaded(layout, upload, existing)
    report = validate_upload(layout, upload, checks=checks, max_bytes=limit, progress=progress)
    if not report.ok:
        return LoadOutcome(report=report)
    try:
        with transaction.atomic():
            store(report.rows)
            imported = imported_file_record(
                actor=actor, layout=layout, sha256=upload.sha256, size=upload.size, row_count=len(report.rows)
            )
    except IntegrityError:
        # The same file, loaded at the same moment by someone else, won the race for the unique
        # constraint; everything this load stored was rolled back with its own record.
        existing = imported_file_find(layout=layout, sha256=upload.sha256)
        if existing is None:
            raise
        return _already_loaded(layout, upload, existing)
    return LoadOutcome(report=report, imported_file=imported)


def _already_loaded(layout: Layout, upload: Upload, existing: ImportedFile) -> LoadOutcome:
    report = Report(file_name=upload.name, layout=layout, sha256=upload.sha256, size=upload.size)
    return LoadOutcome(report=report, imported_file=existing, already_loaded=True)
