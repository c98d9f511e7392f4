"""Partner records are matched to the register: linked where the model is sure, sent to clerical review
where it is not, and known to partners only where no one on the register is like them. The register
here is a synthetic background (copies and strangers whose truth the generator knows) and a few people
built by hand, each with the outcome the model's rules give."""

from dataclasses import replace
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from earlyhelp.audit.models import AuditEvent
from earlyhelp.datahub import messages
from earlyhelp.datahub.linkage import partner_records_link, partner_table, register_table
from earlyhelp.datahub.models import LinkStatus, PartnerRecord
from earlyhelp.families.models import Household
from tests.conftest import built_once

from .linking import an_upload, background, make, partner_records, register_person

pytestmark = pytest.mark.django_db

ROBERT = {
    "given_name": "ROBERT",
    "family_name": "ASHWORTH",
    "date_of_birth": "2012-03-07",
    "sex": "M",
    "postcode": "LS6 2QT",
    "address": "14 CARDIGAN ROAD",
    "nhs_number": "4505577104",
}
HARRIET = {
    "given_name": "HARRIET",
    "family_name": "OYELARAN",
    "date_of_birth": "2015-11-20",
    "sex": "F",
    "postcode": "BD9 4LT",
    "address": "3 MANOR ROW",
}
PRIYA = {
    "given_name": "PRIYA",
    "family_name": "CHAUDHRY",
    "date_of_birth": "2010-05-30",
    "sex": "F",
    "postcode": "WF2 8RT",
    "address": "77 LEEDS ROAD",
    "nhs_number": "9434765919",
}
# On the register without an address of her own: she lives with her household at 27 Tong Road.
KEISHA = {"given_name": "KEISHA", "family_name": "MENSAH", "date_of_birth": "2014-08-09", "sex": "F"}

PARTNER = [
    # Known by a nickname at the school, with day and month written the other way round, no NHS number:
    # family name, address, postcode and the swapped date all agree, so the model is sure.
    dict(ROBERT, record_id="BOB", given_name="Bob", date_of_birth="2012-07-03", nhs_number=""),
    # Harriet's twin brother: the same family name, birthday and home, another given name. Scored high,
    # but wholly different given names are never linked without a person: clerical review.
    dict(HARRIET, record_id="HENRY", given_name="Henry", sex=""),
    # Everything agrees but the NHS number, both valid: a different person, so no link at all.
    dict(PRIYA, record_id="PRIYA-OTHER", nhs_number="4010232137"),
    # Someone the register does not hold.
    {
        "record_id": "ZAINAB",
        "given_name": "Zainab",
        "family_name": "Okafor",
        "date_of_birth": "1999-01-17",
        "sex": "F",
        "postcode": "BD3 7QA",
        "address": "5 KIRKGATE",
    },
    # Keisha with her household's address, and her family name mistyped.
    dict(KEISHA, record_id="KEISHA", family_name="MENSHA", address="27 Tong Road", postcode="LS12 1AA"),
]


@pytest.fixture(scope="class")
def linked(django_db_setup, django_db_blocker):
    """The background and the hand-built people on the register, the partner's records matched to it:
    matched once for the class in a transaction rolled back after its last test (each test runs in a
    savepoint inside it and only reads), because the matching takes longer than the checks."""
    with built_once(django_db_blocker):
        extracts = make()
        people = background(extracts)
        home = Household.objects.create(name="Mensah family", address_line_1="27 Tong Road", postcode="LS12 1AA")
        hand_built = {
            "ROBERT": register_person(ROBERT),
            "HARRIET": register_person(HARRIET),
            "PRIYA": register_person(PRIYA),
            "KEISHA": register_person(KEISHA, household=home),
        }
        upload = an_upload()
        records = partner_records(upload, [*extracts.partner, *PARTNER])
        outcome = partner_records_link(upload=upload)
        fresh = {key: PartnerRecord.objects.get(pk=record.pk) for key, record in records.items()}
        yield extracts, people, hand_built, fresh, outcome


