"""The linkage model for people: Splink on an in-memory DuckDB, its parameters estimated from the data
being linked (u by random sampling, m by expectation maximisation), never from labelled pairs.
docs/matching.md describes each comparison, the blocking and the bands."""

import copy
import logging
import re
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
from splink import DuckDBAPI, Linker
from splink.internals import expectation_maximisation
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_level import M_U_CLAMP_MIN
from splink.internals.m_u_records_to_parameters import m_u_records_to_lookup_dict

from earlyhelp.matching.rules import (
    PLACEHOLDER_GIVEN_NAMES,
    Band,
    Bands,
    a_generation_apart,
    guarded_band,
    soundex,
)

STANDARD_COLUMNS = (
    "record_id",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "postcode",
    "address",
    "nhs_number",
    "upn",
)
# Read too where a table has them, but not among the standard columns: few of a council's systems hold them.
# An age and the date it was given (age_on: a police notification's "aged 14" on the incident's date) stand for a
# year of birth, where a record has no date of birth or one that may have been copied from another person's.
MIDDLE_NAMES = "middle_names"
AGE = "age"
AGE_ON = "age_on"
READ_COLUMNS = (*STANDARD_COLUMNS, MIDDLE_NAMES, AGE, AGE_ON)

RECORD_ID_MISSING = "The {table} table needs a record_id column"
RECORD_ID_REPEATED = "The {table} table repeats the record_id '{record_id}'; each record needs its own"

# Given names and their nicknames: the `nicknames` package's hand-curated English table (about 1,800 pairs once the
# names in their own right are left out, `_nicknames`), and the project's own table beside this module, which adds
# British forms that one lacks (Alf for Alfred).
NICKNAMES = Path(__file__).with_name("nicknames.csv")

# Sizes for the estimation: large enough for stable u values on a council's register, small enough
# to train in seconds on two cores.
U_SAMPLE_PAIRS = 2e6
SEED = 7
# Above this many records, m, u and the prior are estimated on a seeded random sample of the partner table (or,
# deduplicating, of the records) and the estimated model then scores every candidate pair of the whole.
# Expectation maximisation converges on a sample this size; on a million records it would take minutes.
TRAINING_RECORDS = 150_000
# Linking, the sample is smaller still against a large register: the pass on the same date of birth pairs each
# sampled record with everyone on the register born that day, so the sample's records times the register's are held
# to this (50,000 partner records against a million, the whole of a 150,000 record file against up to 333,333).
TRAINING_CROSS = 50_000_000_000
MEMORY_LIMIT = "6GB"


def _floored_lookup(m_u_records: list[dict[str, Any]]) -> dict[str, dict[int, Any]]:
    """Splink's lookup of the m and u values an expectation maximisation step computed, none below Splink's own floor.
    On a small extract a step can drive a level's m to exactly 0.0 (every pair at that level judged a non-match, as
    for wholly different given names among a few dozen records), and Splink 5.0.0 then refuses the value it computed
    itself rather than holding it at the floor its match weights already clamp to. Here it is held there."""
    lookup = m_u_records_to_lookup_dict(m_u_records)
    for levels in lookup.values():
        for level in levels.values():
            for key in ("m_probability", "u_probability"):
                if isinstance(level.get(key), float) and level[key] < M_U_CLAMP_MIN:
                    level[key] = M_U_CLAMP_MIN
    return lookup


expectation_maximisation.m_u_records_to_lookup_dict = _floored_lookup


def _level(condition: str, label: str, *, null: bool = False, tf: str | None = None) -> dict[str, Any]:
    level: dict[str, Any] = {"sql_condition": condition, "label_for_charts": label, "is_null_level": null}
    if tf:
        level["tf_adjustment_column"] = tf
    return level


def _null(column: str) -> dict[str, Any]:
    return _level(f"{column}_l IS NULL OR {column}_r IS NULL", "missing on either side", null=True)


def _else() -> dict[str, Any]:
    return _level("ELSE", "all other")


def _one_edit(column: str) -> str:
    """The two values are at most one edit apart (Damerau-Levenshtein: a letter changed, added or dropped, or two
    neighbours swapped). That distance is by far the dearest test of a comparison, and most pairs compared (every
    random pair u is estimated on) fail it; so it is computed only for values that share their first or last
    letter (or have fewer than three) and their first or last three (or have fewer than eight), which any two
    values one edit apart do: one edit changes at most two neighbouring places, never both ends at once."""
    left, right = f"{column}_l", f"{column}_r"
    shortest = f"least(length({left}), length({right}))"
    return (
        f"CASE WHEN (left({left}, 1) = left({right}, 1) OR right({left}, 1) = right({right}, 1) OR {shortest} < 3)"
        f" AND (left({left}, 3) = left({right}, 3) OR right({left}, 3) = right({right}, 3) OR {shortest} < 8)"
        f" THEN damerau_levenshtein({left}, {right}) <= 1 ELSE false END"
    )


