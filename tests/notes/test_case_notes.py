"""Case notes: written in the author's agency's name, audited, and a confidential note is kept
within that agency."""

import pytest
from django.urls import reverse

from earlyhelp.audit.models import AuditEvent
from earlyhelp.notes import services
from earlyhelp.notes.models import CaseNote
from earlyhelp.notes.selectors import case_notes_visible
from tests.factories import InvolvementFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def involvement(db):
    return InvolvementFactory(role="lead")


def test_a_note_added_on_the_page_is_saved_in_the_authors_agencys_name_and_audited(client, involvement):
    author = involvement.practitioner
    client.force_login(author)
    url = reverse("notes:household", args=[involvement.household_id])
    response = client.post(url, {"text": "Home visit: children at school, mum well."})
    assert response.status_code == 302
    note = CaseNote.objects.get()
    assert (note.author, note.agency, note.confidential) == (author, author.agency, False)
    assert AuditEvent.objects.filter(object_type="case_note", object_id=str(note.pk), action="create").exists()
    assert "Home visit: children at school" in client.get(url).content.decode()


def test_a_blank_note_is_refused_naming_the_field_and_nothing_is_saved(client, involvement):
    client.force_login(involvement.practitioner)
    response = client.post(reverse("notes:household", args=[involvement.household_id]), {"text": "   "})
    assert response.status_code == 200
    assert services.NOTE_REQUIRED in response.content.decode()
    assert not CaseNote.objects.exists()


def test_a_note_too_long_is_refused_with_the_rule(involvement):
    with pytest.raises(services.ValidationError) as error:
        services.case_note_add(
            actor=involvement.practitioner, household=involvement.household, text="x" * (services.MAX_LENGTH + 1)
        )
    assert error.value.message_dict == {"text": [services.NOTE_TOO_LONG]}


def test_a_confidential_note_is_seen_only_within_the_agency_that_wrote_it(involvement):
    author = involvement.practitioner
    services.case_note_add(actor=author, household=involvement.household, text="Disclosure", confidential=True)
    colleague = UserFactory(team=author.team)
    other_agency = UserFactory()
    assert case_notes_visible(user=colleague, household=involvement.household).count() == 1
    assert case_notes_visible(user=other_agency, household=involvement.household).count() == 0