# One worker matches the records once for the class, rather than each worker that gets one of its tests.
@pytest.mark.xdist_group("datahub_linked")
class TestOneMatchingOfTheRegister:
    def test_copies_on_the_register_are_linked_to_their_person_and_strangers_are_not(self, linked):
        extracts, people, _, records, _ = linked

        right = [
            key
            for key, original in extracts.copies.items()
            if records[key].link_status == LinkStatus.LINKED and records[key].person_id == people[original].pk
        ]
        assert len(right) >= 0.95 * len(extracts.copies)
        wrong = [
            key
            for key, original in extracts.copies.items()
            if records[key].person_id is not None and records[key].person_id != people[original].pk
        ]
        assert wrong == []
        assert [key for key in extracts.strangers if records[key].link_status == LinkStatus.LINKED] == []

    def test_a_sure_match_is_linked_with_its_probability_and_evidence_and_no_reviewer(self, linked):
        _, _, people, records, _ = linked

        bob = records["BOB"]
        assert bob.link_status == LinkStatus.LINKED
        assert bob.person_id == people["ROBERT"].pk
        assert bob.match_probability >= 0.99
        assert bob.linked_at is not None
        assert bob.linked_by is None
        assert bob.match_weights["family_name"] > 0
        assert bob.match_weights["nhs_number"] == 0

    def test_a_twin_waits_for_review_with_the_candidate_and_the_evidence_against(self, linked):
        _, _, people, records, _ = linked

        henry = records["HENRY"]
        assert henry.link_status == LinkStatus.IN_REVIEW
        assert henry.person_id == people["HARRIET"].pk
        assert henry.match_probability >= 0.80
        assert henry.linked_at is None
        assert henry.match_weights["given_name"] < 0
        assert henry.match_weights["dob"] > 0

    def test_a_different_nhs_number_and_a_stranger_are_known_to_partners_only(self, linked):
        _, _, _, records, _ = linked

        for key in ("PRIYA-OTHER", "ZAINAB"):
            assert records[key].link_status == LinkStatus.PARTNERS_ONLY
            assert records[key].person_id is None
            assert records[key].match_probability is None

    def test_a_person_without_an_address_of_their_own_is_matched_on_their_households(self, linked):
        _, _, people, records, _ = linked

        keisha = records["KEISHA"]
        assert keisha.person_id == people["KEISHA"].pk
        assert keisha.link_status == LinkStatus.LINKED
        assert keisha.match_weights["address"] > 0
        assert keisha.match_weights["postcode"] > 0

    def test_every_record_is_matched_and_each_link_is_audited_against_its_person(self, linked):
        extracts, _, people, records, outcome = linked

        assert outcome.matched == len(extracts.partner) + len(PARTNER)
        statuses = [record.link_status for record in records.values()]
        assert LinkStatus.NOT_YET_MATCHED not in statuses
        assert (outcome.linked, outcome.in_review, outcome.partners_only) == (
            statuses.count(LinkStatus.LINKED),
            statuses.count(LinkStatus.IN_REVIEW),
            statuses.count(LinkStatus.PARTNERS_ONLY),
        )
        event = AuditEvent.objects.get(object_type="partnerrecord", object_id=str(records["BOB"].pk))
        assert event.person_id == people["ROBERT"].pk
        assert event.details["link_status"] == LinkStatus.LINKED
        review = AuditEvent.objects.get(object_type="partnerrecord", object_id=str(records["HENRY"].pk))
        assert review.details["link_status"] == LinkStatus.IN_REVIEW
        linked_events = AuditEvent.objects.filter(object_type="partnerrecord").count()
        assert linked_events == outcome.linked + outcome.in_review
        run = AuditEvent.objects.get(object_type="partner_record_linkage")
        assert run.details["linked"] == outcome.linked
        assert run.details["partners_only"] == outcome.partners_only
        # Names stay out of the trail.
        assert "Bob" not in str(event.details)


def test_bands_come_from_the_settings(settings):
    # An auto-link threshold above the defaults' sends to review some records the defaults would link.
    strict = 0.9999999
    settings.EARLY_HELP = replace(settings.EARLY_HELP, matching=replace(settings.EARLY_HELP.matching, auto_link=strict))
    extracts = make()
    background(extracts)
    upload = an_upload()
    partner_records(upload, extracts.partner)

    partner_records_link(upload=upload)

    records = PartnerRecord.objects.filter(upload=upload)
    assert not records.filter(link_status=LinkStatus.LINKED, match_probability__lt=strict).exists()
    assert records.filter(link_status=LinkStatus.IN_REVIEW, match_probability__gte=0.99).exists()
    run = AuditEvent.objects.get(object_type="partner_record_linkage")
    assert (run.details["auto_link"], run.details["review"]) == (strict, 0.80)


