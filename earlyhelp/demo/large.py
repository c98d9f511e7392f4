"""A large synthetic authority, built by bulk inserts in PostgreSQL (`seed_demo --bulk`).

The small demo (borough.py, journey.py, history.py) makes every record through the services, so each is
audited and obeys the rules as the application applies them; that costs milliseconds a row, hours for a
borough of 300,000 children. This builder writes the same kinds of rows with `INSERT … SELECT` over
`generate_series`, so the rows are made inside PostgreSQL and nothing crosses to Python a row at a time:
households and people (real-looking names from Faker's en_GB lists, postcodes in the borough's
districts, the date-of-birth profile of borough.py), several years of history (requests, episodes,
levels of need, assessments, plans with outcomes, actions and meetings, closures, chronology entries),
social care activity (referrals, single assessments, care episodes) and partner data in the data hub
(records from three datasets, and the flags their rules raise).

Every choice is a hash of the row's number and the seed (`hashint8extended`), so the same seed builds
the same borough (the uuids differ between runs: each run has a tag of its own, so a second run adds to
the first rather than colliding with it). Every check constraint of the models holds by construction.

NHS numbers: the n-th valid number of the 999 test range (`identifiers.NHS_TEST_RANGE_START`), those
already on the register left out, walked in a seeded order that visits each once, so no number is ever
given twice; the build stops before it writes anything if the range would run out. UPNs: local authority
code 999 with a serial that is unique by construction, and their check letter.

One transaction for the whole build: a failure (or Ctrl-C) leaves the database as it was. At 150,000
families the whole build is a quarter of an hour or so (docs/running.md), short enough to redo, so
stages are not made resumable. `ANALYZE` follows each step: the planner otherwise takes the tables just
filled for empty, and a join over one of them turns quadratic.
"""

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from math import gcd
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from faker.providers.address.en_GB import Provider as AddressProvider
from faker.providers.person.en_GB import Provider as PersonProvider

from earlyhelp.accounts.models import Agency, AgencyKind, User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record
from earlyhelp.datahub.models import Dataset, DatasetUpload, UploadStatus
from earlyhelp.families.rules import UPN_LETTERS, name_search_key
from earlyhelp.journey.rules import REFERENCE_ALPHABET

from .borough import CHILDREN_PER_FAMILY, POSTCODE_DISTRICTS, _partnership, _users
from .identifiers import NHS_TEST_RANGE_SIZE, NHS_TEST_RANGE_START

# seed_demo takes this path by itself from this many families (on PostgreSQL): below it the services'
# path takes a few minutes at most and builds the richer demo journey.
BULK_THRESHOLD = 20_000
YEARS = 4
# Families per lead professional over the YEARS of history: about one in three families has an
# episode, so each lead holds a dozen or so episodes over the years and a handful at once, as a
# caseload does, rather than three demo accounts holding them all.
FAMILIES_PER_LEAD = 40
# Shares of people with no NHS number recorded (an assumption, see identifiers.NO_NHS_NUMBER_SHARE):
# fewer children than adults, since a child's number is traced at birth and at school entry.
CHILD_WITHOUT_NHS_NUMBER = 0.05
ADULT_WITHOUT_NHS_NUMBER = 0.15
# Shares of families with one or two episodes of early help in the YEARS of history (a demo choice).
ONE_EPISODE = 0.22
TWO_EPISODES = 0.08

NHS_NUMBERS_RUN_OUT = (
    "The bulk seed needs {wanted:,} synthetic NHS numbers, but the test range has only {free:,} left "
    "({taken:,} already on the register): build fewer families, or start from an empty register."
)


class BulkSeedError(RuntimeError):
    """The bulk seed cannot run as asked; nothing has been written."""


@dataclass
class LargeSize:
    families: int = 0
    persons: int = 0
    children: int = 0
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def events(self) -> int:
        """Rows of history: everything but the register itself."""
        register = {"households", "persons", "memberships", "previous names"}
        return sum(count for name, count in self.rows.items() if name not in register)


Progress = Callable[[str, int, float], None]


def _digits_sum(expression: str, weights: list[int], width: int) -> str:
    """SQL: the sum of each decimal digit of an integer expression times its weight, most significant first."""
    return " + ".join(
        f"mod(({expression}) / {10 ** (width - 1 - i)}, 10) * {weight}" for i, weight in enumerate(weights)
    )


def _functions(seed: int) -> list[str]:
    seed = int(seed)  # baked into the function's text: an int, never user text
    nhs_sum = _digits_sum("stem", list(range(10, 1, -1)), 9)
    upn_sum = " + ".join(f"substr(rest, {i}, 1)::int * {i + 1}" for i in range(1, 13))
    return [
        # A hash of a row's number in [0, 2^31), another for each salt; and the same as a share in [0, 1).
        f"""CREATE OR REPLACE FUNCTION pg_temp.h(n bigint, salt int) RETURNS bigint LANGUAGE sql IMMUTABLE
            AS $$ SELECT hashint8extended(n, {seed}::bigint * 7919 + salt) & 2147483647 $$""",
        """CREATE OR REPLACE FUNCTION pg_temp.r(n bigint, salt int) RETURNS float8 LANGUAGE sql IMMUTABLE
            AS $$ SELECT pg_temp.h(n, salt) / 2147483648.0 $$""",
        # The modulus 11 check digit of a nine-digit stem; 10 where no digit makes a valid number.
        f"""CREATE OR REPLACE FUNCTION pg_temp.nhs_check(stem bigint) RETURNS int LANGUAGE sql IMMUTABLE
            AS $$ SELECT mod(11 - mod({nhs_sum}, 11), 11)::int $$""",
        # A UPN from its last twelve digits: the check letter weighted by position (families.rules).
        f"""CREATE OR REPLACE FUNCTION pg_temp.upn(rest text) RETURNS text LANGUAGE sql IMMUTABLE
            AS $$ SELECT substr('{UPN_LETTERS}', 1 + mod({upn_sum}, 23), 1) || rest $$""",
        # A request reference: EH- and nine characters of the references' alphabet, from a serial number
        # scrambled by an odd multiplier modulo 32^9 (a bijection). The services' own references have eight
        # characters, so the two can never collide.
        """CREATE OR REPLACE FUNCTION pg_temp.ref(serial bigint, alphabet text) RETURNS text LANGUAGE sql IMMUTABLE
            AS $$ SELECT 'EH-' || string_agg(substr(alphabet, 1 + ((m >> (5 * i)) & 31)::int, 1), '' ORDER BY i DESC)
                  FROM (SELECT mod(serial::numeric * 2654435761, 35184372088832)::bigint AS m) s,
                       generate_series(0, 8) i $$""",
    ]


