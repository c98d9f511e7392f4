"""Forms for the family register. Field rules live in rules.py and services; forms only parse."""

from django import forms

from earlyhelp.accounts.models import Locality

from .models import Ethnicity, MemberRole, Person, RelationshipKind, Sex
from .services import PersonDetails


class GovukFormMixin:
    """Give every widget its GOV.UK Frontend class and link hints and errors for screen readers.

    Error styling is applied as errors are added, not in __init__: reading `self.errors` there
    would validate the form before a subclass has finished setting up its fields (querysets)."""

    _css = {
        forms.Select: "govuk-select",
        forms.Textarea: "govuk-textarea",
        forms.DateInput: "govuk-input govuk-input--width-10",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("class", self._css.get(type(field.widget), "govuk-input"))
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        names = [field] if field else []
        if field is None and hasattr(error, "error_dict"):
            names = list(error.error_dict)
        for name in names:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            css = self._css.get(type(widget), "govuk-input")
            error_class = "govuk-input--error" if "govuk-input" in css else f"{css}--error"
            if error_class not in widget.attrs["class"]:
                widget.attrs["class"] += f" {error_class}"
            described = widget.attrs.get("aria-describedby", "")
            if f"id_{name}-error" not in described:
                widget.attrs["aria-describedby"] = f"{described} id_{name}-error".strip()

    def add_service_errors(self, error) -> None:
        """Show a service's ValidationError against the fields it names."""
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


class DateField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"})


class PersonSearchForm(GovukFormMixin, forms.Form):
    name = forms.CharField(required=False, help_text="Any order, for example “Smith Jane”; spelling need not be exact")
    date_of_birth = DateField(required=False)
    nhs_number = forms.CharField(label="NHS number", required=False)
    upn = forms.CharField(label="Unique Pupil Number (UPN)", required=False)
    postcode = forms.CharField(required=False)


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
        self.fields["relative"].queryset = relatives


class MoveOutForm(GovukFormMixin, forms.Form):
    ended_on = DateField(label="Moved out on", required=False, help_text="Leave blank for today")
