import random

import pyarrow as pa
import pytest

from earlyhelp.matching.model import RECORD_ID_MISSING, RECORD_ID_REPEATED, link, prepared, settings
from earlyhelp.matching.rules import (
    BANDS_ORDER_INVALID,
    Band,
    Bands,
    a_generation_apart,
    guarded_band,
    nhs_number_valid,
    soundex,
)
from tests.matching.people import FAMILY, GIVEN, make

PERSON = {
    "given_name": "ROBERT",
    "family_name": "ASHWORTH",
    "date_of_birth": "2012-03-07",
    "sex": "M",
    "postcode": "LS6 2QT",
    "address": "14 CARDIGAN ROAD",
    "nhs_number": "4505577104",
}
TWIN = {
    "given_name": "HARRIET",
    "family_name": "OYELARAN",
    "date_of_birth": "2015-11-20",
    "sex": "F",
    "postcode": "BD9 4LT",
    "address": "3 MANOR ROW",
    "nhs_number": "",
}
JUNIOR = {
    "given_name": "DARREN",
    "family_name": "KILBRIDE",
    "date_of_birth": "1984-09-14",
    "sex": "M",
    "postcode": "HX1 5ND",
    "address": "41 PELLON LANE",
    "nhs_number": "",
}
SWAPPED_TWIN = {
    "given_name": "NATHAN",
    "family_name": "FLETCHER",
    "date_of_birth": "2019-06-02",
    "sex": "M",
    "postcode": "WF10 2PL",
    "address": "8 BANK STREET",
    "nhs_number": "",
}
NAMESAKE = {
    "given_name": "PRIYA",
    "family_name": "CHAUDHRY",
    "date_of_birth": "2010-05-30",
    "sex": "F",
    "postcode": "WF2 8RT",
    "address": "77 LEEDS ROAD",
    "nhs_number": "9434765919",
}

# The module's linkage runs once, on one worker.
pytestmark = pytest.mark.xdist_group("matching_model")


@pytest.fixture(scope="module")
def linkage():
    extracts = make()
    register = [
        *extracts.register,
        dict(PERSON, record_id="ROBERT"),
        dict(TWIN, record_id="HARRIET"),
        dict(NAMESAKE, record_id="PRIYA"),
        dict(JUNIOR, record_id="DARREN-SENIOR"),
        dict(SWAPPED_TWIN, record_id="NATHAN"),
        dict(SWAPPED_TWIN, record_id="TERENCE", given_name="TERENCE"),
    ]
    partner = [
        *extracts.partner,
        # Known by a nickname elsewhere, with day and month written the other way round.
        dict(PERSON, record_id="BOB", given_name="Bob", date_of_birth="2012-07-03", nhs_number=""),
        # Her twin brother: same family name, birthday and home, a different given name.
        dict(TWIN, record_id="HARRIET-TWIN", given_name="HENRY", sex=""),
        # Everything agrees but the NHS number.
        dict(NAMESAKE, record_id="PRIYA-OTHER", nhs_number="4010232137"),
        # His son, with his name, at his address, not on the register yet.
        dict(JUNIOR, record_id="DARREN-JUNIOR", date_of_birth="2011-02-23"),
        # Nathan with his names the wrong way round: his twin Terence's family name is now this given name.
        dict(SWAPPED_TWIN, record_id="NATHAN-SWAPPED", given_name="Fletcher", family_name="Nathan"),
        # A stranger whose "NHS number" is seven digits, as some systems' own references are.
        {
            "record_id": "SHORT-NUMBER",
            "given_name": "Zainab",
            "family_name": "Okafor",
            "date_of_birth": "1999-01-17",
            "sex": "F",
            "postcode": "BD3 7QA",
            "address": "5 KIRKGATE",
            "nhs_number": "1234567",
        },
    ]
    result = link(register=pa.Table.from_pylist(register), partner=pa.Table.from_pylist(partner))
    return extracts, {row.record_id: row for row in result.links}, result


def test_each_partner_record_gets_one_outcome(linkage):
    extracts, links, _ = linkage

    assert len(links) == len(extracts.partner) + 6