# (name, tables to ANALYZE afterwards, SQL). %(…)s are parameters; literal percent signs are doubled.
_REGISTER = [
    (
        "staging: families",
        ["lg_family"],
        """
        CREATE TEMP TABLE lg_family ON COMMIT DROP AS
        SELECT f, md5(%(tag)s || 'h' || f)::uuid AS id, loc,
               (%(loc_ids)s::bigint[])[loc] AS locality_id,
               1 + mod(pg_temp.h(f, 2), array_length(%(surnames)s::text[], 1)) AS surname,
               (%(districts)s::text[])[loc] || ' ' || mod(pg_temp.h(f, 3), 10)
                   || substr('ABDEFGHJLNPQRSTUWXYZ', 1 + mod(pg_temp.h(f, 4), 20)::int, 1)
                   || substr('ABDEFGHJLNPQRSTUWXYZ', 1 + mod(pg_temp.h(f, 5), 20)::int, 1) AS postcode,
               (1 + mod(pg_temp.h(f, 6), 199)) || ' '
                   || (%(surnames)s::text[])[1 + mod(pg_temp.h(f, 7), array_length(%(surnames)s::text[], 1))] || ' '
                   || (%(suffixes)s::text[])[1 + mod(pg_temp.h(f, 8), array_length(%(suffixes)s::text[], 1))]
                   AS street,
               CASE WHEN e < 0.93 THEN 'white' WHEN e < 0.96 THEN 'mixed' WHEN e < 0.97 THEN 'asian'
                    WHEN e < 0.98 THEN 'black' WHEN e < 0.99 THEN 'other' ELSE '' END AS ethnicity,
               pg_temp.r(f, 10) < 0.35 AS lone,
               CASE WHEN c < %(c1)s THEN 1 WHEN c < %(c2)s THEN 2 WHEN c < %(c3)s THEN 3 WHEN c < %(c4)s THEN 4
                    ELSE 5 END AS children,
               pg_temp.r(f, 12) < 0.03 AS unborn,
               CASE WHEN k < %(one_episode)s THEN 1 WHEN k < %(one_episode)s + %(two_episodes)s THEN 2 ELSE 0 END
                   AS episodes
        FROM generate_series(1, %(families)s::bigint) f
             CROSS JOIN LATERAL (SELECT 1 + mod(pg_temp.h(f, 1), array_length(%(loc_ids)s::bigint[], 1))::int AS loc,
                                        pg_temp.r(f, 9) AS e, pg_temp.r(f, 11) AS c, pg_temp.r(f, 13) AS k) x
        """,
    ),
    (
        "staging: people",
        ["lg_person"],
        """
        CREATE TEMP TABLE lg_person ON COMMIT DROP AS
        SELECT p, f, k, id, role, sex, given, given_key, family_name, family_key, born, expected, moved_in,
               role <> 'unborn' AND pg_temp.r(p, 23) >= CASE WHEN role = 'child' THEN %(child_without)s
                                                            ELSE %(adult_without)s END AS wants_nhs,
               role = 'child' AND age >= 4 AND age < 18 AS school, postcode, street, ethnicity
        FROM (
            SELECT p, fam.f, k, md5(%(tag)s || 'p' || p)::uuid AS id,
                   CASE WHEN k <= 2 THEN 'parent' WHEN k <= 7 THEN 'child' ELSE 'unborn' END AS role,
                   s.sex, s.age,
                   CASE WHEN k = 8 THEN 'Baby'
                        WHEN s.sex = 'F' THEN (%(female)s::text[])[1 + mod(pg_temp.h(p, 25), %(n_female)s)]
                        ELSE (%(male)s::text[])[1 + mod(pg_temp.h(p, 25), %(n_male)s)] END AS given,
                   CASE WHEN k = 8 THEN 'baby'
                        WHEN s.sex = 'F' THEN (%(female_keys)s::text[])[1 + mod(pg_temp.h(p, 25), %(n_female)s)]
                        ELSE (%(male_keys)s::text[])[1 + mod(pg_temp.h(p, 25), %(n_male)s)] END AS given_key,
                   (%(surnames)s::text[])[fam.surname] AS family_name,
                   (%(surname_keys)s::text[])[fam.surname] AS family_key,
                   CASE WHEN k < 8 THEN %(today)s::date - (s.age * 365.25)::int END AS born,
                   CASE WHEN k = 8 THEN %(today)s::date + 14 + mod(pg_temp.h(p, 26), 186)::int END AS expected,
                   CASE WHEN k = 8 THEN %(today)s::date
                        ELSE greatest(%(today)s::date - (s.age * 365.25)::int,
                                      %(today)s::date - 30 - mod(pg_temp.h(p, 24), 3620)::int) END AS moved_in,
                   fam.postcode, fam.street, fam.ethnicity
            FROM lg_family fam CROSS JOIN generate_series(1, 8) k
                 CROSS JOIN LATERAL (SELECT fam.f * 8 + k AS p) n
                 CROSS JOIN LATERAL (
                     SELECT CASE WHEN k = 1 THEN 'F' WHEN k = 2 THEN 'M' WHEN k = 8 THEN 'U'
                                 WHEN pg_temp.r(p, 20) < 0.49 THEN 'F' ELSE 'M' END AS sex,
                            CASE WHEN k = 1 THEN 19 + pg_temp.r(p, 22) * 31
                                 WHEN k = 2 THEN 20 + pg_temp.r(p, 22) * 35
                                 WHEN k = 8 THEN NULL
                                 WHEN pg_temp.r(p, 21) < 0.474 THEN pg_temp.r(p, 22) * 9.99
                                 ELSE 10 + pg_temp.r(p, 22) * 9 END AS age) s
            WHERE k = 1 OR (k = 2 AND NOT fam.lone) OR (k BETWEEN 3 AND 2 + fam.children) OR (k = 8 AND fam.unborn)
        ) people
        """,
    ),
    (
        "staging: NHS numbers and UPNs",
        ["lg_person"],
        """
        ALTER TABLE lg_person ADD COLUMN nhs_rank bigint, ADD COLUMN upn text;
        UPDATE lg_person l SET nhs_rank = ranked.nhs_rank, upn = ranked.upn
        FROM (SELECT p,
                     CASE WHEN wants_nhs THEN row_number() OVER (PARTITION BY wants_nhs ORDER BY p) END AS nhs_rank,
                     CASE WHEN school THEN pg_temp.upn('999'
                         || lpad(mod((%(upn_base)s + row_number() OVER (PARTITION BY school ORDER BY p) - 1) / 1000,
                                     10000)::text, 4, '0')
                         || to_char(born, 'YY')
                         || lpad(mod(%(upn_base)s + row_number() OVER (PARTITION BY school ORDER BY p) - 1,
                                     1000)::text, 3, '0')) END AS upn
              FROM lg_person) ranked
        WHERE ranked.p = l.p AND (ranked.nhs_rank IS NOT NULL OR ranked.upn IS NOT NULL);
        -- A UPN some earlier seed drew at random is left out rather than given twice.
        UPDATE lg_person l SET upn = NULL FROM families_person taken WHERE taken.upn = l.upn
        """,
    ),
    (
        "staging: the NHS numbers still free",
        ["lg_nhs"],
        """
        DROP TABLE IF EXISTS lg_nhs;
        CREATE TEMP TABLE lg_nhs ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY stem) AS i, stem::text || pg_temp.nhs_check(stem) AS number
        FROM generate_series(%(nhs_start)s::bigint, %(nhs_start)s::bigint + %(pool_stems)s - 1) stem
        WHERE pg_temp.nhs_check(stem) < 10
          AND NOT EXISTS (SELECT 1 FROM families_person taken
                          WHERE taken.nhs_number = stem::text || pg_temp.nhs_check(stem));
        CREATE UNIQUE INDEX ON lg_nhs (i)
        """,
    ),
]

_PEOPLE = [
    (
        "households",
        ["families_household"],
        """
        INSERT INTO families_household (id, name, address_line_1, address_line_2, town, postcode, created_at,
            locality_id)
        SELECT id, (%(surnames)s::text[])[surname] || ' family', street, '', 'Borough', postcode, now(), locality_id
        FROM lg_family
        """,
    ),
    (
        "persons",
        ["families_person"],
        """
        INSERT INTO families_person (id, given_name, family_name, search_name, date_of_birth,
            expected_date_of_birth, sex, ethnicity, nhs_number, upn, address_line_1, address_line_2, town, postcode,
            phone, email, nhs_number_missing_reason, nhs_number_missing_detail, created_at, updated_at)
        SELECT l.id, l.given, l.family_name, l.given_key || ' ' || l.family_key, l.born, l.expected, l.sex,
               l.ethnicity, n.number, l.upn, l.street, '', 'Borough', l.postcode, '', '', '', '', now(), now()
        FROM lg_person l
             LEFT JOIN lg_nhs n ON n.i = 1 + mod(%(nhs_offset)s + (l.nhs_rank - 1) * %(nhs_stride)s, %(nhs_free)s)
        """,
    ),
    (
        "memberships",
        ["families_membership"],
        """
        INSERT INTO families_membership (role, started_on, ended_on, household_id, person_id)
        SELECT l.role, l.moved_in, NULL, f.id, l.id FROM lg_person l JOIN lg_family f ON f.f = l.f
        """,
    ),
    (
        "previous names",
        ["families_personname"],
        """
        INSERT INTO families_personname (given_name, family_name, search_name, used_until, person_id)
        SELECT l.given, (%(surnames)s::text[])[m], l.given_key || ' ' || (%(surname_keys)s::text[])[m], NULL, l.id
        FROM lg_person l
             CROSS JOIN LATERAL (SELECT 1 + mod(pg_temp.h(l.p, 30), array_length(%(surnames)s::text[], 1))::int AS m) x
        WHERE l.k = 1 AND pg_temp.r(l.p, 31) < 0.15
        """,
    ),
]

