"""Forms for the assessment pages. Rules live in rules.py and services; forms only parse."""

from django import forms

from earlyhelp.web.forms import GovukFormMixin

from .models import AssessmentVersion, LawfulBasis, MemberSection, OutcomeArea
from .services import CONTENT_FIELDS, SECTION_FIELDS, SectionContent, VersionContent, section_prefix

CONSENT_CHOICES = [("", "Not recorded yet"), ("yes", "Yes, consents"), ("no", "No: shared on a lawful basis")]
SCALE_HELP = "0 means harm is certain, 10 means the family is safe and well"


def _scale(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=10,
        help_text=SCALE_HELP,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-2", "inputmode": "numeric"}),
    )


def _text(label: str, rows: int = 4) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}))


class AssessmentForm(GovukFormMixin, forms.Form):
    """The whole version: the family's Signs of Safety part, then one group of fields per member.
    Build it with `for_sections`, which adds the members' fields."""

    revision = forms.IntegerField(widget=forms.HiddenInput)
    sections: list[MemberSection] = []

    @classmethod
    def for_sections(cls, sections: list[MemberSection]) -> type["AssessmentForm"]:
        fields: dict[str, forms.Field] = {}
        meta = AssessmentVersion._meta
        for name in CONTENT_FIELDS:
            label = str(meta.get_field(name).verbose_name)
            fields[name] = _scale(label) if name.endswith("_scale") else _text(label)
        for section in sections:
            prefix = section_prefix(section.pk)
            name = section.person.full_name
            fields[f"{prefix}about"] = _text(f"{name}: situation, strengths and needs")
            if section.is_child:
                fields[f"{prefix}child_voice"] = _text(f"What {name} says, in their own words")
                fields[f"{prefix}voice_not_heard_reason"] = _text(
                    f"If {name}'s voice could not be heard, why not", rows=2
                )
            else:
                fields[f"{prefix}consent_given"] = forms.ChoiceField(
                    label=f"Does {name} consent to their information being shared?",
                    choices=CONSENT_CHOICES,
                    required=False,
                )
                fields[f"{prefix}consent_what"] = _text(f"What of {name}'s information may be shared", rows=2)
                fields[f"{prefix}consent_with_whom"] = _text("With whom (agencies or people)", rows=2)
                fields[f"{prefix}lawful_basis"] = forms.ChoiceField(
                    label="Lawful basis for sharing without consent",
                    choices=[("", "Not applicable"), *LawfulBasis.choices],
                    required=False,
                )
        return type(cls)("AssessmentVersionForm", (cls,), {**fields, "sections": sections})

    @classmethod
    def initial_for(cls, version: AssessmentVersion, sections: list[MemberSection]) -> dict:
        initial = {name: getattr(version, name) for name in CONTENT_FIELDS}
        initial["revision"] = version.revision
        for section in sections:
            prefix = section_prefix(section.pk)
            for name in SECTION_FIELDS:
                value = getattr(section, name)
                if name == "consent_given":
                    value = {True: "yes", False: "no"}.get(value, "")
                initial[f"{prefix}{name}"] = value
        return initial

    def content(self) -> VersionContent:
        return VersionContent(**{name: self.cleaned_data[name] for name in CONTENT_FIELDS})

    def section_contents(self) -> dict[int, SectionContent]:
        contents = {}
        for section in self.sections:
            prefix = section_prefix(section.pk)
            values = {name: self.cleaned_data.get(f"{prefix}{name}", "") for name in SECTION_FIELDS}
            values["consent_given"] = {"yes": True, "no": False}.get(values["consent_given"])
            contents[section.pk] = SectionContent(**values)
        return contents


class NeedForm(GovukFormMixin, forms.Form):
    person = forms.ChoiceField(label="Whose need is it?")
    outcome_area = forms.ChoiceField(
        label="Outcome area", choices=[("", "Choose an outcome area"), *OutcomeArea.choices], required=False
    )
    description = forms.CharField(label="Describe the need", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, sections: list[MemberSection], **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(section.person_id): section.person for section in sections}
        self.fields["person"].choices = [
            ("", "The whole family"),
            *((key, person.full_name) for key, person in self.people.items()),
        ]
        self.fields["person"].required = False


class WorryGoalForm(GovukFormMixin, forms.Form):
    worry = forms.CharField(
        label="Danger or worry statement",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who is worried, about what, and what could happen to the child if nothing changes",
    )
    goal = forms.CharField(
        label="Goal",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the family and the professionals need to see to be confident the child is safe and well",
    )


class QualityForm(GovukFormMixin, forms.Form):
    comments = forms.CharField(
        label="Comments",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Needed when you return the assessment: say what needs to change",
    )
