"""The register is searched for duplicates of itself: each likely pair waits for the Early Help Team to
merge it or to decide the two records are two people, and every later search remembers that.

One search with the real matching model runs over a register built here (a synthetic background with a
few duplicates of its own, and the people below); the rules of keeping the pairs are tested with the
model's answer given, so that they cost no model run."""

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.datahub import duplicates, messages
from earlyhelp.datahub.duplicates import (
    PAIR_OBJECT,
    SEARCH_OBJECT,
    register_duplicate_not_same,
    register_duplicates_find,
)
from earlyhelp.datahub.models import DuplicateSearch, DuplicateStatus, RegisterDuplicate, SearchStatus
from earlyhelp.families.merging import person_merge, person_merge_undo
from earlyhelp.matching.model import PairEvidence
from earlyhelp.matching.rules import Band
from earlyhelp.web.errors import RefusedError
from tests.factories import HouseholdFactory, MembershipFactory, PersonFactory, UserFactory
from tests.matching.people import make

pytestmark = pytest.mark.django_db


def _background() -> None:
    """A synthetic register of distinct people, and copies of some of them entered a second time with the
    generator's usual slips (the model needs true pairs to estimate how often values agree for one person)."""
    extracts = make(register_size=160, copies=16, strangers=0)
    seen_nhs = set()
    for values in [*extracts.register, *extracts.partner]:
        nhs = values.get("nhs_number") or None
        if nhs in seen_nhs:
            nhs = None
        seen_nhs.add(nhs)
        PersonFactory(
            given_name=values["given_name"].title(),
            family_name=values["family_name"].title(),
            date_of_birth=date.fromisoformat(values["date_of_birth"]),
            sex=values["sex"] or "U",
            postcode=values["postcode"],
            address_line_1=values["address"].title(),
            nhs_number=nhs,
        )


def _people() -> dict:
    """Amira twice (a duplicate), twins at one address, and a father and son with one name and birthday."""
    home = HouseholdFactory(name="Achterberg family", address_line_1="9 Larch Grove", postcode="LS8 3PD")
    twins = [
        MembershipFactory(
            household=home,
            person=PersonFactory(
                given_name=given,
                family_name="Achterberg",
                sex=sex,
                date_of_birth=date(2016, 4, 2),
                nhs_number=None,
                postcode="",
            ),
        ).person
        for given, sex in (("Maja", "F"), ("Lotte", "F"))
    ]
    father = PersonFactory(
        given_name="Daniel",
        family_name="Okonjo",
        sex="M",
        date_of_birth=date(1984, 9, 12),
        nhs_number=None,
        postcode="BD9 4LT",
        address_line_1="3 Manor Row",
    )
    # Born on his father's birthday: the dates agree but for the year.
    son = PersonFactory(
        given_name="Daniel",
        family_name="Okonjo",
        sex="M",
        date_of_birth=date(2012, 9, 12),
        nhs_number=None,
        postcode="BD9 4LT",
        address_line_1="3 Manor Row",
    )
    amira = PersonFactory(
        given_name="Amira",
        family_name="Haddad",
        sex="F",
        date_of_birth=date(2013, 6, 21),
        nhs_number="4505577104",
        postcode="WF2 8RT",
        address_line_1="77 Leeds Road",
    )
    # Amira typed in again from a school's form: her family name mistyped, no NHS number.
    amira_again = PersonFactory(
        given_name="Amira",
        family_name="Hadad",
        sex="F",
        date_of_birth=date(2013, 6, 21),
        nhs_number=None,
        postcode="WF2 8RT",
        address_line_1="77 Leeds Road",
    )
    return {"twins": twins, "father": father, "son": son, "amira": amira, "amira_again": amira_again}


def _pair(first, second) -> RegisterDuplicate | None:
    low, high = sorted([first.pk, second.pk])
    return RegisterDuplicate.objects.filter(person_a=low, person_b=high).first()


def _snapshot() -> list[tuple]:
    return list(
        RegisterDuplicate.objects.order_by("person_a", "person_b").values_list(
            "person_a", "person_b", "match_probability", "match_weights", "band", "status", "found_at"
        )
    )