# Episodes: a family with one has it anywhere in the years of history; with two, the first in the first
# twenty months and the second in the last two years, so the first has closed before the second opens.
_JOURNEY = [
    (
        "staging: episodes",
        ["lg_episode"],
        """
        CREATE TEMP TABLE lg_episode ON COMMIT DROP AS
        SELECT e.*, CASE WHEN e.opened + e.length < %(today)s::date THEN e.opened + e.length END AS closed_on,
               CASE WHEN e.opened + e.length < %(today)s::date THEN 'approved'
                    WHEN e.opened > %(today)s::date - 21 OR e.v < 0.25 THEN 'draft'
                    WHEN e.v < 0.4 THEN 'submitted' WHEN e.v < 0.5 THEN 'returned' ELSE 'approved' END AS version_status,
               least(e.opened + 14 + mod(pg_temp.h(e.n, 44), 40)::int, %(today)s::date - 1) AS reviewed_on
        FROM (
            SELECT fam.f, k, fam.id AS household_id, fam.locality_id, fam.f * 2 + k AS n,
                   md5(%(tag)s || 'e' || fam.f || '-' || k)::uuid AS id,
                   md5(%(tag)s || 'p' || (fam.f * 8 + 1))::uuid AS mother_id,
                   md5(%(tag)s || 'p' || (fam.f * 8 + 3))::uuid AS child_id,
                   %(start)s::date + CASE WHEN fam.episodes = 1 THEN mod(pg_temp.h(fam.f, 40), %(days)s - 30)::int
                                          WHEN k = 1 THEN mod(pg_temp.h(fam.f, 41), 600)::int
                                          ELSE 730 + mod(pg_temp.h(fam.f, 42), %(days)s - 760)::int END AS opened,
                   90 + mod(pg_temp.h(fam.f * 2 + k, 43), 241)::int AS length,
                   2 + CASE WHEN pg_temp.r(fam.f * 2 + k, 45) < 0.45 THEN 0
                            WHEN pg_temp.r(fam.f * 2 + k, 45) < 0.85 THEN 1 ELSE 2 END AS level,
                   1 + mod(pg_temp.h(fam.f * 2 + k, 46), array_length(%(lead_ids)s::bigint[], 1))::int AS lead,
                   1 + mod(pg_temp.h(fam.f * 2 + k, 47), array_length(%(team_ids)s::bigint[], 1))::int AS referrer,
                   pg_temp.r(fam.f * 2 + k, 48) AS v,
                   pg_temp.r(fam.f * 2 + k, 49) < 0.1 AS from_family,
                   1 + mod(pg_temp.h(fam.f * 2 + k, 50), 8)::int AS received_before
            FROM lg_family fam CROSS JOIN generate_series(1, 2) k
            WHERE k <= fam.episodes
        ) e;
        ALTER TABLE lg_episode ADD COLUMN plan_on date;
        UPDATE lg_episode SET plan_on = least(reviewed_on + 2, %(today)s::date) WHERE version_status = 'approved'
        """,
    ),
    (
        "episodes",
        ["journey_episode"],
        """
        INSERT INTO journey_episode (id, status, opened_on, closed_on, created_at, updated_at, household_id)
        SELECT id, CASE WHEN closed_on IS NULL THEN 'open' ELSE 'closed' END, opened, closed_on,
               opened + time '10:00', coalesce(closed_on, opened) + time '12:00', household_id
        FROM lg_episode
        """,
    ),
    (
        "requests",
        ["journey_supportrequest"],
        """
        INSERT INTO journey_supportrequest (id, reference, source, requester_name, requester_relationship,
            requester_phone, requester_email, child_given_name, child_family_name, child_date_of_birth,
            address_line_1, postcode, concerns, family_consents, status, received_at, triage_due_at, triaged_at,
            decision_note, mash_reasons, household_id, episode_id, requested_by_id, triaged_by_id)
        SELECT md5(%(tag)s || 'r' || r.n)::uuid, pg_temp.ref(%(ref_offset)s + r.serial, %(alphabet)s),
               CASE WHEN r.from_family THEN 'family' ELSE 'practitioner' END,
               CASE WHEN r.from_family THEN m.given || ' ' || m.family_name ELSE '' END,
               CASE WHEN r.from_family THEN 'Parent' ELSE '' END, '', '', c.given, c.family_name, c.born,
               c.street, c.postcode, (%(concerns)s::text[])[1 + mod(pg_temp.h(r.n, 51), 4)::int], true, r.status,
               r.received, r.received + interval '72 hours',
               CASE WHEN r.status <> 'awaiting_triage' THEN r.received + interval '20 hours' END,
               CASE WHEN r.status = 'assessment' THEN 'Needs across home and school'
                    WHEN r.status = 'awaiting_triage' THEN '' ELSE 'Signposted to services in the community' END,
               '[]'::jsonb, r.household_id, r.episode_id,
               CASE WHEN NOT r.from_family THEN (%(referrer_ids)s::bigint[])[
                   1 + mod(pg_temp.h(r.n, 52), array_length(%(referrer_ids)s::bigint[], 1))::int] END,
               CASE WHEN r.status <> 'awaiting_triage' THEN %(coordinator)s::bigint END
        FROM (SELECT u.*, row_number() OVER (ORDER BY u.n) AS serial FROM (
            SELECT e.n, e.f, e.household_id, e.id AS episode_id, 'assessment' AS status, e.from_family,
                   (e.opened - e.received_before + time '10:30')::timestamptz AS received
            FROM lg_episode e
            UNION ALL
            -- Requests answered with advice or a universal service, and a few still waiting today.
            SELECT fam.f * 2 + 1000000000000, fam.f, fam.id, NULL,
                   CASE WHEN w < 0.003 THEN 'awaiting_triage' WHEN w < 0.06 THEN 'advice' ELSE 'universal' END,
                   pg_temp.r(fam.f, 53) < 0.2,
                   CASE WHEN w < 0.003 THEN now() - mod(pg_temp.h(fam.f, 54), 60) * interval '1 hour'
                        ELSE (%(start)s::date + mod(pg_temp.h(fam.f, 54), %(days)s)::int + time '11:00')::timestamptz
                   END
            FROM lg_family fam CROSS JOIN LATERAL (SELECT pg_temp.r(fam.f, 55) AS w) x
            WHERE w < 0.1
        ) u) r
        JOIN lg_person m ON m.p = r.f * 8 + 1
        JOIN lg_person c ON c.p = r.f * 8 + 3
        """,
    ),
    (
        "levels of need",
        ["journey_levelofneed"],
        """
        INSERT INTO journey_levelofneed (indicator_snapshot, suggested_level, level, reason, recorded_at, episode_id,
            household_id, recorded_by_id)
        SELECT '[]'::jsonb, level, level, '', opened + time '14:00', id, household_id,
               (%(lead_ids)s::bigint[])[lead]
        FROM lg_episode
        """,
    ),
    (
        "involvements",
        ["families_involvement"],
        """
        INSERT INTO families_involvement (role, started_on, ended_on, agency_id, household_id, practitioner_id,
            team_id)
        SELECT 'lead', opened, closed_on, (%(lead_agencies)s::bigint[])[lead], household_id,
               (%(lead_ids)s::bigint[])[lead], NULL
        FROM lg_episode
        UNION ALL
        SELECT 'case_holder', opened, closed_on, %(early_help_agency)s, household_id, NULL, %(early_help_team)s
        FROM lg_episode
        UNION ALL
        SELECT 'contributor', opened - received_before, closed_on, (%(team_agencies)s::bigint[])[referrer],
               household_id, NULL, (%(team_ids)s::bigint[])[referrer]
        FROM lg_episode
        """,
    ),
    (
        "assessments",
        ["assessments_assessment"],
        """
        INSERT INTO assessments_assessment (id, created_at, household_id)
        SELECT md5(%(tag)s || 'a' || f)::uuid, min(opened) + time '15:00', household_id
        FROM lg_episode GROUP BY f, household_id
        """,
    ),
    (
        "assessment versions",
        ["assessments_assessmentversion"],
        """
        INSERT INTO assessments_assessmentversion (id, number, status, revision, past_harm, future_danger,
            complicating_factors, working_well, needs_to_happen, family_scale, practitioner_scale, created_at,
            last_saved_at, submitted_at, reviewed_at, review_comments, assessment_id, based_on_id, created_by_id,
            episode_id, last_saved_by_id, reviewed_by_id, submitted_by_id)
        SELECT md5(%(tag)s || 'v' || n)::uuid, k, version_status, 3,
               'No harm known before this episode.', 'Money worries could mean the family loses its home.', '',
               'Grandparents help with the school run.', 'A steady morning routine and help with debts.',
               3 + mod(pg_temp.h(n, 56), 4)::int, 3 + mod(pg_temp.h(n, 57), 4)::int,
               opened + time '15:00', opened + time '16:00',
               CASE WHEN version_status <> 'draft' THEN reviewed_on - 1 + time '09:00' END,
               CASE WHEN version_status IN ('approved', 'returned') THEN reviewed_on + time '15:00' END,
               CASE WHEN version_status = 'returned' THEN 'Add the father''s view, please.' ELSE '' END,
               md5(%(tag)s || 'a' || f)::uuid,
               CASE WHEN k = 2 THEN md5(%(tag)s || 'v' || (n - 1))::uuid END,
               (%(lead_ids)s::bigint[])[lead], id, (%(lead_ids)s::bigint[])[lead],
               CASE WHEN version_status IN ('approved', 'returned') THEN %(coordinator)s::bigint END,
               CASE WHEN version_status <> 'draft' THEN (%(lead_ids)s::bigint[])[lead] END
        FROM lg_episode
        """,
    ),
    (
        "assessment sections",
        ["assessments_membersection"],
        """
        INSERT INTO assessments_membersection (is_child, about, child_voice, voice_not_heard_reason, consent_given,
            consent_what, consent_with_whom, lawful_basis, person_id, version_id)
        SELECT l.role = 'child',
               CASE WHEN l.role = 'child' THEN l.given || ' is doing well in class when in school.'
                    ELSE l.given || ' wants help with routines.' END,
               CASE WHEN l.role = 'child' THEN 'I like football club' ELSE '' END, '',
               CASE WHEN l.role = 'parent' THEN true END,
               CASE WHEN l.role = 'parent' THEN 'The assessment and the plan' ELSE '' END,
               CASE WHEN l.role = 'parent' THEN 'School, health visiting and the Early Help Service' ELSE '' END,
               '', l.id, md5(%(tag)s || 'v' || e.n)::uuid
        FROM lg_episode e JOIN lg_person l ON l.f = e.f AND l.role <> 'unborn'
        """,
    ),
    (
        "assessed needs",
        ["assessments_need"],
        """
        INSERT INTO assessments_need (key, outcome_area, description, person_id, version_id)
        SELECT md5(%(tag)s || 'n' || e.n || '-' || j)::uuid, a.area, a.description, NULL,
               md5(%(tag)s || 'v' || e.n)::uuid
        FROM lg_episode e CROSS JOIN generate_series(0, 1) j
             CROSS JOIN LATERAL (SELECT (ARRAY['education', 'financial_stability', 'health', 'family_relationships',
                                               'housing', 'domestic_abuse'])[1 + mod(pg_temp.h(e.n, 58) + j * 3, 6)::int]
                                            AS area) x
             CROSS JOIN LATERAL (SELECT x.area,
                                        CASE x.area WHEN 'education' THEN 'Attendance below 90%%'
                                             WHEN 'financial_stability' THEN 'Rent arrears'
                                             WHEN 'health' THEN 'Missed health appointments'
                                             WHEN 'family_relationships' THEN 'Arguments at home'
                                             WHEN 'housing' THEN 'Overcrowded home'
                                             ELSE 'Domestic abuse in the past' END AS description) a
        """,
    ),
]

