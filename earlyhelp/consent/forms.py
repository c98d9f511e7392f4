"""Forms for consent and sharing without consent. Rules live in rules.py and services."""

from django import forms

from earlyhelp.accounts.models import Agency
from earlyhelp.web.forms import DateField, GovukFormMixin

from .models import LawfulBasis, SharingPurpose


class ConsentForm(GovukFormMixin, forms.Form):
    person = forms.ChoiceField(label="Who is giving consent")
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies their information may be shared with",
        queryset=Agency.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    purpose = forms.ChoiceField(label="What it may be shared for", choices=SharingPurpose.choices)
    given_on = DateField(label="Date consent was given", required=False, help_text="Leave blank for today")
    young_person_competent = forms.BooleanField(
        label="They are under 18, or their age is not recorded, and I judge them able to consent for themselves",
        required=False,
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.choice_field("person").choices = [(str(person.id), person.full_name) for person in people]
        self.people = {str(person.id): person for person in people}


class WithdrawForm(GovukFormMixin, forms.Form):
    withdrawn_on = DateField(label="Date consent was withdrawn", required=False, help_text="Leave blank for today")


class SharingWithoutConsentForm(GovukFormMixin, forms.Form):
    agency = forms.ModelChoiceField(label="Agency to share with", queryset=Agency.objects.all())
    purpose = forms.ChoiceField(label="What it will be shared for", choices=SharingPurpose.choices)
    lawful_basis = forms.ChoiceField(label="Lawful basis", choices=LawfulBasis.choices)
    reason = forms.CharField(
        label="Why it must be shared without consent",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Say what the risk is and why asking for consent would increase it or is not possible",
    )


class DecisionForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision", choices=[("confirm", "Confirm sharing"), ("decline", "Decline")]
    )
