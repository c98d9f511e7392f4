"""Attaching a document to a family's record and opening one: each in one transaction with its
audit event. The file's type is judged by its content as well as its name (security/uploads.py),
its size against the limit, and an empty file is refused; a refused file stores nothing."""

import hashlib
import mimetypes
import uuid

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from earlyhelp.accounts.models import User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record
from earlyhelp.families.access import RecordNotFound
from earlyhelp.families.models import Household
from earlyhelp.security.uploads import UploadValidator

from .models import Document, DocumentKind
from .selectors import documents_visible

# What may be attached: documents and scans. Each type is checked by its first bytes too.
ALLOWED_TYPES = ("pdf", "docx", "odt", "png", "jpg", "jpeg", "txt")
TITLE_MAX = 200

TITLE_REQUIRED = "Enter a title for the document"
TITLE_TOO_LONG = f"Keep the title to {TITLE_MAX} characters or fewer"
KIND_REQUIRED = "Select what kind of document this is"
FILE_REQUIRED = "Select a file to attach"
NO_AGENCY = "Your account is not linked to an agency: ask your system administrator to link it"


def _file_name(upload: UploadedFile) -> str:
    """What the uploader called the file, kept for the download; path parts and control characters go."""
    name = (upload.name or "document").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(character for character in name if character.isprintable() and character not in '"')
    return name[-TITLE_MAX:] or "document"


def _digest(upload: UploadedFile) -> str:
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _checked(*, actor: User, upload: UploadedFile | None, kind: str, title: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in DocumentKind.values:
        errors["kind"] = KIND_REQUIRED
    if not title:
        errors["title"] = TITLE_REQUIRED
    elif len(title) > TITLE_MAX:
        errors["title"] = TITLE_TOO_LONG
    if upload is None:
        errors["upload"] = FILE_REQUIRED
    else:
        try:
            UploadValidator(ALLOWED_TYPES)(upload)
        except ValidationError as error:
            errors["upload"] = error.messages[0]
    if actor.agency_id is None:
        errors["upload"] = NO_AGENCY
    return errors


@transaction.atomic
def document_add(
    *,
    actor: User,
    household: Household,
    upload: UploadedFile | None,
    kind: str,
    title: str,
    confidential: bool = False,
) -> Document:
    """Attach a file to the family's record in the name of the uploader's agency."""
    title = (title or "").strip()
    errors = _checked(actor=actor, upload=upload, kind=kind, title=title)
    if errors or upload is None:
        raise ValidationError(errors or {"upload": FILE_REQUIRED})
    name = _file_name(upload)
    document = Document(
        id=uuid.uuid4(),
        household=household,
        kind=kind,
        title=title,
        file_name=name,
        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
        size=upload.size or 0,
        sha256=_digest(upload),
        confidential=confidential,
        agency=actor.agency,
        uploaded_by=actor,
    )
    document.file.save(name, upload, save=False)
    try:
        document.save(force_insert=True)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="document",
            object_id=document.id,
            household_id=household.id,
            details={"kind": kind, "size": document.size, "confidential": confidential},
        )
    except BaseException:
        # The row did not go in, so the stored file must not stay behind.
        document.file.storage.delete(document.file.name or "")
        raise
    return document


def document_open(*, actor: User, household: Household, document_id: object) -> Document:
    """The document, for download, if this user may see it; the download (or the refusal) is audited.
    The caller has opened the household through the access choke point."""
    try:
        key = document_id if isinstance(document_id, uuid.UUID) else uuid.UUID(str(document_id))
    except ValueError:
        key = None
    document = documents_visible(user=actor, household=household).filter(id=key).first() if key else None
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=Action.EXPORT if document else Action.VIEW,
            object_type="document",
            object_id=str(document_id)[:64],
            household_id=household.id,
            purpose="download",
            details={"outcome": "downloaded"} if document else {"outcome": "refused"},
        )
    if document is None:
        raise RecordNotFound()
    return document