def _name(column: str, other: str, *, canonical: str | None = None) -> dict[str, Any]:
    """A name agrees exactly, through the nickname table, in the other name's place, or nearly."""
    # Exact agreement on a rare name says more than on a common one: its weight is adjusted by how often the
    # name occurs in the records being linked (Splink's term-frequency adjustment).
    levels = [_null(column), _level(f"{column}_l = {column}_r", "exact", tf=column)]
    if canonical:
        # A nickname may stand for several names (Ron for Ronald, Aaron or Veronica): the two agree when one is a
        # name the other may stand for (Bob and Robert). Two nicknames of one name (Tracy and Terry, both Theresa's)
        # are not enough: siblings are often given names like that.
        levels.append(
            _level(
                f"list_contains({canonical}_l, {column}_r) OR list_contains({canonical}_r, {column}_l)",
                "same name through a nickname",
            )
        )
    levels += [
        # Given and family names entered the wrong way round in one system: both names must have moved, or a
        # twin whose family name is the other record's given name would count as agreeing.
        _level(
            f"jaro_winkler_similarity({column}_l, {other}_r) >= 0.92"
            f" AND jaro_winkler_similarity({other}_l, {column}_r) >= 0.92",
            "in the other name's place",
        ),
        _level(_one_edit(column), "one letter off"),
        _level(f"jaro_winkler_similarity({column}_l, {column}_r) >= 0.92", "Jaro-Winkler 0.92 or more"),
        _level(f"jaro_winkler_similarity({column}_l, {column}_r) >= 0.80", "Jaro-Winkler 0.80 or more"),
        _else(),
    ]
    return {"output_column_name": column, "comparison_levels": levels}


def _date_of_birth() -> dict[str, Any]:
    parts = " + ".join(f"CAST(dob_{part}_l = dob_{part}_r AS INT)" for part in ("year", "month", "day"))
    return {
        "output_column_name": "dob",
        "comparison_levels": [
            _null("dob"),
            _level("dob_l = dob_r", "exact"),
            _level(
                "dob_year_l = dob_year_r AND dob_month_l = dob_day_r AND dob_day_l = dob_month_r",
                "day and month swapped",
            ),
            _level(_one_edit("dob"), "one digit off"),
            _level(f"({parts}) = 2", "one part of the date off"),
            _else(),
        ],
    }


def _postcode() -> dict[str, Any]:
    return {
        "output_column_name": "postcode",
        "comparison_levels": [
            _null("postcode"),
            _level("postcode_l = postcode_r", "exact"),
            _level("postcode_sector_l = postcode_sector_r", "same sector"),
            _level(_one_edit("postcode"), "one character off"),
            _level("postcode_district_l = postcode_district_r", "same district"),
            _else(),
        ],
    }


def _address() -> dict[str, Any]:
    return {
        "output_column_name": "address",
        "comparison_levels": [
            _null("address"),
            _level("address_l = address_r", "exact"),
            _level("jaro_winkler_similarity(address_l, address_r) >= 0.90", "Jaro-Winkler 0.90 or more"),
            _level("jaro_winkler_similarity(address_l, address_r) >= 0.75", "Jaro-Winkler 0.75 or more"),
            _else(),
        ],
    }


def _identifier(column: str) -> dict[str, Any]:
    """An NHS number or UPN: agreement all but settles it, disagreement when both are known weighs heavily."""
    return {
        "output_column_name": column,
        "comparison_levels": [
            _null(column),
            _level(f"{column}_l = {column}_r", "exact"),
            _level(_one_edit(column), "one character off"),
            _else(),
        ],
    }


def _middle_names() -> dict[str, Any]:
    """Middle names, often held as an initial only: siblings seldom share them, one person keeps them."""
    return {
        "output_column_name": "middle_names",
        "comparison_levels": [
            _null("middle_names"),
            _level("middle_names_l = middle_names_r", "exact"),
            _level("left(middle_names_l, 1) = left(middle_names_r, 1)", "same initial"),
            _else(),
        ],
    }


def _birth_year() -> dict[str, Any]:
    """The year of birth an age gives (the year it was given in, less the age: the year of birth or the one after),
    against the other record's, from its age or else its date of birth. Only where at least one side has an age:
    two dates of birth are the date of birth's comparison alone."""
    return {
        "output_column_name": "birth_year",
        "comparison_levels": [
            _level(
                "(age_year_l IS NULL AND age_year_r IS NULL) OR birth_year_l IS NULL OR birth_year_r IS NULL",
                "no age on either side",
                null=True,
            ),
            _level("abs(birth_year_l - birth_year_r) <= 1", "within a year"),
            _else(),
        ],
    }