_PLANS = [
    (
        "plans",
        ["plans_plan"],
        """
        INSERT INTO plans_plan (id, next_review_on, created_at, created_by_id, episode_id, household_id)
        SELECT md5(%(tag)s || 'l' || n)::uuid, NULL, plan_on + time '11:00', (%(lead_ids)s::bigint[])[lead], id,
               household_id
        FROM lg_episode WHERE plan_on IS NOT NULL
        """,
    ),
    (
        "plan outcomes",
        ["plans_outcome"],
        """
        INSERT INTO plans_outcome (description, created_at, plan_id)
        SELECT d, plan_on + time '11:05', md5(%(tag)s || 'l' || n)::uuid
        FROM lg_episode CROSS JOIN unnest(ARRAY['The children are in school every day',
                                                'The family keeps its home']) d
        WHERE plan_on IS NOT NULL
        """,
    ),
    (
        "plan actions",
        ["plans_planaction"],
        """
        INSERT INTO plans_planaction (what, due_on, status, created_at, updated_at, agency_id, family_member_id,
            outcome_id, plan_id, practitioner_id, service_id)
        SELECT a.what, a.due_on,
               CASE WHEN e.closed_on IS NOT NULL THEN CASE WHEN j = 3 AND e.v < 0.2 THEN 'cancelled' ELSE 'done' END
                    WHEN a.due_on < %(today)s::date THEN CASE WHEN pg_temp.r(e.n * 4 + j, 59) < 0.6 THEN 'done'
                                                             ELSE 'in_progress' END
                    WHEN pg_temp.r(e.n * 4 + j, 59) < 0.5 THEN 'in_progress' ELSE 'not_started' END,
               e.plan_on + time '11:10', coalesce(e.closed_on, e.plan_on) + time '11:10',
               CASE WHEN j = 1 THEN (%(school_agencies)s::bigint[])[
                   1 + mod(pg_temp.h(e.n, 60), array_length(%(school_agencies)s::bigint[], 1))::int] END,
               CASE WHEN j = 3 THEN e.mother_id END,
               o.id, o.plan_id,
               CASE WHEN j = 2 THEN (%(lead_ids)s::bigint[])[e.lead] END, NULL
        FROM lg_episode e CROSS JOIN generate_series(1, 3) j
             CROSS JOIN LATERAL (SELECT (ARRAY['Breakfast club place', 'Debt advice appointment',
                                               'Attend the parenting course'])[j] AS what,
                                        e.plan_on + 21 * j AS due_on) a
             JOIN plans_outcome o ON o.plan_id = md5(%(tag)s || 'l' || e.n)::uuid
                  AND o.description = CASE WHEN j = 2 THEN 'The family keeps its home'
                                           ELSE 'The children are in school every day' END
        WHERE e.plan_on IS NOT NULL
        """,
    ),
    (
        "meetings",
        ["plans_meeting"],
        """
        INSERT INTO plans_meeting (kind, held_on, decisions, family_scale, practitioner_scale, next_review_on,
            step_prompt, created_at, recorded_by_id, plan_id)
        SELECT m.kind, m.held_on, m.decisions, least(10, 3 + m.j + mod(pg_temp.h(e.n * 16 + m.j, 61), 2)::int),
               least(10, 3 + m.j + mod(pg_temp.h(e.n * 16 + m.j, 62), 2)::int),
               CASE WHEN m.kind = 'taf' THEN m.held_on + 42 END, '', m.held_on + time '16:00',
               (%(lead_ids)s::bigint[])[e.lead], md5(%(tag)s || 'l' || e.n)::uuid
        FROM lg_episode e
             CROSS JOIN LATERAL (
                 SELECT 'taf' AS kind, j, e.plan_on + 14 + (j - 1) * 42 AS held_on,
                        'Breakfast club from Monday; debt advice booked.' AS decisions
                 FROM generate_series(1, 8) j
                 WHERE e.plan_on + 14 + (j - 1) * 42 < coalesce(e.closed_on, %(today)s::date)
                 UNION ALL
                 SELECT 'closure', 7, e.closed_on, 'The family and the team agreed to close.'
                 WHERE e.closed_on IS NOT NULL AND e.closed_on > e.plan_on) m
        WHERE e.plan_on IS NOT NULL
        """,
    ),
    (
        "next reviews",
        ["plans_plan"],
        """
        UPDATE plans_plan p SET next_review_on = last.next_review_on
        FROM (SELECT DISTINCT ON (m.plan_id) m.plan_id, m.next_review_on
              FROM plans_meeting m JOIN lg_episode e ON m.plan_id = md5(%(tag)s || 'l' || e.n)::uuid
              WHERE e.closed_on IS NULL AND m.kind = 'taf'
              ORDER BY m.plan_id, m.held_on DESC) last
        WHERE p.id = last.plan_id
        """,
    ),
    (
        "meeting attendees",
        ["plans_meetingattendee"],
        """
        INSERT INTO plans_meetingattendee (agency_id, meeting_id, person_id, practitioner_id)
        SELECT NULL, m.id, e.mother_id, NULL
        FROM lg_episode e JOIN plans_meeting m ON m.plan_id = md5(%(tag)s || 'l' || e.n)::uuid
        UNION ALL
        SELECT (%(lead_agencies)s::bigint[])[e.lead], m.id, NULL, (%(lead_ids)s::bigint[])[e.lead]
        FROM lg_episode e JOIN plans_meeting m ON m.plan_id = md5(%(tag)s || 'l' || e.n)::uuid
        """,
    ),
    (
        "closures",
        ["journey_episodeclosure"],
        """
        INSERT INTO journey_episodeclosure (reason, detail, closed_at, closed_by_id, episode_id)
        SELECT reason, CASE WHEN reason = 'other' THEN 'Family moved to a service outside early help' ELSE '' END,
               closed_on + time '12:00', (%(lead_ids)s::bigint[])[lead], id
        FROM lg_episode
             CROSS JOIN LATERAL (SELECT CASE WHEN v < 0.55 THEN 'outcomes_achieved' WHEN v < 0.7 THEN 'stepped_down'
                                             WHEN v < 0.8 THEN 'stepped_up' WHEN v < 0.88 THEN 'moved_away'
                                             WHEN v < 0.95 THEN 'consent_withdrawn' ELSE 'other' END AS reason) x
        WHERE closed_on IS NOT NULL
        """,
    ),
    (
        "closure need outcomes",
        ["journey_closureneedoutcome"],
        """
        INSERT INTO journey_closureneedoutcome (need_ref, need_text, outcome_area, outcome, closure_id)
        SELECT need.key::text, need.description, need.outcome_area,
               CASE WHEN c.reason IN ('outcomes_achieved', 'stepped_down') THEN 'met'
                    WHEN need.id %% 2 = 0 THEN 'partly_met' ELSE 'not_met' END, c.id
        FROM lg_episode e
             JOIN journey_episodeclosure c ON c.episode_id = e.id
             JOIN assessments_need need ON need.version_id = md5(%(tag)s || 'v' || e.n)::uuid
        """,
    ),
]

