"""Forms of the journey. They only parse: rules live in services and rules.py."""

from typing import Any

from django import forms

from earlyhelp.accounts.models import Team, User
from earlyhelp.web.forms import DateField, GovukFormMixin

from . import selectors
from .chronology import kind_label
from .models import ClosureReason, FeedbackAnswer, HarmReason, IndicatorDomain, Level, NeedOutcome, SocialCareOutcome
from .services import FEEDBACK_COMMENTS_LIMIT, FeedbackAnswers, RequestDetails

CONSENT_LABEL = "The family knows about this request and agrees to it"


class _Details:
    cleaned_data: dict[str, Any]

    def details(self) -> RequestDetails:
        fields = RequestDetails.__dataclass_fields__
        return RequestDetails(**{name: value for name, value in self.cleaned_data.items() if name in fields})


class RequestForm(_Details, GovukFormMixin, forms.Form):
    child_given_name = forms.CharField(label="Child's first name", max_length=100)
    child_family_name = forms.CharField(label="Child's last name", max_length=100)
    child_date_of_birth = DateField(label="Child's date of birth", required=False)
    address_line_1 = forms.CharField(label="Address", max_length=200, required=False)
    postcode = forms.CharField(max_length=8, required=False)
    concerns = forms.CharField(
        label="What is worrying you, and what help does the family need?",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )
    family_consents = forms.BooleanField(label=CONSENT_LABEL, required=False)


class PublicRequestForm(RequestForm):
    """The family's own request. `website` is a trap for robots: people never see or fill it."""

    requester_name = forms.CharField(label="Your name", max_length=200)
    requester_relationship = forms.CharField(
        label="Your relationship to the child", max_length=100, required=False, help_text="For example, “mother”"
    )
    requester_phone = forms.CharField(label="Phone number", max_length=30, required=False)
    requester_email = forms.EmailField(label="Email address", required=False)
    website = forms.CharField(required=False, label="Leave this blank")
    # The requester first; the child's details follow in RequestForm's order.
    field_order = ["requester_name", "requester_relationship", "requester_phone", "requester_email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["family_consents"].label = "I agree to the Early Help Team contacting me and the services named"
        self.fields["concerns"].label = "What is worrying you, and what help would you like?"

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))


NEW_FAMILY = "new"
NEW_FAMILY_LABEL = "Create a new family from the request's details"
FAMILY_NOT_FOUND = "Choose a family from the search results, or create a new family"


