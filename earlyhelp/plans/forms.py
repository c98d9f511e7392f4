"""Forms for the family plan. Rules live in rules.py and services; forms only parse."""

from django import forms

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import Agency, User
from earlyhelp.assessments.forms import scale_field
from earlyhelp.directory.selectors import service_choices_for_referral
from earlyhelp.web.forms import DateField, GovukFormMixin

from .models import ActionStatus, MeetingKind, Plan

PRACTITIONER_REQUIRED = "Choose a practitioner"


class Checkboxes(forms.CheckboxSelectMultiple):
    """Checkboxes, which the page renders in GOV.UK markup inside a fieldset (plans/_checkboxes.html)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.attrs["class"] = "govuk-checkboxes__input"


class PractitionerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name}, {obj.agency.name}" if obj.agency is not None else obj.display_name


def _practitioner_field(label: str) -> PractitionerChoice:
    return PractitionerChoice(
        label=label,
        queryset=User.objects.filter(is_active=True, role__in=capabilities.casework_roles()).select_related("agency"),
        required=False,
        empty_label="Choose a practitioner",
    )


class OutcomeForm(GovukFormMixin, forms.Form):
    description = forms.CharField(
        label="Outcome", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="What will be different"
    )
    needs = forms.MultipleChoiceField(label="Needs it answers", required=False, widget=Checkboxes)

    def __init__(self, *args, needs, **kwargs):
        super().__init__(*args, **kwargs)
        self.need_objects = {str(need.pk): need for need in needs}
        self.choice_field("needs").choices = [
            (key, f"{need.get_outcome_area_display()}: {need.description}") for key, need in self.need_objects.items()
        ]


class ActionForm(GovukFormMixin, forms.Form):
    what = forms.CharField(label="What will be done", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(label="For which outcome", required=False)
    practitioner = _practitioner_field("Practitioner")
    family_member = forms.ChoiceField(label="Or a family member", required=False)
    agency = forms.ModelChoiceField(
        label="Or an agency", queryset=Agency.objects.all(), required=False, empty_label="Choose an agency"
    )
    service = forms.ChoiceField(
        label="Refer to a service in the directory",
        required=False,
        help_text="If this action is a referral to a service, choose it so the referral can be followed up",
    )
    due_on = DateField(label="By when", required=False)

    def __init__(self, *args, plan: Plan, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.choice_field("service").choices = [
            ("", "Not a referral to a directory service"),
            *((str(choice.id), choice.label) for choice in service_choices_for_referral()),
        ]
        self.outcomes = {str(outcome.pk): outcome for outcome in plan.outcomes.all()}
        self.choice_field("outcome").choices = [
            ("", "Not linked to an outcome"),
            *((key, outcome.description[:80]) for key, outcome in self.outcomes.items()),
        ]
        self.members = {str(person.pk): person for person in members}
        self.choice_field("family_member").choices = [
            ("", "Choose a family member"),
            *((key, person.full_name) for key, person in self.members.items()),
        ]


class ActionStatusForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(label="Status", choices=ActionStatus.choices)


class MeetingForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Kind of meeting", choices=[("", "Choose"), *MeetingKind.choices], required=False)
    held_on = DateField(label="Held on", required=False)
    family_members = forms.MultipleChoiceField(label="Family members who attended", required=False, widget=Checkboxes)
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies that attended", queryset=Agency.objects.all(), required=False, widget=Checkboxes
    )
    decisions = forms.CharField(label="Decisions", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    family_scale = scale_field("Scale, scored by the family")
    practitioner_scale = scale_field("Scale, scored by the practitioners")
    next_review_on = DateField(label="Next review", required=False, help_text="Not needed for a closure meeting")

    def __init__(self, *args, plan: Plan, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(person.pk): person for person in members}
        self.choice_field("family_members").choices = [(key, person.full_name) for key, person in self.members.items()]
        self.actions = list(plan.actions.exclude(status=ActionStatus.CANCELLED))
        for action in self.actions:
            self.fields[f"action_{action.pk}"] = forms.ChoiceField(
                label=f"{action.what[:80]} ({action.who})", choices=ActionStatus.choices, initial=action.status
            )
            self.fields[f"action_{action.pk}"].widget.attrs["class"] = "govuk-select"

    def action_statuses(self) -> dict[int, str]:
        return {action.pk: self.cleaned_data[f"action_{action.pk}"] for action in self.actions}


class TafMemberForm(GovukFormMixin, forms.Form):
    practitioner = _practitioner_field("Practitioner to add to the Team Around the Family")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practitioner"].required = True
        self.fields["practitioner"].error_messages["required"] = PRACTITIONER_REQUIRED