def test_copies_with_typos_and_gaps_link_to_their_register_record(linkage):
    extracts, links, _ = linkage

    linked = [record for record, original in extracts.copies.items() if links[record].person_id == original]
    auto = [record for record in linked if links[record].band is Band.AUTO_LINK]
    assert len(linked) == len(extracts.copies)
    assert len(auto) >= 0.95 * len(extracts.copies)


def test_strangers_are_not_linked(linkage):
    extracts, links, _ = linkage

    assert [record for record in extracts.strangers if links[record].band is Band.AUTO_LINK] == []


def test_a_nickname_and_a_day_month_swap_still_link(linkage):
    _, links, _ = linkage

    assert links["BOB"].person_id == "ROBERT"
    assert links["BOB"].band is Band.AUTO_LINK


def test_a_twin_with_a_different_given_name_is_not_linked(linkage):
    _, links, _ = linkage

    assert links["HARRIET-TWIN"].band is not Band.AUTO_LINK


def test_a_child_with_the_name_of_a_parent_at_the_same_home_is_not_linked_automatically(linkage):
    _, links, _ = linkage

    assert links["DARREN-JUNIOR"].band is not Band.AUTO_LINK


def test_names_the_wrong_way_round_link_to_their_person_and_not_to_a_twin(linkage):
    _, links, result = linkage

    twin_pairs = [
        pair
        for pair in result.pairs
        if pair.partner_record_id == "NATHAN-SWAPPED" and pair.register_record_id == "TERENCE"
    ]
    assert [pair for pair in twin_pairs if pair.band is Band.AUTO_LINK] == []
    assert links["NATHAN-SWAPPED"].person_id == "NATHAN"


def test_an_nhs_number_too_short_to_check_is_scored_not_refused(linkage):
    _, links, _ = linkage

    assert links["SHORT-NUMBER"].band is Band.NO_MATCH


def test_a_disagreeing_nhs_number_blocks_the_link(linkage):
    _, links, _ = linkage

    assert links["PRIYA-OTHER"].band is Band.NO_MATCH
    assert links["PRIYA-OTHER"].person_id is None


def test_each_pair_carries_the_evidence_for_and_against(linkage):
    _, _, result = linkage

    pair = next(pair for pair in result.pairs if pair.partner_record_id == "BOB")
    assert pair.weights["family_name"] > 0
    assert pair.weights["address"] > 0
    assert set(pair.weights) >= {"given_name", "family_name", "dob", "postcode", "address"}
    twin = next(pair for pair in result.pairs if pair.partner_record_id == "HARRIET-TWIN")
    assert twin.weights["given_name"] < 0


def test_the_evidence_adds_up_to_the_match_weight(linkage):
    """The weights a reviewer sees, the name's term-frequency adjustment included, differ from the match weight only
    by the prior's weight, which is the same for every pair."""
    _, _, result = linkage

    rests = [pair.match_weight - sum(pair.weights.values()) for pair in result.pairs]
    assert len(rests) > 1
    assert max(rests) - min(rests) < 0.1


def test_a_table_without_record_ids_is_refused():
    with pytest.raises(ValueError, match=RECORD_ID_MISSING.format(table="partner")):
        link(register=pa.Table.from_pylist([{"record_id": "1"}]), partner=pa.Table.from_pylist([{"id": "1"}]))


def test_a_repeated_record_id_is_refused():
    with pytest.raises(ValueError, match=RECORD_ID_REPEATED.format(table="register", record_id="1")):
        link(
            register=pa.Table.from_pylist([{"record_id": "1"}, {"record_id": "1"}]),
            partner=pa.Table.from_pylist([{"record_id": "2"}]),
        )


@pytest.mark.parametrize(("auto_link", "review"), [(0.8, 0.9), (0.9, 0.9), (1.2, 0.5), (0.9, 0)])
def test_bands_out_of_order_are_refused(auto_link, review):
    with pytest.raises(ValueError, match=BANDS_ORDER_INVALID):
        Bands(auto_link=auto_link, review=review)


@pytest.mark.parametrize(
    ("probability", "band"),
    [(None, Band.NO_MATCH), (0.5, Band.NO_MATCH), (0.8, Band.REVIEW), (0.989, Band.REVIEW), (0.99, Band.AUTO_LINK)],
)
def test_probabilities_fall_into_the_bands_at_their_thresholds(probability, band):
    assert Bands(auto_link=0.99, review=0.8).band(probability) is band