# The chronology: what the services would have written as each thing happened.
_CHRONOLOGY = [
    (
        "chronology",
        ["journey_chronologyentry"],
        """
        INSERT INTO journey_chronologyentry (occurred_at, kind, summary, source_type, source_id, actor_id,
            household_id, person_id, episode_id)
        SELECT r.received_at, 'request',
               'Request for support ' || r.reference || ' received from '
                   || CASE WHEN r.source = 'family' THEN 'the family' ELSE 'a practitioner' END,
               'supportrequest', r.id::text, r.requested_by_id, r.household_id, NULL::uuid, r.episode_id
        FROM journey_supportrequest r JOIN lg_family f ON f.id = r.household_id
        UNION ALL
        SELECT r.triaged_at, 'triage', 'Request ' || r.reference || ' triaged: ' || replace(r.status, '_', ' '),
               'supportrequest', r.id::text, r.triaged_by_id, r.household_id, NULL, r.episode_id
        FROM journey_supportrequest r JOIN lg_family f ON f.id = r.household_id WHERE r.triaged_at IS NOT NULL
        UNION ALL
        SELECT e.opened + time '10:00', 'episode', 'Early help episode opened', 'episode', e.id::text,
               %(coordinator)s::bigint, e.household_id, NULL, e.id
        FROM lg_episode e
        UNION ALL
        SELECT e.opened + time '14:00', 'level', 'Level of need recorded: level ' || e.level, 'episode', e.id::text,
               (%(lead_ids)s::bigint[])[e.lead], e.household_id, NULL, e.id
        FROM lg_episode e
        UNION ALL
        SELECT e.reviewed_on + time '15:00', 'assessment', 'Early Help Assessment approved', 'assessmentversion',
               md5(%(tag)s || 'v' || e.n)::uuid::text, %(coordinator)s::bigint, e.household_id, NULL, e.id
        FROM lg_episode e WHERE e.version_status = 'approved'
        UNION ALL
        SELECT e.plan_on + time '11:00', 'plan', 'Family plan started', 'plan', md5(%(tag)s || 'l' || e.n)::uuid::text,
               (%(lead_ids)s::bigint[])[e.lead], e.household_id, NULL, e.id
        FROM lg_episode e WHERE e.plan_on IS NOT NULL
        UNION ALL
        SELECT m.held_on + time '16:00', 'meeting',
               CASE WHEN m.kind = 'taf' THEN 'Team Around the Family meeting' ELSE 'Closure meeting' END,
               'meeting', m.id::text, m.recorded_by_id, e.household_id, NULL, e.id
        FROM lg_episode e JOIN plans_meeting m ON m.plan_id = md5(%(tag)s || 'l' || e.n)::uuid
        UNION ALL
        SELECT c.closed_at, 'closure', 'Episode closed: ' || replace(c.reason, '_', ' '), 'episodeclosure',
               c.id::text, c.closed_by_id, e.household_id, NULL, e.id
        FROM lg_episode e JOIN journey_episodeclosure c ON c.episode_id = e.id
        """,
    ),
]

