"""Which record each row of an imported bundle became, by the previous system's id for it."""

from django.db import models
from django.utils import timezone


class ImportedRow(models.Model):
    """One row of a bundle file that was stored: the previous system's id for it, the record it became, and
    a fingerprint of its values, so the same row sent again is recognised and a changed one is noticed."""

    id = models.BigAutoField(primary_key=True)
    # The bundle file's name without `.csv` ("persons", "episodes", ...).
    file = models.CharField(max_length=30)
    source_id = models.CharField("The previous system's id", max_length=100)
    # The primary key of the record the row became (a UUID or a number, as text).
    record_id = models.CharField(max_length=64)
    # SHA-256 of the row's values as the layout read them (rules.row_fingerprint).
    fingerprint = models.CharField(max_length=64)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["file", "source_id"]
        constraints = [models.UniqueConstraint(fields=["file", "source_id"], name="history_row_once_per_file")]

    def __str__(self) -> str:
        return f"{self.file} {self.source_id}"
