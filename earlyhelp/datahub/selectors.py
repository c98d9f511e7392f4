"""Reads of the data hub shared by its pages and its command."""

import csv
import io
import itertools
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, IntegerField, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.assessments.models import OutcomeArea
from earlyhelp.consent.rules import age_on
from earlyhelp.families.access import visible_households
from earlyhelp.families.known_elsewhere import DataHolder
from earlyhelp.families.models import Household, MemberRole, Membership, Person
from earlyhelp.journey.models import Episode, EpisodeStatus, RequestStatus, SupportRequest
from earlyhelp.journey.selectors import listed

from .models import (
    Dataset,
    DatasetUpload,
    DuplicateSearch,
    DuplicateStatus,
    Flag,
    IdentificationDismissal,
    LinkStatus,
    PartnerRecord,
    RegisterDuplicate,
)
from .rules import months_before


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


# --- Who else knows this family -----------------------------------------------------------------------


def data_holders(household: Household) -> list[DataHolder]:
    """The agencies whose datasets hold records linked to the family's current members, each with
    the datasets and the time a record of them last arrived. Answers families.known_elsewhere."""
    rows = (
        PartnerRecord.objects.filter(
            link_status=LinkStatus.LINKED,
            person__memberships__household=household,
            person__memberships__ended_on__isnull=True,
        )
        .order_by()
        .values("dataset__source_agency__name", "dataset__name")
        .annotate(last_sent=Max("received_at"))
    )
    sources: dict[str, set[str]] = defaultdict(set)
    last: dict[str, datetime] = {}
    for row in rows:
        agency = row["dataset__source_agency__name"]
        sources[agency].add(row["dataset__name"])
        last[agency] = max(last.get(agency, row["last_sent"]), row["last_sent"])
    return [
        DataHolder(agency=agency, sources=tuple(sorted(sources[agency])), last_sent=last[agency]) for agency in last
    ]


# --- The identification list ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IdentifiedFamily:
    """A family partners' data shows with needs in several outcome areas and no early help: the
    flags on its current members (the reasons), and the request form's details to carry over."""

    household: Household
    flags: list[Flag]
    request_url: str

    @property
    def areas(self) -> list[str]:
        return sorted({str(OutcomeArea(flag.outcome_area).label) for flag in self.flags})


def identification_since(today: date | None = None) -> date:
    """Flags raised on a day after this one count towards the list."""
    return months_before(today or timezone.localdate(), settings.DATAHUB_IDENTIFICATION_MONTHS)


def _identified_flags(households: QuerySet[Household] | None = None) -> dict[uuid.UUID, list[Flag]]:
    """The families the list shows, each with the flags that put it there: at least
    DATAHUB_IDENTIFICATION_NEEDS outcome areas among the recent flags of its current members; no
    episode open to early help or stepped up, and no request waiting for triage; not dismissed,
    unless a flag was raised after the dismissal."""
    flags = list(Flag.objects.filter(raised_on__gt=identification_since()).select_related("person"))
    members = Membership.objects.filter(ended_on__isnull=True, person_id__in={flag.person_id for flag in flags})
    if households is not None:
        members = members.filter(household__in=households)
    homes: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for person_id, household_id in members.values_list("person_id", "household_id"):
        homes[person_id].add(household_id)
    by_family: dict[uuid.UUID, list[Flag]] = defaultdict(list)
    for flag in flags:
        for household_id in homes.get(flag.person_id, ()):
            by_family[household_id].append(flag)
    needs = settings.DATAHUB_IDENTIFICATION_NEEDS
    candidates = {
        family: found for family, found in by_family.items() if len({flag.outcome_area for flag in found}) >= needs
    }
    busy = set(
        Episode.objects.filter(
            household_id__in=candidates, status__in=[EpisodeStatus.OPEN, EpisodeStatus.STEPPED_UP]
        ).values_list("household_id", flat=True)
    ) | set(
        SupportRequest.objects.filter(household_id__in=candidates, status=RequestStatus.AWAITING_TRIAGE).values_list(
            "household_id", flat=True
        )
    )
    dismissed = dict(
        IdentificationDismissal.objects.filter(household_id__in=candidates)
        .order_by()
        .values("household_id")
        .annotate(last=Max("dismissed_at"))
        .values_list("household_id", "last")
    )
    return {
        family: found
        for family, found in candidates.items()
        if family not in busy and (family not in dismissed or any(flag.raised_at > dismissed[family] for flag in found))
    }


