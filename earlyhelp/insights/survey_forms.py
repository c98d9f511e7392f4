"""Forms of the survey and cost of demand pages. They only parse: the rules live in measures."""

from typing import Any

from django import forms

from earlyhelp.measures.rules import CONFIDENCE_QUESTIONS, CONFIDENCE_SCALE
from earlyhelp.measures.selectors import Period
from earlyhelp.web.forms import DateField, GovukFormMixin

PERIOD_BACKWARDS = "The period must end on or after the day it starts"


def _score(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[(score, f"{score}: {words}") for score, words in CONFIDENCE_SCALE.items()],
        coerce=int,
        widget=forms.RadioSelect,
    )


class ConfidenceForm(GovukFormMixin, forms.Form):
    identifying_need = _score(CONFIDENCE_QUESTIONS["identifying_need"])
    using_levels = _score(CONFIDENCE_QUESTIONS["using_levels"])
    leading_assessment = _score(CONFIDENCE_QUESTIONS["leading_assessment"])


def _periods_checked(form: forms.Form, cleaned: dict[str, Any], *pairs: tuple[str, str]) -> None:
    for start, end in pairs:
        if cleaned.get(start) and cleaned.get(end) and cleaned[end] < cleaned[start]:
            form.add_error(end, PERIOD_BACKWARDS)


class PeriodForm(GovukFormMixin, forms.Form):
    """A period, from one day to another, both included."""

    start = DateField(label="From")
    end = DateField(label="To")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _periods_checked(self, cleaned, ("start", "end"))
        return cleaned

    def period(self) -> Period:
        return Period(start=self.cleaned_data["start"], end=self.cleaned_data["end"])


class CostPeriodsForm(GovukFormMixin, forms.Form):
    """The baseline period and the comparison period of the cost of demand."""

    baseline_start = DateField(label="Baseline from")
    baseline_end = DateField(label="Baseline to")
    comparison_start = DateField(label="Comparison from")
    comparison_end = DateField(label="Comparison to")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _periods_checked(self, cleaned, ("baseline_start", "baseline_end"), ("comparison_start", "comparison_end"))
        return cleaned

    def periods(self) -> tuple[Period, Period]:
        data = self.cleaned_data
        return (
            Period(start=data["baseline_start"], end=data["baseline_end"]),
            Period(start=data["comparison_start"], end=data["comparison_end"]),
        )
