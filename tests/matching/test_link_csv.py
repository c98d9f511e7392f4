import csv
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from earlyhelp.matching import messages
from earlyhelp.matching.model import READ_COLUMNS
from tests.matching.people import COLUMNS, make

# The partner's own headings, mapped onto the standard fields with --map.
PARTNER_HEADINGS = {
    "record_id": "Ref",
    "given_name": "Forename",
    "family_name": "Surname",
    "date_of_birth": "DOB",
    "sex": "Gender",
    "postcode": "Post Code",
    "address": "Address",
    "nhs_number": "NHS No",
}
MAPS = [f"--map={heading}={field}" for field, heading in PARTNER_HEADINGS.items()]

# The module's linkage runs once, on one worker.
pytestmark = pytest.mark.xdist_group("matching_link_csv")


def _write(path, rows, headings):
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([headings[column] for column in COLUMNS])
        for row in rows:
            writer.writerow([row[column] for column in COLUMNS])
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("link_csv")
    extracts = make(seed=5, register_size=200, copies=60, strangers=40)
    register = _write(folder / "register.csv", extracts.register, {column: column for column in COLUMNS})
    partner = _write(folder / "partner.csv", extracts.partner, PARTNER_HEADINGS)
    return extracts, register, partner, folder


@pytest.fixture(scope="module")
def linked(files):
    """One run of the command, what it wrote and what it printed: linking takes seconds."""
    extracts, register, partner, folder = files
    out = folder / "links.csv"
    printed = StringIO()
    call_command("link_csv", f"--register={register}", f"--partner={partner}", *MAPS, f"--out={out}", stdout=printed)
    with out.open(newline="") as handle:
        return extracts, list(csv.DictReader(handle)), printed.getvalue()


def test_link_csv_writes_one_row_per_partner_record(linked):
    extracts, rows, _ = linked

    assert [row["record_id"] for row in rows] == [record["record_id"] for record in extracts.partner]
    assert set(rows[0]) == {"record_id", "person_id", "match_probability", "band"}


def test_link_csv_links_copies_to_their_register_records_and_leaves_strangers(linked):
    extracts, rows, _ = linked
    by_id = {row["record_id"]: row for row in rows}

    auto_linked = [record for record, original in extracts.copies.items() if by_id[record]["person_id"] == original]
    assert len(auto_linked) >= 0.95 * len(extracts.copies)
    assert all(by_id[record]["band"] != "auto_link" for record in extracts.strangers)
    assert all(row["person_id"] == "" for row in rows if row["band"] == "no_match")


def test_link_csv_prints_each_stage(linked):
    _, _, printed = linked

    assert "Preparing the records" in printed
    assert "Scoring the candidate pairs" in printed
    assert "Wrote 100 partner records" in printed


def test_a_missing_file_is_named(files, tmp_path):
    _, register, _, _ = files
    missing = tmp_path / "nowhere.csv"

    with pytest.raises(CommandError) as refused:
        call_command("link_csv", f"--register={register}", f"--partner={missing}", f"--out={tmp_path / 'o.csv'}")

    assert str(refused.value) == messages.FILE_MISSING.format(which="partner", path=missing)
    assert not (tmp_path / "o.csv").exists()


def test_an_unknown_map_field_is_refused(files, tmp_path):
    _, register, partner, _ = files

    with pytest.raises(CommandError) as refused:
        call_command(
            "link_csv", f"--register={register}", f"--partner={partner}", "--map=Surname=surname", f"--out={tmp_path}/o"
        )

    assert str(refused.value) == messages.MAP_FIELD_UNKNOWN.format(field="surname", allowed=", ".join(READ_COLUMNS))


def test_a_map_without_an_equals_sign_is_refused(files, tmp_path):
    _, register, partner, _ = files

    with pytest.raises(CommandError) as refused:
        call_command(
            "link_csv", f"--register={register}", f"--partner={partner}", "--map=Surname", f"--out={tmp_path}/o"
        )

    assert str(refused.value) == messages.MAP_FORMAT.format(value="Surname")


def test_a_mapped_column_missing_from_a_file_is_named(files, tmp_path):
    _, register, partner, _ = files

    with pytest.raises(CommandError) as refused:
        call_command(
            "link_csv",
            f"--register={register}",
            f"--partner={partner}",
            *MAPS,
            "--map=Birth=date_of_birth",
            f"--out={tmp_path}/o",
        )

    assert "has no column Birth;" in str(refused.value)


def test_columns_missing_from_a_file_are_named(files, tmp_path):
    _, register, partner, _ = files

    with pytest.raises(CommandError) as refused:
        call_command("link_csv", f"--register={register}", f"--partner={partner}", f"--out={tmp_path}/o")

    present = ", ".join(PARTNER_HEADINGS[column] for column in COLUMNS)
    assert str(refused.value) == messages.COLUMNS_MISSING.format(which="partner", columns="record_id", present=present)


def test_bands_out_of_order_are_refused_before_any_file_is_read(tmp_path):
    with pytest.raises(CommandError, match="auto-link threshold"):
        call_command(
            "link_csv",
            f"--register={tmp_path}/r.csv",
            f"--partner={tmp_path}/p.csv",
            "--auto-link=0.5",
            "--review=0.9",
            f"--out={tmp_path}/o.csv",
        )
