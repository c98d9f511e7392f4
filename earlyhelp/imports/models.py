"""Files already imported, recognised by their content so that the same file is never loaded twice."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImportStatus(models.TextChoices):
    # A file is recorded only once its rows are stored: a refused file leaves no trace.
    LOADED = "loaded", "Loaded"


class ImportedFile(models.Model):
    """One file whose rows were stored under a layout; its SHA-256 recognises the same content again."""

    layout = models.CharField(max_length=100)
    layout_version = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    row_count = models.PositiveIntegerField()
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    loaded_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.LOADED)

    class Meta:
        ordering = ["-loaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["layout", "sha256"], name="imported_file_once_per_layout"),
            models.CheckConstraint(
                condition=models.Q(status__in=ImportStatus.values), name="imported_file_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.layout} {self.sha256[:12]} ({self.row_count} rows)"
