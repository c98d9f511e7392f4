"""Parsing only: which financial year's progress return to show."""

from datetime import date

from django import forms

from earlyhelp.web.forms import GovukFormMixin

# The return reaches back this many financial years before the current one.
YEARS_BACK = 6


def financial_year_of(day: date) -> int:
    """The year in which the financial year holding `day` began (it runs from 1 April to 31 March)."""
    return day.year if day.month >= 4 else day.year - 1


class FinancialYearForm(GovukFormMixin, forms.Form):
    year = forms.TypedChoiceField(label="Financial year", coerce=int, choices=[])

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = financial_year_of(today)
        field: forms.TypedChoiceField = self.fields["year"]  # type: ignore[assignment]
        field.choices = [
            (year, f"April {year} to March {year + 1}")
            for year in range(self.current, self.current - YEARS_BACK - 1, -1)
        ]
        field.initial = self.current

    def chosen_year(self) -> int:
        """The year chosen, or the current financial year when none (or an unknown one) was given."""
        return self.cleaned_data["year"] if self.is_bound and self.is_valid() else self.current
