"""A family's case notes over the REST API: the same access rule, confidential-note rule and audit
as the page."""

from rest_framework import serializers

from earlyhelp.families.api import HouseholdApi
from earlyhelp.web.api import ListAddApi, model_serializer, names_of

from .models import CaseNote
from .selectors import case_notes_visible
from .services import case_note_add

CaseNoteSerializer = model_serializer(
    CaseNote,
    "id household author agency text confidential created_at",
    doc="A case note: who wrote it, in the name of which agency, and whether it is confidential to it.",
    **names_of("author", "agency"),
)


class CaseNoteCreateSerializer(serializers.Serializer):
    # A blank or over-long note is refused by the service, in its own words.
    text = serializers.CharField(allow_blank=True)
    confidential = serializers.BooleanField(default=False)


class CaseNotesApi(HouseholdApi, ListAddApi):
    """The family's case notes, newest first, less other agencies' confidential notes; a POST adds a
    note in the name of the caller's agency."""

    shows = CaseNoteSerializer
    takes = CaseNoteCreateSerializer

    def read(self, request, record):
        return case_notes_visible(user=request.user, household=record)

    def write(self, request, record, data):
        return case_note_add(actor=request.user, household=record, **data)
