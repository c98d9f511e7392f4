from django import forms

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import Team, User
from earlyhelp.web.forms import DateField, GovukFormMixin

from . import services
from .models import FamilyTold

ACTION_ROWS = 3


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name}, {obj.agency.name}" if obj.agency is not None else obj.display_name


def _people(label: str, *, roles, required: bool, empty: str) -> PersonChoice:
    return PersonChoice(
        label=label,
        queryset=User.objects.filter(is_active=True, role__in=roles).select_related("agency"),
        required=required,
        empty_label=empty,
    )


class SupervisionForm(GovukFormMixin, forms.Form):
    held_on = DateField(label="Date of the supervision", required=False)
    reflection = forms.CharField(
        label="Reflection",
        help_text="How the family is doing against the plan, and what the worker and supervisor think",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=services.TEXT_MAX,
        required=False,
    )
    decisions = forms.CharField(
        label="Decisions", widget=forms.Textarea(attrs={"rows": 4}), max_length=services.TEXT_MAX, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{number}_what"] = forms.CharField(
                label=f"Action {number}", max_length=services.ACTION_MAX, required=False
            )
            self.fields[f"action_{number}_owner"] = _people(
                f"Who will do action {number}", roles=capabilities.casework_roles(), required=False, empty="Choose"
            )
            self.fields[f"action_{number}_due_on"] = DateField(label=f"Action {number} due by", required=False)

    def about(self) -> list:
        return [self["held_on"], self["reflection"], self["decisions"]]

    def action_rows(self) -> list[list]:
        return [
            [self[f"action_{number}_what"], self[f"action_{number}_owner"], self[f"action_{number}_due_on"]]
            for number in range(1, ACTION_ROWS + 1)
        ]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "held_on": data["held_on"],
            "reflection": data["reflection"],
            "decisions": data["decisions"],
            "actions": [
                {
                    "what": data[f"action_{number}_what"],
                    "owner": data[f"action_{number}_owner"],
                    "due_on": data[f"action_{number}_due_on"],
                }
                for number in range(1, ACTION_ROWS + 1)
            ],
        }


class LeadChangeForm(GovukFormMixin, forms.Form):
    new_lead = _people(
        "New lead professional",
        roles=capabilities.named_lead_roles(),
        required=False,
        empty="Choose a practitioner",
    )
    note = forms.CharField(
        label="Handover note",
        help_text="What the new lead professional needs to know first",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=services.TEXT_MAX,
        required=False,
    )
    family_told = forms.ChoiceField(
        label="How was the family told of their new lead professional?",
        help_text="Families are not emailed: record how someone told them",
        widget=forms.RadioSelect,
        choices=FamilyTold.choices,
        required=False,
    )
    family_not_told_reason = forms.CharField(
        label="Why not yet, and when will they be told?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=services.TEXT_MAX,
        required=False,
    )
    family_told_on = DateField(label="Date the family was told", help_text="If they have been told", required=False)
    conditional = {"family_told": {FamilyTold.NOT_YET.value: ["family_not_told_reason"]}}


class TransferForm(GovukFormMixin, forms.Form):
    to_team = forms.ModelChoiceField(
        label="Team to transfer the episode to",
        queryset=Team.objects.select_related("agency"),
        required=False,
        empty_label="Choose a team",
    )
    reason = forms.CharField(
        label="Reason for the transfer",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=services.TEXT_MAX,
        required=False,
    )
    new_lead = _people(
        "New lead professional, from the receiving team (optional)",
        roles=capabilities.named_lead_roles(),
        required=False,
        empty="Keep the lead if they work in that team, or leave it to the team",
    )
