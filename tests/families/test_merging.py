"""Merging a duplicate register record into the survivor's, and undoing it: every row anywhere that
refers to the duplicate moves (and exactly those move back), clashes are parked and never lost, each
operation is audited, refusals change nothing, and a merged record is hidden from searches and lists."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.families import merging, selectors
from earlyhelp.families.models import (
    NhsNumberMissingReason,
    Person,
    PersonMerge,
    PersonMergeMove,
    PersonName,
    Relationship,
    RelationshipKind,
)
from earlyhelp.families.selectors import PersonQuery, person_search
from earlyhelp.journey.models import ChronologyEntry
from earlyhelp.web.errors import RefusedError
from tests.assessments.factories import DraftVersionFactory
from tests.datahub.linked import linked
from tests.dataprotection.factories import ConsentFactory
from tests.factories import HouseholdFactory, MembershipFactory, PersonFactory, UserFactory
from tests.plans.factories import ActionFactory

pytestmark = pytest.mark.django_db

REASON = "Same name, date of birth and address; confirmed with the school"


@pytest.fixture
def coordinator():
    return UserFactory(role=Role.COORDINATOR)


def _pair():
    """The survivor and a duplicate of them (no NHS number of its own), each in a household of their own."""
    survivor = MembershipFactory(person__given_name="Amelia", person__family_name="Jones").person
    duplicate = MembershipFactory(
        person__given_name="Amelie", person__family_name="Jones", person__nhs_number=None, person__upn=None
    ).person
    return survivor, duplicate


def _who_refers() -> dict[tuple[str, str, str], object]:
    """Every row of every model referring to a person, and to whom: (model, field, pk) -> person id."""
    found = {}
    for reference in merging.person_references():
        attname = reference.field.attname
        for pk, person_id in reference.rows.exclude(**{f"{attname}__isnull": True}).values_list("pk", attname):
            found[(reference.label, reference.field.name, str(pk))] = person_id
    return found


def _the_duplicates_rows_in_several_apps(survivor: Person, duplicate: Person) -> None:
    household = duplicate.memberships.get().household
    other = MembershipFactory(household=household).person
    PersonName.objects.create(person=duplicate, given_name="Amy", family_name="Jones", search_name="amy jones")
    Relationship.objects.create(person=other, relative=duplicate, kind=RelationshipKind.PARENT)
    ConsentFactory(person=duplicate)
    # A section for each member, the duplicate's among them; a plan action for the duplicate in the same episode.
    version = DraftVersionFactory(episode__household=household)
    ActionFactory(plan__episode=version.episode, family_member=duplicate)
    linked(duplicate, "school_attendance", sessions_missed=3)
    ChronologyEntry.objects.create(
        household=household, person=duplicate, occurred_at="2026-01-05T10:00Z", kind="note", summary="Home visit"
    )


def test_every_foreign_key_to_a_person_is_found_through_the_model_meta_but_the_merges_own():
    labels = {(reference.label, reference.field.name) for reference in merging.person_references()}
    assert {
        ("families.Membership", "person"),
        ("families.PersonName", "person"),
        ("families.Relationship", "person"),
        ("families.Relationship", "relative"),
        ("journey.ChronologyEntry", "person"),
        ("consent.ConsentRecord", "person"),
        ("plans.PlanAction", "family_member"),
        ("assessments.MemberSection", "person"),
        ("datahub.PartnerRecord", "person"),
        ("datahub.Flag", "person"),
    } <= labels
    assert not {label for label, _ in labels} & {"families.Person", "families.PersonMerge", "families.PersonMergeMove"}


def test_a_merge_moves_every_row_referring_to_the_duplicate_and_the_undo_moves_exactly_those_back(coordinator):
    survivor, duplicate = _pair()
    _the_duplicates_rows_in_several_apps(survivor, duplicate)
    before = _who_refers()
    theirs = {key for key, person_id in before.items() if person_id == duplicate.pk}
    assert {label for label, _, _ in theirs} >= {
        "families.Membership",
        "families.PersonName",
        "families.Relationship",
        "consent.ConsentRecord",
        "plans.PlanAction",
        "assessments.MemberSection",
        "datahub.PartnerRecord",
        "journey.ChronologyEntry",
    }

    merge = merging.person_merge(actor=coordinator, survivor=survivor, duplicate=duplicate, reason=REASON)

    after = _who_refers()
    assert all(after[key] == survivor.pk for key in theirs)
    assert all(after[key] == person_id for key, person_id in before.items() if key not in theirs)
    recorded = {(move.model_label, move.field_name, move.object_pk) for move in merge.moves.all()}
    assert recorded == theirs
    assert not merge.moves.filter(parked=True).exists()
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    events = AuditEvent.objects.filter(object_type="person_merge", object_id=str(merge.pk), action=Action.CREATE)
    assert {event.person_id for event in events} == {survivor.pk, duplicate.pk}

    merging.person_merge_undo(actor=coordinator, merge=merge)

    restored = _who_refers()
    assert all(restored[key] == person_id for key, person_id in before.items())
    duplicate.refresh_from_db()
    merge.refresh_from_db()
    assert duplicate.merged_into is None and merge.undone_at is not None and merge.undone_by == coordinator
    assert (
        AuditEvent.objects.filter(object_type="person_merge", object_id=str(merge.pk), action=Action.CHANGE).count()
        == 2
    )


def test_a_household_both_records_live_in_keeps_the_survivors_membership_and_parks_the_duplicates(coordinator):
    survivor, duplicate = _pair()
    household = HouseholdFactory()
    kept = MembershipFactory(household=household, person=survivor)
    parked = MembershipFactory(household=household, person=duplicate)
    between = Relationship.objects.create(person=duplicate, relative=survivor, kind=RelationshipKind.SIBLING)

    merge = merging.person_merge(actor=coordinator, survivor=survivor, duplicate=duplicate, reason=REASON)

    parked.refresh_from_db()
    between.refresh_from_db()
    assert parked.person == duplicate and between.person == duplicate  # left where they were, not lost
    assert set(merge.moves.filter(parked=True).values_list("model_label", "clash")) == {
        ("families.Membership", "membership_one_current_per_household"),
        ("families.Relationship", "refers to both records"),
    }
    assert [m.person for m in selectors.household_members(household)] == [survivor]
    assert kept in selectors.current_members(household)

    merging.person_merge_undo(actor=coordinator, merge=merge)
    assert {m.person for m in selectors.household_members(household)} == {survivor, duplicate}


def test_identifiers_the_survivor_lacks_are_taken_from_the_duplicate_and_given_back_on_undo(coordinator):
    survivor, duplicate = _pair()
    number = survivor.nhs_number
    Person.objects.filter(pk=survivor.pk).update(
        nhs_number=None, nhs_number_missing_reason=NhsNumberMissingReason.BEING_TRACED
    )
    Person.objects.filter(pk=duplicate.pk).update(nhs_number=number)
    survivor.refresh_from_db()
    duplicate.refresh_from_db()

    merge = merging.person_merge(actor=coordinator, survivor=survivor, duplicate=duplicate, reason=REASON)
    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert (survivor.nhs_number, survivor.nhs_number_missing_reason, duplicate.nhs_number) == (number, "", None)
    # The duplicate's name is one of the survivor's previous names: a search by it finds the survivor.
    assert merge.added_name is not None and merge.added_name.person == survivor

    merging.person_merge_undo(actor=coordinator, merge=merge)
    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert (survivor.nhs_number, survivor.nhs_number_missing_reason, duplicate.nhs_number) == (
        None,
        NhsNumberMissingReason.BEING_TRACED,
        number,
    )
    assert not PersonName.objects.filter(person=survivor, given_name="Amelie").exists()


def _state():
    return (
        _who_refers(),
        list(Person.objects.order_by("pk").values_list("pk", "merged_into", "nhs_number")),
        PersonMerge.objects.count(),
        PersonMergeMove.objects.count(),
        AuditEvent.objects.filter(object_type="person_merge").count(),
    )


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("self", merging.MERGE_INTO_SELF),
        ("different_nhs_numbers", merging.NHS_NUMBERS_DIFFER),
        ("duplicate_already_merged", merging.DUPLICATE_MERGED),
        ("survivor_already_merged", merging.SURVIVOR_MERGED),
    ],
)
def test_a_refused_merge_says_why_and_changes_nothing(coordinator, case, message):
    survivor, duplicate = _pair()
    MembershipFactory(person=duplicate)
    if case == "different_nhs_numbers":
        duplicate.nhs_number = PersonFactory.build().nhs_number
        duplicate.save()
    if case in ("duplicate_already_merged", "survivor_already_merged"):
        third = PersonFactory(nhs_number=None)
        merged = duplicate if case == "duplicate_already_merged" else survivor
        merging.person_merge(actor=coordinator, survivor=third, duplicate=merged, reason=REASON)
    before = _state()
    with pytest.raises(RefusedError) as refused:
        merging.person_merge(
            actor=coordinator, survivor=survivor, duplicate=survivor if case == "self" else duplicate, reason=REASON
        )
    assert message in refused.value.messages
    assert _state() == before


def test_a_merge_needs_a_reason_and_the_early_help_team(coordinator):
    survivor, duplicate = _pair()
    before = _state()
    with pytest.raises(ValidationError) as refused:
        merging.person_merge(actor=coordinator, survivor=survivor, duplicate=duplicate, reason="  ")
    assert refused.value.message_dict == {"reason": [merging.REASON_REQUIRED]}
    with pytest.raises(PermissionDenied):
        merging.person_merge(
            actor=UserFactory(role=Role.PRACTITIONER), survivor=survivor, duplicate=duplicate, reason=REASON
        )
    assert _state() == before


def test_an_undone_merge_or_one_a_later_merge_depends_on_cannot_be_undone(coordinator):
    survivor, duplicate = _pair()
    first = merging.person_merge(actor=coordinator, survivor=survivor, duplicate=duplicate, reason=REASON)
    keeper = PersonFactory(nhs_number=None, upn=None)
    later = merging.person_merge(actor=coordinator, survivor=keeper, duplicate=survivor, reason=REASON)

    before = _state()
    with pytest.raises(RefusedError) as refused:
        merging.person_merge_undo(actor=coordinator, merge=first)
    assert refused.value.messages == [merging.LATER_MERGE]
    assert _state() == before

    merging.person_merge_undo(actor=coordinator, merge=later)
    merging.person_merge_undo(actor=coordinator, merge=first)
    before = _state()
    with pytest.raises(RefusedError) as refused:
        merging.person_merge_undo(actor=coordinator, merge=first)
    assert refused.value.messages == [merging.ALREADY_UNDONE]
    assert _state() == before


def test_a_merged_record_is_hidden_from_search_which_finds_the_survivor_by_the_duplicates_name(coordinator):
    survivor, duplicate = _pair()
    duplicate.given_name, duplicate.family_name, duplicate.search_name = "Zuzanna", "Kowalska", "zuzanna kowalska"
    duplicate.save()
    assert person_search(user=coordinator, query=PersonQuery(name="Zuzanna Kowalska")) == [duplicate]

    merging.person_merge(actor=coordinator, survivor=survivor, duplicate=duplicate, reason=REASON)

    assert person_search(user=coordinator, query=PersonQuery(name="Zuzanna Kowalska")) == [survivor]
    assert duplicate not in person_search(user=coordinator, query=PersonQuery(postcode=duplicate.postcode))


def test_the_merge_is_in_both_peoples_chronology_and_opening_the_duplicate_leads_to_the_survivor(client, coordinator):
    survivor, duplicate = _pair()
    households = {survivor.memberships.get().household, duplicate.memberships.get().household}
    client.force_login(coordinator)

    page = client.get(reverse("families:person-merge", args=[survivor.pk, duplicate.pk]))
    assert page.status_code == 200
    assert b"What will move to the record kept" in page.content
    refused = client.post(reverse("families:person-merge", args=[survivor.pk, duplicate.pk]), {"reason": ""})
    assert merging.REASON_REQUIRED.encode() in refused.content
    assert not PersonMerge.objects.exists()

    response = client.post(reverse("families:person-merge", args=[survivor.pk, duplicate.pk]), {"reason": REASON})
    merge = PersonMerge.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("families:merge", args=[merge.pk])

    entries = ChronologyEntry.objects.filter(kind="merge")
    assert {(entry.household, entry.person) for entry in entries} == {
        (household, person) for household in households for person in (survivor, duplicate)
    }
    opened = client.get(reverse("families:person", args=[duplicate.pk]))
    assert opened.status_code == 302 and opened["Location"] == reverse("families:person", args=[survivor.pk])
    shown = client.get(reverse("families:person", args=[survivor.pk]))
    assert b"was merged into this one" in shown.content

    undone = client.post(reverse("families:merge-undo", args=[merge.pk]), {})
    assert undone.status_code == 302
    assert ChronologyEntry.objects.filter(kind="merge").count() == 2 * len(households) * 2
    assert client.get(reverse("families:person", args=[duplicate.pk])).status_code == 200


def test_only_the_early_help_team_sees_the_merge_pages(client):
    survivor, duplicate = _pair()
    client.force_login(UserFactory(role=Role.PRACTITIONER))
    assert client.get(reverse("families:person-merge", args=[survivor.pk, duplicate.pk])).status_code == 403
    assert (
        client.post(reverse("families:person-merge", args=[survivor.pk, duplicate.pk]), {"reason": REASON}).status_code
        == 403
    )
    assert not PersonMerge.objects.exists()
