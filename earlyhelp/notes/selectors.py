"""Reads of case notes, narrowed field by field to what the reader's agency may see."""

from django.db.models import Q, QuerySet

from earlyhelp.accounts.models import User
from earlyhelp.families.models import Household

from .models import CaseNote


def case_notes_visible(*, user: User, household: Household) -> QuerySet[CaseNote]:
    """The household's notes, less other agencies' notes marked confidential. The caller has
    already opened the household through the access choke point."""
    notes = household.case_notes.select_related("author", "agency")
    return (
        notes.filter(Q(confidential=False) | Q(agency_id=user.agency_id))
        if user.agency_id
        else notes.filter(confidential=False)
    )
