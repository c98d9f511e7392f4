"""Reads of the files already imported."""

from .layouts import Layout
from .models import ImportedFile


def imported_file_find(*, layout: Layout, sha256: str) -> ImportedFile | None:
    """The file with this content already loaded under this layout (any version), if there is one."""
    return ImportedFile.objects.filter(layout=layout.name, sha256=sha256).first()
