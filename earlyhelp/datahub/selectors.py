"""Reads of the data hub shared by its pages and its command."""

import csv
import io
import itertools
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from earlyhelp.families.models import Membership, Person

from .models import Dataset, DatasetUpload, LinkStatus, PartnerRecord


def dataset_register() -> QuerySet[Dataset]:
    """Every dataset with its source, how many records it holds and when a file last arrived."""
    # Subqueries, not joins: joining records and uploads together would count every pair of them.
    records = (
        PartnerRecord.objects.filter(dataset=OuterRef("pk"))
        .order_by()
        .values("dataset")
        .annotate(count=Count("pk"))
        .values("count")
    )
    latest = DatasetUpload.objects.filter(dataset=OuterRef("pk")).order_by("-uploaded_at").values("uploaded_at")[:1]
    return (
        Dataset.objects.select_related("source_agency")
        .annotate(
            record_count=Coalesce(Subquery(records, output_field=IntegerField()), 0),
            last_received=Subquery(latest),
        )
        .order_by("name")
    )


def dataset_find(name_or_id: str) -> Dataset | None:
    """A dataset by its id or its name (any case)."""
    if name_or_id.isdigit():
        found = Dataset.objects.filter(pk=int(name_or_id)).first()
        if found is not None:
            return found
    return Dataset.objects.filter(name__iexact=name_or_id.strip()).first()


def dataset_uploads_recent(dataset: Dataset, *, limit: int = 10) -> QuerySet[DatasetUpload]:
    return dataset.uploads.select_related("uploaded_by").defer("content", "report_csv")[:limit]


def upload_status(upload_id: int) -> DatasetUpload | None:
    """An upload with its progress and outcome, without the file's content."""
    return DatasetUpload.objects.select_related("dataset").defer("content").filter(pk=upload_id).first()


# Enough of a refused file's problems to start fixing it; the downloadable report has them all.
PROBLEMS_SHOWN = 50


def report_problems(upload: DatasetUpload, *, limit: int = PROBLEMS_SHOWN) -> list[dict[str, str]]:
    """The first problems of an upload's report, as its page shows them."""
    if not upload.report_csv:
        return []
    rows = csv.DictReader(io.StringIO(upload.report_csv))
    return list(itertools.islice(rows, limit))


# The most records a list page shows at once, newest first; the page says how many there are in all.
LIST_LIMIT = 200


def records_in_review() -> QuerySet[PartnerRecord]:
    """The partner records waiting for a reviewer, oldest first, with their dataset and source. The register
    person each was compared with is opened only on the record's own review page, through the choke point."""
    return (
        PartnerRecord.objects.filter(link_status=LinkStatus.IN_REVIEW)
        .select_related("dataset", "dataset__source_agency")
        .order_by("received_at", "pk")
    )


def record_in_review(record_id: int) -> PartnerRecord | None:
    return records_in_review().filter(pk=record_id).first()


def records_partners_only() -> QuerySet[PartnerRecord]:
    """The partner records about no one on the register: known to partners only, newest first."""
    return (
        PartnerRecord.objects.filter(link_status=LinkStatus.PARTNERS_ONLY)
        .select_related("dataset", "dataset__source_agency")
        .order_by("-received_at", "-pk")
    )


@dataclass(frozen=True)
class SideBySide:
    """One detail of a person as the partner's record and the register hold it."""

    label: str
    partner: str
    register: str


def _home(person: Person) -> tuple[str, str]:
    """The address the matcher compared: the person's own, or the household's they live in now."""
    own = ", ".join(line for line in (person.address_line_1, person.address_line_2) if line)
    if own:
        return own, person.postcode
    current = (
        Membership.objects.filter(person=person, ended_on__isnull=True)
        .select_related("household")
        .order_by("-started_on")
        .first()
    )
    if current is None:
        return "", person.postcode
    household = current.household
    address = ", ".join(line for line in (household.address_line_1, household.address_line_2) if line)
    return address, household.postcode or person.postcode


def side_by_side(record: PartnerRecord, person: Person) -> list[SideBySide]:
    """The partner record's identifying values beside the register person's (read through the choke point)."""
    held = record.identifying or {}
    address, postcode = _home(person)
    born = person.date_of_birth.isoformat() if person.date_of_birth else ""
    register = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": born,
        "sex": person.get_sex_display(),
        "address": address,
        "postcode": postcode,
        "nhs_number": person.nhs_number or "",
        "upn": person.upn or "",
    }
    return [
        SideBySide(label=label, partner=str(held.get(name) or ""), register=register[name])
        for name, label in IDENTIFYING_LABELS.items()
    ]


IDENTIFYING_LABELS = {
    "given_name": "Given name",
    "family_name": "Family name",
    "date_of_birth": "Date of birth",
    "sex": "Sex",
    "address": "Address",
    "postcode": "Postcode",
    "nhs_number": "NHS number",
    "upn": "Unique Pupil Number",
}


def identifying_details(record: PartnerRecord) -> list[tuple[str, str]]:
    """The record's identifying values, labelled, as far as it has them."""
    held = record.identifying or {}
    return [(label, str(held[name])) for name, label in IDENTIFYING_LABELS.items() if held.get(name)]
