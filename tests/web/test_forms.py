"""The shared GOV.UK form pieces: fields added late, dates, character limits, messages that name the
field, empty choices and conditional reveals."""

from datetime import date

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from earlyhelp.accounts.models import User
from earlyhelp.journey.forms import ClosureForm
from earlyhelp.web.forms import DATE_EXAMPLE, NOT_KNOWN, DateField, GovukFormMixin

NEEDS = [
    {"area": "Health", "text": "Sleeps through the night", "ref": "n1", "area_code": "health"},
    {"area": "School", "text": "Goes to school every day", "ref": "n2", "area_code": "school"},
]


def _page(form) -> str:
    return render_to_string("includes/form_page.html", {"form": form, "heading": "A form"})


class PersonForm(GovukFormMixin, forms.Form):
    surname = forms.CharField(max_length=100)
    email = forms.EmailField(label="Email address", required=False)
    date_of_birth = DateField(label="Date of birth", required=False)
    story = forms.CharField(label="What happened", widget=forms.Textarea, max_length=5000, required=False)


# Fields added after set-up ------------------------------------------------------------------------


def test_a_closure_sent_empty_shows_an_error_by_each_field_instead_of_crashing():
    form = ClosureForm({}, needs=NEEDS)
    assert not form.is_valid()
    assert form.errors["reason"] == ["Select an answer to “Why is the episode closing?”"]
    assert form.errors["need_0"] == ["Select an answer to “Health: Sleeps through the night”"]
    html = _page(form)
    assert html.count("govuk-form-group--error") == 3
    assert '<a href="#id_need_1_0">Select an answer to “School: Goes to school every day”</a>' in html


def test_a_closure_with_one_outcome_unanswered_keeps_what_was_typed():
    form = ClosureForm({"reason": "other", "detail": "Moved in with grandparents", "need_0": "met"}, needs=NEEDS)
    assert not form.is_valid()
    assert list(form.errors) == ["need_1"]
    html = _page(form)
    assert "Moved in with grandparents</textarea>" in html
    assert 'value="met" checked' in html