def _sex() -> dict[str, Any]:
    return {
        "output_column_name": "sex",
        "comparison_levels": [_null("sex"), _level("sex_l = sex_r", "exact"), _else()],
    }


# Chosen for recall: a true pair escapes only if it differs in every one of these at once.
BLOCKING_RULES = [
    "l.dob = r.dob",
    "l.postcode = r.postcode AND l.given_initial = r.given_initial",
    "l.family_soundex = r.family_soundex AND l.dob_year = r.dob_year",
    "l.given_name = r.given_name AND l.family_name = r.family_name",
    "l.given_name = r.family_name AND l.family_name = r.given_name",
    "l.nhs_number = r.nhs_number",
    "l.upn = r.upn",
    "l.address = r.address AND l.given_initial = r.given_initial",
    "l.postcode = r.postcode AND l.dob_year = r.dob_year",
]

# A rule that would admit more than BLOCKING_PAIRS_PER_RULE pairs of the records being linked gives way to its
# tighter forms: the cost of a linkage is per compared pair, and at a million records a side a date of birth alone
# is shared by about fifty pairs per record. Between them the tighter forms keep the pairs that matter: a true pair
# they lose differs in its date of birth or in both names, and has moved house, all at once.
BLOCKING_PAIRS_PER_RULE = 2_000_000
TIGHTER_RULES = {
    "l.dob = r.dob": (
        "l.dob = r.dob AND l.family_soundex = r.family_soundex",
        "l.dob = r.dob AND l.given_canonical = r.given_canonical",
    ),
    "l.family_soundex = r.family_soundex AND l.dob_year = r.dob_year": (
        "l.family_soundex = r.family_soundex AND l.dob_year = r.dob_year AND l.given_canonical = r.given_canonical",
    ),
    "l.given_name = r.given_name AND l.family_name = r.family_name": (
        "l.given_name = r.given_name AND l.family_name = r.family_name AND l.dob_year = r.dob_year",
        "l.given_name = r.given_name AND l.family_name = r.family_name"
        " AND l.dob_month = r.dob_month AND l.dob_day = r.dob_day",
    ),
}
_SAME_COLUMN = re.compile(r"l\.(\w+) = r\.\1")


def _pairs_admitted(connection: duckdb.DuckDBPyConnection, tables: list[str], rule: str) -> int:
    """How many pairs a rule of same-column equalities admits (linking: across the two tables; deduplicating:
    within the one), counted from how many records share each key, without forming a pair."""
    keys = ", ".join(_SAME_COLUMN.findall(rule))
    present = " AND ".join(f"{key} IS NOT NULL" for key in _SAME_COLUMN.findall(rule))
    groups = [
        connection.table(table).filter(present).aggregate(f"{keys}, count(*) AS n", keys).set_alias(f"side{index}")
        for index, table in enumerate(tables)
    ]
    if len(groups) == 1:
        counted = groups[0].aggregate("sum(n * (n - 1) // 2)")
    else:
        counted = groups[0].join(groups[1], keys).aggregate("sum(side0.n * side1.n)")
    return int(counted.fetchall()[0][0] or 0)


def blocking_rules(connection: duckdb.DuckDBPyConnection, tables: list[str]) -> list[str]:
    """The blocking rules for these prepared tables (one to deduplicate, two to link): each of BLOCKING_RULES, or
    its tighter forms where it alone would admit more than BLOCKING_PAIRS_PER_RULE pairs."""
    rules: list[str] = []
    for rule in BLOCKING_RULES:
        tighter = TIGHTER_RULES.get(rule)
        if tighter and _pairs_admitted(connection, tables, rule) > BLOCKING_PAIRS_PER_RULE:
            rules += tighter
        else:
            rules.append(rule)
    return rules


# Each pass estimates m for the comparisons its rule leaves free; together they cover every one. A pass on
# postcode alone is left out: on a small extract nearly every pair it admits is a match, and expectation
# maximisation then drives some m to zero.
TRAINING_RULES = [
    "l.given_name = r.given_name AND l.family_name = r.family_name",
    "l.dob = r.dob",
]

# Near-certain agreements, whose count (scaled by the recall guessed for them) gives the prior.
DETERMINISTIC_RULES: list[str | BlockingRuleCreator] = [
    "l.nhs_number = r.nhs_number",
    "l.upn = r.upn",
    "l.given_name = r.given_name AND l.family_name = r.family_name AND l.dob = r.dob",
]
DETERMINISTIC_RECALL = 0.7