_SOCIAL_CARE = [
    (
        "social care referrals",
        ["measures_referral"],
        """
        INSERT INTO measures_referral (route, source_id, recorded_at, referred_on, source_agency_type, reason,
            outcome, early_help_offer, household_id, locality_id, person_id, recorded_by_id, step_up_id)
        SELECT 'feed', %(tag)s || '-R' || l.p || '-' || j, now(), x.referred_on,
               (ARRAY['police', 'police', 'police', 'health', 'health', 'education', 'education', 'local_authority',
                      'housing', 'voluntary', 'family'])[1 + mod(pg_temp.h(l.p * 4 + j, 71), 11)::int],
               (ARRAY['abuse_or_neglect', 'abuse_or_neglect', 'abuse_or_neglect', 'abuse_or_neglect',
                      'abuse_or_neglect', 'family_dysfunction', 'family_dysfunction', 'acute_stress',
                      'parental_illness', 'disability', 'socially_unacceptable', 'low_income', 'absent_parenting',
                      'not_in_need'])[1 + mod(pg_temp.h(l.p * 4 + j, 72), 14)::int],
               x.outcome, x.outcome = 'nfa' AND pg_temp.r(l.p * 4 + j, 73) < 0.6, f.id, f.locality_id, l.id,
               %(admin)s::bigint, NULL
        FROM lg_person l JOIN lg_family f ON f.f = l.f CROSS JOIN generate_series(1, 2) j
             CROSS JOIN LATERAL (
                 SELECT greatest(%(start)s::date + mod(pg_temp.h(l.p * 4 + j, 74), %(days)s)::int, l.born) AS referred_on,
                        CASE WHEN pg_temp.r(l.p * 4 + j, 75) < 0.52 THEN 'single_assessment'
                             WHEN pg_temp.r(l.p * 4 + j, 75) < 0.92 THEN 'nfa' ELSE 'other' END AS outcome) x
        WHERE l.role = 'child' AND pg_temp.r(l.p, 70) < CASE WHEN j = 1 THEN 0.12 ELSE 0.02 END
        """,
    ),
    (
        "single assessments",
        ["measures_singleassessment"],
        """
        INSERT INTO measures_singleassessment (route, source_id, recorded_at, started_on, completed_on, outcome,
            early_help_offer, household_id, locality_id, person_id, recorded_by_id, referral_id)
        SELECT 'feed', %(tag)s || '-S' || r.id, now(), s.started_on, s.completed_on,
               CASE WHEN s.completed_on IS NULL THEN '' ELSE s.outcome END,
               s.completed_on IS NOT NULL AND s.outcome = 'nfa' AND r.id %% 5 < 3,
               r.household_id, r.locality_id, r.person_id, r.recorded_by_id, r.id
        FROM measures_referral r
             CROSS JOIN LATERAL (
                 SELECT least(r.referred_on + 1 + (r.id %% 5)::int, %(today)s::date) AS started_on,
                        CASE WHEN r.referred_on + 11 + (r.id %% 40)::int < %(today)s::date
                             THEN r.referred_on + 11 + (r.id %% 40)::int END AS completed_on,
                        (ARRAY['nfa', 'nfa', 'nfa', 'nfa', 'nfa', 'nfa', 'nfa', 'child_in_need', 'child_in_need',
                               'child_in_need', 'child_in_need', 'child_in_need', 'child_in_need', 'child_in_need',
                               'child_in_need', 'child_protection', 'child_protection', 'child_protection',
                               'early_help', 'early_help'])[1 + (r.id * 7919 %% 20)::int] AS outcome) s
        WHERE r.outcome = 'single_assessment' AND r.source_id LIKE %(tag)s || '-R%%'
        """,
    ),
    (
        "care episodes",
        ["measures_careepisode"],
        """
        INSERT INTO measures_careepisode (route, source_id, recorded_at, kind, started_on, ended_on, household_id,
            locality_id, person_id, recorded_by_id, referral_id)
        SELECT 'feed', %(tag)s || '-C' || s.id, now(),
               CASE WHEN s.outcome = 'child_protection' AND s.id %% 6 = 0 THEN 'looked_after' ELSE s.outcome END,
               s.completed_on,
               CASE WHEN s.completed_on + 90 + (s.id %% 311)::int < %(today)s::date
                    THEN s.completed_on + 90 + (s.id %% 311)::int END,
               s.household_id, s.locality_id, s.person_id, s.recorded_by_id, s.referral_id
        FROM measures_singleassessment s
        WHERE s.outcome IN ('child_in_need', 'child_protection') AND s.source_id LIKE %(tag)s || '-S%%'
        """,
    ),
]

# Partner data: a term's attendance for every pupil (a second term for some), the police's domestic
# abuse notifications for a few mothers, health visitors' concerns about some under-fives. Most link to
# the person (95 %); a few wait for review or are the partners' only.
_ATTENDANCE = """
    INSERT INTO datahub_partnerrecord (source_id, row_number, identifying, facts, link_status, received_at,
        dataset_id, upload_id, linked_at, linked_by_id, match_probability, person_id, match_weights)
    SELECT %(tag)s || '-A' || l.p || '-' || t, row_number() OVER (ORDER BY l.p, t),
           jsonb_build_object('upn', l.upn, 'given_name', l.given, 'family_name', l.family_name,
                              'date_of_birth', l.born, 'sex', CASE l.sex WHEN 'F' THEN 'female' ELSE 'male' END,
                              'postcode', l.postcode),
           jsonb_build_object('school_urn', (%(urns)s::text[])[1 + mod(pg_temp.h(l.f, 80), 12)::int],
                              'academic_year', %(academic_year)s, 'term', (%(terms)s::text[])[t],
                              'sessions_possible', 120, 'sessions_missed', x.missed,
                              'suspensions', CASE WHEN x.missed > 20 THEN 1 ELSE 0 END,
                              'permanent_exclusion', false, 'permanent_exclusion_date', NULL),
           CASE WHEN x.u < 0.95 THEN 'linked' WHEN x.u < 0.98 THEN 'in_review' ELSE 'partners_only' END,
           now() - interval '3 days', %(dataset)s::bigint, %(upload)s::bigint,
           CASE WHEN x.u < 0.95 THEN now() - interval '3 days' END, NULL,
           CASE WHEN x.u < 0.95 THEN 0.97 + x.u / 50 WHEN x.u < 0.98 THEN 0.6 END,
           CASE WHEN x.u < 0.95 THEN l.id END, '{}'::jsonb
    FROM lg_person l CROSS JOIN generate_series(1, 2) t
         CROSS JOIN LATERAL (SELECT pg_temp.r(l.p * 2 + t, 81) AS u,
                                    CASE WHEN pg_temp.r(l.p, 82) < 0.12 THEN 12 + mod(pg_temp.h(l.p * 2 + t, 83), 30)
                                         ELSE mod(pg_temp.h(l.p * 2 + t, 83), 10) END AS missed) x
    WHERE l.upn IS NOT NULL AND (t = 1 OR pg_temp.r(l.p, 84) < 0.3)
"""

_POLICE = """
    INSERT INTO datahub_partnerrecord (source_id, row_number, identifying, facts, link_status, received_at,
        dataset_id, upload_id, linked_at, linked_by_id, match_probability, person_id, match_weights)
    SELECT %(tag)s || '-D' || l.p || '-' || t, row_number() OVER (ORDER BY l.p, t),
           jsonb_build_object('given_name', l.given, 'family_name', l.family_name, 'date_of_birth', l.born,
                              'sex', 'female', 'address', l.street, 'postcode', l.postcode),
           jsonb_build_object('incident_reference', 'DA' || (l.p * 3 + t),
                              'incident_date', %(today)s::date - 5 - mod(pg_temp.h(l.p * 4 + t, 85), 540)::int,
                              'role_in_incident', 'victim', 'children_present', pg_temp.r(l.p * 4 + t, 86) < 0.5,
                              'risk_level', (ARRAY['standard', 'standard', 'medium', 'high'])[
                                  1 + mod(pg_temp.h(l.p * 4 + t, 87), 4)::int]),
           CASE WHEN x.u < 0.95 THEN 'linked' WHEN x.u < 0.98 THEN 'in_review' ELSE 'partners_only' END,
           now() - interval '3 days', %(dataset)s::bigint, %(upload)s::bigint,
           CASE WHEN x.u < 0.95 THEN now() - interval '3 days' END, NULL,
           CASE WHEN x.u < 0.95 THEN 0.97 + x.u / 50 WHEN x.u < 0.98 THEN 0.6 END,
           CASE WHEN x.u < 0.95 THEN l.id END, '{}'::jsonb
    FROM lg_person l CROSS JOIN generate_series(1, 3) t
         CROSS JOIN LATERAL (SELECT pg_temp.r(l.p * 4 + t, 88) AS u) x
    WHERE l.k = 1 AND pg_temp.r(l.p, 89) < 0.04 AND t <= 1 + mod(pg_temp.h(l.p, 90), 3)
"""

