"""Each dataset's retention period applies to its partner records."""

import io
import json
from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.datahub.models import PartnerRecord
from earlyhelp.datahub.rules import months_before
from earlyhelp.datahub.services import dataset_upload_receive, partner_records_expire
from tests.factories import UserFactory

from .support import DatasetFactory, csv_upload, good_rows


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 12, 6), 24, date(2024, 12, 6)),
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2024, 3, 31), 1, date(2024, 2, 29)),
        (date(2026, 1, 15), 13, date(2024, 12, 15)),
    ],
)
def test_months_before_keeps_the_day_or_takes_the_shorter_months_last(day, months, expected):
    assert months_before(day, months) == expected


@pytest.mark.django_db
def test_records_older_than_their_datasets_retention_are_deleted_and_the_deletion_audited():
    kept_short = DatasetFactory(name="Short", retention_months=6)
    kept_long = DatasetFactory(name="Long", retention_months=36)
    loader = UserFactory(role=Role.COORDINATOR)
    for start, dataset in enumerate((kept_short, kept_long)):
        dataset_upload_receive(actor=loader, dataset=dataset, file=csv_upload(good_rows(2, start=10 * start + 1)))
    PartnerRecord.objects.update(received_at=datetime(2026, 1, 10, 9, 0, tzinfo=UTC))
    today = date(2026, 7, 11)
    assert partner_records_expire(today=today, dry_run=True) == {"Short": 2}
    assert PartnerRecord.objects.count() == 4
    assert partner_records_expire(today=today) == {"Short": 2}
    assert set(PartnerRecord.objects.values_list("dataset__name", flat=True)) == {"Long"}
    event = AuditEvent.objects.get(object_type="partner_records")
    assert event.details == {"retention_months": 6, "deleted": 2}
    assert partner_records_expire(today=date(2026, 7, 10)) == {}


@pytest.mark.django_db
def test_the_command_counts_what_would_go_without_deleting_it():
    dataset = DatasetFactory(name="Short", retention_months=1)
    dataset_upload_receive(actor=UserFactory(role=Role.COORDINATOR), dataset=dataset, file=csv_upload(good_rows(3)))
    PartnerRecord.objects.update(received_at=datetime(2020, 1, 1, tzinfo=UTC))
    out = io.StringIO()
    call_command("expire_partner_records", "--dry-run", stdout=out)
    assert json.loads(out.getvalue()) == {"dry_run": True, "deleted": {"Short": 3}}
    assert PartnerRecord.objects.count() == 3
    call_command("expire_partner_records", stdout=io.StringIO())
    assert PartnerRecord.objects.count() == 0
