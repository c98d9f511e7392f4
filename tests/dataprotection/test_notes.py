import pytest
from django.core.exceptions import ValidationError

from earlyhelp.notes.models import CaseNote
from earlyhelp.notes.selectors import case_notes_visible
from earlyhelp.notes.services import NOTE_REQUIRED, case_note_add
from tests.factories import HouseholdFactory, InvolvementFactory, UserFactory


@pytest.fixture
def household(db):
    return HouseholdFactory()


def test_another_agencys_confidential_note_is_hidden_but_its_ordinary_notes_are_shown(household):
    health = UserFactory()
    school = UserFactory()
    shared = case_note_add(actor=health, household=household, text="Attended clinic")
    secret = case_note_add(actor=health, household=household, text="Mother disclosed abuse", confidential=True)
    assert list(case_notes_visible(user=school, household=household)) == [shared]
    assert set(case_notes_visible(user=health, household=household)) == {shared, secret}
    colleague = UserFactory(agency=health.agency, team=health.team)
    assert secret in case_notes_visible(user=colleague, household=household)


def test_an_empty_note_is_refused(household):
    with pytest.raises(ValidationError) as error:
        case_note_add(actor=UserFactory(), household=household, text="   ")
    assert error.value.message_dict["text"] == [NOTE_REQUIRED]
    assert not CaseNote.objects.exists()


def test_the_notes_page_hides_other_agencies_confidential_notes(client, household):
    health = UserFactory()
    school = UserFactory()
    InvolvementFactory(household=household, practitioner=school)
    case_note_add(actor=health, household=household, text="Confidential health matter", confidential=True)
    case_note_add(actor=health, household=household, text="Ordinary update")
    client.force_login(school)
    page = client.get(f"/notes/{household.id}/").content.decode()
    assert "Ordinary update" in page
    assert "Confidential health matter" not in page
