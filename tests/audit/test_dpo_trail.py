"""The data protection officer's view: for any person, who has looked at or changed their record
or their family's, with an audited CSV export; and the trail cannot be rewritten."""

import csv
import io
from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.dataprotection.selectors import person_audit_trail
from earlyhelp.dataprotection.trail_views import EXPORT_COLUMNS
from earlyhelp.families import services
from earlyhelp.families.access import RecordNotFound, access_household_by_id, access_person_by_id
from earlyhelp.families.services import PersonDetails
from tests.factories import InvolvementFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpo():
    return UserFactory(role=Role.DPO, username="dpo-dev")


@pytest.fixture
def membership():
    return MembershipFactory(person__given_name="Amara", person__family_name="Okafor", started_on=date(2020, 1, 1))


@pytest.fixture
def history(membership):
    """A viewer, an editor, a refused stranger, and someone looking at another family."""
    viewer = UserFactory(username="viewer-priya")
    InvolvementFactory(household=membership.household, practitioner=viewer)
    access_person_by_id(viewer, membership.person.id)
    access_household_by_id(viewer, membership.household.id)
    editor = UserFactory(role=Role.COORDINATOR, username="editor-colin")
    person = membership.person
    services.person_update(
        actor=editor,
        person=person,
        details=PersonDetails(given_name=person.given_name, family_name=person.family_name, phone="0151 000 0000"),
    )
    stranger = UserFactory(username="stranger-sam")
    with pytest.raises(RecordNotFound):
        access_person_by_id(stranger, person.id)
    elsewhere = MembershipFactory()
    access_person_by_id(UserFactory(role=Role.COORDINATOR, username="elsewhere-eve"), elsewhere.person.id)
    return membership


def test_the_trail_lists_who_viewed_or_changed_the_person_or_their_family(history):
    trail = person_audit_trail(history.person)
    seen = {(event.actor_username, event.action, event.object_type) for event in trail}
    assert seen == {
        ("viewer-priya", Action.VIEW, "person"),
        ("viewer-priya", Action.VIEW, "household"),
        ("editor-colin", Action.CHANGE, "person"),
    }


def test_the_trail_is_newest_first(history):
    trail = list(person_audit_trail(history.person))
    assert trail == sorted(trail, key=lambda event: (event.at, event.id), reverse=True)


def test_a_household_event_after_the_person_moved_out_still_shows_in_their_trail(membership):
    services.membership_end(actor=UserFactory(role=Role.COORDINATOR), membership=membership, ended_on=date(2024, 1, 1))
    coordinator = UserFactory(role=Role.COORDINATOR, username="later")
    access_household_by_id(coordinator, membership.household.id)
    assert "later" in {event.actor_username for event in person_audit_trail(membership.person)}


def test_the_dpo_page_shows_each_viewer_with_role_and_agency(client, dpo, history):
    client.force_login(dpo)
    response = client.get(reverse("audit:person", kwargs={"person_id": history.person.id}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Amara Okafor" in html
    for username in ("viewer-priya", "editor-colin"):
        assert username in html
    assert "stranger-sam" not in html
    assert "elsewhere-eve" not in html
    viewer = AuditEvent.objects.filter(actor_username="viewer-priya").first()
    assert viewer.actor_agency in html


def test_the_dpo_finds_the_person_by_name_across_the_whole_register(client, dpo, membership):
    client.force_login(dpo)
    response = client.get(reverse("audit:search"), {"name": "Amara Okafor"})
    assert reverse("audit:person", kwargs={"person_id": membership.person.id}) in response.content.decode()


def test_the_export_is_a_csv_of_the_trail_and_is_itself_audited(client, dpo, history):
    client.force_login(dpo)
    response = client.get(reverse("audit:person-export", kwargs={"person_id": history.person.id}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"audit-{history.person.id}-" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == EXPORT_COLUMNS
    users = {row[EXPORT_COLUMNS.index("actor_username")] for row in rows[1:]}
    # The DPO's own opening of the record (to export it) is part of the trail.
    assert users == {"viewer-priya", "editor-colin", "dpo-dev"}
    export = AuditEvent.objects.get(action=Action.EXPORT)
    assert (export.actor_username, export.person_id, export.object_type) == (
        "dpo-dev",
        history.person.id,
        "audit_trail",
    )
    assert export.details == {"rows": len(rows) - 1}


def test_the_dpo_opening_a_trail_is_itself_recorded_with_its_purpose(client, dpo, membership):
    client.force_login(dpo)
    client.get(reverse("audit:person", kwargs={"person_id": membership.person.id}))
    event = AuditEvent.objects.get(actor_username="dpo-dev", action=Action.VIEW)
    assert (event.person_id, event.purpose) == (membership.person.id, "audit trail")


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.COORDINATOR, Role.ANALYST, Role.ADMIN])
def test_no_other_role_sees_or_exports_a_trail(client, membership, role):
    user = UserFactory(role=role)
    InvolvementFactory(household=membership.household, practitioner=user)
    client.force_login(user)
    for name in ("audit:person", "audit:person-export"):
        assert client.get(reverse(name, kwargs={"person_id": membership.person.id})).status_code == 403
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


# Append-only ---------------------------------------------------------------------------------------


@pytest.fixture
def event(membership):
    with transaction.atomic():
        access_person_by_id(UserFactory(role=Role.COORDINATOR), membership.person.id)
    return AuditEvent.objects.get()


@pytest.mark.postgres
def test_postgresql_refuses_to_update_an_audit_event(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(purpose="tidied")
    event.refresh_from_db()
    assert event.purpose == ""


@pytest.mark.postgres
def test_postgresql_refuses_to_delete_an_audit_event(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.postgres
def test_postgresql_refuses_raw_sql_that_rewrites_the_trail(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET actor_username = %s WHERE id = %s", ["someone-else", event.pk])
    event.refresh_from_db()
    assert event.actor_username != "someone-else"
