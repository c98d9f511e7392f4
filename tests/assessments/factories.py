"""Factories for the Early Help Assessment, one per state a version can be in.

`EpisodeFactory` makes an open episode of early help for a household; the version factories
hang a version of the household's one assessment from it. `version_ready_to_submit` fills a
draft so that it passes the submission check (both scales, each child's voice, each adult's
consent, one need).
"""

from datetime import date

import factory
from django.utils import timezone

from earlyhelp.assessments.models import (
    Assessment,
    AssessmentStatus,
    AssessmentVersion,
    MemberSection,
    Need,
    OutcomeArea,
    WorryGoal,
)
from earlyhelp.families.models import MemberRole
from earlyhelp.journey.models import Episode, EpisodeStatus
from tests.factories import HouseholdFactory, UserFactory


class EpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Episode

    household = factory.SubFactory(HouseholdFactory)
    status = EpisodeStatus.OPEN
    opened_on = date(2025, 1, 6)


class ClosedEpisodeFactory(EpisodeFactory):
    status = EpisodeStatus.CLOSED
    closed_on = date(2025, 6, 30)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment
        django_get_or_create = ["household"]

    household = factory.SubFactory(HouseholdFactory)


class DraftVersionFactory(factory.django.DjangoModelFactory):
    """A draft version with a section for each current member of the household."""

    class Meta:
        model = AssessmentVersion
        skip_postgeneration_save = True

    episode = factory.SubFactory(EpisodeFactory)
    assessment = factory.LazyAttribute(lambda version: AssessmentFactory(household=version.episode.household))
    number = factory.LazyAttribute(lambda version: version.assessment.versions.count() + 1)
    status = AssessmentStatus.DRAFT
    created_by = factory.SubFactory(UserFactory)
    past_harm = "Two police call-outs for arguments at home in the last six months."
    working_well = "Grandmother collects the children from school every day."
    needs_to_happen = "The children get to school every day and feel safe at home."

    @factory.post_generation
    def sections(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy passes the object first
        if not create:
            return
        for membership in obj.episode.household.memberships.filter(ended_on__isnull=True):
            MemberSection.objects.get_or_create(
                version=obj,
                person=membership.person,
                defaults={"is_child": membership.role in (MemberRole.CHILD, MemberRole.UNBORN)},
            )


def _fill(version: AssessmentVersion) -> AssessmentVersion:
    version.family_scale = 4
    version.practitioner_scale = 5
    version.save(update_fields=["family_scale", "practitioner_scale"])
    for section in version.sections.all():
        if section.is_child:
            section.child_voice = "I don't like it when they shout. I like football club."
        else:
            section.consent_given = True
            section.consent_what = "Assessment and plan"
            section.consent_with_whom = "School, health visitor, Early Help Team"
        section.save()
    if not version.needs.exists():
        NeedFactory(version=version)
    return version


def version_ready_to_submit(**kwargs) -> AssessmentVersion:
    """A draft that passes the submission check."""
    return _fill(DraftVersionFactory(**kwargs))


class SubmittedVersionFactory(DraftVersionFactory):
    status = AssessmentStatus.SUBMITTED
    submitted_by = factory.SelfAttribute("created_by")
    submitted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def filled(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            _fill(obj)


class ReturnedVersionFactory(SubmittedVersionFactory):
    status = AssessmentStatus.RETURNED
    reviewed_by = factory.SubFactory(UserFactory, role="coordinator")
    reviewed_at = factory.LazyFunction(timezone.now)
    review_comments = "Add the younger child's voice: what does she say about home?"


class ApprovedVersionFactory(SubmittedVersionFactory):
    status = AssessmentStatus.APPROVED
    reviewed_by = factory.SubFactory(UserFactory, role="coordinator")
    reviewed_at = factory.LazyFunction(timezone.now)


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    version = factory.SubFactory(DraftVersionFactory)
    outcome_area = OutcomeArea.EDUCATION
    description = "School attendance is 78% this term."


class WorryGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorryGoal

    version = factory.SubFactory(DraftVersionFactory)
    worry = "We are worried the children will be hurt if arguments at home turn violent again."
    goal = "The children will live in a home where adults sort out disagreements safely."