def test_the_search_proposes_duplicates_holds_twins_and_a_parent_and_child_for_review_and_repeats_itself():
    _background()
    people = _people()

    outcome = register_duplicates_find()

    assert outcome.stopped == ""
    assert outcome.compared == 160 + 16 + 6
    amira = _pair(people["amira"], people["amira_again"])
    assert amira is not None
    assert amira.status == DuplicateStatus.WAITING
    assert amira.band == Band.AUTO_LINK
    assert amira.match_probability >= 0.99
    assert amira.match_weights["family_name"] > 0
    assert amira.match_weights["nhs_number"] == 0
    # The background's own copies are found too, and nothing from it beyond them (6 pairs at most among
    # the people built here: their 15 possible pairs hold 3 that may be proposed).
    assert outcome.proposed >= 16 * 0.9 + 1
    assert outcome.proposed <= 16 + 3
    # Twins and a father and son may be proposed, but only for a person's review, never as sure.
    for first, second in (people["twins"], (people["father"], people["son"])):
        found = _pair(first, second)
        assert found is None or found.band == Band.REVIEW
    before = _snapshot()

    again = register_duplicates_find()

    assert (again.proposed, again.updated, again.withdrawn, again.merged) == (0, 0, 0, 0)
    assert again.waiting == outcome.waiting == len(before)
    assert _snapshot() == before
    searches = AuditEvent.objects.filter(object_type=SEARCH_OBJECT).order_by("pk")
    assert [event.details["proposed"] for event in searches] == [outcome.proposed, 0]
    # Counts only: no one's id or details.
    assert set(searches[0].details) == {
        "compared",
        "proposed",
        "updated",
        "withdrawn",
        "merged",
        "waiting",
        "auto_link",
        "review",
    }
    assert all(event.person_id is None for event in searches)


# --- The rules of keeping pairs, with the model's answer given -------------------------------------------


@pytest.fixture
def model(monkeypatch):
    """The model's answer, set by each test: the pairs it finds among the people on the register."""
    answer: list[tuple] = []

    def deduplicate(*, records, bands, progress):
        present = set(records.column("record_id").to_pylist())
        return [
            PairEvidence(
                partner_record_id=str(first.pk),
                register_record_id=str(second.pk),
                match_probability=probability,
                match_weight=8.0,
                band=band,
                weights={"given_name": 4.5, "family_name": 5.0, "dob": -1.5, "nhs_number": 0.0},
            )
            for first, second, probability, band in answer
            if str(first.pk) in present and str(second.pk) in present
        ]

    monkeypatch.setattr(duplicates, "deduplicate", deduplicate)
    monkeypatch.setattr(duplicates, "FEWEST_PEOPLE", 2)
    return answer


@pytest.fixture
def coordinator():
    return UserFactory(role=Role.COORDINATOR)


def _household_pair():
    """Two people in one household, the second entered without NHS number or UPN (so they may be merged)."""
    home = HouseholdFactory()
    first = MembershipFactory(household=home).person
    return [first, MembershipFactory(household=home, person=PersonFactory(nhs_number=None)).person]


def test_a_pair_decided_not_the_same_person_is_never_proposed_again(model, coordinator):
    first, second = _household_pair()
    model.append((first, second, 0.93, Band.REVIEW))
    register_duplicates_find()
    pair = _pair(first, second)

    register_duplicate_not_same(actor=coordinator, pair=pair, note="Twins: the school knows both")
    outcome = register_duplicates_find()

    pair.refresh_from_db()
    assert pair.status == DuplicateStatus.NOT_SAME
    assert (pair.decided_by, pair.note) == (coordinator, "Twins: the school knows both")
    assert (outcome.proposed, outcome.waiting) == (0, 0)
    assert RegisterDuplicate.objects.count() == 1
    events = AuditEvent.objects.filter(object_type=PAIR_OBJECT, object_id=str(pair.pk))
    assert {event.person_id for event in events} == {first.pk, second.pk}
    assert all(event.details["status"] == "not_same" and event.details["note_given"] for event in events)
    assert not any("Twins" in str(event.details) for event in events)
    with pytest.raises(RefusedError):
        register_duplicate_not_same(actor=coordinator, pair=pair)


def test_merging_a_pair_marks_it_merged_and_undoing_the_merge_sets_it_waiting(model, coordinator):
    first, second = _household_pair()
    model.append((first, second, 0.995, Band.AUTO_LINK))
    register_duplicates_find()

    merge = person_merge(actor=coordinator, survivor=first, duplicate=second, reason="Entered twice")

    pair = _pair(first, second)
    assert (pair.status, pair.merge, pair.decided_by) == (DuplicateStatus.MERGED, merge, coordinator)
    # The merge moves every reference to the duplicate; the pair still names the two records compared.
    assert {pair.person_a, pair.person_b} == {first.pk, second.pk}
    assert register_duplicates_find().waiting == 0
    assert _pair(first, second).status == DuplicateStatus.MERGED

    person_merge_undo(actor=coordinator, merge=merge)

    pair.refresh_from_db()
    assert (pair.status, pair.merge, pair.decided_at) == (DuplicateStatus.WAITING, None, None)
    assert AuditEvent.objects.filter(object_type=PAIR_OBJECT, object_id=str(pair.pk)).count() == 4


