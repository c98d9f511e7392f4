from django import forms

from earlyhelp.families.forms import KnownCheckForm


class BreakGlassForm(KnownCheckForm):
    reason = forms.CharField(
        label="Why you need to open this family's record now",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Your manager and the data protection officer will see this reason",
    )
