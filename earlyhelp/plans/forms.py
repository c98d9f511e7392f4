"""Forms for the family plan. Rules live in rules.py and services; forms only parse."""

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.utils import timezone

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import Agency, User
from earlyhelp.assessments.forms import scale_field
from earlyhelp.assessments.models import Need
from earlyhelp.directory.models import Service
from earlyhelp.directory.selectors import service_choices_for_referral
from earlyhelp.web.forms import DateField, GovukFormMixin

from .models import ActionStatus, InvitationResponse, MeetingKind, Plan, ScheduledMeeting
from .selectors import accepted_invitees, current_members, invitable_practitioners

PRACTITIONER_REQUIRED = "Choose a practitioner"


def practitioner_label(user: User) -> str:
    return f"{user.display_name}, {user.agency.name}" if user.agency is not None else user.display_name


class PractitionerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return practitioner_label(obj)


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
    practitioners = forms.MultipleChoiceField(
        label="Practitioners who attended", required=False, widget=forms.CheckboxSelectMultiple
    )
    decisions = forms.CharField(
        label="Decisions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The minutes: what was discussed and decided. Everyone who may open the family's record reads them",
    )
    family_scale = scale_field("Scale, scored by the family")
    practitioner_scale = scale_field("Scale, scored by the practitioners")
    next_review_on = DateField(label="Next review", required=False, help_text="Not needed for a closure meeting")

    def __init__(self, *args, plan: Plan, scheduled: ScheduledMeeting | None = None, **kwargs):
        if scheduled is not None:
            kwargs["initial"] = _from_schedule(scheduled) | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)
        members = current_members(plan.household)
        self.members = {str(person.pk): person for person in members}
        self.choice_field("family_members").choices = [(key, person.full_name) for key, person in self.members.items()]
        self.practitioner_objects = {str(user.pk): user for user in invitable_practitioners(plan)}
        self.choice_field("practitioners").choices = [
            (key, practitioner_label(user)) for key, user in self.practitioner_objects.items()
        ]
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
            "practitioners": [self.practitioner_objects[key] for key in data["practitioners"]],
            "action_statuses": {action.pk: data[f"action_{action.pk}"] for action in self.actions},
        }


def _from_schedule(scheduled: ScheduledMeeting) -> dict[str, Any]:
    """A meeting's record as its arrangement suggests it: the kind, the day, and whoever accepted."""
    practitioners, family = accepted_invitees(scheduled)
    return {
        "kind": scheduled.kind,
        "held_on": timezone.localtime(scheduled.starts_at).date(),
        "practitioners": [str(user.pk) for user in practitioners],
        "family_members": [str(person.pk) for person in family],
    }


class WhenAndWhereForm(GovukFormMixin, forms.Form):
    meeting_day = DateField(label="Date", required=False, help_text="For example, 29 3 2027")
    start_time = forms.TimeField(
        label="Start time",
        required=False,
        help_text="In the 24-hour clock, for example 10:00 or 14:30",
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        error_messages={"invalid": "Enter the start time in the 24-hour clock, for example 10:00"},
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input govuk-input--width-5"}),
    )
    duration_minutes = forms.IntegerField(
        label="How long (minutes)",
        required=False,
        help_text="For example, 60",
        error_messages={"invalid": "Enter how long the meeting will last as a whole number of minutes"},
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-4"}),
    )
    place = forms.CharField(
        label="Where",
        required=False,
        max_length=200,
        help_text="The venue, for example the school's meeting room. It goes into invitees' calendars: "
        'write no family\'s name or address (for a home visit, write "Family home")',
    )
    online_link = forms.CharField(
        label="Or the link to join online", required=False, help_text="A web address starting https://"
    )


class ScheduleMeetingForm(WhenAndWhereForm):
    kind = forms.ChoiceField(label="Kind of meeting", choices=[("", "Choose"), *MeetingKind.choices], required=False)
    practitioners = forms.MultipleChoiceField(
        label="Practitioners to invite",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The lead professional and the Team Around the Family. Each is sent the invitation",
    )
    family_members = forms.MultipleChoiceField(
        label="Family members to invite", required=False, widget=forms.CheckboxSelectMultiple
    )

    field_order = ["kind", "meeting_day", "start_time", "duration_minutes", "place", "online_link"]

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.practitioner_objects = {str(user.pk): user for user in invitable_practitioners(plan)}
        self.choice_field("practitioners").choices = [
            (key, practitioner_label(user)) for key, user in self.practitioner_objects.items()
        ]
        self.members = {str(person.pk): person for person in current_members(plan.household)}
        self.choice_field("family_members").choices = [(key, person.full_name) for key, person in self.members.items()]

    def arrangement(self) -> dict[str, Any]:
        """The meeting as `meeting_schedule` takes it."""
        data = self.cleaned_data
        return {name: data[name] for name in (*WhenAndWhereForm.base_fields, "kind")} | {
            "practitioners": [self.practitioner_objects[key] for key in data["practitioners"]],
            "family_members": [self.members[key] for key in data["family_members"]],
        }


class RescheduleMeetingForm(WhenAndWhereForm):
    def __init__(self, *args, scheduled: ScheduledMeeting, **kwargs):
        starts = timezone.localtime(scheduled.starts_at)
        kwargs["initial"] = {
            "meeting_day": starts.date(),
            "start_time": starts.time(),
            "duration_minutes": scheduled.duration_minutes,
            "place": scheduled.place,
            "online_link": scheduled.online_link,
        }
        super().__init__(*args, **kwargs)


RESPONSE_CHOICES = [
    (InvitationResponse.ACCEPTED, "Accept"),
    (InvitationResponse.TENTATIVE, "Maybe"),
    (InvitationResponse.DECLINED, "Decline"),
]


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
