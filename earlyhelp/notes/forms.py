from django import forms

from earlyhelp.web.forms import GovukFormMixin

from .services import NOTE_REQUIRED


class CaseNoteForm(GovukFormMixin, forms.Form):
    text = forms.CharField(
        label="Note", widget=forms.Textarea(attrs={"rows": 5}), error_messages={"required": NOTE_REQUIRED}
    )
    confidential = forms.BooleanField(
        label="Confidential to my agency",
        required=False,
        help_text="Other agencies in the family's team will not see this note",
    )
