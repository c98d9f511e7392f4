"""Every write of the data hub: registering datasets, receiving partners' files, and loading them
all or nothing into partner records. Each is audited in its own transaction."""

import itertools
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import Agency, User
from earlyhelp.audit.models import Action
from earlyhelp.families.models import Household, Person
from earlyhelp.families.services import PersonDetails, person_create
from earlyhelp.imports.layouts import Layout
from earlyhelp.imports.progress import Progress, batches
from earlyhelp.imports.reading import FileRefusedError, Readable, Upload, max_bytes_allowed, upload_read
from earlyhelp.imports.services import LoadOutcome, load
from earlyhelp.imports.sources import split_by_source_id
from earlyhelp.imports.validation import Row, refused_report
from earlyhelp.journey.chronology import chronology_record
from earlyhelp.web.errors import RefusedError
from earlyhelp.workflow import Machine, audit_change, transition

from . import messages, rules, selectors
from .catalogue import layout_catalogue, layout_named
from .flag_rules import Finding, FlagRule, LinkedFact, flag_rules, rule_findings
from .models import (
    Dataset,
    DatasetUpload,
    Flag,
    IdentificationDismissal,
    LinkStatus,
    PartnerRecord,
    UploadStatus,
)

logger = logging.getLogger(__name__)

# Rows written per INSERT, and source ids asked about per query (SQLite allows some 32,000 parameters).
BATCH = 1000

UPLOAD = Machine(
    name="dataset upload",
    states=UploadStatus,
    moves={
        UploadStatus.QUEUED: frozenset({UploadStatus.CHECKING, UploadStatus.FAILED}),
        UploadStatus.CHECKING: frozenset(
            {
                UploadStatus.LINKING,
                UploadStatus.LOADED,
                UploadStatus.REFUSED,
                UploadStatus.ALREADY_LOADED,
                UploadStatus.FAILED,
            }
        ),
        # Its records are stored by now: a fault while matching them leaves them waiting, and the file loaded.
        UploadStatus.LINKING: frozenset({UploadStatus.LOADED}),
    },
    cannot="An upload that is {current} cannot become {target}",
)


@transaction.atomic
def dataset_create(
    *,
    actor: User,
    name: str,
    layout: str,
    source_agency: Agency,
    sharing_agreement: str,
    lawful_basis: str,
    retention_months: int,
) -> Dataset:
    """Register a partner's dataset under a layout the catalogue knows, with the agreement, lawful
    basis and retention it arrives under."""
    if not capabilities.can_manage_datasets(actor):
        raise PermissionDenied(messages.NOT_ALLOWED_TO_MANAGE)
    errors: dict[str, str] = {}
    known = layout_catalogue()
    if layout not in known:
        errors["layout"] = messages.DATASET_LAYOUT_UNKNOWN.format(layouts=", ".join(sorted(known)))
    if Dataset.objects.filter(name__iexact=name.strip()).exists():
        errors["name"] = messages.DATASET_NAME_TAKEN
    if not rules.retention_months_valid(retention_months):
        errors["retention_months"] = messages.DATASET_RETENTION_RANGE
    if errors:
        raise ValidationError(errors)
    dataset = Dataset.objects.create(
        name=name.strip(),
        layout=layout,
        source_agency=source_agency,
        sharing_agreement=sharing_agreement.strip(),
        lawful_basis=lawful_basis,
        retention_months=retention_months,
        created_by=actor,
    )
    audit_change(
        actor=actor,
        record=dataset,
        action=Action.CREATE,
        layout=layout,
        source_agency=source_agency.pk,
        lawful_basis=lawful_basis,
        retention_months=retention_months,
    )
    return dataset


