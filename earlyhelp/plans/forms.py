"""Forms for the family plan. Rules live in rules.py and services; forms only parse."""

from typing import Any

from django import forms
from django.forms.boundfield import BoundField

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import Agency, User
from earlyhelp.assessments.forms import scale_field
from earlyhelp.assessments.models import Need
from earlyhelp.directory.models import Service
from earlyhelp.directory.selectors import service_choices_for_referral
from earlyhelp.web.forms import DateField, GovukFormMixin

from .models import ActionStatus, MeetingKind, Plan
from .selectors import current_members

PRACTITIONER_REQUIRED = "Choose a practitioner"


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
    needs = forms.MultipleChoiceField(label="Needs it answers", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, needs, **kwargs):
        super().__init__(*args, **kwargs)
        self.need_objects = {str(need.pk): need for need in needs}
        self.choice_field("needs").choices = [
            (key, f"{need.get_outcome_area_display()}: {need.description}") for key, need in self.need_objects.items()
        ]

    def chosen_needs(self) -> list[Need]:
        return [self.need_objects[key] for key in self.cleaned_data["needs"]]


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

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        members = current_members(plan.household)
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

    def action(self) -> dict[str, Any]:
        """The action as `plan_action_add` takes it, with the outcome, family member and service chosen."""
        data = self.cleaned_data
        return {name: data[name] for name in ("what", "due_on", "practitioner", "agency")} | {
            "outcome": self.outcomes.get(data["outcome"]),
            "family_member": self.members.get(data["family_member"]),
            "service": Service.objects.filter(pk=data["service"]).first() if data["service"] else None,
        }


class ActionStatusForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(label="Status", choices=ActionStatus.choices)
    note = forms.CharField(
        label="Note",
        help_text="What has happened, for the lead professional and the Team Around the Family",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1_000,
        required=False,
    )


class MeetingForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Kind of meeting", choices=[("", "Choose"), *MeetingKind.choices], required=False)
    held_on = DateField(label="Held on", required=False)
    family_members = forms.MultipleChoiceField(
        label="Family members who attended", required=False, widget=forms.CheckboxSelectMultiple
    )
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies that attended",
        queryset=Agency.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    decisions = forms.CharField(label="Decisions", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    family_scale = scale_field("Scale, scored by the family")
    practitioner_scale = scale_field("Scale, scored by the practitioners")
    next_review_on = DateField(label="Next review", required=False, help_text="Not needed for a closure meeting")

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        members = current_members(plan.household)
        self.members = {str(person.pk): person for person in members}
        self.choice_field("family_members").choices = [(key, person.full_name) for key, person in self.members.items()]
        reviewed = plan.actions.exclude(status=ActionStatus.CANCELLED)
        self.actions = list(reviewed.select_related("practitioner", "family_member", "agency"))
        for action in self.actions:
            self.fields[f"action_{action.pk}"] = forms.ChoiceField(
                label=f"{action.what[:80]} ({action.who})", choices=ActionStatus.choices, initial=action.status
            )
            self.fields[f"action_{action.pk}"].widget.attrs["class"] = "govuk-select"

    def about_the_meeting(self) -> list[BoundField]:
        """The fields about the meeting itself, shown before the actions it reviewed."""
        return [self[name] for name in self.base_fields if name != "next_review_on"]

    def reviewed_actions(self) -> list[BoundField]:
        """A status field for each action the meeting reviews."""
        return [self[f"action_{action.pk}"] for action in self.actions]

    def meeting(self) -> dict[str, Any]:
        """The meeting as `meeting_record` takes it: the form's own answers, the family members who came,
        and the status each action reviewed now has."""
        data = self.cleaned_data
        answers = ("kind", "held_on", "decisions", "family_scale", "practitioner_scale", "next_review_on", "agencies")
        return {name: data[name] for name in answers} | {
            "family_members": [self.members[key] for key in data["family_members"]],
            "action_statuses": {action.pk: data[f"action_{action.pk}"] for action in self.actions},
        }


class TafMemberForm(GovukFormMixin, forms.Form):
    practitioner = _practitioner_field("Practitioner to add to the Team Around the Family")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practitioner"].required = True
        self.fields["practitioner"].error_messages["required"] = PRACTITIONER_REQUIRED


class ReferralAnswerForm(GovukFormMixin, forms.Form):
    """A provider's answer to a referral: accept it, or decline it with a reason (revealed by the choice)."""

    answer = forms.ChoiceField(
        label="Your answer",
        choices=[("accept", "Accept: we will work with the family"), ("decline", "Decline")],
        widget=forms.RadioSelect,
    )
    # Required by the service when declining, in its own words; shown only inside the "Decline" choice.
    reason = forms.CharField(
        label="Why you are declining the referral",
        help_text="The lead professional will see this, so they can find the family another service",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    conditional = {"answer": {"decline": ["reason"]}}
