from django import forms

from earlyhelp.web.forms import GovukFormMixin


class CaseNoteForm(GovukFormMixin, forms.Form):
    text = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 5}))
    confidential = forms.BooleanField(
        label="Confidential to my agency",
        required=False,
        help_text="Other agencies in the family's team will not see this note",
    )
