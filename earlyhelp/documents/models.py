"""Documents on a family's record: consent forms, signed plans, letters. The file itself lives in
the `documents` storage (local files by default; see docs/deploy.md for an S3-compatible store),
named by a random id, never by what the uploader called it. Like a case note, a document marked
confidential is seen only within the agency that attached it."""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models

from earlyhelp.accounts.models import Agency
from earlyhelp.families.models import Household


def _documents_storage():
    return storages["documents"]


def _stored_name(document: "Document", filename: str) -> str:
    return f"{document.household_id}/{document.id}"


class DocumentKind(models.TextChoices):
    CONSENT_FORM = "consent_form", "Consent form"
    SIGNED_PLAN = "signed_plan", "Signed plan"
    LETTER = "letter", "Letter"
    REPORT = "report", "Report from another agency"
    OTHER = "other", "Other"


class Document(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    title = models.CharField(max_length=200)
    file_name = models.CharField(max_length=200)
    file = models.FileField(storage=_documents_storage, upload_to=_stored_name, max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    confidential = models.BooleanField(default=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["household", "uploaded_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=DocumentKind.values), name="document_kind_known"),
            models.CheckConstraint(condition=models.Q(size__gt=0), name="document_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Document {self.pk}"
