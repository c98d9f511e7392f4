"""`manage.py import_dataset DATASET FILE`: the same checks as the page, progress on the command line."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from earlyhelp.accounts.models import Role
from earlyhelp.datahub.models import PartnerRecord, UploadStatus
from earlyhelp.imports import messages
from tests.factories import UserFactory

from .support import GIVEN_NAME, DatasetFactory, csv_bytes, good_row, good_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def loader():
    return UserFactory(role=Role.COORDINATOR, username="ehteam")


def _run(*args) -> str:
    out = io.StringIO()
    call_command("import_dataset", *map(str, args), stdout=out)
    return out.getvalue()


def test_the_command_loads_a_good_file_and_draws_its_progress(loader, tmp_path):
    dataset = DatasetFactory(name="Northfield schools")
    path = tmp_path / "week.csv"
    path.write_bytes(csv_bytes(good_rows(3)))
    out = _run("northfield SCHOOLS", path, "--user", "ehteam")
    assert "\rchecking [" in out
    assert "3 of 3 rows (100%)" in out
    assert out.rstrip().endswith("Loaded 3 rows from week.csv: 3 records stored")
    assert PartnerRecord.objects.filter(dataset=dataset).count() == 3


def test_the_command_recognises_a_file_already_loaded(loader, tmp_path):
    dataset = DatasetFactory()
    path = tmp_path / "week.csv"
    path.write_bytes(csv_bytes(good_rows(3)))
    _run(dataset.pk, path, "--user", "ehteam")
    out = _run(dataset.pk, path, "--user", "ehteam")
    assert "already loaded" in out
    assert PartnerRecord.objects.count() == 3
    assert dataset.uploads.filter(status=UploadStatus.ALREADY_LOADED).count() == 1


def test_the_command_refuses_a_bad_file_writes_its_report_and_stores_nothing(loader, tmp_path):
    dataset = DatasetFactory()
    path = tmp_path / "week.csv"
    path.write_bytes(csv_bytes([good_row(1), good_row(2, sessions_missed="=1+1")]))
    report = tmp_path / "problems.csv"
    with pytest.raises(CommandError, match=messages.VALUE_FORMULA):
        _run(dataset.pk, path, "--user", "ehteam", "--report", report)
    assert PartnerRecord.objects.count() == 0
    rows = list(csv.DictReader(report.open(encoding="utf-8")))
    assert [(row["row"], row["column"], row["rule"]) for row in rows] == [("3", "sessions_missed", "formula")]
    assert GIVEN_NAME not in report.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("dataset", "user", "message"),
    [
        ("no such dataset", "ehteam", "No dataset is called or numbered 'no such dataset'"),
        ("Northfield", "nobody", "No active account is called 'nobody'"),
    ],
)
def test_the_command_names_a_dataset_or_account_it_cannot_find(loader, tmp_path, dataset, user, message):
    DatasetFactory(name="Northfield")
    path = tmp_path / "week.csv"
    path.write_bytes(csv_bytes(good_rows(1)))
    with pytest.raises(CommandError, match=message):
        _run(dataset, path, "--user", user)
