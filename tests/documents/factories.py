import factory
from django.core.files.base import ContentFile

from earlyhelp.documents.models import Document, DocumentKind
from tests.factories import HouseholdFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    household = factory.SubFactory(HouseholdFactory)
    kind = DocumentKind.LETTER
    title = "Letter from school"
    file_name = "letter.pdf"
    file = factory.LazyFunction(lambda: ContentFile(PDF, name="letter.pdf"))
    content_type = "application/pdf"
    size = len(PDF)
    sha256 = "0" * 64
    uploaded_by = factory.SubFactory(UserFactory)
    agency = factory.LazyAttribute(lambda document: document.uploaded_by.agency)
