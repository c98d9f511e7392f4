"""A register and partner records built by hand for the linkage tests, on a background of synthetic people
(tests/matching/people.py) large enough for the model to estimate its parameters from."""

from datetime import date
from typing import Any

from earlyhelp.accounts.models import Role
from earlyhelp.datahub.models import Dataset, DatasetUpload, LinkStatus, PartnerRecord
from earlyhelp.families.models import Household, MemberRole, Membership, Person
from earlyhelp.families.rules import name_search_key
from tests.factories import UserFactory
from tests.matching.people import Extracts, make

from .support import DatasetFactory


def register_person(values: dict[str, str], *, household: Household | None = None) -> Person:
    """A person on the register from the model's standard fields; the address on the household if one is given."""
    given, family = values["given_name"].title(), values["family_name"].title()
    person = Person.objects.create(
        given_name=given,
        family_name=family,
        search_name=name_search_key(given, family),
        date_of_birth=date.fromisoformat(values["date_of_birth"]),
        sex=values.get("sex") or "U",
        postcode="" if household else values.get("postcode", ""),
        address_line_1="" if household else values.get("address", "").title(),
        nhs_number=values.get("nhs_number") or None,
        upn=values.get("upn") or None,
    )
    if household is not None:
        Membership.objects.create(
            household=household, person=person, role=MemberRole.CHILD, started_on=date(2020, 1, 1)
        )
    return person


def background(extracts: Extracts) -> dict[str, Person]:
    """The synthetic register, stored: its record id -> the person."""
    return {values["record_id"]: register_person(values) for values in extracts.register}


def an_upload(dataset: Dataset | None = None) -> DatasetUpload:
    dataset = dataset or DatasetFactory()
    return DatasetUpload.objects.create(
        dataset=dataset,
        file_name="partner.csv",
        size=1,
        status="loaded",
        uploaded_by=UserFactory(role=Role.COORDINATOR),
    )


def partner_records(upload: DatasetUpload, rows: list[dict[str, Any]]) -> dict[str, PartnerRecord]:
    """Each row as a partner record waiting to be matched: its record id -> the record."""
    stored = {}
    for number, row in enumerate(rows, start=2):
        identifying = {name: value for name, value in row.items() if name != "record_id" and value}
        stored[row["record_id"]] = PartnerRecord.objects.create(
            dataset=upload.dataset,
            upload=upload,
            source_id=row["record_id"],
            row_number=number,
            identifying=identifying,
            link_status=LinkStatus.NOT_YET_MATCHED,
        )
    return stored


__all__ = ["an_upload", "background", "make", "partner_records", "register_person"]