def settings(link_type: str, rules: list[str] | None = None) -> dict[str, Any]:
    """The Splink settings of the model for `link_only` (two tables) or `dedupe_only` (one), blocking on `rules`
    (by default BLOCKING_RULES)."""
    return {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "comparisons": [
            _name("given_name", "family_name", canonical="given_known_as"),
            _name("family_name", "given_name"),
            _middle_names(),
            _birth_year(),
            _date_of_birth(),
            _sex(),
            _postcode(),
            _address(),
            _identifier("nhs_number"),
            _identifier("upn"),
        ],
        "blocking_rules_to_generate_predictions": BLOCKING_RULES if rules is None else rules,
        "retain_intermediate_calculation_columns": True,
        "retain_matching_columns": True,
        "additional_columns_to_retain": ["record_id", "nhs_number_valid"],
    }


def _letters(column: str) -> str:
    return f"NULLIF(regexp_replace(upper(trim(CAST({column} AS VARCHAR))), '[^A-Z]', '', 'g'), '')"


def _given_name() -> str:
    """The given name in capital letters, or NULL where what was written in its place is no name (rules.py's
    PLACEHOLDER_GIVEN_NAMES, as a whole or as its first word: "Baby", "Daughter of", "Unknown") or only an initial."""
    first_word = "regexp_extract(upper(trim(CAST(given_name AS VARCHAR))), '^[A-Z]+')"
    placeholders = "(SELECT word FROM placeholder_given_names)"
    letters = _letters("given_name")
    return (
        f"CASE WHEN {first_word} IN {placeholders} OR {letters} IN {placeholders} OR length({letters}) = 1"
        f" THEN NULL ELSE {letters} END"
    )


# rules.nhs_number_valid in SQL, so that a million records need no million Python calls: the modulus 11 check
# digit of the first nine digits (weights 10 down to 2) is the tenth; a check of 10 matches no digit. TRY_CAST,
# since DuckDB may evaluate both sides of AND: a shorter number (FEBRL's seven digits) must not stop the run.
_NHS_CHECK = (
    "(11 - ("
    + " + ".join(f"TRY_CAST(substr(nhs_number, {place}, 1) AS INTEGER) * {11 - place}" for place in range(1, 10))
    + ") % 11) % 11 = TRY_CAST(substr(nhs_number, 10, 1) AS INTEGER)"
)

