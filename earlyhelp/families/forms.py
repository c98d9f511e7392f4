"""Forms for the family register. Field rules live in rules.py and services; forms only parse."""

from django import forms
from django.core.exceptions import ValidationError

from earlyhelp.accounts.models import Locality, User
from earlyhelp.web.forms import DateField, GovukFormMixin

from .models import Ethnicity, MemberRole, NhsNumberMissingReason, Person, RelationshipKind, Sex
from .selectors import PersonQuery, person_search
from .services import PersonDetails


class PersonSearchForm(GovukFormMixin, forms.Form):
    name = forms.CharField(required=False, help_text="Any order, for example “Smith Jane”; spelling need not be exact")
    date_of_birth = DateField(required=False)
    nhs_number = forms.CharField(label="NHS number", required=False)
    upn = forms.CharField(label="Unique Pupil Number (UPN)", required=False)
    postcode = forms.CharField(required=False)

    def results(self, user: User) -> list[Person] | None:
        """The people the filled-in fields find for this user (None when nothing was asked); a query the
        search refuses is shown against the fields it names."""
        if not (self.is_valid() and any(self.cleaned_data.values())):
            return None
        query = PersonQuery(**{name: value for name, value in self.cleaned_data.items() if value})
        try:
            return person_search(user=user, query=query)
        except ValidationError as error:
            self.add_service_errors(error)
            return None


class KnownCheckForm(GovukFormMixin, forms.Form):
    given_name = forms.CharField(label="Child's first name", required=False)
    family_name = forms.CharField(label="Child's last name", required=False)
    date_of_birth = DateField(required=False)
    nhs_number = forms.CharField(
        label="NHS number", required=False, help_text="If you have it, the NHS number alone is enough"
    )


class PersonForm(GovukFormMixin, forms.Form):
    given_name = forms.CharField(label="First name", max_length=100)
    family_name = forms.CharField(label="Last name", max_length=100)
    date_of_birth = DateField(required=False)
    expected_date_of_birth = DateField(required=False, help_text="For an unborn child only")
    sex = forms.ChoiceField(choices=Sex.choices, initial=Sex.UNKNOWN)
    ethnicity = forms.ChoiceField(choices=[("", "Not recorded"), *Ethnicity.choices], required=False)
    nhs_number = forms.CharField(label="NHS number", required=False)
    upn = forms.CharField(label="Unique Pupil Number (UPN)", required=False, help_text="School-age children only")
    address_line_1 = forms.CharField(label="Address line 1", required=False)
    address_line_2 = forms.CharField(label="Address line 2", required=False)
    town = forms.CharField(label="Town or city", required=False)
    postcode = forms.CharField(required=False)
    phone = forms.CharField(required=False)
    email = forms.EmailField(required=False)

    def details(self) -> PersonDetails:
        fields = PersonDetails.__dataclass_fields__
        return PersonDetails(**{name: value for name, value in self.cleaned_data.items() if name in fields})


class NewMemberForm(PersonForm):
    role = forms.ChoiceField(label="Role in the household", choices=MemberRole.choices)
    started_on = DateField(label="Living here since", required=False, help_text="Leave blank for today")


class KnownMemberForm(GovukFormMixin, forms.Form):
    nhs_number = forms.CharField(label="NHS number", help_text="The NHS number of the person on the register")
    role = forms.ChoiceField(label="Role in the household", choices=MemberRole.choices)
    started_on = DateField(label="Living here since", required=False, help_text="Leave blank for today")


class HouseholdForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="How the family is known", help_text="For example “Smith family”")
    address_line_1 = forms.CharField(label="Address line 1", required=False)
    address_line_2 = forms.CharField(label="Address line 2", required=False)
    town = forms.CharField(label="Town or city", required=False)
    postcode = forms.CharField(required=False)
    locality = forms.ModelChoiceField(queryset=Locality.objects.all(), required=False)


class RelationshipForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Relationship", choices=RelationshipKind.choices)
    relative = forms.ModelChoiceField(
        label="To whom", queryset=Person.objects.none(), help_text="People who live or lived in the same households"
    )
    started_on = DateField(label="From", required=False)
    ended_on = DateField(label="Until", required=False, help_text="Leave blank if it continues")

    def __init__(self, *args, relatives, **kwargs):
        super().__init__(*args, **kwargs)
        self.model_choice_field("relative").queryset = relatives


class MoveOutForm(GovukFormMixin, forms.Form):
    ended_on = DateField(label="Moved out on", required=False, help_text="Leave blank for today")


class NhsNumberMissingForm(GovukFormMixin, forms.Form):
    # Not required here: the service names a missing choice or detail, in the same words as the API would.
    reason = forms.ChoiceField(
        label="Why is the NHS number missing?",
        choices=NhsNumberMissingReason.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    detail = forms.CharField(
        label="The reason in your words",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the NHS number is withheld or for another reason; no more than 500 characters",
    )


class MergeForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why are these records about the same person?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: same name, date of birth and address; confirmed with the school",
    )
