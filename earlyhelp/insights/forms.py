"""The dashboard's filters: a GET form, so that a filtered dashboard is a link to share."""

from datetime import date, timedelta

from django import forms

from earlyhelp.accounts.models import AgencyKind, Locality
from earlyhelp.measures import rules
from earlyhelp.measures.models import SELF_REFERRAL
from earlyhelp.measures.selectors import Filters, Period
from earlyhelp.web.forms import DateField, GovukFormMixin

from .dashboard import GRANULARITIES

PERIOD_BACKWARDS = "The end of the period must be on or after its start"
TOO_MANY_MONTHS = "Show by month covers up to 36 months: choose a shorter period, or show by quarter or year"
TOO_LONG = "The period must be 10 years or shorter"
MOST_MONTHS = 36
MOST_DAYS = 3653
EVERY = ("", "All")


def default_period(today: date) -> Period:
    """The twelve whole months before this one."""
    end = today.replace(day=1) - timedelta(days=1)
    start = date(end.year - 1, end.month % 12 + 1, 1) if end.month < 12 else date(end.year, 1, 1)
    return Period(start=start, end=end)


class DashboardForm(GovukFormMixin, forms.Form):
    start = DateField(label="Period from", required=False)
    end = DateField(label="Period to", required=False)
    show_by = forms.ChoiceField(label="Show the trend by", choices=[(key, key.capitalize()) for key in GRANULARITIES])
    locality = forms.ChoiceField(label="Locality", required=False)
    agency_type = forms.ChoiceField(
        label="Agency type",
        required=False,
        help_text="The agency a request or referral came from, or that led the assessment",
        choices=[EVERY, *AgencyKind.choices, (SELF_REFERRAL, "The family or a member of the public")],
    )
    age_band = forms.ChoiceField(
        label="Age band", required=False, choices=[EVERY, *((label, label) for label, _, _ in rules.AGE_BANDS)]
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.default = default_period(today)
        self.choice_field("locality").choices = [
            EVERY,
            *((name, name) for name in Locality.objects.order_by("name").values_list("name", flat=True)),
            (rules.UNKNOWN, "No locality recorded"),
        ]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        start = data.get("start") or self.default.start
        end = data.get("end") or self.default.end
        if "start" in self.errors or "end" in self.errors:
            return data
        if end < start:
            self.add_error("end", PERIOD_BACKWARDS)
        elif (end - start).days > MOST_DAYS:
            self.add_error("end", TOO_LONG)
        elif data.get("show_by") == "month" and (end.year - start.year) * 12 + end.month - start.month >= MOST_MONTHS:
            self.add_error("show_by", TOO_MANY_MONTHS)
        data["start"], data["end"] = start, end
        return data

    def period(self) -> Period:
        """The period and filters chosen (the form must be valid)."""
        data = self.cleaned_data
        filters = Filters(
            locality=data["locality"] or None,
            agency_type=data["agency_type"] or None,
            age_band=data["age_band"] or None,
        )
        return Period(start=data["start"], end=data["end"], filters=filters)