@pytest.mark.parametrize(
    ("name", "code"),
    [("Robert", "R163"), ("Rupert", "R163"), ("Ashcraft", "A261"), ("Tymczak", "T522"), ("Lee", "L000"), ("", None)],
)
def test_soundex_codes_names_that_sound_alike_the_same(name, code):
    assert soundex(name) == code


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("9434765919", True),
        ("4010232137", True),
        ("9434765918", False),
        ("943476591", False),
        ("", False),
        (None, False),
    ],
)
def test_nhs_numbers_are_checked_by_their_modulus_11_digit(number, valid):
    assert nhs_number_valid(number) is valid


@pytest.mark.parametrize(
    ("given_names_differ", "dates_of_birth_differ", "identifier_agrees", "identifier_differs", "band"),
    [
        (False, False, False, False, Band.AUTO_LINK),
        (True, False, False, False, Band.REVIEW),
        (False, True, False, False, Band.REVIEW),
        (True, False, True, False, Band.AUTO_LINK),
        (False, True, True, False, Band.AUTO_LINK),
        (False, False, False, True, Band.NO_MATCH),
        (True, False, True, True, Band.NO_MATCH),
    ],
)
def test_the_guards_hold_different_given_names_or_birthdays_and_refuse_different_identifiers(
    given_names_differ, dates_of_birth_differ, identifier_agrees, identifier_differs, band
):
    guarded = guarded_band(
        Bands(),
        0.999,
        given_names_differ=given_names_differ,
        dates_of_birth_differ=dates_of_birth_differ,
        identifier_agrees=identifier_agrees,
        identifier_differs=identifier_differs,
    )

    assert guarded is band


@pytest.mark.parametrize(
    ("born", "other", "apart"),
    [
        ("19840914", "20110223", True),
        ("19840914", "19960914", True),
        ("19840914", "19950914", False),
        ("20240419", "20250320", False),
        ("19840914", None, False),
        ("1984XXXX", "20110223", True),
        ("XX840914", "20110223", False),
    ],
)
def test_dates_of_birth_twelve_years_or_more_apart_are_a_generation_apart(born, other, apart):
    assert a_generation_apart(born, other) is apart


def test_the_given_name_hold_can_be_turned_off_for_unreliable_given_names():
    extracts = make(seed=9, register_size=150, copies=40, strangers=20)
    twin = dict(TWIN, record_id="TWIN", given_name="HENRY", sex="")
    register = pa.Table.from_pylist([*extracts.register, dict(TWIN, record_id="HARRIET")])
    partner = pa.Table.from_pylist([*extracts.partner, twin])

    held = link(register=register, partner=partner)
    unheld = link(register=register, partner=partner, bands=Bands(hold_different_given_names=False))

    assert next(row for row in held.links if row.record_id == "TWIN").band is Band.REVIEW
    assert next(row for row in unheld.links if row.record_id == "TWIN").band is Band.AUTO_LINK


MISTYPED = {
    "given_name": "KEZIAH",
    "family_name": "ABERNETHY",
    "date_of_birth": "2017-04-11",
    "sex": "F",
    "postcode": "LS7 3JB",
    "address": "22 SHOLEBROKE AVENUE",
    "nhs_number": "4505577104",
}


def test_an_nhs_number_one_slip_from_a_valid_one_releases_the_holds():
    """Two NHS numbers as issued are never one slip apart (the check digit sees to it), so one that fails its check
    one slip from the other's is the same number mistyped: not a twin's, not a parent's."""
    extracts = make(seed=9, register_size=150, copies=40, strangers=20)
    register = pa.Table.from_pylist([*extracts.register, dict(MISTYPED, record_id="KEZIAH")])
    partner = pa.Table.from_pylist(
        [
            *extracts.partner,
            # Another given name altogether, and the last two digits of the NHS number swapped.
            dict(MISTYPED, record_id="OTHER-NAME-MISTYPED", given_name="Tamsin", nhs_number="4505577140"),
            dict(MISTYPED, record_id="OTHER-NAME-UNNUMBERED", given_name="Tamsin", nhs_number=""),
        ]
    )

    links = {row.record_id: row for row in link(register=register, partner=partner).links}

    assert links["OTHER-NAME-MISTYPED"].person_id == "KEZIAH"
    assert links["OTHER-NAME-MISTYPED"].band is Band.AUTO_LINK
    assert links["OTHER-NAME-UNNUMBERED"].band is Band.REVIEW


