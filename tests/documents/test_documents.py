"""Documents on a family's record: checked by content and size, stored with their audit event or not
at all, confidential to an agency where marked, opened only through the family, every download audited,
and removed with the record."""

import hashlib

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from earlyhelp.audit.models import AuditEvent
from earlyhelp.documents import services
from earlyhelp.documents.models import Document
from tests.documents.factories import PDF
from tests.factories import InvolvementFactory, UserFactory

pytestmark = pytest.mark.django_db

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


@pytest.fixture
def involvement(db):
    return InvolvementFactory(role="lead")


def _stored(household) -> list[str]:
    storage = storages["documents"]
    return storage.listdir(str(household.pk))[1] if storage.exists(str(household.pk)) else []


def _attach(client, involvement, name: str, content: bytes, **fields):
    url = reverse("documents:household", args=[involvement.household_id])
    data = {"kind": "consent_form", "title": "Consent to share"} | fields
    return client.post(url, data | {"upload": SimpleUploadedFile(name, content)})


def test_a_document_attached_on_the_page_is_stored_audited_listed_and_downloaded(client, involvement):
    lead = involvement.practitioner
    client.force_login(lead)
    response = _attach(client, involvement, "consent.pdf", PDF)
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.agency, document.uploaded_by, document.file_name, document.size) == (
        lead.agency,
        lead,
        "consent.pdf",
        len(PDF),
    )
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert AuditEvent.objects.filter(object_type="document", object_id=str(document.pk), action="create").exists()
    page = client.get(reverse("documents:household", args=[involvement.household_id])).content.decode()
    assert "Consent to share" in page

    download = client.get(reverse("documents:download", args=[involvement.household_id, document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith('attachment; filename="consent.pdf"')
    assert download["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(
        object_type="document",
        object_id=str(document.pk),
        action="export",
        actor=lead,
        household_id=document.household_id,
    ).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("letter.pdf", ELF, "The selected file must be a"),
        ("setup.exe", ELF, "The selected file must be a"),
        ("empty.pdf", b"", "The selected file is empty"),
    ],
    ids=["a renamed executable", "an executable", "an empty file"],
)
def test_a_file_of_the_wrong_kind_or_empty_is_refused_with_a_message_and_nothing_stored(
    client, involvement, name, content, message
):
    client.force_login(involvement.practitioner)
    response = _attach(client, involvement, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Document.objects.exists()
    assert _stored(involvement.household) == []


@override_settings(EARLY_HELP_UPLOAD_MAX_BYTES=1024)
def test_an_oversized_file_is_refused_with_the_limit_and_nothing_stored(client, involvement):
    client.force_login(involvement.practitioner)
    response = _attach(client, involvement, "big.pdf", PDF + b"0" * 2048)
    assert "The selected file must be smaller than" in response.content.decode()
    assert not Document.objects.exists()
    assert _stored(involvement.household) == []


def test_a_missing_title_names_the_field_and_stores_nothing(client, involvement):
    client.force_login(involvement.practitioner)
    response = _attach(client, involvement, "consent.pdf", PDF, title="   ")
    assert services.TITLE_REQUIRED in response.content.decode()
    assert not Document.objects.exists()
    assert _stored(involvement.household) == []


def test_a_failed_save_leaves_no_stored_file_behind(involvement, monkeypatch):
    """The row and its audit event go in together; if they cannot, the file written first is removed."""

    def broken(**kwargs):
        raise RuntimeError("the audit could not be written")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        services.document_add(
            actor=involvement.practitioner,
            household=involvement.household,
            upload=SimpleUploadedFile("consent.pdf", PDF),
            kind="consent_form",
            title="Consent",
        )
    assert not Document.objects.exists()
    assert _stored(involvement.household) == []


def test_someone_who_cannot_open_the_family_gets_the_same_not_found_and_the_refusal_is_audited(client, involvement):
    document = services.document_add(
        actor=involvement.practitioner,
        household=involvement.household,
        upload=SimpleUploadedFile("consent.pdf", PDF),
        kind="consent_form",
        title="Consent",
    )
    stranger = UserFactory()
    client.force_login(stranger)
    url = reverse("documents:download", args=[involvement.household_id, document.pk])
    missing = reverse("documents:download", args=[involvement.household_id, "00000000-0000-4000-8000-000000000000"])
    assert client.get(url).status_code == 404
    assert client.get(missing).status_code == 404
    assert AuditEvent.objects.filter(actor=stranger, details__outcome="refused").count() == 2
    assert not AuditEvent.objects.filter(actor=stranger, action="export").exists()


def test_a_confidential_document_is_seen_and_downloaded_only_within_the_agency_that_attached_it(client, involvement):
    lead = involvement.practitioner
    document = services.document_add(
        actor=lead,
        household=involvement.household,
        upload=SimpleUploadedFile("disclosure.pdf", PDF),
        kind="report",
        title="Disclosure",
        confidential=True,
    )
    other_agency = InvolvementFactory(household=involvement.household, role="taf").practitioner
    assert other_agency.agency_id != lead.agency_id
    client.force_login(other_agency)
    assert (
        "Disclosure" not in client.get(reverse("documents:household", args=[involvement.household_id])).content.decode()
    )
    assert client.get(reverse("documents:download", args=[involvement.household_id, document.pk])).status_code == 404
    assert AuditEvent.objects.filter(actor=other_agency, object_type="document", details__outcome="refused").exists()

    colleague = UserFactory(team=lead.team)
    InvolvementFactory(household=involvement.household, practitioner=colleague, role="contributor")
    client.force_login(colleague)
    assert client.get(reverse("documents:download", args=[involvement.household_id, document.pk])).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_document_removed_with_its_family_takes_its_stored_file_with_it(involvement):
    services.document_add(
        actor=involvement.practitioner,
        household=involvement.household,
        upload=SimpleUploadedFile("consent.pdf", PDF),
        kind="consent_form",
        title="Consent",
    )
    household = involvement.household
    assert len(_stored(household)) == 1
    household.involvements.all().delete()
    household.delete()
    assert _stored(household) == []


def test_the_api_lists_attaches_and_downloads_with_the_same_rules(client, involvement):
    client.force_login(involvement.practitioner)
    url = reverse("documents-api:household", args=[involvement.household_id])
    made = client.post(url, {"upload": SimpleUploadedFile("plan.pdf", PDF), "kind": "signed_plan", "title": "Plan"})
    assert made.status_code == 201, made.content
    assert made.json()["file_name"] == "plan.pdf"
    refused = client.post(url, {"upload": SimpleUploadedFile("plan.pdf", ELF), "kind": "signed_plan", "title": "Plan"})
    assert refused.status_code == 400
    assert "The selected file must be a" in refused.json()["upload"][0]
    listed = client.get(url).json()
    assert [each["title"] for each in listed] == ["Plan"]
    download = client.get(reverse("documents-api:download", args=[involvement.household_id, listed[0]["id"]]))
    assert b"".join(download.streaming_content) == PDF