_PREPARE = """
CREATE TABLE {target} AS
-- source_row: the records stay in the order they came in, whatever the joins below do to it.
WITH raw AS (SELECT {columns}, row_number() OVER () AS source_row FROM {source}),
clean AS (
    SELECT
        source_row,
        CAST(record_id AS VARCHAR) AS record_id,
        {given} AS given_name,
        {family} AS family_name,
        {middle} AS middle_names,
        CASE WHEN TRY_CAST(trim(CAST(age AS VARCHAR)) AS INTEGER) BETWEEN 0 AND 120
            THEN TRY_CAST(trim(CAST(age AS VARCHAR)) AS INTEGER) END AS age,
        split_part(trim(CAST(age_on AS VARCHAR)), ' ', 1) AS age_on_text,
        split_part(trim(CAST(date_of_birth AS VARCHAR)), ' ', 1) AS dob_text,
        CASE WHEN upper(left(trim(CAST(sex AS VARCHAR)), 1)) IN ('M', 'F')
            THEN upper(left(trim(CAST(sex AS VARCHAR)), 1)) END AS sex,
        NULLIF(regexp_replace(upper(CAST(postcode AS VARCHAR)), '[^A-Z0-9]', '', 'g'), '') AS postcode_text,
        NULLIF(trim(regexp_replace(upper(CAST(address AS VARCHAR)), '[^A-Z0-9]+', ' ', 'g')), '') AS address,
        NULLIF(regexp_replace(CAST(nhs_number AS VARCHAR), '[^0-9]', '', 'g'), '') AS nhs_number,
        NULLIF(regexp_replace(upper(CAST(upn AS VARCHAR)), '[^A-Z0-9]', '', 'g'), '') AS upn
    FROM raw
),
dated AS (
    SELECT *,
        COALESCE(
            strftime(try_strptime(dob_text, ['%Y-%m-%d', '%d/%m/%Y', '%d-%m-%Y', '%Y%m%d']), '%Y%m%d'),
            CASE WHEN regexp_full_match(dob_text, '[0-9]{{8}}') THEN dob_text END
        ) AS dob,
        CAST(year(try_strptime(age_on_text, ['%Y-%m-%d', '%d/%m/%Y', '%d-%m-%Y', '%Y%m%d'])) AS INTEGER) - age
            AS age_year,
        CASE WHEN length(postcode_text) BETWEEN 5 AND 7 THEN left(postcode_text, length(postcode_text) - 3) END
            AS outward,
        CASE WHEN length(postcode_text) BETWEEN 5 AND 7 THEN right(postcode_text, 3) END AS inward
    FROM clean
)
SELECT
    record_id AS unique_id,
    record_id,
    dated.given_name,
    -- One name for blocking: the name itself where it is a name nicknames stand for, else the first of the names
    -- it may stand for. The comparison reads them all.
    CASE WHEN named.given_name IS NULL THEN COALESCE(nicknames.names[1], dated.given_name) ELSE dated.given_name END
        AS given_canonical,
    CASE WHEN dated.given_name IS NOT NULL
        THEN list_distinct(list_append(COALESCE(nicknames.names, []), dated.given_name)) END AS given_known_as,
    left(dated.given_name, 1) AS given_initial,
    family_name,
    middle_names,
    age_year,
    COALESCE(age_year, TRY_CAST(substr(dob, 1, 4) AS INTEGER)) AS birth_year,
    codes.family_soundex,
    dob,
    substr(dob, 1, 4) AS dob_year,
    substr(dob, 5, 2) AS dob_month,
    substr(dob, 7, 2) AS dob_day,
    sex,
    CASE WHEN outward IS NULL THEN postcode_text ELSE outward || ' ' || inward END AS postcode,
    outward || ' ' || left(inward, 1) AS postcode_sector,
    outward AS postcode_district,
    address,
    nhs_number,
    COALESCE(regexp_full_match(nhs_number, '[0-9]{{10}}') AND {nhs_check}, false) AS nhs_number_valid,
    upn
FROM dated
LEFT JOIN (
    SELECT nickname, list(DISTINCT given_name ORDER BY given_name) AS names FROM nicknames GROUP BY nickname
) nicknames ON nicknames.nickname = dated.given_name
LEFT JOIN (SELECT DISTINCT given_name FROM nicknames) named ON named.given_name = dated.given_name
-- Python's Soundex once per distinct family name, not once per record.
LEFT JOIN (
    SELECT family_name AS coded, eh_soundex(family_name) AS family_soundex
    FROM (SELECT DISTINCT family_name FROM dated WHERE family_name IS NOT NULL)
) codes ON codes.coded = dated.family_name
ORDER BY source_row
"""


@dataclass(frozen=True)
class PairEvidence:
    """One scored pair for the review queue: the match weight each comparison added (for) or took (against)."""

    partner_record_id: str
    register_record_id: str
    match_probability: float
    match_weight: float
    band: Band
    weights: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Link:
    """The outcome for one partner record: its best register record, if any, and the band it falls in."""

    record_id: str
    person_id: str | None
    match_probability: float | None
    band: Band


@dataclass(frozen=True)
class Linkage:
    links: list[Link]
    pairs: list[PairEvidence]


Progress = Callable[[str], None]


def _silent(message: str) -> None:
    pass


def _prepare(connection: duckdb.DuckDBPyConnection, name: str, table: Any) -> None:
    source = f"source_{name}"
    if isinstance(table, duckdb.DuckDBPyRelation):
        table.create_view(source)
    else:
        connection.register(source, table)
    present = {column.lower() for column in connection.view(source).columns}
    if "record_id" not in present:
        raise ValueError(RECORD_ID_MISSING.format(table=name))
    columns = ", ".join(f'"{column}"' if column in present else f"NULL AS {column}" for column in READ_COLUMNS)
    connection.execute(
        _PREPARE.format(
            target=f"prepared_{name}",
            columns=columns,
            source=source,
            given=_given_name(),
            family=_letters("family_name"),
            middle=_letters("middle_names"),
            nhs_check=_NHS_CHECK,
        )
    )
    repeated = (
        connection.table(f"prepared_{name}")
        .aggregate("record_id, count(*) AS copies", "record_id")
        .filter("copies > 1")
        .limit(1)
        .fetchall()
    )
    if repeated:
        raise ValueError(RECORD_ID_REPEATED.format(table=name, record_id=repeated[0][0]))


