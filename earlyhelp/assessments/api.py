"""The Early Help Assessment over the REST API: the family's versions, starting one, saving it,
submitting it and quality-assuring it, with the same access rules, services and audit as the pages."""

from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from earlyhelp.accounts import capabilities
from earlyhelp.families.access import access_household_by_id
from earlyhelp.journey.selectors import open_episode
from earlyhelp.web.api import NOT_YOUR_PART, ApiView, ReadApi, SaveApi, WriteApi, capability_permission, record_id
from earlyhelp.web.errors import RefusedError

from . import selectors, services
from .models import AssessmentVersion, LawfulBasis, MemberSection, Need, WorryGoal
from .services import CONTENT_FIELDS, SECTION_FIELDS, SectionContent, VersionContent

Casework = capability_permission(capabilities.works_with_families, NOT_YOUR_PART)
QualityAssuring = capability_permission(capabilities.can_quality_assure, NOT_YOUR_PART)


class VersionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = AssessmentVersion
        fields = [
            "id",
            "number",
            "status",
            "revision",
            "episode",
            "created_at",
            "last_saved_at",
            "submitted_at",
            "reviewed_at",
        ]


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MemberSection
        fields = ["id", "person", "is_child", *SECTION_FIELDS]


class NeedSerializer(serializers.ModelSerializer):
    class Meta:
        model = Need
        fields = ["id", "key", "person", "outcome_area", "description"]


class WorryGoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorryGoal
        fields = ["id", "key", "worry", "goal"]


class VersionSerializer(VersionSummarySerializer):
    sections = SectionSerializer(many=True)
    needs = NeedSerializer(many=True)
    worry_goals = WorryGoalSerializer(many=True)

    class Meta(VersionSummarySerializer.Meta):
        fields = [
            *VersionSummarySerializer.Meta.fields,
            *CONTENT_FIELDS,
            "review_comments",
            "sections",
            "needs",
            "worry_goals",
        ]


def _text() -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True)


def _scale() -> serializers.IntegerField:
    # Out of range is refused by the service, in its own words.
    return serializers.IntegerField(required=False, allow_null=True)


class SectionSaveSerializer(serializers.Serializer):
    """One member's section: the fields sent are saved, the rest kept."""

    id = record_id()
    about = _text()
    child_voice = _text()
    voice_not_heard_reason = _text()
    consent_given = serializers.BooleanField(required=False, allow_null=True)
    consent_what = _text()
    consent_with_whom = _text()
    lawful_basis = serializers.ChoiceField(choices=LawfulBasis.choices, required=False, allow_blank=True)


class VersionSaveSerializer(serializers.Serializer):
    """A save made from `revision` (the one last read): refused with a 409 if anyone saved since."""

    revision = record_id()
    past_harm = _text()
    future_danger = _text()
    complicating_factors = _text()
    working_well = _text()
    needs_to_happen = _text()
    family_scale = _scale()
    practitioner_scale = _scale()
    sections = SectionSaveSerializer(many=True, required=False, default=list)


class NoBodySerializer(serializers.Serializer):
    """A step with nothing to say but that it is taken."""


class QualitySerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "return"])
    comments = serializers.CharField(required=False, default="", allow_blank=True)


def _kept(saved: object | None, names: list[str], sent: dict) -> dict:
    """The fields as saved, with those sent in their place."""
    kept = {name: getattr(saved, name) for name in names} if saved is not None else {}
    return kept | {name: value for name, value in sent.items() if name in names}


class VersionsApi(ReadApi):
    """The versions of the family's assessment, newest first (none before it is started)."""

    permission_classes = [Casework]
    shows = VersionSummarySerializer
    many = True
    found = "The assessment's versions."

    def open(self, request, household_id):
        return access_household_by_id(request.user, household_id, purpose="api assessment")

    def read(self, request, record):
        assessment = selectors.assessment_of(record)
        return selectors.assessment_versions(assessment) if assessment else []


class StartApi(WriteApi):
    """Start the family's assessment in its open episode, or its next version from the last one; one
    version is in progress at a time (another start is a 409)."""

    permission_classes = [Casework]
    shows = VersionSerializer
    takes = NoBodySerializer
    creates = True
    done = "The new version, with a section for each member of the household."

    def open(self, request, household_id):
        return access_household_by_id(request.user, household_id, purpose="api start assessment")

    def write(self, request, record, data):
        episode = open_episode(record)
        if episode is None:
            raise RefusedError(services.NO_OPEN_EPISODE)
        return services.assessment_start(actor=request.user, episode=episode)


class VersionApi(ApiView):
    """An endpoint about one version of the family's assessment."""

    permission_classes = [Casework]
    shows = VersionSerializer
    done = "The version, as now saved."

    def open(self, request, household_id, number):
        household = access_household_by_id(request.user, household_id, purpose=self.purpose)
        return selectors.assessment_version(household, number)


class VersionDetailApi(VersionApi, ReadApi, SaveApi):
    """One version with its members' sections, needs and worry statements. A PATCH saves the fields
    sent (the whole family's, and any members' sections by their id) and keeps the rest."""

    takes = VersionSaveSerializer
    found = "The version."
    purpose = "api assessment version"

    def write(self, request, record, data):
        saved_sections = {section.pk: section for section in record.sections.all()}
        return services.assessment_update(
            actor=request.user,
            version=record,
            revision=data["revision"],
            content=VersionContent(**_kept(record, CONTENT_FIELDS, data)),
            sections={
                sent["id"]: SectionContent(**_kept(saved_sections.get(sent["id"]), SECTION_FIELDS, sent))
                for sent in data["sections"]
            },
        )


class SubmitApi(VersionApi, WriteApi):
    """Send a complete draft (or a returned version) for quality assurance; what is missing is a 400
    naming each field, a version in any other state a 409."""

    takes = NoBodySerializer
    purpose = "api submit assessment"

    def write(self, request, record, data):
        return services.assessment_submit(actor=request.user, version=record)


class QualityApi(VersionApi, WriteApi):
    """Quality assurance: approve a submitted version, or return it saying what needs to change."""

    permission_classes = [QualityAssuring]
    takes = QualitySerializer
    purpose = "api quality assurance"

    def open(self, request, household_id, number):
        version = super().open(request, household_id, number)
        # As the page: a manager assures only the versions of families their team leads.
        if not capabilities.can_quality_assure(request.user, version):
            raise PermissionDenied(NOT_YOUR_PART)
        return version

    def write(self, request, record, data):
        decide = services.assessment_approve if data["decision"] == "approve" else services.assessment_return
        return decide(actor=request.user, version=record, comments=data["comments"])