def test_with_no_one_on_the_register_every_record_is_known_to_partners_only():
    upload = an_upload()
    records = partner_records(upload, PARTNER)

    outcome = partner_records_link(upload=upload)

    assert outcome.partners_only == len(PARTNER)
    assert set(
        PartnerRecord.objects.filter(pk__in=[r.pk for r in records.values()]).values_list("link_status", flat=True)
    ) == {LinkStatus.PARTNERS_ONLY}


def test_too_few_records_to_estimate_the_model_leaves_them_waiting():
    register_person(ROBERT)
    upload = an_upload()
    partner_records(upload, [dict(ROBERT, record_id="ROBERT-AGAIN")])

    outcome = partner_records_link(upload=upload)

    assert outcome.stopped == messages.LINKING_TOO_FEW
    assert PartnerRecord.objects.get().link_status == LinkStatus.NOT_YET_MATCHED
    assert not AuditEvent.objects.filter(object_type="partnerrecord").exists()


def test_records_already_decided_are_left_as_they_are():
    person = register_person(ROBERT)
    upload = an_upload()
    records = partner_records(upload, [dict(ROBERT, record_id="DONE")])
    PartnerRecord.objects.filter(pk=records["DONE"].pk).update(link_status=LinkStatus.LINKED, person=person)

    outcome = partner_records_link()

    assert outcome.matched == 0
    assert PartnerRecord.objects.get().link_status == LinkStatus.LINKED


def test_the_command_matches_every_waiting_record_and_says_how_many(capsys):
    upload = an_upload()
    partner_records(upload, PARTNER)

    call_command("link_partner_records")

    out = capsys.readouterr().out
    assert (
        f"{len(PARTNER)} records matched: 0 linked, 0 for clerical review, {len(PARTNER)} known to partners only" in out
    )
    assert not PartnerRecord.objects.filter(link_status=LinkStatus.NOT_YET_MATCHED).exists()


def test_the_command_says_when_the_model_could_not_be_estimated():
    register_person(ROBERT)
    partner_records(an_upload(), [dict(ROBERT, record_id="ROBERT-AGAIN")])

    with pytest.raises(CommandError, match=messages.LINKING_TOO_FEW):
        call_command("link_partner_records")


def test_the_register_table_reads_each_person_once_with_their_current_households_address():
    home = Household.objects.create(name="Mensah family", address_line_1="27 Tong Road", postcode="LS12 1AA")
    keisha = register_person(KEISHA, household=home)
    old = Household.objects.create(name="Before", address_line_1="1 Old Lane", postcode="LS1 1AA")
    keisha.memberships.create(household=old, role="child", started_on=date(2015, 1, 1), ended_on=date(2019, 12, 31))
    robert = register_person(ROBERT)

    rows = {row["record_id"]: row for row in register_table().to_pylist()}

    assert rows[str(keisha.pk)]["address"] == "27 Tong Road"
    assert rows[str(keisha.pk)]["postcode"] == "LS12 1AA"
    assert rows[str(keisha.pk)]["date_of_birth"] == "2014-08-09"
    assert rows[str(robert.pk)]["address"] == "14 Cardigan Road"
    assert rows[str(robert.pk)]["nhs_number"] == ROBERT["nhs_number"]
    assert len(rows) == 2


def test_the_upload_page_says_what_matching_found(client):
    from .support import DatasetFactory, csv_bytes, good_rows, post_file

    page = post_file(client, DatasetFactory(), csv_bytes(good_rows(3))).content.decode()

    assert "Matched to the register" in page
    assert "Known to partners only</dt>" in page
    assert PartnerRecord.objects.filter(link_status=LinkStatus.PARTNERS_ONLY).count() == 3


def test_an_age_on_a_date_and_middle_names_a_layout_gives_reach_the_model():
    """A council's own layout may name identifying columns for what only some sources hold: middle names, and an
    age with the date it was given (docs/matching.md); they go to the model beside the standard fields."""
    records = partner_records(
        an_upload(),
        [
            {"record_id": "A", "given_name": "Keziah", "age": 9, "age_on": "2024-06-01", "middle_names": "Rose"},
            {"record_id": "B", "given_name": "Otis"},
        ],
    )

    table = partner_table(PartnerRecord.objects.filter(pk__in=[record.pk for record in records.values()]))

    rows = {row["given_name"]: (row["age"], row["age_on"], row["middle_names"]) for row in table.to_pylist()}
    assert rows == {"Keziah": ("9", "2024-06-01", "Rose"), "Otis": (None, None, None)}
