"""Partner records already linked to a register person, built by hand for the flag rules' tests, and
the facts of each shipped layout that the rules read."""

import itertools
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from earlyhelp.accounts.models import Agency, Role
from earlyhelp.datahub.models import Dataset, DatasetUpload, LinkStatus, PartnerRecord, UploadStatus
from earlyhelp.datahub.services import flags_raise
from earlyhelp.families.models import MemberRole
from tests.factories import HouseholdFactory, MembershipFactory, PersonFactory, UserFactory

from .support import DatasetFactory

_numbers = itertools.count(1)


def dataset_for(layout: str, *, agency: Agency | None = None, name: str | None = None) -> Dataset:
    """The dataset of this layout (and agency, where named), registered on first use."""
    found = Dataset.objects.filter(layout=layout)
    if agency is not None:
        found = found.filter(source_agency=agency)
    if name is not None:
        found = found.filter(name=name)
    dataset = found.first()
    if dataset is None:
        extra: dict[str, Any] = {"source_agency": agency} if agency is not None else {}
        if name is not None:
            extra["name"] = name
        dataset = DatasetFactory(layout=layout, **extra)
    return dataset


def linked(
    person,
    layout: str,
    *,
    received_at: datetime | None = None,
    status: str = LinkStatus.LINKED,
    dataset: Dataset | None = None,
    **facts: Any,
) -> PartnerRecord:
    """One record of the layout with these facts, linked to the person (or in another link state)."""
    dataset = dataset or dataset_for(layout)
    received_at = received_at or timezone.now()
    upload = DatasetUpload.objects.create(
        dataset=dataset,
        file_name="week.csv",
        size=1,
        status=UploadStatus.LOADED,
        uploaded_by=UserFactory(role=Role.COORDINATOR),
        uploaded_at=received_at,
    )
    is_linked = status == LinkStatus.LINKED
    return PartnerRecord.objects.create(
        dataset=dataset,
        upload=upload,
        source_id=f"R{next(_numbers):06d}",
        row_number=1,
        identifying={"given_name": "Not read by the rules"},
        facts=facts,
        link_status=status,
        person=person if is_linked else None,
        linked_at=received_at if is_linked else None,
        received_at=received_at,
    )


def attendance(person, *, missed: int, possible: int = 140, **more: Any) -> PartnerRecord:
    facts = {
        "school_urn": "107654",
        "academic_year": "2025/26",
        "term": "autumn",
        "sessions_possible": possible,
        "sessions_missed": missed,
        "suspensions": 0,
        "permanent_exclusion": False,
        "permanent_exclusion_date": None,
    } | more
    return linked(person, "school_attendance", **facts)


def domestic_abuse(person, incident_date: str, **more: Any) -> PartnerRecord:
    facts = {
        "incident_reference": f"DA{next(_numbers)}",
        "incident_date": incident_date,
        "role_in_incident": "victim",
        "children_present": True,
        "risk_level": "medium",
    } | more
    return linked(person, "police_domestic_abuse", **facts)


def substance_misuse(person, *, in_treatment: bool = True, is_parent: bool = True, **more: Any) -> PartnerRecord:
    facts = {
        "in_treatment": in_treatment,
        "substance": "alcohol only",
        "treatment_start": "2026-09-01",
        "treatment_end": None,
        "is_parent": is_parent,
        "lives_with_children": True,
    } | more
    return linked(person, "substance_misuse", **facts)


def days_ago(days: int) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()


def flagged_family(*, areas: int = 3, household=None):
    """A family of a parent and a child with needs flagged in `areas` outcome areas (1 to 3): the
    child's attendance (education), the parent's domestic abuse notifications and substance misuse
    treatment."""
    household = household or HouseholdFactory()
    child = MembershipFactory(household=household, role=MemberRole.CHILD, person__given_name="Kai").person
    parent = MembershipFactory(household=household, role=MemberRole.PARENT, person=PersonFactory()).person
    attendance(child, missed=21)
    if areas >= 2:
        domestic_abuse(parent, days_ago(100))
        domestic_abuse(parent, days_ago(20))
    if areas >= 3:
        substance_misuse(parent, treatment_start=days_ago(60))
    flags_raise()
    return household, child, parent