_HEALTH = """
    INSERT INTO datahub_partnerrecord (source_id, row_number, identifying, facts, link_status, received_at,
        dataset_id, upload_id, linked_at, linked_by_id, match_probability, person_id, match_weights)
    SELECT %(tag)s || '-H' || l.p, row_number() OVER (ORDER BY l.p),
           jsonb_build_object('nhs_number', p.nhs_number, 'given_name', l.given, 'family_name', l.family_name,
                              'date_of_birth', l.born, 'sex', CASE l.sex WHEN 'F' THEN 'female' ELSE 'male' END,
                              'postcode', l.postcode),
           jsonb_build_object('service', 'health visiting',
                              'concern_date', %(today)s::date - 5 - mod(pg_temp.h(l.p, 91), 300)::int,
                              'concern', (ARRAY['parental mental health', 'child development',
                                                'emotional health and wellbeing', 'weight or nutrition',
                                                'missed appointments', 'home conditions'])[
                                  1 + mod(pg_temp.h(l.p, 92), 6)::int],
                              'concern_level', CASE WHEN pg_temp.r(l.p, 93) < 0.25 THEN 'universal partnership plus'
                                                    WHEN pg_temp.r(l.p, 93) < 0.6 THEN 'universal plus'
                                                    ELSE 'universal' END),
           CASE WHEN x.u < 0.95 THEN 'linked' WHEN x.u < 0.98 THEN 'in_review' ELSE 'partners_only' END,
           now() - interval '3 days', %(dataset)s::bigint, %(upload)s::bigint,
           CASE WHEN x.u < 0.95 THEN now() - interval '3 days' END, NULL,
           CASE WHEN x.u < 0.95 THEN 0.97 + x.u / 50 WHEN x.u < 0.98 THEN 0.6 END,
           CASE WHEN x.u < 0.95 THEN l.id END, '{}'::jsonb
    FROM lg_person l JOIN families_person p ON p.id = l.id
         CROSS JOIN LATERAL (SELECT pg_temp.r(l.p, 94) AS u) x
    WHERE l.role = 'child' AND l.born > %(today)s::date - 5 * 365 AND pg_temp.r(l.p, 95) < 0.1
"""

# The flags the data hub's rules (datahub/flag_rules.json) would raise on the records just linked.
_FLAGS = [
    (
        "flags: persistent absence",
        ["datahub_flag"],
        """
        INSERT INTO datahub_flag (rule, outcome_area, reason, raised_on, raised_at, person_id)
        SELECT DISTINCT ON (r.person_id) 'school_attendance_missed_10_percent', 'education',
               'Missed ' || round(100.0 * (r.facts ->> 'sessions_missed')::int / 120) || ' %% of school sessions in the '
                   || (r.facts ->> 'term') || ' term of ' || (r.facts ->> 'academic_year'),
               %(today)s::date, now(), r.person_id
        FROM datahub_partnerrecord r
        WHERE r.dataset_id = %(attendance)s AND r.source_id LIKE %(tag)s || '-%%' AND r.link_status = 'linked'
          AND (r.facts ->> 'sessions_missed')::int >= 12
        ORDER BY r.person_id, r.id
        """,
    ),
    (
        "flags: domestic abuse",
        ["datahub_flag"],
        """
        INSERT INTO datahub_flag (rule, outcome_area, reason, raised_on, raised_at, person_id)
        SELECT 'domestic_abuse_two_in_12_months', 'domestic_abuse',
               count(*) || ' domestic abuse notifications from the police within 12 months', %(today)s::date, now(),
               r.person_id
        FROM datahub_partnerrecord r
        WHERE r.dataset_id = %(police)s AND r.source_id LIKE %(tag)s || '-%%' AND r.link_status = 'linked'
          AND (r.facts ->> 'incident_date')::date > %(today)s::date - 365
        GROUP BY r.person_id HAVING count(*) >= 2
        """,
    ),
    (
        "flags: health concerns",
        ["datahub_flag"],
        """
        INSERT INTO datahub_flag (rule, outcome_area, reason, raised_on, raised_at, person_id)
        SELECT 'health_concern_partnership_plus', 'health',
               'Health visiting: a concern about ' || (r.facts ->> 'concern') || ' at universal partnership plus',
               %(today)s::date, now(), r.person_id
        FROM datahub_partnerrecord r
        WHERE r.dataset_id = %(health)s AND r.source_id LIKE %(tag)s || '-%%' AND r.link_status = 'linked'
          AND r.facts ->> 'concern_level' = 'universal partnership plus'
        """,
    ),
    (
        "flags: their records",
        ["datahub_flag_records"],
        """
        INSERT INTO datahub_flag_records (flag_id, partnerrecord_id)
        SELECT fl.id, r.id
        FROM datahub_flag fl
             JOIN datahub_partnerrecord r ON r.person_id = fl.person_id AND r.source_id LIKE %(tag)s || '-%%'
              AND r.dataset_id = CASE fl.rule WHEN 'school_attendance_missed_10_percent' THEN %(attendance)s
                                              WHEN 'domestic_abuse_two_in_12_months' THEN %(police)s
                                              ELSE %(health)s END
        WHERE fl.raised_on = %(today)s::date AND fl.raised_at >= %(started_at)s
        """,
    ),
]

DATASETS = [
    # name, layout, kind of the agency that sends it
    ("School attendance (synthetic)", "school_attendance", AgencyKind.EDUCATION),
    ("Police domestic abuse notifications (synthetic)", "police_domestic_abuse", AgencyKind.POLICE),
    ("Health visiting concerns (synthetic)", "health_concerns", AgencyKind.HEALTH),
]
CONCERNS = [
    "Attendance has dropped this term and the child seems withdrawn.",
    "Mum has asked for help with routines and money worries.",
    "Health visitor concerned about home conditions and isolation.",
    "Dad is struggling since losing his job; the children are often late and hungry.",
]


def _names() -> dict[str, Any]:
    """Faker's en_GB names, with the key each is searched by (families.rules.name_search_key)."""
    female = list(PersonProvider.first_names_female)
    male = list(PersonProvider.first_names_male)
    surnames = list(PersonProvider.last_names)
    return {
        "female": female,
        "female_keys": [name_search_key(name) for name in female],
        "n_female": len(female),
        "male": male,
        "male_keys": [name_search_key(name) for name in male],
        "n_male": len(male),
        "surnames": surnames,
        "surname_keys": [name_search_key(name) for name in surnames],
        "suffixes": list(AddressProvider.street_suffixes),
    }


def _cumulative(weights: list[tuple[int, float]]) -> list[float]:
    total, edges = 0.0, []
    for _, weight in weights:
        total += weight
        edges.append(total)
    return edges


def _academic_year(today: date) -> str:
    first = today.year if today.month >= 9 else today.year - 1
    return f"{first}/{(first + 1) % 100:02d}"


def _coprime_stride(free: int, seed: int) -> int:
    """A stride coprime with `free`, so stepping by it from any offset visits each position once."""
    stride = 1 + (seed * 2_654_435_761) % max(free, 1)
    while gcd(stride, free) != 1:
        stride += 1
    return stride


def _datasets(agencies: dict[str, Agency], admin: User) -> dict[str, tuple[Dataset, DatasetUpload]]:
    by_kind = {agency.kind: agency for agency in sorted(agencies.values(), key=lambda a: a.name)}
    made = {}
    for name, layout, kind in DATASETS:
        dataset, _ = Dataset.objects.get_or_create(
            name=name,
            defaults={
                "layout": layout,
                "source_agency": by_kind[kind],
                "sharing_agreement": "Early help information sharing agreement (synthetic data)",
                "lawful_basis": "public_task",
                "retention_months": 72,
                "created_by": admin,
            },
        )
        upload = DatasetUpload.objects.create(
            dataset=dataset,
            file_name=f"{layout}-synthetic.csv",
            size=0,
            status=UploadStatus.LOADED,
            stage="",
            uploaded_by=admin,
            finished_at=timezone.now(),
        )
        made[layout] = (dataset, upload)
    return made


