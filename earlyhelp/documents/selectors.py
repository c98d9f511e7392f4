"""Reads of a family's documents, narrowed to what the reader's agency may see."""

from django.db.models import Q, QuerySet

from earlyhelp.accounts.models import User
from earlyhelp.families.models import Household

from .models import Document


def documents_visible(*, user: User, household: Household) -> QuerySet[Document]:
    """The household's documents, less other agencies' documents marked confidential. The caller
    has already opened the household through the access choke point."""
    documents = household.documents.select_related("uploaded_by", "agency")
    if user.agency_id:
        return documents.filter(Q(confidential=False) | Q(agency_id=user.agency_id))
    return documents.filter(confidential=False)