def test_the_search_marks_merged_a_waiting_pair_whose_record_was_merged_and_withdraws_one_no_longer_found(
    model, coordinator
):
    first, second = _household_pair()
    third, fourth = _household_pair()
    low, high = duplicates.ordered(first.pk, second.pk)
    merged = RegisterDuplicate.objects.create(
        person_a=low, person_b=high, match_probability=0.9, match_weight=5, band="review"
    )
    low, high = duplicates.ordered(third.pk, fourth.pk)
    stale = RegisterDuplicate.objects.create(
        person_a=low, person_b=high, match_probability=0.9, match_weight=5, band="review"
    )
    # Merged before the data hub could be told (the pair was stored afterwards).
    merge = person_merge(actor=coordinator, survivor=first, duplicate=second, reason="Entered twice")
    merged.status = DuplicateStatus.WAITING
    merged.save()

    outcome = register_duplicates_find()

    assert (outcome.merged, outcome.withdrawn, outcome.waiting) == (1, 1, 0)
    merged.refresh_from_db()
    assert (merged.status, merged.merge) == (DuplicateStatus.MERGED, merge)
    assert not RegisterDuplicate.objects.filter(pk=stale.pk).exists()


def test_too_few_people_to_estimate_the_model_changes_nothing(coordinator):
    PersonFactory()
    outcome = register_duplicates_find()
    assert outcome.stopped == messages.DUPLICATES_TOO_FEW
    assert not AuditEvent.objects.filter(object_type=SEARCH_OBJECT).exists()


def test_the_command_searches_and_says_what_it_found(model, capsys):
    first, second = _household_pair()
    model.append((first, second, 0.9, Band.REVIEW))

    call_command("find_register_duplicates")

    out = capsys.readouterr().out
    assert "Storing the likely pairs" in out
    assert "1 pairs newly proposed" in out
    assert DuplicateSearch.objects.get().status == SearchStatus.FINISHED


# --- The pages ---------------------------------------------------------------------------------------------


def test_the_page_shows_each_pair_side_by_side_with_the_evidence_and_audits_each_record_read(
    model, client, coordinator
):
    first, second = _household_pair()
    model.append((first, second, 0.93, Band.REVIEW))
    register_duplicates_find()
    client.force_login(coordinator)

    page = client.get(reverse("datahub:duplicates")).content.decode()

    assert first.full_name in page and second.full_name in page
    assert "<strong>For</strong> (match weight 5.0)" in page
    assert (
        reverse("families:person-merge", args=[first.pk, second.pk]) in page
        or reverse("families:person-merge", args=[second.pk, first.pk]) in page
    )
    views = AuditEvent.objects.filter(actor=coordinator, object_type="person", purpose=duplicates_purpose())
    assert {event.person_id for event in views} == {first.pk, second.pk}


def duplicates_purpose() -> str:
    from earlyhelp.datahub.views import DUPLICATES_PURPOSE

    return DUPLICATES_PURPOSE


def test_not_the_same_person_is_recorded_from_its_page(model, client, coordinator):
    first, second = _household_pair()
    model.append((first, second, 0.93, Band.REVIEW))
    register_duplicates_find()
    pair = _pair(first, second)
    client.force_login(coordinator)

    response = client.post(reverse("datahub:duplicate-not-same", args=[pair.pk]), {"note": ""})

    assert response.status_code == 302
    pair.refresh_from_db()
    assert (pair.status, pair.note) == (DuplicateStatus.NOT_SAME, "")
    assert client.get(reverse("datahub:duplicate-not-same", args=[pair.pk])).status_code == 404


def test_a_practitioner_may_not_see_or_decide_pairs(model, client):
    first, second = _household_pair()
    model.append((first, second, 0.93, Band.REVIEW))
    register_duplicates_find()
    client.force_login(UserFactory(role=Role.PRACTITIONER))

    assert client.get(reverse("datahub:duplicates")).status_code == 403
    assert client.post(reverse("datahub:duplicate-not-same", args=[_pair(first, second).pk])).status_code == 403
    assert client.post(reverse("datahub:duplicates-find")).status_code == 403
    assert _pair(first, second).status == DuplicateStatus.WAITING


def test_find_duplicates_now_queues_a_search_the_page_follows(
    model, client, coordinator, django_capture_on_commit_callbacks
):
    first, second = _household_pair()
    model.append((first, second, 0.93, Band.REVIEW))
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("datahub:duplicates-find"), {})

    assert response.status_code == 302
    search = DuplicateSearch.objects.get()
    assert (search.status, search.requested_by, search.proposed) == (SearchStatus.FINISHED, coordinator, 1)
    assert "1 new pair found" in client.get(reverse("datahub:duplicates")).content.decode()
    assert _pair(first, second).status == DuplicateStatus.WAITING


def test_a_second_search_is_refused_while_one_is_under_way(client, coordinator):
    DuplicateSearch.objects.create(status=SearchStatus.RUNNING, stage="Scoring the candidate pairs")
    client.force_login(coordinator)

    progress = client.get(reverse("datahub:duplicates"), headers={"HX-Request": "true"}).content.decode()
    refused = client.post(reverse("datahub:duplicates-find"), {})

    assert "Scoring the candidate pairs" in progress
    assert messages.DUPLICATE_SEARCH_UNDER_WAY in refused.content.decode()
    assert DuplicateSearch.objects.count() == 1