class _Build:
    """One bulk build: its cursor, its parameters, the rows of each kind it has written so far."""

    def __init__(self, cursor: Any, params: dict[str, Any], size: LargeSize, progress: Progress | None) -> None:
        self.cursor, self.params, self.size, self.progress = cursor, params, size, progress

    def scalar(self, sql: str, values: dict[str, Any] | None = None) -> int:
        self.cursor.execute(sql, values or {})
        return int(self.cursor.fetchone()[0])

    def run(self, steps: list[tuple[str, list[str], str]]) -> None:
        for name, tables, sql in steps:
            began = time.perf_counter()
            rows = 0
            for statement in sql.split(";\n"):
                self.cursor.execute(statement, self.params)
                rows = max(rows, self.cursor.rowcount)
            for table in tables:
                self.cursor.execute(f"ANALYZE {table}")  # names from the lists above, never input
            if not name.startswith("staging") and name != "next reviews":
                self.size.rows[name] = self.size.rows.get(name, 0) + rows
            if self.progress:
                self.progress(name, rows, time.perf_counter() - began)

    def nhs_numbers(self, *, seed: int, nhs_stems: int) -> None:
        """The pool of free NHS numbers and the walk over it; BulkSeedError if too few are left."""
        wanted = self.scalar("SELECT count(*) FROM lg_person WHERE wants_nhs")
        taken = self.scalar(
            "SELECT count(*) FROM families_person WHERE nhs_number BETWEEN %(low)s AND %(high)s",
            {"low": f"{NHS_TEST_RANGE_START}0", "high": f"{NHS_TEST_RANGE_START + NHS_TEST_RANGE_SIZE - 1}9"},
        )
        # The pool is the first stems of the range, enough for those wanted (20 % spare, and 1 stem in 11
        # is not a number), not the whole million; the whole range when that is not enough.
        self.params["pool_stems"] = min(nhs_stems, (wanted + taken) * 12 // 10 + 1000)
        self.run(_REGISTER[3:])
        free = self.scalar("SELECT count(*) FROM lg_nhs")
        if wanted > free and self.params["pool_stems"] < nhs_stems:
            self.params["pool_stems"] = nhs_stems
            self.run(_REGISTER[3:])
            free = self.scalar("SELECT count(*) FROM lg_nhs")
        if wanted > free:
            raise BulkSeedError(NHS_NUMBERS_RUN_OUT.format(wanted=wanted, free=free, taken=taken))
        self.params["nhs_free"] = max(free, 1)
        self.params["nhs_offset"] = (seed * 40_503) % self.params["nhs_free"]
        self.params["nhs_stride"] = _coprime_stride(self.params["nhs_free"], seed)

    def partner_data(self, datasets: dict[str, tuple[Dataset, DatasetUpload]]) -> None:
        self.params["attendance"] = datasets["school_attendance"][0].pk
        self.params["police"] = datasets["police_domestic_abuse"][0].pk
        self.params["health"] = datasets["health_concerns"][0].pk
        for layout, name, sql in (
            ("school_attendance", "partner records: school attendance", _ATTENDANCE),
            ("police_domestic_abuse", "partner records: police", _POLICE),
            ("health_concerns", "partner records: health", _HEALTH),
        ):
            dataset, upload = datasets[layout]
            self.params["dataset"], self.params["upload"] = dataset.pk, upload.pk
            self.run([(name, ["datahub_partnerrecord"], sql)])
            stored = self.size.rows[name]
            status = "SELECT count(*) FROM datahub_partnerrecord WHERE upload_id = %(upload)s AND link_status = %(s)s"
            linked = self.scalar(status, {"upload": upload.pk, "s": "linked"})
            review = self.scalar(status, {"upload": upload.pk, "s": "in_review"})
            DatasetUpload.objects.filter(pk=upload.pk).update(
                done=stored,
                total=stored,
                stored_count=stored,
                linked_count=linked,
                review_count=review,
                partners_only_count=stored - linked - review,
            )
        self.run(_FLAGS)


STAGING = ("lg_family", "lg_person", "lg_nhs", "lg_episode")


def _lead_professionals(templates: list[User], count: int) -> list[User]:
    """The demo's three lead professionals and `count` more like them (same agencies and teams, in
    turn), with no password: they exist to hold caseloads, not to sign in."""
    if count <= len(templates):
        return templates
    serial = User.objects.filter(username__startswith="lead-").count()
    password = make_password(None)
    extra = []
    for n in range(serial, serial + count - len(templates)):
        template = templates[n % len(templates)]
        extra.append(
            User(
                username=f"lead-{n:06d}",
                role=template.role,
                first_name="Lead",
                last_name=f"Professional {n}",
                agency_id=template.agency_id,
                team_id=template.team_id,
                job_title=template.job_title,
                email=f"lead-{n:06d}@example.org",
                password=password,
            )
        )
    return templates + User.objects.bulk_create(extra, batch_size=2000)


@transaction.atomic
def build_large(
    *, families: int, seed: int, progress: Progress | None = None, nhs_stems: int = NHS_TEST_RANGE_SIZE
) -> LargeSize:
    """`families` synthetic households with several years of history, by bulk inserts; PostgreSQL only.

    `nhs_stems` narrows the NHS test range to its first stems (tests use it to show the build stopping
    when the numbers run out). BulkSeedError, with nothing written, when the build cannot run."""
    if connection.vendor != "postgresql":
        raise BulkSeedError("The bulk seed runs on PostgreSQL only.")
    started_at = timezone.now()
    today = timezone.localdate()
    agencies, teams, localities = _partnership()
    users = _users(agencies, teams)
    localities = sorted(localities, key=lambda locality: locality.name)
    team_list = sorted(teams.values(), key=lambda team: team.pk)
    leads = _lead_professionals(
        [users["practitioner"], users["keyworker"], users["healthvisitor"]], families // FAMILIES_PER_LEAD
    )
    early_help = teams[("Borough Council Early Help", "Family Support North")]
    edges = _cumulative(CHILDREN_PER_FAMILY)
    tag = uuid.uuid4().hex[:8]
    params: dict[str, Any] = {
        "tag": tag,
        "families": families,
        "today": today,
        "start": today - timedelta(days=365 * YEARS),
        "days": 365 * YEARS,
        "started_at": started_at,
        "loc_ids": [locality.pk for locality in localities],
        "districts": [POSTCODE_DISTRICTS.get(locality.name, "L33") for locality in localities],
        "c1": edges[0],
        "c2": edges[1],
        "c3": edges[2],
        "c4": edges[3],
        "one_episode": ONE_EPISODE,
        "two_episodes": TWO_EPISODES,
        "child_without": CHILD_WITHOUT_NHS_NUMBER,
        "adult_without": ADULT_WITHOUT_NHS_NUMBER,
        "nhs_start": NHS_TEST_RANGE_START,
        "nhs_stems": nhs_stems,
        "lead_ids": [user.pk for user in leads],
        "lead_agencies": [user.agency_id for user in leads],
        "referrer_ids": [users[name].pk for name in ("practitioner", "healthvisitor", "keyworker")],
        "team_ids": [team.pk for team in team_list],
        "team_agencies": [team.agency_id for team in team_list],
        "school_agencies": [a.pk for a in sorted(agencies.values(), key=lambda a: a.name) if a.kind == "education"],
        "early_help_agency": early_help.agency_id,
        "early_help_team": early_help.pk,
        "coordinator": users["coordinator"].pk,
        "admin": users["admin"].pk,
        "concerns": CONCERNS,
        "alphabet": REFERENCE_ALPHABET,
        "academic_year": _academic_year(today),
        "terms": ["autumn", "spring"] if today.month < 9 else ["summer", "spring"],
        "urns": [f"1{n:05d}" for n in range(40_101, 40_113)],
        **_names(),
    }
    size = LargeSize(families=families)
    with connection.cursor() as cursor:
        build = _Build(cursor, params, size, progress)
        for statement in _functions(seed):
            cursor.execute(statement)
        for table in STAGING:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        params["upn_base"] = build.scalar("SELECT count(*) FROM families_person WHERE upn IS NOT NULL")
        # Serials of earlier bulk seeds' references (twelve characters) are taken: this one's follow them.
        params["ref_offset"] = build.scalar("SELECT count(*) FROM journey_supportrequest WHERE length(reference) = 12")
        build.run(_REGISTER[:3])
        build.nhs_numbers(seed=seed, nhs_stems=nhs_stems)
        build.run(_PEOPLE)
        size.persons = size.rows["persons"]
        size.children = build.scalar("SELECT count(*) FROM lg_person WHERE role = 'child'")
        for steps in (_JOURNEY, _PLANS, _CHRONOLOGY, _SOCIAL_CARE):
            build.run(steps)
        build.partner_data(_datasets(agencies, users["admin"]))
        for table in STAGING:
            cursor.execute(f"DROP TABLE {table}")
    audit_record(
        actor=None,
        action=Action.CREATE,
        object_type="demo_large_borough",
        details={
            "families": size.families,
            "persons": size.persons,
            "children": size.children,
            "seed": seed,
            "rows": size.rows,
        },
    )
    return size