@transaction.atomic
def dataset_change(
    *, actor: User, dataset: Dataset, sharing_agreement: str, lawful_basis: str, retention_months: int
) -> Dataset:
    """Change what a dataset arrives under: its agreement, lawful basis or retention period. Its name,
    layout and source stay, since its records were stored under them."""
    if not capabilities.can_manage_datasets(actor):
        raise PermissionDenied(messages.NOT_ALLOWED_TO_MANAGE)
    if not rules.retention_months_valid(retention_months):
        raise ValidationError({"retention_months": messages.DATASET_RETENTION_RANGE})
    changes = {
        "sharing_agreement": sharing_agreement.strip(),
        "lawful_basis": lawful_basis,
        "retention_months": retention_months,
    }
    changed = sorted(name for name, value in changes.items() if getattr(dataset, name) != value)
    for name, value in changes.items():
        setattr(dataset, name, value)
    dataset.save(update_fields=list(changes))
    audit_change(actor=actor, record=dataset, fields=changed, retention_months=retention_months)
    return dataset


def dataset_upload_receive(
    *,
    actor: User,
    dataset: Dataset,
    file: Upload | Path | Readable,
    background: bool | None = None,
    progress: Progress | None = None,
) -> DatasetUpload:
    """Take a partner's file for a dataset. A file that is empty or too large is refused at once and
    kept nowhere; a small one is checked and loaded now, a large one by the worker (see
    `dataset_upload_load`), unless `background` says which. The answer is the upload, whose status
    and report say what happened."""
    if not capabilities.can_load_partner_files(actor):
        raise PermissionDenied(messages.NOT_ALLOWED_TO_UPLOAD)
    layout = layout_named(dataset.layout)
    try:
        upload = upload_read(file, max_bytes=max_bytes_allowed())
    except FileRefusedError as refusal:
        report = refused_report(layout, file, refusal)
        return _upload_refused_unread(actor=actor, dataset=dataset, name=report.file_name, outcome=LoadOutcome(report))
    received = _upload_record(actor=actor, dataset=dataset, upload=upload)
    if background is None:
        background = upload.size >= settings.DATAHUB_BACKGROUND_FROM_BYTES
    if background:
        # Imported here: the task module names this one's service.
        from .tasks import load_dataset_upload

        load_dataset_upload.enqueue(upload_id=received.pk)
        received.refresh_from_db()
        return received
    return dataset_upload_load(upload=received, progress=progress)


@transaction.atomic
def _upload_record(*, actor: User, dataset: Dataset, upload: Upload) -> DatasetUpload:
    received = DatasetUpload.objects.create(
        dataset=dataset, file_name=upload.name[:255], size=upload.size, content=upload.content, uploaded_by=actor
    )
    audit_change(
        actor=actor, record=received, action=Action.CREATE, dataset=dataset.pk, size=upload.size, sha256=upload.sha256
    )
    return received


@transaction.atomic
def _upload_refused_unread(*, actor: User, dataset: Dataset, name: str, outcome: LoadOutcome) -> DatasetUpload:
    """A file refused before it could be read: only the report is kept, to be downloaded."""
    received = DatasetUpload.objects.create(
        dataset=dataset,
        file_name=name[:255],
        size=0,
        status=UploadStatus.REFUSED,
        uploaded_by=actor,
        finished_at=timezone.now(),
        **_outcome_fields(outcome),
    )
    audit_change(
        actor=actor,
        record=received,
        action=Action.CREATE,
        dataset=dataset.pk,
        status=UploadStatus.REFUSED,
        problems=received.problem_count,
    )
    return received


def _outcome_fields(outcome: LoadOutcome) -> dict[str, Any]:
    report = outcome.report
    return {
        "message": outcome.message,
        "problem_count": len(report.problems),
        "report_csv": report.to_csv() if report.problems else "",
    }


def upload_progress_record(*, upload_id: int, stage: str, done: int, total: int) -> None:
    """Keep a running load's progress where its page reads it. Not audited: it changes no record's meaning."""
    DatasetUpload.objects.filter(pk=upload_id).update(stage=stage, done=done, total=total)


