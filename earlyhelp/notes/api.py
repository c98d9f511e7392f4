"""A family's case notes over the REST API: the same access rule, confidential-note rule and audit
as the page."""

from rest_framework import serializers

from earlyhelp.accounts import capabilities
from earlyhelp.families.access import access_household_by_id
from earlyhelp.web.api import NOT_YOUR_PART, ReadApi, WriteApi, capability_permission

from .models import CaseNote
from .selectors import case_notes_visible
from .services import case_note_add

Casework = capability_permission(capabilities.works_with_families, NOT_YOUR_PART)


class CaseNoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.display_name")
    agency = serializers.CharField(source="agency.name")

    class Meta:
        model = CaseNote
        fields = ["id", "household", "author", "agency", "text", "confidential", "created_at"]


class CaseNoteCreateSerializer(serializers.Serializer):
    # A blank or over-long note is refused by the service, in its own words.
    text = serializers.CharField(allow_blank=True)
    confidential = serializers.BooleanField(default=False)


class CaseNotesApi(ReadApi, WriteApi):
    """The family's case notes, newest first, less other agencies' confidential notes; a POST adds a
    note in the name of the caller's agency."""

    permission_classes = [Casework]
    shows = CaseNoteSerializer
    takes = CaseNoteCreateSerializer
    many = True
    creates = True
    found = "The case notes the caller's agency may read."
    done = "The note, added."

    def open(self, request, household_id):
        return access_household_by_id(request.user, household_id, purpose="api case notes")

    def read(self, request, record):
        return case_notes_visible(user=request.user, household=record)

    def write(self, request, record, data):
        return case_note_add(actor=request.user, household=record, **data)
