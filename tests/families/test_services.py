"""Every change to the family register, through its services: the rules they apply, the history
they keep, and the audit event each writes in the same transaction."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.consent import services as consent_services
from earlyhelp.families import rules, services
from earlyhelp.families.access import access_household_by_id
from earlyhelp.families.models import (
    Household,
    Involvement,
    InvolvementRole,
    MemberRole,
    Membership,
    Person,
    PersonName,
    Relationship,
)
from earlyhelp.families.services import PersonDetails
from tests.factories import (
    ChildFactory,
    HouseholdFactory,
    InvolvementFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NHS = "9434765919"
OTHER_NHS = "9434765870"
UPN = "B801200005001"


@pytest.fixture
def coordinator():
    return UserFactory(role=Role.COORDINATOR)


def _events(**filters):
    return AuditEvent.objects.filter(**filters)


def _error_dict(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# person_create ---------------------------------------------------------------------------------


def test_a_new_person_is_saved_with_normalised_identifiers_and_one_create_event(coordinator):
    person = services.person_create(
        actor=coordinator,
        details=PersonDetails(
            given_name=" Zoë ",
            family_name="Brontë",
            date_of_birth=date(2015, 3, 1),
            nhs_number="943 476 5919",
            upn="b801 2000 05001",
            postcode="l36 9xy",
        ),
    )
    person.refresh_from_db()
    assert (person.given_name, person.family_name) == ("Zoë", "Brontë")
    assert (person.nhs_number, person.upn, person.postcode) == (NHS, UPN, "L36 9XY")
    assert person.search_name == "zoe bronte"
    event = _events(action=Action.CREATE, person_id=person.id).get()
    assert (event.object_type, event.actor_username, event.actor_role) == (
        "person",
        coordinator.username,
        "coordinator",
    )
    assert event.actor_agency == coordinator.agency.name


def test_a_person_without_identifiers_stores_none_so_many_can_lack_them(coordinator):
    first = services.person_create(actor=coordinator, details=PersonDetails(given_name="A", family_name="One"))
    second = services.person_create(actor=coordinator, details=PersonDetails(given_name="B", family_name="Two"))
    assert first.nhs_number is None
    assert second.upn is None


def test_a_upn_already_on_the_register_is_refused_and_nothing_is_saved(coordinator):
    PersonFactory(upn=UPN)
    people_before, events_before = Person.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.person_create(
            actor=coordinator, details=PersonDetails(given_name="Jo", family_name="Twice", upn=UPN.lower())
        )
    assert _error_dict(excinfo) == {"upn": [services.UPN_TAKEN]}
    assert Person.objects.count() == people_before
    assert AuditEvent.objects.count() == events_before


def test_an_nhs_number_already_on_the_register_is_refused_through_the_audited_known_check(coordinator):
    existing = PersonFactory(nhs_number=NHS)
    people_before = Person.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.person_create(
            actor=coordinator, details=PersonDetails(given_name="Jo", family_name="Twice", nhs_number="943-476-5919")
        )
    assert _error_dict(excinfo) == {"nhs_number": [services.ALREADY_ON_REGISTER]}
    assert Person.objects.count() == people_before
    assert list(AuditEvent.objects.values_list("action", "person_id")) == [(Action.KNOWN_CHECK, existing.id)]


def test_every_broken_rule_is_reported_against_its_field_and_nothing_is_saved(coordinator):
    with pytest.raises(ValidationError) as excinfo:
        services.person_create(
            actor=coordinator,
            details=PersonDetails(
                given_name="",
                family_name="Smith",
                date_of_birth=timezone.localdate() + timedelta(days=3),
                nhs_number="9434765918",
                upn="A801200005001",
                postcode="L36",
            ),
        )
    assert _error_dict(excinfo) == {
        "given_name": [services.NAME_REQUIRED],
        "date_of_birth": [rules.DATE_OF_BIRTH_IN_FUTURE],
        "nhs_number": [rules.NHS_NUMBER_INVALID],
        "upn": [rules.UPN_INVALID],
        "postcode": [rules.POSTCODE_INVALID],
    }
    assert not Person.objects.exists()
    assert not AuditEvent.objects.exists()


def test_an_unborn_child_has_an_expected_date_and_no_date_of_birth(coordinator):
    due = timezone.localdate() + timedelta(days=60)
    person = services.person_create(
        actor=coordinator, details=PersonDetails(given_name="Baby", family_name="Smith", expected_date_of_birth=due)
    )
    assert person.is_unborn


def test_if_the_audit_event_cannot_be_written_the_person_is_not_saved_either(coordinator, monkeypatch):
    def refuse(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(services, "audit_record", refuse)
    with pytest.raises(RuntimeError):
        services.person_create(actor=coordinator, details=PersonDetails(given_name="Jo", family_name="Lost"))
    assert not Person.objects.exists()


# person_update ---------------------------------------------------------------------------------


def test_a_change_of_name_keeps_the_old_name_as_a_previous_name(coordinator):
    person = PersonFactory(given_name="Jane", family_name="Smith", nhs_number=NHS)
    services.person_update(
        actor=coordinator,
        person=person,
        details=PersonDetails(given_name="Jane", family_name="Jones", nhs_number=NHS, postcode="L36 9XY"),
        name_used_until=date(2024, 5, 1),
    )
    person.refresh_from_db()
    assert person.full_name == "Jane Jones"
    assert person.search_name == "jane jones"
    previous = person.previous_names.get()
    assert (previous.given_name, previous.family_name, previous.search_name) == ("Jane", "Smith", "jane smith")
    assert previous.used_until == date(2024, 5, 1)


def test_an_update_records_which_fields_changed_but_not_their_values(coordinator):
    person = PersonFactory(given_name="Jane", family_name="Smith", nhs_number=NHS, postcode="L36 9XY")
    services.person_update(
        actor=coordinator,
        person=person,
        details=PersonDetails(given_name="Jane", family_name="Smith", nhs_number=NHS, postcode="L33 1AA", phone="0151"),
    )
    event = _events(action=Action.CHANGE, person_id=person.id).get()
    assert event.details == {"fields": ["date_of_birth", "phone", "postcode"]}
    assert "L33" not in str(event.details)


def test_an_update_that_changes_nothing_writes_nothing(coordinator):
    person = services.person_create(
        actor=coordinator, details=PersonDetails(given_name="Jane", family_name="Smith", nhs_number=NHS)
    )
    services.person_update(
        actor=coordinator,
        person=person,
        details=PersonDetails(given_name="Jane", family_name="Smith", nhs_number="943 476 5919"),
    )
    assert not _events(action=Action.CHANGE).exists()
    assert not PersonName.objects.exists()


def test_an_update_to_another_persons_nhs_number_is_refused_and_changes_nothing(coordinator):
    PersonFactory(nhs_number=OTHER_NHS)
    person = PersonFactory(given_name="Jane", family_name="Smith", nhs_number=NHS)
    with pytest.raises(ValidationError) as excinfo:
        services.person_update(
            actor=coordinator,
            person=person,
            details=PersonDetails(given_name="Janet", family_name="Smith", nhs_number=OTHER_NHS),
        )
    assert _error_dict(excinfo) == {"nhs_number": [services.NHS_NUMBER_TAKEN]}
    person.refresh_from_db()
    assert (person.given_name, person.nhs_number) == ("Jane", NHS)
    assert not PersonName.objects.exists()
    # The question "who has this NHS number?" is the one thing recorded: as a known-check.
    assert list(AuditEvent.objects.values_list("action", flat=True)) == [Action.KNOWN_CHECK]


def test_an_update_with_a_bad_postcode_is_refused_against_the_postcode(coordinator):
    person = PersonFactory(postcode="L36 9XY")
    with pytest.raises(ValidationError) as excinfo:
        services.person_update(
            actor=coordinator,
            person=person,
            details=PersonDetails(given_name=person.given_name, family_name=person.family_name, postcode="nowhere"),
        )
    assert _error_dict(excinfo) == {"postcode": [rules.POSTCODE_INVALID]}
    person.refresh_from_db()
    assert person.postcode == "L36 9XY"


# household_create ------------------------------------------------------------------------------


def test_a_practitioner_who_adds_a_family_becomes_involved_so_they_can_open_it():
    practitioner = UserFactory(role=Role.PRACTITIONER)
    household = services.household_create(actor=practitioner, name=" Smith family ", postcode="l36 9xy")
    assert (household.name, household.postcode) == ("Smith family", "L36 9XY")
    involvement = household.involvements.get()
    assert (involvement.practitioner, involvement.agency, involvement.role) == (
        practitioner,
        practitioner.agency,
        InvolvementRole.CONTRIBUTOR,
    )
    assert access_household_by_id(practitioner, household.id) == household
    assert set(_events(household_id=household.id).values_list("object_type", "action")) == {
        ("household", Action.CREATE),
        ("involvement", Action.CREATE),
        ("household", Action.VIEW),
    }


def test_a_coordinator_who_adds_a_family_is_not_made_involved(coordinator):
    household = services.household_create(actor=coordinator, name="Smith family")
    assert not household.involvements.exists()


def test_a_practitioner_with_no_agency_cannot_add_a_family_and_no_trace_is_left():
    practitioner = UserFactory(role=Role.PRACTITIONER, team=None, agency=None)
    with pytest.raises(ValidationError) as excinfo:
        services.household_create(actor=practitioner, name="Smith family")
    assert _error_dict(excinfo) == {"name": [services.NO_AGENCY]}
    assert not Household.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_family_needs_a_name_and_a_valid_postcode(coordinator):
    with pytest.raises(ValidationError) as excinfo:
        services.household_create(actor=coordinator, name="  ", postcode="L36")
    assert set(_error_dict(excinfo)) == {"name", "postcode"}
    assert _error_dict(excinfo)["postcode"] == [rules.POSTCODE_INVALID]
    assert not Household.objects.exists()


# Members ---------------------------------------------------------------------------------------


def test_adding_a_new_person_to_a_household_records_the_person_and_the_membership(coordinator):
    household = HouseholdFactory()
    membership = services.household_add_new_person(
        actor=coordinator,
        household=household,
        details=PersonDetails(given_name="Tom", family_name="Smith", date_of_birth=date(2016, 1, 1)),
        role=MemberRole.CHILD,
        started_on=date(2023, 9, 1),
    )
    assert (membership.household, membership.role, membership.started_on) == (
        household,
        MemberRole.CHILD,
        date(2023, 9, 1),
    )
    assert membership.person.full_name == "Tom Smith"
    events = _events(person_id=membership.person_id).order_by("id")
    assert [(e.object_type, e.action) for e in events] == [("person", "create"), ("membership", "create")]
    assert events[1].household_id == household.id
    assert events[1].details == {"role": "child"}


def test_a_new_member_with_a_bad_nhs_number_leaves_neither_person_nor_membership(coordinator):
    household = HouseholdFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.household_add_new_person(
            actor=coordinator,
            household=household,
            details=PersonDetails(given_name="Tom", family_name="Smith", nhs_number="1234567890"),
            role=MemberRole.CHILD,
        )
    assert _error_dict(excinfo) == {"nhs_number": [rules.NHS_NUMBER_INVALID]}
    assert not Person.objects.exists()
    assert not Membership.objects.exists()


def test_an_unknown_household_role_is_refused_against_the_role_field(coordinator):
    household = HouseholdFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.household_add_new_person(
            actor=coordinator,
            household=household,
            details=PersonDetails(given_name="Tom", family_name="Smith"),
            role="lodger",
        )
    assert set(_error_dict(excinfo)) == {"role"}
    assert not Person.objects.exists()


def test_a_person_cannot_be_added_twice_to_a_household_they_live_in(coordinator):
    membership = MembershipFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.household_add_member(
            actor=coordinator, household=membership.household, person=membership.person, role=MemberRole.CHILD
        )
    assert _error_dict(excinfo) == {"person": [services.ALREADY_A_MEMBER]}


def test_a_person_who_moves_keeps_both_households_in_their_history(coordinator):
    old = MembershipFactory(started_on=date(2020, 1, 1))
    new_home = HouseholdFactory()
    services.membership_end(actor=coordinator, membership=old, ended_on=date(2024, 6, 30))
    services.household_add_member(
        actor=coordinator, household=new_home, person=old.person, role=MemberRole.CHILD, started_on=date(2024, 7, 1)
    )
    history = list(old.person.memberships.order_by("started_on").values_list("household", "started_on", "ended_on"))
    assert history == [
        (old.household_id, date(2020, 1, 1), date(2024, 6, 30)),
        (new_home.id, date(2024, 7, 1), None),
    ]
    event = _events(object_type="membership", action=Action.CHANGE).get()
    assert (event.person_id, event.household_id, event.details) == (
        old.person_id,
        old.household_id,
        {"fields": ["ended_on"]},
    )


def test_a_person_who_moved_out_can_move_back_in(coordinator):
    membership = MembershipFactory(started_on=date(2020, 1, 1))
    services.membership_end(actor=coordinator, membership=membership, ended_on=date(2021, 1, 1))
    again = services.household_add_member(
        actor=coordinator, household=membership.household, person=membership.person, role=MemberRole.CHILD
    )
    assert again.is_current
    assert membership.household.memberships.count() == 2


def test_a_move_out_before_the_move_in_is_refused_and_the_member_stays(coordinator):
    membership = MembershipFactory(started_on=date(2020, 1, 1))
    with pytest.raises(ValidationError) as excinfo:
        services.membership_end(actor=coordinator, membership=membership, ended_on=date(2019, 12, 31))
    assert _error_dict(excinfo) == {"ended_on": [rules.DATES_OUT_OF_ORDER]}
    membership.refresh_from_db()
    assert membership.is_current
    assert not AuditEvent.objects.exists()


def test_a_move_out_cannot_be_recorded_twice(coordinator):
    membership = MembershipFactory(started_on=date(2020, 1, 1))
    services.membership_end(actor=coordinator, membership=membership, ended_on=date(2021, 1, 1))
    with pytest.raises(ValidationError) as excinfo:
        services.membership_end(actor=coordinator, membership=membership, ended_on=date(2022, 1, 1))
    assert _error_dict(excinfo) == {"ended_on": [services.MEMBERSHIP_ALREADY_ENDED]}
    membership.refresh_from_db()
    assert membership.ended_on == date(2021, 1, 1)


# Relationships ---------------------------------------------------------------------------------


def test_a_relationship_is_recorded_with_its_dates_and_audited(coordinator):
    parent, child = PersonFactory(), ChildFactory()
    relationship = services.relationship_add(
        actor=coordinator, person=parent, relative=child, kind="parent", started_on=date(2015, 1, 1)
    )
    assert str(relationship) == f"{parent} parent of {child}"
    event = _events(object_type="relationship").get()
    assert (event.person_id, event.details) == (parent.id, {"kind": "parent", "relative": str(child.id)})


def test_a_person_cannot_be_related_to_themselves(coordinator):
    person = PersonFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.relationship_add(actor=coordinator, person=person, relative=person, kind="sibling")
    assert set(_error_dict(excinfo)) == {"relative"}
    assert not Relationship.objects.exists()


def test_a_relationship_that_ends_before_it_starts_is_refused(coordinator):
    with pytest.raises(ValidationError) as excinfo:
        services.relationship_add(
            actor=coordinator,
            person=PersonFactory(),
            relative=PersonFactory(),
            kind="partner",
            started_on=date(2020, 1, 1),
            ended_on=date(2019, 1, 1),
        )
    assert _error_dict(excinfo) == {"ended_on": [rules.DATES_OUT_OF_ORDER]}
    assert not Relationship.objects.exists()


def test_an_unknown_kind_of_relationship_is_refused(coordinator):
    with pytest.raises(ValidationError) as excinfo:
        services.relationship_add(actor=coordinator, person=PersonFactory(), relative=PersonFactory(), kind="cousin")
    assert set(_error_dict(excinfo)) == {"kind"}
    assert not Relationship.objects.exists()


# Involvements ----------------------------------------------------------------------------------


def test_a_family_has_only_one_current_lead_professional(coordinator):
    household = HouseholdFactory()
    first = InvolvementFactory(household=household, role=InvolvementRole.LEAD_PROFESSIONAL)
    second = UserFactory()
    with pytest.raises(ValidationError) as excinfo:
        consent_services.involvement_start(
            actor=coordinator,
            household=household,
            role=InvolvementRole.LEAD_PROFESSIONAL,
            agency=second.agency,
            practitioner=second,
        )
    assert _error_dict(excinfo) == {"role": [services.ONE_LEAD_PROFESSIONAL]}
    services.involvement_end(actor=coordinator, involvement=first, ended_on=date(2025, 1, 1))
    lead = consent_services.involvement_start(
        actor=coordinator,
        household=household,
        role=InvolvementRole.LEAD_PROFESSIONAL,
        agency=second.agency,
        practitioner=second,
    )
    assert list(household.involvements.filter(ended_on__isnull=True, role="lead")) == [lead]


def test_an_involvement_names_a_practitioner_or_a_team(coordinator):
    with pytest.raises(ValidationError) as excinfo:
        consent_services.involvement_start(
            actor=coordinator, household=HouseholdFactory(), role=InvolvementRole.TAF_MEMBER, agency=coordinator.agency
        )
    assert set(_error_dict(excinfo)) == {"practitioner"}
    assert not Involvement.objects.exists()


def test_ending_an_involvement_ends_the_practitioners_access(coordinator):
    involvement = InvolvementFactory(started_on=date(2024, 1, 1))
    practitioner = involvement.practitioner
    assert access_household_by_id(practitioner, involvement.household_id)
    services.involvement_end(actor=coordinator, involvement=involvement, ended_on=date(2024, 12, 31))
    with pytest.raises(Exception, match="No record was found"):
        access_household_by_id(practitioner, involvement.household_id)
    event = _events(object_type="involvement", action=Action.CHANGE).get()
    assert event.details == {"fields": ["ended_on"]}


def test_an_involvement_cannot_end_before_it_started_or_end_twice(coordinator):
    involvement = InvolvementFactory(started_on=date(2024, 1, 1))
    with pytest.raises(ValidationError) as excinfo:
        services.involvement_end(actor=coordinator, involvement=involvement, ended_on=date(2023, 1, 1))
    assert _error_dict(excinfo) == {"ended_on": [rules.DATES_OUT_OF_ORDER]}
    services.involvement_end(actor=coordinator, involvement=involvement, ended_on=date(2024, 2, 1))
    with pytest.raises(ValidationError) as excinfo:
        services.involvement_end(actor=coordinator, involvement=involvement)
    assert _error_dict(excinfo) == {"ended_on": [services.INVOLVEMENT_ALREADY_ENDED]}