def dataset_upload_load(*, upload: DatasetUpload, progress: Progress | None = None) -> DatasetUpload:
    """Check a received file against its dataset's layout and, only if every row passes, store each
    row as a partner record, all in one transaction; a file whose content was loaded before changes
    nothing. A row whose source id the dataset already holds is counted, not stored again. The stored
    records are then matched to the register (`linkage.partner_records_link`), the upload's last stage."""
    actor = upload.uploaded_by
    upload = transition(actor=actor, record=upload, machine=UPLOAD, to=UploadStatus.CHECKING)
    dataset = upload.dataset
    layout = layout_named(dataset.layout)
    counts = {"stored": 0, "present": 0}

    def store(rows: list[Row]) -> None:
        counts["stored"], counts["present"] = _records_store(
            upload=upload, layout=layout, rows=rows, progress=_progress(upload.pk, progress)
        )

    outcome = load(
        actor=actor,
        layout=layout,
        source=Upload(name=upload.file_name, content=bytes(upload.content or b"")),
        store=store,
        checks=rules.layout_checks(layout),
        progress=_progress(upload.pk, progress),
    )
    if outcome.already_loaded:
        status = UploadStatus.ALREADY_LOADED
    elif outcome.loaded:
        status = UploadStatus.LOADED
    else:
        status = UploadStatus.REFUSED
    changes = {
        **_outcome_fields(outcome),
        "content": None,
        "finished_at": timezone.now(),
        "stored_count": counts["stored"],
        "present_count": counts["present"],
        "imported_file": outcome.imported_file if outcome.loaded else None,
    }
    details = {"stored": counts["stored"], "present": counts["present"], "problems": changes["problem_count"]}
    if status == UploadStatus.LOADED and counts["stored"]:
        changes.pop("finished_at")
        upload = transition(
            actor=actor, record=upload, machine=UPLOAD, to=UploadStatus.LINKING, changes=changes, details=details
        )
        return _upload_link(upload=upload, progress=progress)
    return transition(actor=actor, record=upload, machine=UPLOAD, to=status, changes=changes, details=details)


def _upload_link(*, upload: DatasetUpload, progress: Progress | None) -> DatasetUpload:
    """The upload's last stage: match its stored records to the register. The records are stored already,
    so a fault here leaves them waiting to be matched (`manage.py link_partner_records`), not the file unloaded."""
    # Imported here: the matching model loads Splink and DuckDB, which only this stage needs.
    from .linkage import LinkingOutcome, partner_records_link

    try:
        linked = partner_records_link(actor=upload.uploaded_by, upload=upload, progress=_progress(upload.pk, progress))
    except Exception as fault:  # noqa: BLE001 - the records are stored whatever the fault; they wait for the next run
        # The fault's type only: its message may quote a record's values.
        logger.error("Matching the records of upload %s stopped on %s", upload.pk, type(fault).__name__)
        linked = LinkingOutcome(stopped=messages.LINKING_FAILED)
    if linked.linked:
        # Linked facts may now say what a flag rule looks for (docs/datasets.md, flags).
        flags_raise(
            person_ids=PartnerRecord.objects.filter(upload=upload, link_status=LinkStatus.LINKED).values_list(
                "person_id", flat=True
            )
        )
    changes = {
        "finished_at": timezone.now(),
        "linked_count": linked.linked,
        "review_count": linked.in_review,
        "partners_only_count": linked.partners_only,
    }
    if linked.stopped:
        changes["message"] = f"{upload.message}. {linked.stopped}"
    details = {"linked": linked.linked, "in_review": linked.in_review, "partners_only": linked.partners_only}
    return transition(
        actor=upload.uploaded_by,
        record=upload,
        machine=UPLOAD,
        to=UploadStatus.LOADED,
        changes=changes,
        details=details,
    )


def dataset_upload_fail(*, upload_id: int) -> DatasetUpload:
    """Mark a load that stopped on a fault: its rows were rolled back, so the sender may try again."""
    upload = DatasetUpload.objects.get(pk=upload_id)
    changes = {"message": messages.UPLOAD_FAILED, "content": None, "finished_at": timezone.now()}
    return transition(actor=upload.uploaded_by, record=upload, machine=UPLOAD, to=UploadStatus.FAILED, changes=changes)


