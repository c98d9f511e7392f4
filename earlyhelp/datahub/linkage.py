"""Linking partner records to the register: the matching model (earlyhelp/matching) run on the records
not yet matched against every person on the register, and the clerical review of the uncertain ones.

DuckDB does the comparing, so the register and the records are read from the application database here
and handed to it as Arrow tables (Splink's PostgreSQL backend lacks the string functions the model uses).
The results are written and audited in one transaction: one event per record linked or sent to review
(it concerns that person, so the data protection officer's trail shows it) and one for the whole run.
A reviewer's decisions are services.partner_record_link_accept and _reject."""

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no type information
from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record
from earlyhelp.families.models import Membership, Person
from earlyhelp.imports.progress import Progress
from earlyhelp.matching.model import READ_COLUMNS, STANDARD_COLUMNS, Linkage, PairEvidence, link
from earlyhelp.matching.rules import Band, Bands
from earlyhelp.workflow import audit_change

from . import messages
from .models import DatasetUpload, LinkStatus, PartnerRecord

logger = logging.getLogger(__name__)

# Records read, written and audited per step; SQLite allows some 32,000 parameters a query.
BATCH = 1000
MATCHING = "matching"

_OUTCOME = {
    Band.AUTO_LINK: LinkStatus.LINKED,
    Band.REVIEW: LinkStatus.IN_REVIEW,
    Band.NO_MATCH: LinkStatus.PARTNERS_ONLY,
}


@dataclass(frozen=True)
class LinkingOutcome:
    """What one run of the matcher did: how many records it linked, sent to review or left to partners only.
    `stopped` says why nothing was matched (too few records to estimate the model), if so."""

    linked: int = 0
    in_review: int = 0
    partners_only: int = 0
    stopped: str = ""

    @property
    def matched(self) -> int:
        return self.linked + self.in_review + self.partners_only


def configured_bands() -> Bands:
    """The bands the partnership configured (EARLY_HELP_MATCH_AUTO_LINK, EARLY_HELP_MATCH_REVIEW)."""
    matching = settings.EARLY_HELP.matching
    return Bands(auto_link=matching.auto_link, review=matching.review)


def _text(value: Any) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


def _address(*lines: str) -> str | None:
    return _text(" ".join(line.strip() for line in lines if line and line.strip()))


def register_table() -> pa.Table:
    """Every person on the register (but merged duplicates) as the model reads them: their own address,
    or else the address of the household they live in now."""
    current = Membership.objects.filter(person=OuterRef("pk"), ended_on__isnull=True).order_by("-started_on")
    # A duplicate merged into another record is left out: its survivor stands for it.
    people = (
        Person.objects.filter(merged_into__isnull=True)
        .annotate(
            home_line_1=Subquery(current.values("household__address_line_1")[:1]),
            home_line_2=Subquery(current.values("household__address_line_2")[:1]),
            home_postcode=Subquery(current.values("household__postcode")[:1]),
        )
        .values_list(
            "id",
            "given_name",
            "family_name",
            "date_of_birth",
            "sex",
            "postcode",
            "address_line_1",
            "address_line_2",
            "home_postcode",
            "home_line_1",
            "home_line_2",
            "nhs_number",
            "upn",
        )
    )
    columns: dict[str, list[str | None]] = {name: [] for name in STANDARD_COLUMNS}
    for row in people.order_by().iterator(chunk_size=BATCH * 5):
        (pk, given, family, born, sex, postcode, line_1, line_2, home_postcode, home_1, home_2, nhs, upn) = row
        # A person's own address where the register holds one, else their household's: never half of each.
        own_address = _address(line_1, line_2)
        address = own_address or _address(home_1 or "", home_2 or "")
        first, second = (postcode, home_postcode) if own_address else (home_postcode, postcode)
        values = {
            "record_id": str(pk),
            "given_name": _text(given),
            "family_name": _text(family),
            "date_of_birth": born.isoformat() if born else None,
            "sex": sex if sex in ("F", "M") else None,
            "postcode": _text(first) or _text(second),
            "address": address,
            "nhs_number": _text(nhs),
            "upn": _text(upn),
        }
        for name in STANDARD_COLUMNS:
            columns[name].append(values[name])
    return pa.table({name: pa.array(values, pa.string()) for name, values in columns.items()})