OTIS = {
    "given_name": "OTIS",
    "family_name": "PENHALIGON",
    "date_of_birth": "2020-01-30",
    "sex": "M",
    "postcode": "LS8 1DE",
    "address": "9 HAREHILLS LANE",
    "nhs_number": "9434765870",
}


def test_a_placeholder_given_name_is_no_name_and_a_record_fitting_twins_goes_to_a_person():
    """ "Baby", "Unknown" or an initial where the given name should be is read as no given name, not as one that
    differs: it neither links nor holds. Where that leaves a record fitting two register people at once (twins,
    for a record that names neither), a person decides which."""
    extracts = make(seed=9, register_size=150, copies=40, strangers=20)
    twins = [
        dict(MISTYPED, record_id="KEZIAH"),
        dict(MISTYPED, record_id="KERENSA", given_name="KERENSA", nhs_number="9434765919"),
    ]
    register = pa.Table.from_pylist([*extracts.register, *twins, dict(OTIS, record_id="OTIS")])
    partner = pa.Table.from_pylist(
        [
            *extracts.partner,
            dict(OTIS, record_id="UNKNOWN", given_name="Unknown", nhs_number=""),
            dict(OTIS, record_id="INITIAL", given_name="O.", nhs_number=""),
            dict(MISTYPED, record_id="BABY", given_name="Baby", nhs_number=""),
        ]
    )

    links = {row.record_id: row for row in link(register=register, partner=partner).links}

    assert (links["UNKNOWN"].person_id, links["UNKNOWN"].band) == ("OTIS", Band.AUTO_LINK)
    assert (links["INITIAL"].person_id, links["INITIAL"].band) == ("OTIS", Band.AUTO_LINK)
    assert links["BABY"].person_id in {"KEZIAH", "KERENSA"}
    assert links["BABY"].band is Band.REVIEW


@pytest.mark.parametrize("written", ["Baby", "BABY BOY", "Daughter of", "unknown", "Mr", "J", "j."])
def test_placeholders_and_initials_are_read_as_no_given_name(written):
    connection = prepared({"records": pa.Table.from_pylist([{"record_id": "1", "given_name": written}])})

    assert connection.execute("SELECT given_name FROM prepared_records").fetchall() == [(None,)]


@pytest.mark.parametrize("written", ["Jo", "Sonia", "Mary-Ann", "Babette"])
def test_names_that_begin_like_a_placeholder_are_kept(written):
    connection = prepared({"records": pa.Table.from_pylist([{"record_id": "1", "given_name": written}])})

    kept = connection.execute("SELECT given_name FROM prepared_records").fetchall()
    assert kept == [("".join(letter for letter in written.upper() if letter.isalpha()),)]


def test_nicknames_come_from_the_nickname_package_as_well_as_the_projects_table():
    """Ned for Edward is only in the package's table; Alf for Alfred only in the project's. Two nicknames of one
    name (Tracy and Terry, both Theresa's) are not the same name, nor is a name in its own right that the package
    lists as another's nickname (Emma for Emily): siblings are named like that."""
    records = [
        {"record_id": "1", "given_name": "Ned"},
        {"record_id": "2", "given_name": "Edward"},
        {"record_id": "3", "given_name": "Alf"},
        {"record_id": "4", "given_name": "Alfred"},
        {"record_id": "5", "given_name": "Tracy"},
        {"record_id": "6", "given_name": "Terry"},
        {"record_id": "7", "given_name": "Emily"},
        {"record_id": "8", "given_name": "Emma"},
    ]
    connection = prepared({"records": pa.Table.from_pylist(records)})
    condition = next(
        level["sql_condition"]
        for level in settings("dedupe_only")["comparisons"][0]["comparison_levels"]
        if level["label_for_charts"] == "same name through a nickname"
    )
    agreeing = connection.execute(
        f"""
        SELECT one, other FROM (
            SELECT l.record_id AS one, r.record_id AS other,
                l.given_name AS given_name_l, r.given_name AS given_name_r,
                l.given_known_as AS given_known_as_l, r.given_known_as AS given_known_as_r
            FROM prepared_records l JOIN prepared_records r ON l.record_id < r.record_id
        ) WHERE {condition}
        """  # noqa: S608 - the condition is the model's own SQL
    ).fetchall()

    assert sorted(agreeing) == [("1", "2"), ("3", "4")]


