"""Why a child on the register has no NHS number (Children's Wellbeing and Schools Act 2026, s.16LC):
recorded by a practitioner who may change the person, dated, by whom, audited, shown next to the
identifier, and cleared when the NHS number is recorded."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.families import rules, services
from earlyhelp.families.models import NhsNumberMissingReason
from earlyhelp.families.services import PersonDetails
from tests.factories import InvolvementFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def involved():
    """A practitioner working with a child who has no NHS number."""
    membership = MembershipFactory(person__nhs_number=None)
    user = UserFactory(role=Role.PRACTITIONER)
    InvolvementFactory(household=membership.household, practitioner=user)
    return user, membership.person


def test_a_practitioner_records_why_shown_next_to_the_identifier_dated_by_them_and_audited(client, involved):
    user, child = involved
    client.force_login(user)
    url = reverse("families:person-nhs-missing", args=[child.pk])
    response = client.post(url, {"reason": NhsNumberMissingReason.BEING_TRACED, "detail": ""})
    assert response.status_code == 302

    child.refresh_from_db()
    assert child.nhs_number_missing_reason == NhsNumberMissingReason.BEING_TRACED
    assert child.nhs_number_missing_recorded_by == user
    assert child.nhs_number_missing_recorded_at.date() == timezone.localdate()
    event = AuditEvent.objects.get(action=Action.CHANGE, object_type="person", person_id=child.pk)
    assert event.details["fields"] == ["nhs_number_missing_reason"]
    page = client.get(reverse("families:person", args=[child.pk])).content.decode()
    assert "Why: Being traced with the NHS" in page
    assert user.display_name in page


def test_withheld_or_another_reason_needs_words_and_nothing_is_saved_without_them(client, involved):
    user, child = involved
    client.force_login(user)
    url = reverse("families:person-nhs-missing", args=[child.pk])
    response = client.post(url, {"reason": NhsNumberMissingReason.OTHER, "detail": " "})
    assert response.status_code == 200
    assert rules.NHS_MISSING_DETAIL_REQUIRED in response.content.decode()
    assert client.post(url, {"reason": ""}).status_code == 200
    child.refresh_from_db()
    assert child.nhs_number_missing_reason == ""
    assert not AuditEvent.objects.filter(action=Action.CHANGE, person_id=child.pk).exists()

    services.person_nhs_number_missing_record(
        actor=user, person=child, reason=NhsNumberMissingReason.WITHHELD, detail="Family fled domestic abuse"
    )
    child.refresh_from_db()
    assert child.nhs_number_missing_detail == "Family fled domestic abuse"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"nhs_number": "9434765919"}, "reason", rules.NHS_MISSING_HAS_NUMBER),
        ({"date_of_birth_years": 19}, "reason", rules.NHS_MISSING_ADULT),
        ({}, "reason", rules.NHS_MISSING_REASON_REQUIRED),
    ],
)
def test_a_reason_is_refused_for_someone_with_a_number_an_adult_or_no_reason_chosen(involved, change, field, message):
    user, child = involved
    if "nhs_number" in change:
        child.nhs_number = change["nhs_number"]
    if "date_of_birth_years" in change:
        child.date_of_birth = timezone.localdate() - timedelta(days=365 * change["date_of_birth_years"] + 10)
    child.save()
    reason = "" if not change else NhsNumberMissingReason.NO_GP
    with pytest.raises(ValidationError) as refused:
        services.person_nhs_number_missing_record(actor=user, person=child, reason=reason)
    assert refused.value.message_dict == {field: [message]}
    child.refresh_from_db()
    assert child.nhs_number_missing_reason == ""


def test_recording_the_nhs_number_clears_the_reason(involved):
    user, child = involved
    services.person_nhs_number_missing_record(actor=user, person=child, reason=NhsNumberMissingReason.BORN_ABROAD)
    child.refresh_from_db()
    fields = {name: getattr(child, name) for name in PersonDetails.__dataclass_fields__}
    services.person_update(actor=user, person=child, details=PersonDetails(**(fields | {"nhs_number": "943 476 5919"})))
    child.refresh_from_db()
    assert child.nhs_number == "9434765919"
    assert (child.nhs_number_missing_reason, child.nhs_number_missing_recorded_by) == ("", None)
    latest = AuditEvent.objects.filter(person_id=child.pk, action=Action.CHANGE).order_by("-id").first()
    assert "nhs_number_missing_reason" in latest.details["fields"]
