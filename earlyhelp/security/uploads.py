"""A reusable check for uploaded files: size within the limit, and a type that is both named by
the file's extension and shown by its first bytes (so a renamed executable is refused).

Use it in a form field: `forms.FileField(validators=[UploadValidator({"pdf", "png"})])`.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

UPLOAD_TOO_LARGE = "The selected file must be smaller than {limit}"
UPLOAD_EMPTY = "The selected file is empty"
UPLOAD_WRONG_TYPE = "The selected file must be a {allowed}"

# Signatures of the types the service accepts; text types have none and are checked as UTF-8.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
}
TEXT_TYPES = {"csv", "txt"}


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}MB"


@deconstructible
class UploadValidator:
    def __init__(self, allowed: Iterable[str], max_bytes: int | None = None):
        self.allowed = sorted({kind.lower().lstrip(".") for kind in allowed})
        unknown = set(self.allowed) - SIGNATURES.keys() - TEXT_TYPES
        if unknown:
            raise ValueError(f"No signature known for {sorted(unknown)}")
        self.max_bytes = max_bytes

    def __call__(self, upload) -> None:
        limit = self.max_bytes or settings.EARLY_HELP_UPLOAD_MAX_BYTES
        if upload.size == 0:
            raise ValidationError(UPLOAD_EMPTY, code="empty")
        if upload.size > limit:
            raise ValidationError(UPLOAD_TOO_LARGE.format(limit=_megabytes(limit)), code="too_large")
        kind = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if kind not in self.allowed or not self._content_matches(upload, kind):
            raise ValidationError(UPLOAD_WRONG_TYPE.format(allowed=", ".join(self.allowed).upper()), code="type")

    @staticmethod
    def _content_matches(upload, kind: str) -> bool:
        upload.seek(0)
        head = upload.read(4096)
        upload.seek(0)
        if kind in TEXT_TYPES:
            try:
                head.decode("utf-8")
            except UnicodeDecodeError as error:
                # A multi-byte character cut at the 4096th byte is still text.
                return len(head) == 4096 and error.start >= len(head) - 3 and b"\x00" not in head
            return b"\x00" not in head
        return head.startswith(SIGNATURES[kind])

    def __eq__(self, other) -> bool:
        return isinstance(other, UploadValidator) and (self.allowed, self.max_bytes) == (other.allowed, other.max_bytes)
