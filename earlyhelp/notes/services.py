"""Writing case notes, in one transaction with the audit event."""

from django.core.exceptions import ValidationError
from django.db import transaction

from earlyhelp.accounts.models import User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record
from earlyhelp.families.models import Household

from .models import CaseNote

NOTE_REQUIRED = "Write the note"
NOTE_TOO_LONG = "Keep the note under 10,000 characters"
NOTE_NO_AGENCY = "Your account is not linked to an agency: ask your system administrator to link it"
MAX_LENGTH = 10_000


@transaction.atomic
def case_note_add(*, actor: User, household: Household, text: str, confidential: bool = False) -> CaseNote:
    """Add a note to a family's record in the name of the author's agency."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": NOTE_REQUIRED})
    if len(text) > MAX_LENGTH:
        raise ValidationError({"text": NOTE_TOO_LONG})
    if actor.agency_id is None:
        raise ValidationError({"text": NOTE_NO_AGENCY})
    note = CaseNote.objects.create(
        household=household, author=actor, agency_id=actor.agency_id, text=text, confidential=confidential
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="case_note",
        object_id=note.id,
        household_id=household.id,
        details={"confidential": confidential},
    )
    return note