def _progress(upload_id: int, also: Progress | None) -> Progress:
    def report(*, stage: str, done: int, total: int) -> None:
        upload_progress_record(upload_id=upload_id, stage=stage, done=done, total=total)
        if also is not None:
            also(stage=stage, done=done, total=total)

    return report


def _records_store(*, upload: DatasetUpload, layout: Layout, rows: list[Row], progress: Progress) -> tuple[int, int]:
    """Write the rows the dataset does not hold yet, in batches; (stored, already present)."""
    dataset = upload.dataset
    if layout.source_id is None:
        new: Sequence[Row] = rows
        present: Sequence[Row] = []
    else:
        split = split_by_source_id(rows, column=layout.source_id, present_ids=_present_ids(dataset))
        new, present = split.new, split.present
    for batch in batches(new, size=BATCH, progress=progress):
        PartnerRecord.objects.bulk_create([_record(upload, layout, row) for row in batch])
    return len(new), len(present)


def _present_ids(dataset: Dataset) -> Callable[[set[Any]], Iterable[Any]]:
    def present(ids: set[Any]) -> Iterable[Any]:
        wanted = sorted(str(source_id) for source_id in ids)
        held: set[str] = set()
        for start in range(0, len(wanted), BATCH):
            chunk = wanted[start : start + BATCH]
            held |= set(
                PartnerRecord.objects.filter(dataset=dataset, source_id__in=chunk).values_list("source_id", flat=True)
            )
        return {source_id for source_id in ids if str(source_id) in held}

    return present


def _record(upload: DatasetUpload, layout: Layout, row: Row) -> PartnerRecord:
    identifying, facts = rules.record_parts(layout, row)
    # A layout without a source id still gives each row a key of its own: the file and the row.
    source_id = str(row.values[layout.source_id]) if layout.source_id else f"{upload.pk}:{row.number}"
    return PartnerRecord(
        dataset=upload.dataset,
        upload=upload,
        source_id=source_id,
        row_number=row.number,
        identifying=identifying,
        facts=facts,
    )


@transaction.atomic
def partner_records_expire(*, today: date | None = None, dry_run: bool = False) -> dict[str, int]:
    """Delete each dataset's partner records received longer ago than its retention period; one audit
    event per dataset with the count. The answer is the count per dataset name."""
    today = today or timezone.localdate()
    deleted: dict[str, int] = {}
    for dataset in Dataset.objects.order_by("name"):
        cutoff = timezone.make_aware(datetime.combine(rules.months_before(today, dataset.retention_months), time.min))
        due = PartnerRecord.objects.filter(dataset=dataset, received_at__lt=cutoff)
        count = due.count() if dry_run else due.delete()[0]
        if count:
            deleted[dataset.name] = count
        if count and not dry_run:
            audit_change(
                actor=None,
                record=dataset,
                action=Action.DELETE,
                object_type="partner_records",
                retention_months=dataset.retention_months,
                deleted=count,
            )
    return deleted


# --- Earlier identification ---------------------------------------------------------------------------

# A chronology entry's kind for a flag raised on a member of the family.
FLAG_KIND = "identified_need"


@dataclass(frozen=True)
class FlagsRaised:
    """What a run of the flag rules did: the flags it raised, and the people it raised them on."""

    raised: int
    people: int


