"""The postcode lookup: `manage.py load_postcodes` reads the ONS Postcode Directory layout."""

import csv

import pytest
from django.core.management import CommandError, call_command

from earlyhelp.directory.models import PostcodeCentroid
from earlyhelp.directory.selectors import postcode_point

pytestmark = pytest.mark.django_db

COLUMNS = ["pcd", "pcd2", "pcds", "dointr", "doterm", "oslaua", "osgrdind", "ctry", "lat", "long"]


def _onspd(path, rows: list[dict]) -> str:
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in COLUMNS})
    return str(path)


def _row(postcode: str, lat: str, lon: str, doterm: str = "") -> dict:
    return {"pcd": postcode, "pcds": postcode, "lat": lat, "long": lon, "doterm": doterm, "dointr": "198001"}


def test_the_demo_file_loads_and_reloading_it_changes_nothing(capsys):
    call_command("load_postcodes", demo=True)
    first = PostcodeCentroid.objects.count()
    assert first == 320
    call_command("load_postcodes", demo=True)
    assert PostcodeCentroid.objects.count() == first
    assert "Loaded 320 postcodes; removed 1 terminated; skipped 1 without a location" in capsys.readouterr().out


def test_terminated_postcodes_are_removed_and_those_without_a_location_skipped(tmp_path):
    path = _onspd(
        tmp_path / "onspd.csv",
        [_row("L36 9XY", "53.41", "-2.83"), _row("L36 9XZ", "53.42", "-2.84"), _row("L36 9YA", "99.999999", "0")],
    )
    call_command("load_postcodes", path)
    assert set(PostcodeCentroid.objects.values_list("postcode", flat=True)) == {"L36 9XY", "L36 9XZ"}
    ended = _onspd(tmp_path / "later.csv", [_row("L36 9XZ", "53.42", "-2.84", doterm="202401")])
    call_command("load_postcodes", ended)
    assert set(PostcodeCentroid.objects.values_list("postcode", flat=True)) == {"L36 9XY"}


def test_only_the_districts_asked_for_are_loaded(tmp_path):
    path = _onspd(tmp_path / "onspd.csv", [_row("L36 9XY", "53.41", "-2.83"), _row("M1 1AA", "53.48", "-2.24")])
    call_command("load_postcodes", path, districts=["l36"])
    assert list(PostcodeCentroid.objects.values_list("postcode", "district", "sector")) == [("L36 9XY", "L36", "L36 9")]


def test_a_file_without_the_onspd_columns_is_refused(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("postcode,x,y\nL36 9XY,1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="ONSPD columns"):
        call_command("load_postcodes", str(path))
    with pytest.raises(CommandError):
        call_command("load_postcodes")


def test_a_postcode_not_in_the_table_falls_back_to_its_sector_then_its_district(tmp_path):
    call_command(
        "load_postcodes",
        _onspd(tmp_path / "onspd.csv", [_row("L36 9XY", "53.40", "-2.80"), _row("L36 9XZ", "53.42", "-2.82")]),
    )
    assert postcode_point("l369xy").precision == "postcode"
    sector = postcode_point("L36 9AB")
    assert sector.precision == "sector" and sector.latitude == pytest.approx(53.41)
    assert postcode_point("L36 1AB").precision == "district"
    assert postcode_point("M1 1AA") is None
    assert postcode_point("not a postcode") is None
