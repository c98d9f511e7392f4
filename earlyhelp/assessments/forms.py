"""Forms for the assessment pages. Rules live in rules.py and services; forms only parse."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField

from earlyhelp.web.forms import GovukFormMixin

from .models import AssessmentVersion, LawfulBasis, MemberSection, OutcomeArea
from .selectors import CONTENT_LABELS
from .services import (
    CONTENT_FIELDS,
    SECTION_FIELDS,
    AssessmentConflictError,
    SectionContent,
    VersionContent,
    section_prefix,
)

CONSENT_CHOICES = [("", "Not recorded yet"), ("yes", "Yes, consents"), ("no", "No: shared on a lawful basis")]
SCALE_HELP = "0 means harm is certain, 10 means the family is safe and well"


def scale_field(label: str) -> forms.IntegerField:
    """The Signs of Safety scale, 0 to 10, as the assessment scores it and the plan's meetings re-score it."""
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=10,
        help_text=SCALE_HELP,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-2", "inputmode": "numeric"}),
    )


def _text(label: str, rows: int = 4, help_text: str = "") -> forms.CharField:
    """An optional text box: what is required, and when, is the services' to say."""
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), help_text=help_text
    )


def _section_fields(section: MemberSection) -> dict[str, forms.Field]:
    """One member's fields: their story; a child's voice, or an adult's consent to share."""
    prefix = section_prefix(section.pk)
    name = section.person.full_name
    fields: dict[str, forms.Field] = {f"{prefix}about": _text(f"{name}: situation, strengths and needs")}
    if section.is_child:
        fields[f"{prefix}child_voice"] = _text(f"What {name} says, in their own words")
        fields[f"{prefix}voice_not_heard_reason"] = _text(f"If {name}'s voice could not be heard, why not", rows=2)
        return fields
    fields[f"{prefix}consent_given"] = forms.ChoiceField(
        label=f"Does {name} consent to their information being shared?", choices=CONSENT_CHOICES, required=False
    )
    fields[f"{prefix}consent_what"] = _text(f"What of {name}'s information may be shared", rows=2)
    fields[f"{prefix}consent_with_whom"] = _text("With whom (agencies or people)", rows=2)
    fields[f"{prefix}lawful_basis"] = forms.ChoiceField(
        label="Lawful basis for sharing without consent",
        choices=[("", "Not applicable"), *LawfulBasis.choices],
        required=False,
    )
    return fields


@dataclass(frozen=True)
class FieldGroup:
    """A fieldset of the assessment page: its fields, each with what is saved now if someone else
    saved in between (None where it is the same as the person's own input)."""

    legend: str
    rows: list[tuple[BoundField, Any]]


class AssessmentForm(GovukFormMixin, forms.Form):
    """The whole version: the family's Signs of Safety part, then one group of fields per member.

    A save refused because someone else saved first (`AssessmentConflictError`) keeps the person's
    input, shows beside it what is saved now where that differs (`groups`, `conflict`), and takes
    the revision they have now been shown, so that a second save, made knowingly after merging,
    applies."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, sections: list[MemberSection], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections
        self.conflict: AssessmentVersion | None = None
        self._saved_now: dict[str, Any] = {}
        for name in CONTENT_FIELDS:
            label = CONTENT_LABELS[name]
            self.fields[name] = scale_field(label) if name.endswith("_scale") else _text(label)
        for section in sections:
            self.fields |= _section_fields(section)

    @staticmethod
    def initial_for(version: AssessmentVersion, sections: list[MemberSection]) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(version, name) for name in CONTENT_FIELDS}
        initial["revision"] = version.revision
        for section in sections:
            prefix = section_prefix(section.pk)
            for name in SECTION_FIELDS:
                value = getattr(section, name)
                if name == "consent_given":
                    value = {True: "yes", False: "no"}.get(value, "")
                initial[f"{prefix}{name}"] = value
        return initial

    def update(self) -> dict[str, Any]:
        """The save as `assessment_update` takes it: the revision it was made from, and what it says."""
        return {
            "revision": self.cleaned_data["revision"],
            "content": self.content(),
            "sections": self.section_contents(),
        }

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

    def add_service_errors(self, error: ValidationError) -> None:
        if isinstance(error, AssessmentConflictError):
            self._merge(error.current)
        super().add_service_errors(error)

    def _merge(self, current: AssessmentVersion) -> None:
        self.conflict = current
        saved = self.initial_for(current, list(current.sections.select_related("person")))
        # The person's input as they sent it (the form has no field of many values), at the new revision.
        self.data = dict(self.data.items()) | {"revision": current.revision}
        self._saved_now = {
            key: value
            for key, value in saved.items()
            if key != "revision" and str(value if value is not None else "") != str(self.data.get(key, ""))
        }

    @property
    def groups(self) -> list[FieldGroup]:
        """The page's fieldsets: the whole family's part, then each member's."""
        saved = self._saved_now
        groups = [FieldGroup("The whole family", [(self[name], saved.get(name)) for name in CONTENT_FIELDS])]
        for section in self.sections:
            names = [f"{section_prefix(section.pk)}{name}" for name in SECTION_FIELDS]
            legend = f"{section.person.full_name} ({'child' if section.is_child else 'adult'})"
            groups.append(FieldGroup(legend, [(self[name], saved.get(name)) for name in names if name in self.fields]))
        return groups


class NeedForm(GovukFormMixin, forms.Form):
    person = forms.ChoiceField(label="Whose need is it?")
    outcome_area = forms.ChoiceField(
        label="Outcome area", choices=[("", "Choose an outcome area"), *OutcomeArea.choices], required=False
    )
    description = _text("Describe the need", rows=3)

    def __init__(self, *args, sections: list[MemberSection], **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(section.person_id): section.person for section in sections}
        self.choice_field("person").choices = [
            ("", "The whole family"),
            *((key, person.full_name) for key, person in self.people.items()),
        ]
        self.fields["person"].required = False


class WorryGoalForm(GovukFormMixin, forms.Form):
    worry = _text(
        "Danger or worry statement",
        rows=3,
        help_text="Who is worried, about what, and what could happen to the child if nothing changes",
    )
    goal = _text(
        "Goal",
        rows=3,
        help_text="What the family and the professionals need to see to be confident the child is safe and well",
    )


class QualityForm(GovukFormMixin, forms.Form):
    comments = _text("Comments", rows=5, help_text="Needed when you return the assessment: say what needs to change")