def _request_url(household: Household, flags: list[Flag]) -> str:
    """The request form for the family, with the child (the youngest flagged child living there, else
    the youngest child), the family's address and the reasons filled in."""
    children = (
        Membership.objects.filter(household=household, ended_on__isnull=True, role=MemberRole.CHILD)
        .select_related("person")
        .order_by("-person__date_of_birth")
    )
    flagged = {flag.person_id for flag in flags}
    child = next((m.person for m in children if m.person_id in flagged), None) or next(
        (m.person for m in children), None
    )
    reasons = "; ".join(
        f"{flag.get_outcome_area_display()}: {flag.reason} ({flag.raised_on:%d %b %Y})"
        for flag in sorted(flags, key=lambda flag: (flag.outcome_area, flag.raised_on))
    )
    query = {
        "household": str(household.pk),
        "address_line_1": household.address_line_1,
        "postcode": household.postcode,
        "concerns": f"Partners' data shows needs in these areas. {reasons}",
    }
    if child is not None:
        query |= {
            "child_given_name": child.given_name,
            "child_family_name": child.family_name,
            "child_date_of_birth": child.date_of_birth.isoformat() if child.date_of_birth else "",
        }
    return reverse("journey:request-new") + "?" + urlencode(query)


def identification_list(user: User) -> list[IdentifiedFamily]:
    """The identification list as the user may see it (families they may open), most needs first,
    audited as one view naming every family and flag on it."""
    found = _identified_flags(visible_households(user))
    households = Household.objects.in_bulk(list(found))
    families = [
        IdentifiedFamily(
            household=households[family],
            flags=sorted(flags, key=lambda flag: (flag.outcome_area, -flag.raised_on.toordinal())),
            request_url=_request_url(households[family], flags),
        )
        for family, flags in found.items()
    ]
    families.sort(key=lambda f: (-len(f.areas), -max(flag.raised_on for flag in f.flags).toordinal(), f.household.name))
    listed(
        user,
        purpose="identification list",
        families=[family.household for family in families],
        flags=[flag for family in families for flag in family.flags],
    )
    return families


def is_identified(household: Household) -> bool:
    """Whether the family is on the identification list now."""
    return household.pk in _identified_flags(Household.objects.filter(pk=household.pk))


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
    rows = [
        SideBySide(label=label, partner=str(held.get(name) or ""), register=register[name])
        for name, label in IDENTIFYING_LABELS.items()
    ]
    # What only some layouts give, where this record has it: the register holds no middle names, and its age on
    # the date the partner gave one is the person's age then.
    if held.get("middle_names"):
        label = SOME_LAYOUTS_LABELS["middle_names"]
        rows.append(SideBySide(label=label, partner=str(held["middle_names"]), register=""))
    if held.get("age"):
        on = _date(held.get("age_on"))
        rows.append(
            SideBySide(
                label=f"Age on {on:%d/%m/%Y}" if on else SOME_LAYOUTS_LABELS["age"],
                partner=str(held["age"]),
                register=str(age_on(person.date_of_birth, on)) if on and person.date_of_birth else "",
            )
        )
    return rows


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


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
# Identifying values only some layouts give (docs/datasets.md).
SOME_LAYOUTS_LABELS = {"middle_names": "Middle names", "age": "Age", "age_on": "Age given on"}


def identifying_details(record: PartnerRecord) -> list[tuple[str, str]]:
    """The record's identifying values, labelled, as far as it has them."""
    held = record.identifying or {}
    labels = IDENTIFYING_LABELS | SOME_LAYOUTS_LABELS
    return [(label, str(held[name])) for name, label in labels.items() if held.get(name)]


# --- Likely duplicates on the register -------------------------------------------------------------------

# Pairs shown on one page: each opens both records through the choke point.
DUPLICATES_PER_PAGE = 10


def duplicates_waiting() -> QuerySet[RegisterDuplicate]:
    """The likely duplicate pairs waiting for review, most likely first. The two people are opened only
    through the choke point, by the page that shows them."""
    return RegisterDuplicate.objects.filter(status=DuplicateStatus.WAITING).order_by("-match_probability", "pk")


def duplicate_waiting(pair_id: int) -> RegisterDuplicate | None:
    return duplicates_waiting().filter(pk=pair_id).first()


def duplicate_search_latest() -> DuplicateSearch | None:
    """The latest search of the register for duplicates, with its progress or outcome."""
    return DuplicateSearch.objects.order_by("-queued_at", "-pk").first()