class LeadChoice(forms.ModelChoiceField):
    """A practitioner who may lead, named with their agency; the form sets the choices."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=User.objects.none(), required=False, **kwargs)

    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name}, {obj.agency.name}" if obj.agency is not None else obj.display_name


def _team_field() -> forms.ModelChoiceField:
    """A social care team; the form sets the choices."""
    return forms.ModelChoiceField(label="Social care team", queryset=Team.objects.none(), required=False)


class TriageForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[
            ("advice", "Advice and signposting only"),
            ("universal", "Back to universal services"),
            ("assessment", "Early help assessment"),
            ("mash", "Passport to the MASH"),
        ],
    )
    note = forms.CharField(label="Reason for the decision", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    household = forms.CharField(
        label="The family's record",
        widget=forms.RadioSelect,
        required=False,
        help_text="Needed for an assessment or the MASH. Search the register above, or create a new family.",
    )
    lead = LeadChoice(label="Who will lead the assessment", help_text="For an early help assessment")
    reasons = forms.MultipleChoiceField(
        label="Reasons for the passport to the MASH",
        choices=[choice for choice in HarmReason.choices if choice[0] != HarmReason.ESCALATING_NEED],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    to_team = _team_field()
    # The MASH's own questions sit inside its choice, asked and checked only when it is chosen.
    conditional = {"decision": {"mash": ["reasons", "to_team"]}}

    def __init__(self, *args, households=None, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.households = households
        self.fields["household"].widget.choices = [
            *((str(household.pk), selectors.family_option_label(household)) for household in options),
            (NEW_FAMILY, NEW_FAMILY_LABEL),
        ]
        self.model_choice_field("lead").queryset = selectors.possible_leads()
        self.model_choice_field("to_team").queryset = selectors.social_care_teams()

    def clean_household(self):
        """A family the user may open, NEW_FAMILY, or None; any other id is not found alike."""
        value = self.cleaned_data["household"]
        if value in ("", NEW_FAMILY):
            return value or None
        household = self.households.filter(pk=selectors.uuid_or_none(value)).first()
        if household is None:
            raise forms.ValidationError(FAMILY_NOT_FOUND)
        return household


class LevelForm(GovukFormMixin, forms.Form):
    level = forms.TypedChoiceField(
        label="Your judgement of the level of need", choices=Level.choices, coerce=int, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Reason, if your judgement differs from the suggested level",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = []
        indicators = list(selectors.active_indicators())
        for domain, label in IndicatorDomain.choices:
            name = f"indicators_{domain}"
            self.fields[name] = forms.TypedMultipleChoiceField(
                label=label,
                choices=[(i.id, i.label) for i in indicators if i.domain == domain],
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
        self.order_fields([f"indicators_{domain}" for domain in IndicatorDomain.values])

    def indicator_ids(self) -> list[int]:
        return [i for domain in IndicatorDomain.values for i in self.cleaned_data.get(f"indicators_{domain}", [])]


class StepUpForm(GovukFormMixin, forms.Form):
    reasons = forms.MultipleChoiceField(
        label="Reasons for the step up", choices=HarmReason.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    detail = forms.CharField(
        label="What has changed, and why the family needs social care",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    to_team = _team_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.model_choice_field("to_team").queryset = selectors.social_care_teams()


class StepUpDecisionForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        widget=forms.RadioSelect,
        choices=[("approve", "Approve and send to social care"), ("decline", "Do not approve")],
    )
    comment = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Required if you do not approve",
    )


class StepUpResponseForm(GovukFormMixin, forms.Form):
    response = forms.ChoiceField(
        label="Social care's response",
        widget=forms.RadioSelect,
        choices=[*SocialCareOutcome.choices, ("nfa", "No further action: back to early help")],
    )
    offer = forms.CharField(
        label="The early help offered to the family",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Required for no further action",
    )
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class StepDownForm(GovukFormMixin, forms.Form):
    summary = forms.CharField(label="Social worker's summary", widget=forms.Textarea(attrs={"rows": 6}))
    reason = forms.CharField(
        label="Why early help can now meet the family's needs", widget=forms.Textarea(attrs={"rows": 3})
    )


class StepDownDecisionForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        widget=forms.RadioSelect,
        choices=[("accept", "Accept into early help"), ("decline", "Do not accept")],
    )
    lead = LeadChoice(label="Lead professional")
    note = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Required if you do not accept",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.model_choice_field("lead").queryset = selectors.possible_leads()


class ClosureForm(GovukFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label="Why is the episode closing?", choices=ClosureReason.choices, widget=forms.RadioSelect
    )
    detail = forms.CharField(
        label="Detail", widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="Required for “Other”"
    )

    def __init__(self, *args, needs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.needs = list(needs)
        for index, need in enumerate(self.needs):
            self.fields[f"need_{index}"] = forms.ChoiceField(
                label=f"{need['area']}: {need['text']}",
                choices=NeedOutcome.choices,
                # Added after the mixin gave each widget its class, which error styling extends.
                widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
            )


class ChronologyFilterForm(GovukFormMixin, forms.Form):
    kind = forms.MultipleChoiceField(label="What happened", widget=forms.CheckboxSelectMultiple, required=False)
    person = forms.ChoiceField(label="Child or family member", required=False)
    since = DateField(label="From", required=False)
    until = DateField(label="To", required=False)

    def __init__(self, *args, kinds=(), people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.choice_field("kind").choices = [(kind, kind_label(kind)) for kind in kinds]
        self.choice_field("person").choices = [("", "Everyone"), *[(str(p.id), p.full_name) for p in people]]


def _answer(label: str, *, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label if required else f"{label} (optional)",
        choices=FeedbackAnswer.choices,
        widget=forms.RadioSelect,
        required=required,
    )


class FeedbackForm(GovukFormMixin, forms.Form):
    """The family's survey: K16's two questions, two more, and room to say anything else."""

    better_supported = _answer("Does your family feel better supported than before?")
    know_where_to_go = _answer("Do you know where to go for help if you need it again?")
    listened_to = _answer("Did the people working with your family listen to you?", required=False)
    rating = forms.TypedChoiceField(
        label="Overall, how helpful was the support your family received? (optional)",
        choices=[(5, "5: very helpful"), (4, "4"), (3, "3"), (2, "2"), (1, "1: not helpful")],
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
    )
    comments = forms.CharField(
        label="Is there anything else you would like to tell us? (optional)",
        help_text="Please do not include names or other personal details",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=FEEDBACK_COMMENTS_LIMIT,
    )

    def answers(self) -> FeedbackAnswers:
        return FeedbackAnswers(**self.cleaned_data)
