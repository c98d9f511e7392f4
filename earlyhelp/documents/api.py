"""A family's documents over the REST API: the same access rule, confidentiality rule, checks and
audit as the page. A POST is multipart (the file in `upload`); the download answers the file itself."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers

from earlyhelp.families.api import HouseholdApi
from earlyhelp.web.api import ListAddApi, model_serializer, names_of

from .models import Document, DocumentKind
from .responses import download_response
from .selectors import documents_visible
from .services import document_add, document_open

DocumentSerializer = model_serializer(
    Document,
    "id household kind title file_name content_type size sha256 confidential agency uploaded_by uploaded_at",
    doc="A document on the family's record: what it is, its file's name, type, size and SHA-256, and who attached it.",
    **names_of("agency", "uploaded_by"),
)


class DocumentCreateSerializer(serializers.Serializer):
    # Type, size and emptiness are judged by the service, in the same words as on the page.
    upload = serializers.FileField(allow_empty_file=True)
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    title = serializers.CharField(allow_blank=True)
    confidential = serializers.BooleanField(default=False)


class DocumentsApi(HouseholdApi, ListAddApi):
    """The family's documents, newest first, less other agencies' confidential ones; a multipart POST
    attaches one in the name of the caller's agency."""

    shows = DocumentSerializer
    takes = DocumentCreateSerializer

    def read(self, request, record):
        return documents_visible(user=request.user, household=record)

    def write(self, request, record, data):
        return document_add(actor=request.user, household=record, **data)


class DocumentDownloadApi(HouseholdApi):
    """The document's file, as it was attached. Every download is audited; a document the caller may
    not see is "not found", as a missing one is."""

    @extend_schema(
        responses={200: OpenApiResponse(OpenApiTypes.BINARY, description="The document's file")},
    )
    def get(self, request, household_id, document_id):
        household = self.open(request, household_id)
        document = document_open(actor=request.user, household=household, document_id=document_id)
        return download_response(document)