def _nicknames(connection: duckdb.DuckDBPyConnection) -> None:
    """The table `nicknames` (nickname, given_name), in capitals: the package's pairs and the project's. Of the
    package's, a "nickname" that is itself a name with nicknames of its own is left out (Emma for Emily, Peter for
    Patrick, Mary for Marilyn): those are names in their own right, and sisters are called Emily and Emma."""
    packaged = resources.files("nicknames") / "names.csv"
    connection.execute(
        "CREATE TABLE nicknames AS"
        " WITH package AS ("
        "  SELECT regexp_replace(upper(name2), '[^A-Z]', '', 'g') AS nickname,"
        "  regexp_replace(upper(name1), '[^A-Z]', '', 'g') AS given_name"
        "  FROM read_csv(?, all_varchar = true, header = true) WHERE relationship = 'has_nickname'"
        " )"
        " SELECT DISTINCT nickname, given_name FROM package"
        " WHERE nickname NOT IN (SELECT given_name FROM package)"
        " UNION SELECT nickname, given_name FROM read_csv(?, all_varchar = true, header = true)",
        [str(packaged), str(NICKNAMES)],
    )


def prepared(tables: dict[str, Any]) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection holding each table normalised as `prepared_<name>`, as the model compares them."""
    connection = duckdb.connect(":memory:")
    connection.create_function("eh_soundex", soundex, ["VARCHAR"], "VARCHAR")
    # Bounded, so that a national extract spills to disk rather than crowding out the rest of the machine.
    connection.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    # An in-memory database otherwise spills into .tmp under the working directory.
    connection.execute(f"SET temp_directory = '{Path(tempfile.gettempdir()) / 'earlyhelp-matching'}'")
    connection.execute("SET enable_progress_bar = false")
    _nicknames(connection)
    connection.execute("CREATE TABLE placeholder_given_names (word VARCHAR)")
    connection.executemany("INSERT INTO placeholder_given_names VALUES (?)", [[w] for w in PLACEHOLDER_GIVEN_NAMES])
    for name, table in tables.items():
        _prepare(connection, name, table)
    return connection


class _Session:
    """One DuckDB connection holding the prepared tables and the Splink linker trained on them."""

    def __init__(self, tables: dict[str, Any], link_type: str, progress: Progress) -> None:
        self.progress = progress
        progress("Preparing the records")
        self.connection = prepared(tables)
        api = DuckDBAPI(connection=self.connection)
        names = list(tables)
        self.names = [f"prepared_{name}" for name in names]
        # The last table is the one sampled for training when it is large: the partner's, or the only one.
        sampled = names[-1]
        size = self._count(f"prepared_{sampled}")
        records = TRAINING_RECORDS
        if len(names) > 1:
            records = min(records, TRAINING_CROSS // max(self._count(f"prepared_{names[0]}"), 1))
        training_names = list(names)
        if size > records:
            # Chosen by a seeded hash of the record id, not by DuckDB's sampling, whose choice on several threads
            # differs from run to run: the same files give the same sample, so the same model and the same links.
            whole = self.connection.table(f"prepared_{sampled}")
            whole.order(f"hash(record_id, {SEED}), record_id").limit(int(records)).create(f"training_{sampled}")
            training_names[-1] = f"training_{sampled}"
        else:
            training_names[-1] = f"prepared_{sampled}"
        training_names[:-1] = [f"prepared_{name}" for name in names[:-1]]
        self.rules = blocking_rules(self.connection, self.names)
        trainer = Linker(self._inputs(api, training_names), settings(link_type, self.rules), log_level=None)
        self._train(trainer)
        if training_names == [f"prepared_{name}" for name in names]:
            self.linker = trainer
        else:
            model = trainer.misc.save_model_to_json()
            self.linker = Linker(self._inputs(api, [f"prepared_{name}" for name in names]), model, log_level=None)

    def _count(self, table: str) -> int:
        return int(self.connection.table(table).count("*").fetchall()[0][0])

    @staticmethod
    def _inputs(api: DuckDBAPI, names: list[str]) -> Any:
        inputs = [api.register(name) for name in names]
        return inputs if len(inputs) > 1 else inputs[0]

    def _train(self, linker: Linker) -> None:
        training = linker.training
        self.progress("Estimating how often two records chosen at random are the same person")
        training.estimate_probability_two_random_records_match(DETERMINISTIC_RULES, recall=DETERMINISTIC_RECALL)
        self.progress("Estimating u (how often values agree by chance) from a random sample of pairs")
        training.estimate_u_using_random_sampling(max_pairs=U_SAMPLE_PAIRS, seed=SEED)
        for rule in TRAINING_RULES:
            self.progress(f"Estimating m (how often values agree for the same person) on pairs where {rule}")
            training.estimate_parameters_using_expectation_maximisation(rule)

    def predict(self, bands: Bands, spark: Any = None) -> list[dict[str, Any]]:
        """The pairs scoring at or above the review threshold: the guards only ever lower a band, so no pair
        below it can be a candidate. Only the columns the bands and the evidence need leave DuckDB."""
        self.progress("Scoring the candidate pairs")
        if spark is not None:
            return self._predict_on_spark(bands, spark)
        predictions = self.linker.inference.predict(threshold_match_probability=bands.review)
        present = set(self.connection.table(predictions.physical_name).columns)
        selected = ", ".join(_selected(present))
        fetched = self.connection.table(predictions.physical_name).project(selected).fetchall()
        rows = [dict(zip(_COLUMNS, row, strict=True)) for row in fetched]
        predictions.drop_table_from_database_and_remove_from_cache()
        return rows

    def _predict_on_spark(self, bands: Bands, spark: Any) -> list[dict[str, Any]]:
        """The same estimated model scoring the same prepared records on Splink's Spark backend."""
        from splink import SparkAPI

        api = SparkAPI(spark_session=spark)
        inputs = [
            api.register(
                # An Arrow table as it is (Spark 4 reads one): its list columns have no pandas form Spark infers.
                spark.createDataFrame(self.connection.table(name).arrow().read_all()),
                dataset_display_name=name,
            )
            for name in self.names
        ]
        model = _for_spark(self.linker.misc.save_model_to_json())
        linker = Linker(inputs if len(inputs) > 1 else inputs[0], model, log_level=None)
        frame = linker.inference.predict(threshold_match_probability=bands.review).as_spark_dataframe()
        selected = _selected(set(frame.columns))
        return [dict(zip(_COLUMNS, row, strict=True)) for row in frame.selectExpr(*selected).collect()]


