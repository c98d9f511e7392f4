import random

import duckdb
import pyarrow as pa
import pytest

from earlyhelp.matching import model
from earlyhelp.matching.model import BLOCKING_RULES, TIGHTER_RULES, blocking_rules, prepared
from tests.matching.people import FAMILY, GIVEN


def _one_edit_away(value: str, rng: random.Random) -> list[str]:
    """Every value one edit from `value`: each letter changed, dropped, a letter added, two neighbours swapped."""
    letters = "AEIOUNRSTZ"
    edits = [value[:place] + value[place + 1 :] for place in range(len(value))]
    edits += [value[:place] + rng.choice(letters) + value[place + 1 :] for place in range(len(value))]
    edits += [value[:place] + rng.choice(letters) + value[place:] for place in range(len(value) + 1)]
    edits += [value[:place] + value[place + 1] + value[place] + value[place + 2 :] for place in range(len(value) - 1)]
    return [edit for edit in edits if edit]


def test_the_one_edit_level_agrees_with_damerau_levenshtein_on_every_pair():
    rng = random.Random(11)
    values = [*GIVEN, *FAMILY, "20120307", "20120703", "LS6 2QT", "4505577104", "A", "AB", "ABC", "ABCDEFGH"]
    pairs = [(value, edit) for value in values for edit in _one_edit_away(value, rng)]
    pairs += [(rng.choice(values), rng.choice(values)) for _ in range(2_000)]
    pairs += [(edit, rng.choice(_one_edit_away(edit, rng))) for value in values for edit in _one_edit_away(value, rng)]
    connection = duckdb.connect()
    connection.register("pairs", pa.table({"v_l": [left for left, _ in pairs], "v_r": [right for _, right in pairs]}))
    found = connection.table("pairs").project(f"{model._one_edit('v')} AS guarded, damerau_levenshtein(v_l, v_r) <= 1")
    rows = found.fetchall()
    assert sum(plain for _, plain in rows) > len(values) * 10
    assert [guarded for guarded, _ in rows] == [plain for _, plain in rows]


def _people(count: int, *, born: str) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "record_id": f"{born}-{index}",
                "given_name": GIVEN[index % len(GIVEN)],
                "family_name": FAMILY[index % 7],
                "date_of_birth": born,
            }
            for index in range(count)
        ]
    )


def test_a_rule_admitting_more_pairs_than_its_budget_gives_way_to_its_tighter_forms(monkeypatch):
    connection = prepared({"register": _people(30, born="2012-03-07"), "partner": _people(20, born="2012-03-07")})
    tables = ["prepared_register", "prepared_partner"]
    # Thirty records and twenty share one date of birth: six hundred pairs.
    assert model._pairs_admitted(connection, tables, "l.dob = r.dob") == 600
    assert model._pairs_admitted(connection, ["prepared_register"], "l.dob = r.dob") == 30 * 29 // 2
    assert blocking_rules(connection, tables) == BLOCKING_RULES

    monkeypatch.setattr(model, "BLOCKING_PAIRS_PER_RULE", 599)
    rules = blocking_rules(connection, tables)
    assert "l.dob = r.dob" not in rules
    assert rules[:2] == list(TIGHTER_RULES["l.dob = r.dob"])
    assert set(rules) - set(TIGHTER_RULES["l.dob = r.dob"]) <= set(BLOCKING_RULES)


@pytest.mark.parametrize("rule", list(TIGHTER_RULES))
def test_each_tighter_form_admits_no_pair_its_rule_does_not(rule):
    for tighter in TIGHTER_RULES[rule]:
        assert tighter.startswith(rule + " AND ")
