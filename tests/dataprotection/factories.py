"""Factories for data protection, consent, notes and partner records."""

from datetime import timedelta

import factory
from django.utils import timezone

from earlyhelp.consent.models import ConsentRecord, SharingPurpose, SharingWithoutConsent
from earlyhelp.families.models import BreakGlassGrant
from earlyhelp.notes.models import CaseNote
from earlyhelp.notifications.models import Alert, AlertKind
from tests.factories import HouseholdFactory, UserFactory


class BreakGlassGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BreakGlassGrant

    class Params:
        expired = False

    user = factory.SubFactory(UserFactory)
    household = factory.SubFactory(HouseholdFactory)
    reason = "Police report a child alone at home tonight"
    granted_at = factory.LazyAttribute(
        lambda grant: timezone.now() - (timedelta(hours=30) if grant.expired else timedelta(minutes=5))
    )
    expires_at = factory.LazyAttribute(lambda grant: grant.granted_at + timedelta(hours=24))


class AlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alert

    recipient = factory.SubFactory(UserFactory)
    kind = AlertKind.BREAK_GLASS
    message = "A record was opened break-glass."


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsentRecord
        skip_postgeneration_save = True

    person = factory.SubFactory("tests.factories.PersonFactory")
    purpose = SharingPurpose.TEAM_AROUND_THE_FAMILY
    given_on = factory.LazyFunction(timezone.localdate)
    recorded_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def agencies(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy passes the object first
        if create and extracted:
            obj.agencies.set(extracted)


class ShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SharingWithoutConsent

    household = factory.SubFactory(HouseholdFactory)
    agency = factory.SelfAttribute("requested_by.agency")
    purpose = SharingPurpose.TEAM_AROUND_THE_FAMILY
    lawful_basis = "safeguarding_child"
    reason = "Domestic abuse notification; asking would increase the risk"
    requested_by = factory.SubFactory(UserFactory)


class CaseNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseNote

    household = factory.SubFactory(HouseholdFactory)
    author = factory.SubFactory(UserFactory)
    agency = factory.SelfAttribute("author.agency")
    text = "Met mum at school gate; attendance improving."
