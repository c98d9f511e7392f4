"""The date input's parser over many inputs: a real date comes back as typed, anything else is
refused with a message naming the field, and nothing crashes."""

from datetime import date

from django import forms
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.web.forms import DateField, GovukFormMixin


class Born(GovukFormMixin, forms.Form):
    date_of_birth = DateField(label="Date of birth")


def _typed(day: str, month: str, year: str) -> Born:
    return Born({"date_of_birth_day": day, "date_of_birth_month": month, "date_of_birth_year": year})


@given(st.dates(min_value=date(1000, 1, 1)))
def test_any_real_date_typed_as_day_month_and_year_is_read_back(real):
    form = _typed(str(real.day), str(real.month), str(real.year))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == real


@given(st.text(max_size=6), st.text(max_size=6), st.text(max_size=6))
def test_anything_typed_is_a_date_or_a_refusal_naming_the_field(day, month, year):
    form = _typed(day, month, year)
    if not form.is_valid():
        [message] = form.errors["date_of_birth"]
        assert message.startswith(("Date of birth ", "Enter date of birth"))