def _for_spark(model: dict[str, Any]) -> dict[str, Any]:
    """The estimated model in Spark's dialect: the Jaro-Winkler of Splink's Spark UDF jar and DuckDB's list_contains
    have other names there."""
    spark = copy.deepcopy(model)
    spark["sql_dialect"] = "spark"
    for rule in spark["blocking_rules_to_generate_predictions"]:
        rule["sql_dialect"] = "spark"
    for comparison in spark["comparisons"]:
        for level in comparison["comparison_levels"]:
            condition = level["sql_condition"].replace("jaro_winkler_similarity(", "jaro_winkler(")
            level["sql_condition"] = condition.replace("list_contains(", "array_contains(")
    return spark


def _evidence(row: dict[str, Any], comparisons: list[str]) -> dict[str, float]:
    return {name: row[f"weight_{name}"] for name in comparisons}


def _weight(name: str, present: set[str]) -> str:
    """A comparison's match weight to two places, computed where the pairs are rather than pair by pair in Python.
    The names' exact level is weighed by how common the name is: that adjustment is part of their evidence."""
    adjustment = f"mw_tf_adj_{name}"
    added = f" + COALESCE({adjustment}, 0)" if adjustment in present else ""
    return f"ROUND(mw_{name}{added}, 2) AS weight_{name}"


# Splink numbers a comparison's levels from 0 for "all other" upwards, -1 for missing; these are the top
# (exact) levels of the identifier comparisons as settings() lists them, and the NHS number's "one character
# off" below it.
_IDENTIFIER_EXACT = {"nhs_number": 2, "upn": 2}
_NHS_NUMBER_ONE_OFF = 1
# The date of birth's levels at which a generation between the years parts two people: "all other", and "one
# part of the date off", where a father and son born on one day and month years apart land. A one-digit slip
# ("one digit off") is left out: it is a keying error, whatever it does to the year.
_DOB_APART = (0, 1)
_BIRTH_YEAR_AGREES = 1
_MISSING = -1


def _nhs_number_mistyped(row: dict[str, Any]) -> bool:
    """Two NHS numbers one keying slip apart, at least one failing its check digit: one number, mistyped. The
    modulus 11 check digit fails whenever one digit is changed or two neighbours among the first nine swapped, so
    two numbers as issued (a twin's and the other's, a parent's and a child's) are never one such slip apart."""
    return row["gamma_nhs_number"] == _NHS_NUMBER_ONE_OFF and not (
        row["nhs_number_valid_l"] and row["nhs_number_valid_r"]
    )


def _band(row: dict[str, Any], bands: Bands) -> Band:
    return guarded_band(
        bands,
        row["match_probability"],
        given_names_differ=bands.hold_different_given_names and row["gamma_given_name"] == 0,
        dates_of_birth_differ=bands.hold_a_generation_apart
        and row["gamma_dob"] in _DOB_APART
        and a_generation_apart(row["dob_l"], row["dob_r"])
        and row["gamma_birth_year"] != _BIRTH_YEAR_AGREES,
        identifier_agrees=any(row[f"gamma_{name}"] == exact for name, exact in _IDENTIFIER_EXACT.items())
        or _nhs_number_mistyped(row),
        # An NHS number that fails its check digit was mistyped somewhere, so it proves nothing either way.
        identifier_differs=(row["gamma_nhs_number"] == 0 and row["nhs_number_valid_l"] and row["nhs_number_valid_r"])
        or row["gamma_upn"] == 0,
    )


