"""A family's case notes. Each view parses, calls one selector or service, and renders."""

from django.urls import reverse
from django.views.decorators.http import require_http_methods

from earlyhelp.accounts.decorators import casework_required
from earlyhelp.families.access import access_household_by_id
from earlyhelp.web.pages import form_flow

from .forms import CaseNoteForm
from .selectors import case_notes_visible
from .services import case_note_add


@casework_required
@require_http_methods(["GET", "POST"])
def household_notes(request, household_id):
    household = access_household_by_id(request.user, household_id, purpose="case notes")
    return form_flow(
        request,
        CaseNoteForm(request.POST or None),
        save=lambda data: case_note_add(
            actor=request.user, household=household, text=data["text"], confidential=data["confidential"]
        ),
        success=reverse("notes:household", args=[household.id]),
        done="Note added",
        heading="Case notes",
        template="notes/household_notes.html",
        household=household,
        notes=case_notes_visible(user=request.user, household=household),
    )
