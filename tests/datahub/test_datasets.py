"""Registering a dataset: a known layout, an agreement, a lawful basis and a retention period, audited;
the data protection officer reads the register."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.datahub import messages
from earlyhelp.datahub.models import Dataset, LawfulBasis
from earlyhelp.datahub.services import dataset_create, dataset_upload_receive
from tests.factories import AgencyFactory, UserFactory

from .support import DatasetFactory, csv_upload, good_rows

pytestmark = pytest.mark.django_db


def _create(actor=None, **changes):
    fields = {
        "name": "Police domestic abuse notifications",
        "layout": "police_domestic_abuse",
        "source_agency": AgencyFactory(),
        "sharing_agreement": "ISA-POL-2026-03",
        "lawful_basis": LawfulBasis.PUBLIC_TASK,
        "retention_months": 36,
    } | changes
    return dataset_create(actor=actor or UserFactory(role=Role.ADMIN), **fields)


def test_an_administrator_registers_a_dataset_and_it_is_audited():
    dataset = _create()
    assert Dataset.objects.get() == dataset
    event = AuditEvent.objects.get(object_type="dataset", object_id=str(dataset.pk))
    assert event.details["layout"] == "police_domestic_abuse"
    assert event.details["retention_months"] == 36


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"layout": "tarot_readings"}, "layout", None),
        ({"retention_months": 0}, "retention_months", messages.DATASET_RETENTION_RANGE),
        ({"retention_months": 1201}, "retention_months", messages.DATASET_RETENTION_RANGE),
    ],
)
def test_a_dataset_with_an_unknown_layout_or_retention_out_of_range_is_refused(changes, field, message):
    with pytest.raises(ValidationError) as refused:
        _create(**changes)
    expected = message or messages.DATASET_LAYOUT_UNKNOWN.format(layouts=", ".join(_shipped_names()))
    assert refused.value.message_dict == {field: [expected]}
    assert Dataset.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def _shipped_names() -> list[str]:
    from earlyhelp.datahub.catalogue import SHIPPED

    return sorted(path.stem for path in SHIPPED.glob("*.json"))


def test_a_second_dataset_of_the_same_name_is_refused():
    _create()
    with pytest.raises(ValidationError) as refused:
        _create(name="police DOMESTIC abuse notifications ")
    assert refused.value.message_dict == {"name": [messages.DATASET_NAME_TAKEN]}


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.DPO, Role.PRACTITIONER, Role.ANALYST])
def test_only_an_administrator_may_register_a_dataset(role):
    with pytest.raises(PermissionDenied):
        _create(actor=UserFactory(role=role))
    assert Dataset.objects.count() == 0


@pytest.mark.parametrize("role", [Role.ADMIN, Role.DPO, Role.PRACTITIONER])
def test_only_the_early_help_team_may_load_a_file(role):
    with pytest.raises(PermissionDenied):
        dataset_upload_receive(actor=UserFactory(role=role), dataset=DatasetFactory(), file=csv_upload(good_rows(1)))


def test_the_register_page_shows_each_dataset_with_its_agreement_basis_retention_and_records(client):
    dataset = DatasetFactory(name="Northfield schools", sharing_agreement="DSA-77", retention_months=18)
    dataset_upload_receive(actor=UserFactory(role=Role.COORDINATOR), dataset=dataset, file=csv_upload(good_rows(4)))
    client.force_login(UserFactory(role=Role.DPO))
    page = client.get(reverse("datahub:register")).content.decode()
    for shown in ("Northfield schools", "school_attendance", dataset.source_agency.name, "DSA-77", "18 months"):
        assert shown in page
    assert "Public task (UK GDPR Article 6(1)(e))" in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">4</td>' in page
    assert "Register a dataset" not in page


def test_an_administrator_registers_a_dataset_through_the_page(client):
    agency = AgencyFactory(name="West Yorkshire Police")
    client.force_login(UserFactory(role=Role.ADMIN))
    form = {
        "name": "Police notifications",
        "layout": "police_domestic_abuse",
        "source_agency": agency.pk,
        "sharing_agreement": "ISA-9",
        "lawful_basis": LawfulBasis.PUBLIC_TASK,
        "retention_months": "0",
    }
    refused = client.post(reverse("datahub:dataset-create"), form)
    assert messages.DATASET_RETENTION_RANGE in refused.content.decode()
    assert Dataset.objects.count() == 0
    response = client.post(reverse("datahub:dataset-create"), form | {"retention_months": "24"})
    assert response.status_code == 302
    assert Dataset.objects.get().source_agency == agency


def test_an_administrator_changes_a_datasets_agreement_basis_and_retention_audited_by_field_name(client):
    dataset = DatasetFactory(sharing_agreement="DSA-1", retention_months=24)
    client.force_login(UserFactory(role=Role.ADMIN))
    url = reverse("datahub:dataset-change", args=[dataset.pk])
    form = {"sharing_agreement": "DSA-2", "lawful_basis": LawfulBasis.LEGAL_OBLIGATION, "retention_months": "2000"}
    refused = client.post(url, form)
    assert messages.DATASET_RETENTION_RANGE in refused.content.decode()
    dataset.refresh_from_db()
    assert (dataset.sharing_agreement, dataset.retention_months) == ("DSA-1", 24)
    assert client.post(url, form | {"retention_months": "12"}).status_code == 302
    dataset.refresh_from_db()
    assert (dataset.sharing_agreement, dataset.lawful_basis, dataset.retention_months) == (
        "DSA-2",
        LawfulBasis.LEGAL_OBLIGATION,
        12,
    )
    event = AuditEvent.objects.filter(object_type="dataset", object_id=str(dataset.pk)).latest("id")
    assert event.details["fields"] == ["lawful_basis", "retention_months", "sharing_agreement"]


def test_a_broken_council_layout_fails_the_system_check(settings, tmp_path):
    from earlyhelp.datahub.apps import layouts_check

    (tmp_path / "broken.json").write_text("{not json")
    settings.DATAHUB_LAYOUT_DIRS = [str(tmp_path)]
    [error] = layouts_check()
    assert error.id == "datahub.E001"
    assert str(tmp_path / "broken.json") in error.msg