def flags_raise(
    *, actor: User | None = None, person_ids: Iterable[Any] | None = None, rules: list[FlagRule] | None = None
) -> FlagsRaised:
    """Apply the flag rules to the linked partner records (of these people, or of everyone) and raise
    each flag they find that is not raised yet, so a second run changes nothing. Each new flag is
    audited and written on the chronology of every family the person lives in, in one transaction
    per person. Called after records are linked, and by `manage.py raise_flags`."""
    in_force = flag_rules() if rules is None else rules
    by_layout: dict[str, list[FlagRule]] = defaultdict(list)
    for rule in in_force:
        by_layout[rule.layout].append(rule)
    records = PartnerRecord.objects.filter(
        link_status=LinkStatus.LINKED, person__isnull=False, dataset__layout__in=list(by_layout)
    )
    if person_ids is not None:
        records = records.filter(person_id__in=list(person_ids))
    rows = records.order_by("person_id", "pk").values_list("pk", "person_id", "dataset__layout", "facts", "received_at")
    raised = people = 0
    for person_id, group in itertools.groupby(rows.iterator(chunk_size=BATCH), key=lambda row: row[1]):
        facts: dict[str, list[LinkedFact]] = defaultdict(list)
        for record_id, _, layout, record_facts, received_at in group:
            facts[layout].append(LinkedFact(record_id, record_facts, timezone.localdate(received_at)))
        findings = [
            (rule, finding)
            for layout, linked in facts.items()
            for rule in by_layout[layout]
            for finding in rule_findings(rule, linked)
        ]
        count = _person_flags_raise(actor=actor, person_id=person_id, findings=findings) if findings else 0
        raised += count
        people += bool(count)
    return FlagsRaised(raised=raised, people=people)


@transaction.atomic
def _person_flags_raise(*, actor: User | None, person_id: Any, findings: list[tuple[FlagRule, Finding]]) -> int:
    # The person's row is locked so that two runs at once raise each flag once.
    person = Person.objects.select_for_update().get(pk=person_id)
    present = set(Flag.objects.filter(person=person).values_list("rule", "raised_on"))
    new = [(rule, finding) for rule, finding in findings if (rule.name, finding.raised_on) not in present]
    if not new:
        return 0
    households = list(
        Household.objects.filter(memberships__person=person, memberships__ended_on__isnull=True).distinct()
    )
    for rule, finding in new:
        flag = Flag.objects.create(
            person=person,
            rule=rule.name,
            outcome_area=rule.outcome_area,
            reason=finding.reason,
            raised_on=finding.raised_on,
        )
        flag.records.set(finding.record_ids)
        audit_change(
            actor=actor,
            record=flag,
            action=Action.CREATE,
            person_id=person.pk,
            household_id=households[0].pk if households else None,
            rule=rule.name,
            outcome_area=rule.outcome_area,
            raised_on=finding.raised_on.isoformat(),
            records=list(finding.record_ids),
        )
        for household in households:
            chronology_record(
                actor=actor,
                household=household,
                kind=FLAG_KIND,
                summary=f"Partners' data flags a need. {rule.outcome_area_label}: {finding.reason}",
                person=person,
                source=flag,
            )
    return len(new)


@transaction.atomic
def identification_dismiss(*, actor: User, household: Household, reason: str) -> IdentificationDismissal:
    """Take a family off the identification list, with why, until a flag is raised on one of its
    members after now."""
    if not capabilities.can_work_identification_list(actor):
        raise PermissionDenied(messages.NOT_ALLOWED_TO_IDENTIFY)
    if not reason.strip():
        raise ValidationError({"reason": messages.DISMISS_REASON_MISSING})
    if not selectors.is_identified(household):
        raise RefusedError(messages.DISMISS_NOT_LISTED)
    dismissal = IdentificationDismissal.objects.create(household=household, reason=reason.strip(), dismissed_by=actor)
    # The reason is free text: stored with the dismissal, never in the audit event.
    audit_change(actor=actor, record=dismissal, action=Action.CREATE, household_id=household.pk)
    return dismissal


LINKING = Machine(
    name="partner record",
    states=LinkStatus,
    field="link_status",
    moves={
        LinkStatus.NOT_YET_MATCHED: frozenset({LinkStatus.LINKED, LinkStatus.IN_REVIEW, LinkStatus.PARTNERS_ONLY}),
        LinkStatus.IN_REVIEW: frozenset({LinkStatus.LINKED, LinkStatus.PARTNERS_ONLY}),
    },
    refusals={
        LinkStatus.LINKED: messages.REVIEW_ALREADY_LINKED,
        LinkStatus.PARTNERS_ONLY: messages.REVIEW_ALREADY_DECIDED,
        LinkStatus.NOT_YET_MATCHED: messages.REVIEW_NOT_YET_MATCHED,
    },
)


