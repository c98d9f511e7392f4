"""The Early Help Assessment over the REST API: the family's versions, starting one, saving it,
submitting it and quality-assuring it, with the same access rules, services and audit as the pages."""

from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from earlyhelp.accounts import capabilities
from earlyhelp.families.api import HouseholdApi
from earlyhelp.journey.selectors import open_episode
from earlyhelp.web.api import (
    NOT_YOUR_PART,
    ReadApi,
    SaveApi,
    WriteApi,
    capability_permission,
    model_serializer,
    record_id,
)
from earlyhelp.web.errors import RefusedError

from . import selectors, services
from .models import AssessmentVersion, LawfulBasis, MemberSection, Need, WorryGoal
from .services import CONTENT_FIELDS, SECTION_FIELDS, SectionContent, VersionContent

VERSION_FIELDS = "id number status revision episode created_at last_saved_at submitted_at reviewed_at"
VersionSummarySerializer = model_serializer(
    AssessmentVersion,
    VERSION_FIELDS,
    doc="A version of the family's assessment: its number, where it is in its life, and when it moved on.",
    name="AssessmentVersionSummarySerializer",
)
VersionSerializer = model_serializer(
    AssessmentVersion,
    " ".join([VERSION_FIELDS, *CONTENT_FIELDS, "review_comments sections needs worry_goals"]),
    doc="A version with its whole-family part, its members' sections, needs and worry statements.",
    sections=model_serializer(
        MemberSection,
        " ".join(["id person is_child", *SECTION_FIELDS]),
        doc="One member's part of the assessment: their situation, their voice if a child, their consent if an adult.",
    )(many=True),
    needs=model_serializer(
        Need,
        "id key person outcome_area description",
        doc="An assessed need of one member (or of the whole family), in one outcome area.",
    )(many=True),
    worry_goals=model_serializer(
        WorryGoal, "id key worry goal", doc="A danger or worry statement and the goal that answers it."
    )(many=True),
)


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


class AssessmentApi(HouseholdApi, ReadApi):
    """The versions of the family's assessment, newest first (none before it is started)."""

    shows = VersionSummarySerializer
    many = True

    def read(self, request, record):
        assessment = selectors.assessment_of(record)
        return selectors.assessment_versions(assessment) if assessment else []


class AssessmentStartApi(HouseholdApi, WriteApi):
    """Start the family's assessment in its open episode, or its next version from the last one; one
    version is in progress at a time (another start is a 409)."""

    shows = VersionSerializer
    takes = NoBodySerializer
    creates = True

    def write(self, request, record, data):
        episode = open_episode(record)
        if episode is None:
            raise RefusedError(services.NO_OPEN_EPISODE)
        return services.assessment_start(actor=request.user, episode=episode)


class VersionApi(HouseholdApi):
    """An endpoint about one version of the family's assessment."""

    shows = VersionSerializer

    def open(self, request, household_id, number):
        return selectors.assessment_version(super().open(request, household_id), number)


class AssessmentVersionApi(VersionApi, ReadApi, SaveApi):
    """One version with its members' sections, needs and worry statements. A PATCH saves the fields
    sent (the whole family's, and any members' sections by their id) and keeps the rest."""

    takes = VersionSaveSerializer

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


class AssessmentSubmitApi(VersionApi, WriteApi):
    """Send a complete draft (or a returned version) for quality assurance; what is missing is a 400
    naming each field, a version in any other state a 409."""

    takes = NoBodySerializer

    def write(self, request, record, data):
        return services.assessment_submit(actor=request.user, version=record)


class QualityAssuranceApi(VersionApi, WriteApi):
    """Quality assurance: approve a submitted version, or return it saying what needs to change."""

    permission_classes = [capability_permission(capabilities.can_quality_assure, NOT_YOUR_PART)]
    takes = QualitySerializer

    def open(self, request, household_id, number):
        version = super().open(request, household_id, number)
        # As the page: a manager assures only the versions of families their team leads.
        if not capabilities.can_quality_assure(request.user, version):
            raise PermissionDenied(NOT_YOUR_PART)
        return version

    def write(self, request, record, data):
        decide = services.assessment_approve if data["decision"] == "approve" else services.assessment_return
        return decide(actor=request.user, version=record, comments=data["comments"])
