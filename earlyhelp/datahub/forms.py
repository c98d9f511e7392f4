"""Parsing the data hub's forms; the rules live in rules.py and the services."""

from django import forms

from earlyhelp.accounts.models import Agency
from earlyhelp.web.forms import GovukFormMixin

from . import messages
from .catalogue import layout_catalogue
from .models import LawfulBasis

FILE_REQUIRED = "Select a CSV file or an Excel workbook to upload"


class DatasetForm(GovukFormMixin, forms.Form):
    name = forms.CharField(max_length=200, label="Name", help_text="For example, Northfield schools' attendance")
    layout = forms.ChoiceField(label="Layout", help_text="What each file of this dataset holds (see docs/datasets.md)")
    source_agency = forms.ModelChoiceField(queryset=Agency.objects.all(), label="Source agency")
    sharing_agreement = forms.CharField(max_length=200, label="Data sharing agreement reference")
    lawful_basis = forms.ChoiceField(choices=LawfulBasis.choices, label="Lawful basis", widget=forms.RadioSelect)
    retention_months = forms.IntegerField(
        label="Retention period in months", help_text="How long each record is kept after it arrives"
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        layouts = layout_catalogue().values()
        self.choice_field("layout").choices = [
            (layout.name, f"{layout.name}: {layout.description}") for layout in layouts
        ]


class UploadForm(GovukFormMixin, forms.Form):
    # An empty file reaches the importer, which refuses it with the same words as the command line.
    file = forms.FileField(
        label="Upload a file",
        help_text="A CSV file saved as UTF-8, or an Excel workbook (.xlsx) with one sheet",
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
        error_messages={"required": FILE_REQUIRED, "invalid": FILE_REQUIRED},
    )


class DatasetChangeForm(GovukFormMixin, forms.Form):
    sharing_agreement = DatasetForm.base_fields["sharing_agreement"]
    lawful_basis = DatasetForm.base_fields["lawful_basis"]
    retention_months = DatasetForm.base_fields["retention_months"]


class DismissForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why does the family not need early help now?",
        help_text="For example, the school is already working with the family on attendance",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        error_messages={"required": "Enter why the family does not need early help now"},
    )


class ReviewForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Are these records about the same person?",
        choices=[
            ("accept", "Yes: link the partner's record to this person"),
            ("reject", "No: the partner's record is about someone else"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": messages.REVIEW_DECISION_REQUIRED},
    )


class NotSameForm(GovukFormMixin, forms.Form):
    note = forms.CharField(
        label="Note (optional)",
        help_text="For example, twins: the school confirmed both children",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        error_messages={"max_length": messages.DUPLICATE_NOTE_TOO_LONG},
    )