def partner_record_link_accept(*, actor: User, record: PartnerRecord) -> PartnerRecord:
    """A reviewer accepts the matcher's candidate: the record is linked to that person, by them."""
    if not capabilities.can_review_links(actor):
        raise PermissionDenied(messages.NOT_ALLOWED_TO_REVIEW)
    linked = transition(
        actor=actor,
        record=record,
        machine=LINKING,
        to=LinkStatus.LINKED,
        person_id=record.person_id,
        changes={"linked_at": timezone.now(), "linked_by": actor},
        details={"decision": "accepted", "match_probability": round(record.match_probability or 0.0, 4)},
    )
    flags_raise(person_ids=[linked.person_id])
    return linked


def partner_record_link_reject(*, actor: User, record: PartnerRecord) -> PartnerRecord:
    """A reviewer rejects the candidate: the record is known to partners only, about no one on the register."""
    if not capabilities.can_review_links(actor):
        raise PermissionDenied(messages.NOT_ALLOWED_TO_REVIEW)
    return transition(
        actor=actor,
        record=record,
        machine=LINKING,
        to=LinkStatus.PARTNERS_ONLY,
        person_id=record.person_id,
        changes={"person": None, "match_probability": None, "match_weights": {}, "linked_at": None},
        details={"decision": "rejected", "candidate": str(record.person_id)},
    )


def partner_record_review(*, actor: User, record: PartnerRecord, decision: str) -> PartnerRecord:
    """A reviewer's decision on a record in review: `accept` links it, `reject` leaves it to partners only."""
    if decision == "accept":
        return partner_record_link_accept(actor=actor, record=record)
    if decision == "reject":
        return partner_record_link_reject(actor=actor, record=record)
    raise ValidationError({"decision": messages.REVIEW_DECISION_REQUIRED})


PERSON_FROM_RECORD = Machine(
    name="partner record",
    states=LinkStatus,
    field="link_status",
    moves={LinkStatus.PARTNERS_ONLY: frozenset({LinkStatus.LINKED})},
    cannot=messages.CREATE_PERSON_NOT_PARTNERS_ONLY,
)


def partner_record_person_create(*, actor: User, record: PartnerRecord) -> PartnerRecord:
    """Add the person a record known to partners only is about to the register, from its identifying values,
    and link the record to them. The register's own checks apply (an NHS number or UPN held by someone else
    is refused, as on the register's form, and nothing is created)."""
    if not capabilities.can_create_person_from_record(actor):
        raise PermissionDenied(messages.NOT_ALLOWED_TO_CREATE_PERSON)
    PERSON_FROM_RECORD.check(record.link_status, LinkStatus.LINKED)
    # Created in the register's own transaction, outside this one: a refused identifier's known-check is
    # audited even though nothing is created (families.services).
    person = person_create(actor=actor, details=_person_details(record.identifying))
    linked = transition(
        actor=actor,
        record=record,
        machine=PERSON_FROM_RECORD,
        to=LinkStatus.LINKED,
        person_id=person.pk,
        changes={"person": person, "linked_at": timezone.now(), "linked_by": actor, "match_probability": None},
        details={"decision": "person_created"},
    )
    flags_raise(person_ids=[person.pk])
    return linked


_SEX = {"female": "F", "f": "F", "male": "M", "m": "M"}


def _person_details(identifying: dict[str, Any]) -> PersonDetails:
    """A register person's details from a partner record's identifying values, as far as it has them."""

    def text(name: str) -> str:
        return str(identifying.get(name) or "").strip()

    born = text("date_of_birth")
    return PersonDetails(
        given_name=text("given_name"),
        family_name=text("family_name"),
        date_of_birth=date.fromisoformat(born) if born else None,
        sex=_SEX.get(text("sex").lower(), "U"),
        nhs_number=text("nhs_number"),
        upn=text("upn"),
        address_line_1=text("address"),
        postcode=text("postcode"),
    )