def partner_table(records: QuerySet[PartnerRecord]) -> pa.Table:
    """The records' identifying values under the model's names (a layout's identifying columns use them): the
    standard ones, and middle names and an age on a date (`age`, `age_on`) where a layout gives them."""
    columns: dict[str, list[str | None]] = {name: [] for name in READ_COLUMNS}
    for pk, identifying in records.order_by("pk").values_list("pk", "identifying").iterator(chunk_size=BATCH * 5):
        columns["record_id"].append(str(pk))
        for name in READ_COLUMNS[1:]:
            columns[name].append(_text((identifying or {}).get(name)))
    return pa.table({name: pa.array(values, pa.string()) for name, values in columns.items()})


def _waiting(upload: DatasetUpload | None) -> QuerySet[PartnerRecord]:
    waiting = PartnerRecord.objects.filter(link_status=LinkStatus.NOT_YET_MATCHED)
    return waiting.filter(upload=upload) if upload is not None else waiting


def partner_records_link(
    *, actor: User | None = None, upload: DatasetUpload | None = None, progress: Progress | None = None
) -> LinkingOutcome:
    """Match the partner records not yet matched (of one upload, or all) to the register with the model:
    a record in the auto-link band is linked to its person, one in the review band waits for a reviewer
    with its candidate and the evidence, and any other is known to partners only. Nothing is written
    when the model cannot be estimated (too few records); the records then wait for the next run."""
    total = _waiting(upload).count()
    if total == 0:
        return LinkingOutcome()
    if progress is not None:
        progress(stage=MATCHING, done=0, total=total)
    bands = configured_bands()
    register = register_table()
    partner = partner_table(_waiting(upload))
    if register.num_rows == 0:
        linkage = Linkage(links=[], pairs=[])
    else:
        try:
            linkage = link(register=register, partner=partner, bands=bands)
        except ValueError:
            # Splink cannot estimate its parameters from a handful of records; the type is enough to log.
            logger.warning("Matching stopped: the model could not be estimated from %s records", total)
            return LinkingOutcome(stopped=messages.LINKING_TOO_FEW)
    return _links_store(actor=actor, upload=upload, linkage=linkage, bands=bands, partner=partner, progress=progress)


def _batched(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


@transaction.atomic
def _links_store(
    *,
    actor: User | None,
    upload: DatasetUpload | None,
    linkage: Linkage,
    bands: Bands,
    partner: pa.Table,
    progress: Progress | None,
) -> LinkingOutcome:
    evidence = {(pair.partner_record_id, pair.register_record_id): pair for pair in linkage.pairs}
    outcome_of = {row.record_id: row for row in linkage.links}
    record_ids = partner.column("record_id").to_pylist()
    now = timezone.now()
    counts = dict.fromkeys(LinkStatus.values, 0)
    done = 0
    for chunk in _batched(record_ids):
        # Still waiting: a record a reviewer or another run decided meanwhile is left as it is.
        records = list(
            PartnerRecord.objects.select_for_update().filter(
                pk__in=[int(pk) for pk in chunk], link_status=LinkStatus.NOT_YET_MATCHED
            )
        )
        for record in records:
            found = outcome_of.get(str(record.pk))
            band = found.band if found is not None else Band.NO_MATCH
            record.link_status = _OUTCOME[band]
            if band is not Band.NO_MATCH and found is not None:
                pair: PairEvidence | None = evidence.get((found.record_id, found.person_id or ""))
                record.person_id = found.person_id
                record.match_probability = found.match_probability
                record.match_weights = pair.weights if pair is not None else {}
                record.linked_at = now if band is Band.AUTO_LINK else None
            counts[record.link_status] += 1
        PartnerRecord.objects.bulk_update(
            records, ["link_status", "person", "match_probability", "match_weights", "linked_at"]
        )
        _audit_links(actor, records)
        done += len(chunk)
        if progress is not None:
            progress(stage=MATCHING, done=done, total=len(record_ids))
    outcome = LinkingOutcome(
        linked=counts[LinkStatus.LINKED],
        in_review=counts[LinkStatus.IN_REVIEW],
        partners_only=counts[LinkStatus.PARTNERS_ONLY],
    )
    audit_record(
        actor=actor,
        action=Action.CHANGE,
        object_type="partner_record_linkage",
        object_id=upload.pk if upload is not None else "",
        details={
            "linked": outcome.linked,
            "in_review": outcome.in_review,
            "partners_only": outcome.partners_only,
            "auto_link": bands.auto_link,
            "review": bands.review,
        },
    )
    return outcome


def _audit_links(actor: User | None, records: Iterable[PartnerRecord]) -> None:
    for record in records:
        if record.person_id is None:
            continue
        audit_change(
            actor=actor,
            record=record,
            person_id=record.person_id,
            link_status=record.link_status,
            match_probability=round(record.match_probability or 0.0, 4),
            dataset=record.dataset_id,
        )
