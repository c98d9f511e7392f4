import pytest
from django.urls import reverse

from earlyhelp.audit.models import AuditEvent
from earlyhelp.families.models import Relationship
from earlyhelp.families.rules import DATES_OUT_OF_ORDER
from tests.factories import InvolvementFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def parent_and_child():
    child = MembershipFactory()
    parent = MembershipFactory(household=child.household, person=PersonFactory(), role="parent")
    practitioner = InvolvementFactory(household=child.household).practitioner
    return parent.person, child.person, practitioner


def test_a_relationship_is_recorded_between_people_of_one_household_and_audited(client, parent_and_child):
    parent, child, practitioner = parent_and_child
    client.force_login(practitioner)
    url = reverse("families:relationship-add", args=[parent.id])
    response = client.post(url, {"kind": "parent", "relative": child.id, "started_on": "2015-03-01"})
    assert response.status_code == 302
    relationship = Relationship.objects.get(person=parent)
    assert (relationship.relative, relationship.kind) == (child, "parent")
    assert AuditEvent.objects.filter(object_type="relationship", object_id=str(relationship.id)).exists()


def test_dates_out_of_order_are_refused_by_name_and_nothing_is_saved(client, parent_and_child):
    parent, child, practitioner = parent_and_child
    client.force_login(practitioner)
    url = reverse("families:relationship-add", args=[parent.id])
    data = {"kind": "partner", "relative": child.id, "started_on": "2020-01-01", "ended_on": "2019-01-01"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert DATES_OUT_OF_ORDER in response.content.decode()
    assert not Relationship.objects.exists()


def test_someone_outside_the_households_cannot_be_chosen(client, parent_and_child):
    parent, _, practitioner = parent_and_child
    stranger = PersonFactory()
    client.force_login(practitioner)
    url = reverse("families:relationship-add", args=[parent.id])
    response = client.post(url, {"kind": "sibling", "relative": stranger.id})
    assert response.status_code == 200
    assert not Relationship.objects.exists()