def _pair(row: dict[str, Any], bands: Bands, names: list[str], *, left_is_partner: bool = True) -> PairEvidence:
    partner_id, register_id = (
        (row["record_id_l"], row["record_id_r"]) if left_is_partner else (row["record_id_r"], row["record_id_l"])
    )
    return PairEvidence(
        partner_record_id=partner_id,
        register_record_id=register_id,
        match_probability=row["match_probability"],
        match_weight=row["match_weight"],
        band=_band(row, bands),
        weights=_evidence(row, names),
    )


def _comparison_names() -> list[str]:
    return [comparison["output_column_name"] for comparison in settings("link_only")["comparisons"]]


# What leaves the database for each scored pair: what the bands and the evidence need, nothing more.
_COLUMNS = [
    "record_id_l",
    "record_id_r",
    "source_dataset_l",
    "match_probability",
    "match_weight",
    "dob_l",
    "dob_r",
    "nhs_number_valid_l",
    "nhs_number_valid_r",
    *(f"gamma_{name}" for name in _comparison_names()),
    *(f"weight_{name}" for name in _comparison_names()),
]


def _selected(present: set[str]) -> list[str]:
    """_COLUMNS as expressions over the scored pairs' columns (`present`); one that is missing is NULL."""
    expressions = []
    for column in _COLUMNS:
        name = column.removeprefix("weight_")
        if name != column:
            expressions.append(_weight(name, present))
        else:
            expressions.append(column if column in present else f"NULL AS {column}")
    return expressions


def link(
    *, register: Any, partner: Any, bands: Bands | None = None, progress: Progress = _silent, spark: Any = None
) -> Linkage:
    """Links each partner record to at most one register record: its best-scoring pair, banded. The parameters
    are always estimated on DuckDB; given a Spark session, the candidate pairs are scored on Spark."""
    bands = bands or Bands()
    logging.getLogger("splink").setLevel(logging.ERROR)
    session = _Session({"register": register, "partner": partner}, "link_only", progress)
    rows = session.predict(bands, spark)
    names = _comparison_names()
    pairs = [_pair(row, bands, names, left_is_partner=row["source_dataset_l"] == "prepared_partner") for row in rows]
    # The pairs in which one record has no given name (none, or a placeholder such as "Baby"): of twins, only the
    # given name tells which is which.
    nameless = {
        (pair.partner_record_id, pair.register_record_id)
        for pair, row in zip(pairs, rows, strict=True)
        if row["gamma_given_name"] == _MISSING and pair.band is Band.AUTO_LINK
    }
    best: dict[str, PairEvidence] = {}
    # How many register records each partner record would link to without a person.
    automatic: Counter[str] = Counter()
    for pair in pairs:
        current = best.get(pair.partner_record_id)
        # A pair the guards refuse is no candidate, however high its score.
        if pair.band is Band.NO_MATCH:
            continue
        automatic[pair.partner_record_id] += pair.band is Band.AUTO_LINK
        if current is None or pair.match_probability > current.match_probability:
            best[pair.partner_record_id] = pair
    partner_ids = [
        row[0] for row in session.connection.execute("SELECT record_id FROM prepared_partner ORDER BY rowid").fetchall()
    ]
    links = []
    for record_id in partner_ids:
        candidate = best.get(record_id)
        if candidate is None:
            links.append(Link(record_id=record_id, person_id=None, match_probability=None, band=Band.NO_MATCH))
        else:
            # A record without a given name that would link without a person to two register records (twins): a
            # person decides which.
            chosen = (candidate.partner_record_id, candidate.register_record_id)
            band = Band.REVIEW if chosen in nameless and automatic[record_id] > 1 else candidate.band
            links.append(
                Link(
                    record_id=record_id,
                    person_id=candidate.register_record_id,
                    match_probability=candidate.match_probability,
                    band=band,
                )
            )
    return Linkage(links=links, pairs=sorted(pairs, key=lambda pair: -pair.match_probability))


def deduplicate(*, records: Any, bands: Bands | None = None, progress: Progress = _silent) -> list[PairEvidence]:
    """Scores and bands every candidate pair of records within one table that may be the same person."""
    bands = bands or Bands()
    logging.getLogger("splink").setLevel(logging.ERROR)
    session = _Session({"records": records}, "dedupe_only", progress)
    names = _comparison_names()
    return [_pair(row, bands, names) for row in session.predict(bands)]
