"""A family's case notes. Each view parses, calls one selector or service, and renders."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from earlyhelp.accounts.decorators import casework_required
from earlyhelp.families.access import access_household_by_id

from .forms import CaseNoteForm
from .selectors import case_notes_visible
from .services import case_note_add


@casework_required
@require_http_methods(["GET", "POST"])
def household_notes(request, household_id):
    household = access_household_by_id(request.user, household_id, purpose="case notes")
    form = CaseNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case_note_add(
                actor=request.user,
                household=household,
                text=form.cleaned_data["text"],
                confidential=form.cleaned_data["confidential"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Note added")
            return redirect("notes:household", household.id)
    notes = case_notes_visible(user=request.user, household=household)
    return render(request, "notes/household_notes.html", {"household": household, "notes": notes, "form": form})
