"""The email preferences form: one choice for each kind of notification."""

from django import forms

from earlyhelp.web.forms import GovukFormMixin

from .models import Delivery
from .selectors import PreferenceShown

SAFEGUARDING_HINT = "A safeguarding notice: you can have it in the daily summary, but not turn it off"


class PreferencesForm(GovukFormMixin, forms.Form):
    def __init__(self, *args, preferences: list[PreferenceShown], **kwargs):
        super().__init__(*args, **kwargs)
        for shown in preferences:
            choices = [(value, label) for value, label in Delivery.choices]
            if shown.safeguarding:
                choices = [choice for choice in choices if choice[0] != Delivery.OFF]
            self.fields[shown.kind] = forms.ChoiceField(
                label=shown.label,
                choices=choices,
                initial=shown.delivery,
                widget=forms.RadioSelect,
                help_text=SAFEGUARDING_HINT if shown.safeguarding else "",
            )