def test_middle_names_agreeing_or_their_initial_count_for_and_different_ones_against():
    extracts = make(seed=9, register_size=150, copies=40, strangers=20)
    rng = random.Random(5)
    middle = {record["record_id"]: rng.choice(GIVEN) for record in extracts.register}
    register = [dict(record, middle_names=middle[record["record_id"]]) for record in extracts.register]
    partner = []
    for record in extracts.partner:
        original = extracts.copies.get(record["record_id"])
        # A copy has its person's middle name, a third of them as the initial only and a few another (a slip, or a
        # second middle name used); a few copies go by another given name, and a few have a new family name; a
        # stranger has their own middle name.
        written = middle[original] if original and rng.random() > 0.1 else rng.choice(GIVEN)
        copy = dict(record, middle_names=written[0] if original and rng.random() < 0.3 else written)
        if original and rng.random() < 0.1:
            copy["given_name"] = rng.choice(GIVEN)
        if original and rng.random() < 0.1:
            copy["family_name"] = rng.choice(FAMILY)
        partner.append(copy)
    person = dict(MISTYPED, middle_names="JOSEPHINE", nhs_number="")
    register.append(dict(person, record_id="KEZIAH"))
    partner += [
        dict(person, record_id="INITIAL", middle_names="J"),
        dict(person, record_id="OTHER-MIDDLE", middle_names="MARGARET"),
    ]

    result = link(register=pa.Table.from_pylist(register), partner=pa.Table.from_pylist(partner))

    weights = {
        pair.partner_record_id: pair.weights["middle_names"]
        for pair in result.pairs
        if pair.register_record_id == "KEZIAH"
    }
    assert weights["INITIAL"] > 0
    assert weights["OTHER-MIDDLE"] < 0


def test_an_age_on_a_date_counts_for_or_against_as_a_year_of_birth():
    """A partner record giving an age on a date rather than a date of birth (a police notification's "aged 14")
    is weighed against the register's year of birth: the year the age gives, or the one before, agrees. A date of
    birth a generation from the register's, with an age that agrees with it, was copied from a parent: the hold on
    dates a generation apart gives way."""
    extracts = make(seed=9, register_size=150, copies=40, strangers=20)
    son = dict(JUNIOR, record_id="DARREN", date_of_birth="2011-02-23", nhs_number="")
    register = pa.Table.from_pylist([*extracts.register, son])
    # First, since a table made from a list takes its columns from the first record.
    partner = pa.Table.from_pylist(
        [
            dict(son, record_id="AGED-13", date_of_birth="", age="13", age_on="2024-06-01"),
            dict(son, record_id="AGED-40", date_of_birth="", age="40", age_on="2024-06-01"),
            dict(son, record_id="FATHERS-DATE", date_of_birth="1984-09-14", age="13", age_on="01/06/2024"),
            dict(son, record_id="FATHERS-DATE-NO-AGE", date_of_birth="1984-09-14"),
            *extracts.partner,
        ]
    )

    result = link(register=register, partner=partner)

    weights = {pair.partner_record_id: pair.weights for pair in result.pairs if pair.register_record_id == "DARREN"}
    links = {row.record_id: row for row in result.links}
    assert weights["AGED-13"]["birth_year"] > 0
    assert "AGED-40" not in weights or weights["AGED-40"]["birth_year"] < 0
    assert (links["FATHERS-DATE"].person_id, links["FATHERS-DATE"].band) == ("DARREN", Band.AUTO_LINK)
    assert links["FATHERS-DATE-NO-AGE"].band is not Band.AUTO_LINK
