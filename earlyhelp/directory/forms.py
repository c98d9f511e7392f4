"""Forms of the directory: the public search, a listing, and the review decision. Forms only parse;
the rules are in rules.py and services.py."""

import uuid

from django import forms
from django.forms.boundfield import BoundField

from earlyhelp.accounts.models import Locality
from earlyhelp.web.forms import GovukFormMixin

from . import rules
from .models import Organization, ServiceStatus
from .selectors import FamilySearch, need_terms
from .services import ListingDetails

MAX_CHILD_AGE = 25


class FamilySearchForm(GovukFormMixin, forms.Form):
    need = forms.ChoiceField(label="What do you need help with?", required=False)
    age = forms.IntegerField(
        label="Age of your child",
        required=False,
        min_value=0,
        max_value=MAX_CHILD_AGE,
        help_text="In years. For a baby under one, enter 0",
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the age as a whole number of years, like 4",
            "min_value": "Enter an age of 0 or more",
            "max_value": f"Enter an age of {MAX_CHILD_AGE} or less",
        },
    )
    q = forms.CharField(
        label="Words to search for", required=False, max_length=100, help_text="For example “toddler group”"
    )
    postcode = forms.CharField(
        label="Your postcode",
        required=False,
        max_length=10,
        help_text="To see the nearest services first",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10", "autocomplete": "postal-code"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        needs = [(term.slug, term.name) for term in need_terms()]
        self.choice_field("need").choices = [("", "Any kind of help"), *needs]

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip()
        if value and rules.clean_postcode(value) is None:
            raise forms.ValidationError("Enter a full postcode, like L36 9XY")
        return rules.clean_postcode(value) or ""

    def query(self) -> FamilySearch:
        data = self.cleaned_data
        return FamilySearch(need=data["need"], age=data["age"], text=data["q"].strip(), postcode=data["postcode"])


class TimeField(forms.TimeField):
    widget = forms.TimeInput(attrs={"type": "time", "class": "govuk-input govuk-input--width-5"}, format="%H:%M")


class AgeField(forms.DecimalField):
    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            min_value=0,
            max_digits=5,
            decimal_places=2,
            widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3", "step": "any"}),
            **kwargs,
        )


class ListingForm(GovukFormMixin, forms.Form):
    """A listing as its editor sees it (ListingDetails)."""

    name = forms.CharField(label="Name of the service", max_length=250)
    description = forms.CharField(
        label="What the service does",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="In plain words, as you would tell a parent",
    )
    needs = forms.MultipleChoiceField(label="Needs it helps with", required=False, widget=forms.CheckboxSelectMultiple)
    minimum_age = AgeField(label="Youngest age", help_text="Leave blank if there is no lower age limit")
    maximum_age = AgeField(label="Oldest age", help_text="Leave blank if there is no upper age limit")
    eligibility_description = forms.CharField(
        label="Who can use it",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Any criteria, for example “parents of children with a diagnosis of autism”",
    )
    application_process = forms.CharField(
        label="How to get help from this service",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example “drop in”, “call to book” or “ask your health visitor to refer you”",
    )
    phone = forms.CharField(label="Phone number", required=False, max_length=50)
    email = forms.EmailField(label="Email address", required=False)
    url = forms.URLField(label="Website", required=False, max_length=500, assume_scheme="https")
    cost_amount = forms.DecimalField(
        label="Cost in pounds",
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text="Enter 0 if it is free; leave blank if you would rather describe the cost",
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-5", "step": "0.01"}),
    )
    cost_description = forms.CharField(
        label="About the cost", required=False, max_length=250, help_text="For example “per session”"
    )
    venue_name = forms.CharField(label="Name of the venue", required=False, max_length=250)
    address_1 = forms.CharField(label="Building and street", required=False, max_length=250)
    town = forms.CharField(label="Town", required=False, max_length=100)
    postcode = forms.CharField(
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )
    days = forms.MultipleChoiceField(
        label="Days it runs",
        required=False,
        choices=list(rules.DAY_NAMES.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    opens_at = TimeField(label="Opens at", required=False)
    closes_at = TimeField(label="Closes at", required=False)
    times_description = forms.CharField(
        label="Opening times in words",
        required=False,
        help_text="Only if the days and times above do not say it, for example “term time only”",
    )
    localities = forms.MultipleChoiceField(
        label="Areas it serves",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked if anyone in the borough can use it",
    )
    status = forms.ChoiceField(label="Is it running?", choices=ServiceStatus.choices)
    alert = forms.CharField(
        label="Notice for families",
        required=False,
        help_text="Something short-lived, for example “closed over the summer holidays”",
    )

    # The page's parts, each under its heading, in the order an editor fills them in.
    SECTIONS = (
        ("The service", ("name", "description", "needs", "status", "alert")),
        ("Who it is for", ("minimum_age", "maximum_age", "eligibility_description", "localities")),
        ("How to get help", ("application_process", "phone", "email", "url", "cost_amount", "cost_description")),
        (
            "Where and when",
            ("venue_name", "address_1", "town", "postcode", "days", "opens_at", "closes_at", "times_description"),
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.choice_field("needs").choices = [(str(term.id), term.name) for term in need_terms()]
        localities = Locality.objects.order_by("name")
        self.choice_field("localities").choices = [(str(item.id), item.name) for item in localities]

    def sections(self) -> list[tuple[str, list[BoundField]]]:
        """Each heading of the page with its fields."""
        return [(heading, [self[name] for name in names]) for heading, names in self.SECTIONS]

    @classmethod
    def initial_from(cls, details: ListingDetails) -> dict:
        data = {name: getattr(details, name) for name in cls.base_fields}
        data["needs"] = [str(item) for item in details.needs]
        data["localities"] = [str(item) for item in details.localities]
        data["days"] = list(details.days)
        return data

    def details(self) -> ListingDetails:
        data = self.cleaned_data
        values = {name: data[name] for name in self.base_fields}
        values["needs"] = tuple(uuid.UUID(item) for item in data["needs"])
        values["localities"] = tuple(int(item) for item in data["localities"])
        values["days"] = tuple(data["days"])
        return ListingDetails(**values)


class OrganizationChoiceForm(GovukFormMixin, forms.Form):
    organization = forms.ModelChoiceField(label="Which organisation runs it?", queryset=Organization.objects.none())

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.model_choice_field("organization").queryset = organizations


class ReviewForm(GovukFormMixin, forms.Form):
    note = forms.CharField(
        label="What needs to change",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed if you return the listing; the editor sees it",
    )