def test_a_field_a_form_adds_after_set_up_gets_its_classes_when_rendered():
    class Late(GovukFormMixin, forms.Form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["town"] = forms.CharField(max_length=50)

    form = Late({"town": ""})
    form.add_error("town", "Enter a town we know")
    assert 'class="govuk-input govuk-input--error"' in str(form["town"])


# Dates --------------------------------------------------------------------------------------------


def test_a_date_is_typed_as_day_month_and_year():
    form = PersonForm(
        {"surname": "Rivers", "date_of_birth_day": "4", "date_of_birth_month": "03", "date_of_birth_year": "2016"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == date(2016, 3, 4)


def test_a_date_sent_as_one_iso_value_is_still_read():
    form = PersonForm({"surname": "Rivers", "date_of_birth": "2016-03-04"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == date(2016, 3, 4)


def test_an_optional_date_left_blank_is_none():
    form = PersonForm(
        {"surname": "Rivers", "date_of_birth_day": "", "date_of_birth_month": "", "date_of_birth_year": ""}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] is None


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("4", "", "2016", "Date of birth must include a month"),
        ("", "", "2016", "Date of birth must include a day and month"),
        ("31", "2", "2016", "Date of birth must be a real date"),
        ("4", "March", "2016", "Date of birth must be a real date"),
        ("4", "3", "16", "Date of birth must include a year with 4 numbers"),
    ],
)
def test_a_date_that_is_incomplete_or_not_real_is_refused_with_a_message_naming_the_field(day, month, year, message):
    form = PersonForm(
        {"surname": "Rivers", "date_of_birth_day": day, "date_of_birth_month": month, "date_of_birth_year": year}
    )
    assert form.errors["date_of_birth"] == [message]


def test_a_required_date_left_blank_asks_for_it_by_name():
    class Born(GovukFormMixin, forms.Form):
        date_of_birth = DateField(label="Date of birth")

    assert Born({}).errors["date_of_birth"] == ["Enter date of birth"]


def test_the_date_input_is_govuk_markup_with_only_the_missing_part_marked_in_error():
    form = PersonForm(
        {"surname": "R", "date_of_birth_day": "4", "date_of_birth_month": "", "date_of_birth_year": "2016"}
    )
    html = _page(form)
    assert (
        '<fieldset class="govuk-fieldset" role="group" aria-describedby="id_date_of_birth-hint id_date_of_birth-error">'
        in html
    )
    assert "Date of birth (optional)</legend>" in html
    assert DATE_EXAMPLE in html
    assert 'class="govuk-date-input"' in html
    assert 'name="date_of_birth_day" type="text" inputmode="numeric" value="4"' in html
    assert (
        'class="govuk-input govuk-date-input__input govuk-input--width-2 govuk-input--error" '
        'id="id_date_of_birth_month"' in html
    )
    assert 'class="govuk-input govuk-date-input__input govuk-input--width-4" id="id_date_of_birth_year"' in html
    assert '<a href="#id_date_of_birth_month">Date of birth must include a month</a>' in html
    assert 'type="date"' not in html


def test_a_date_given_as_initial_value_is_shown_in_its_three_parts():
    html = str(PersonForm(initial={"date_of_birth": date(2016, 3, 4)})["date_of_birth"])
    assert 'value="4"' in html and 'value="3"' in html and 'value="2016"' in html


# Character limits ---------------------------------------------------------------------------------


def test_a_surname_over_its_limit_is_refused_with_the_limit_and_kept_for_correction():
    form = PersonForm({"surname": "R" * 154})
    assert form.errors["surname"] == ["Surname must be 100 characters or fewer"]
    assert f'value="{"R" * 154}"' in _page(form)


def test_a_long_text_is_refused_rather_than_cut():
    form = PersonForm({"surname": "Rivers", "story": "x" * 10_000})
    assert form.errors["story"] == ["What happened must be 5000 characters or fewer"]


def test_the_browser_is_not_told_to_cut_text_at_the_limit():
    assert " maxlength=" not in _page(PersonForm())


def test_a_textarea_with_a_limit_is_govuk_s_character_count():
    html = _page(PersonForm())
    assert (
        'class="govuk-form-group govuk-character-count" data-module="govuk-character-count" data-maxlength="5000"'
        in html
    )
    assert 'aria-describedby="id_story-info" class="govuk-textarea govuk-js-character-count"' in html
    assert (
        'class="govuk-hint govuk-character-count__message" id="id_story-info">You can enter up to 5,000 characters'
        in html
    )


def test_a_text_input_with_a_limit_says_the_limit_in_its_hint():
    html = _page(PersonForm())
    assert '<div class="govuk-hint" id="id_surname-info">You can enter up to 100 characters</div>' in html
    assert 'aria-describedby="id_surname-info"' in html


# Messages that name the field ---------------------------------------------------------------------


def test_each_missing_answer_is_named_in_the_error_summary():
    class Three(GovukFormMixin, forms.Form):
        given_name = forms.CharField(label="First name")
        family_name = forms.CharField(label="Last name")
        level = forms.ChoiceField(label="Level of need", choices=[("1", "1"), ("2", "2")], widget=forms.RadioSelect)

    form = Three({})
    assert [error for errors in form.errors.values() for error in errors] == [
        "Enter first name",
        "Enter last name",
        "Select level of need",
    ]
    assert "This field is required." not in _page(form)


def test_an_email_address_in_the_wrong_format_is_named():
    form = PersonForm({"surname": "Rivers", "email": "rosa"})
    assert form.errors["email"] == ["Enter email address in the correct format, like name@example.com"]


def test_a_label_starting_with_an_acronym_keeps_its_capitals():
    class Number(GovukFormMixin, forms.Form):
        nhs_number = forms.CharField(label="NHS number")

    assert Number({}).errors["nhs_number"] == ["Enter NHS number"]


def test_a_label_with_a_per_cent_sign_is_shown_as_written():
    class Attendance(GovukFormMixin, forms.Form):
        attendance = forms.CharField(label="Attendance %", max_length=3)
        since = DateField(label="Attendance % since")

    form = Attendance({"attendance": "1000", "since_day": "31", "since_month": "2", "since_year": "2024"})
    assert form.errors["attendance"] == ["Attendance % must be 3 characters or fewer"]
    assert form.errors["since"] == ["Attendance % since must be a real date"]
    assert Attendance({"attendance": ""}).errors["attendance"] == ["Enter attendance %"]


def test_a_message_the_form_sets_itself_is_kept():
    class Own(GovukFormMixin, forms.Form):
        surname = forms.CharField(error_messages={"required": "Tell us the family's surname"})

    assert Own({}).errors["surname"] == ["Tell us the family's surname"]


def test_a_service_error_naming_fields_is_shown_by_each_field_and_one_naming_none_above_the_form():
    form = PersonForm({"surname": "Smith"})
    assert form.is_valid()
    form.add_service_errors(ValidationError({"surname": "Surname is already taken", "household": "Choose one"}))
    form.add_service_errors(ValidationError("This step cannot be taken now"))
    assert form.errors["surname"] == ["Surname is already taken"]
    assert form.non_field_errors() == ["Choose one", "This step cannot be taken now"]
    assert "This step cannot be taken now" in _page(form)


# Empty choices ------------------------------------------------------------------------------------


def test_a_required_select_has_no_dashed_empty_choice_and_an_optional_one_says_not_known():
    class Choose(GovukFormMixin, forms.Form):
        needed = forms.ChoiceField(choices=[("", "---------"), ("a", "A")])
        optional = forms.ChoiceField(choices=[("", "---------"), ("a", "A")], required=False)
        chosen_by_form = forms.ChoiceField(choices=[("", "Everyone"), ("a", "A")], required=False)
        person = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
        lead = forms.ModelChoiceField(queryset=User.objects.none())

    form = Choose()
    html = _page(form)
    assert "---------" not in html
    assert [value for value, _ in form.fields["needed"].choices] == ["a"]
    assert form.fields["optional"].choices[0] == ("", NOT_KNOWN)
    assert form.fields["chosen_by_form"].choices[0] == ("", "Everyone")
    assert list(form.fields["person"].choices) == [("", NOT_KNOWN)]
    assert list(form.fields["lead"].choices) == []


# Conditional reveals ------------------------------------------------------------------------------


class DecisionForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Decision", choices=[("mash", "Refer to MASH"), ("early_help", "Early help")], widget=forms.RadioSelect
    )
    mash_reasons = forms.CharField(label="Why MASH", widget=forms.Textarea)
    mash_team = forms.CharField(label="MASH team", max_length=50)
    conditional = {"decision": {"mash": ["mash_reasons", "mash_team"]}}


def test_fields_a_choice_reveals_are_rendered_inside_that_choice():
    html = _page(DecisionForm())
    assert 'value="mash" data-aria-controls="conditional-id_decision_0"' in html
    reveal = html.split(
        '<div class="govuk-radios__conditional govuk-radios__conditional--hidden" id="conditional-id_decision_0">'
    )
    assert len(reveal) == 2
    inside = reveal[1].split('id="id_decision_1"')[0]
    assert 'name="mash_reasons"' in inside and 'name="mash_team"' in inside
    assert html.count('name="mash_team"') == 1


def test_the_reveal_of_the_chosen_option_is_open_so_its_errors_show_before_any_script_runs():
    html = _page(DecisionForm({"decision": "mash"}))
    assert '<div class="govuk-radios__conditional" id="conditional-id_decision_0">' in html
    assert "Enter MASH team" in html.split('id="conditional-id_decision_0"')[1]


def test_a_revealed_field_is_required_only_when_its_choice_is_selected():
    assert set(DecisionForm({"decision": "mash"}).errors) == {"mash_reasons", "mash_team"}
    form = DecisionForm({"decision": "early_help", "mash_team": "typed then changed mind"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["mash_team"] == ""
    assert form.fields["mash_team"].required
