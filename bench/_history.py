"""A synthetic history for the indicator benchmarks, built by bulk inserts in PostgreSQL.

Three years (April 2023 to March 2026) for `children` children in half as many families: per family three
requests, two episodes each closed with a reason, an assessment with two or three versions (each with a
section for each of the family's children); per child one to four referrals to social care, a single
assessment after most of them, and one care episode. About ten events a child: 300,000 children give some
3 million events. Rows are made by INSERT … SELECT over generate_series, since row-by-row inserts through
the ORM would take hours at that size. The rows are numbered, so a second call with a larger size adds only
the missing children.
"""

import sys
import time
from datetime import date
from typing import Any

from django.db import connection, transaction

from earlyhelp.families.models import Person

FIRST_DAY = date(2023, 4, 1)
DAYS = 1096  # to 31 March 2026
MEASURED_YEAR = (date(2025, 4, 1), date(2026, 3, 31))
MARK = "Bench history"

_STEPS = [
    (
        "families",
        """
        INSERT INTO families_household (id, name, address_line_1, address_line_2, town, postcode, created_at,
            locality_id)
        SELECT md5('bh' || n)::uuid, %(mark)s, '', '', '', '', now(),
               (SELECT array_agg(id ORDER BY id) FROM accounts_locality)[
                   1 + n %% (SELECT count(*) FROM accounts_locality)]
        FROM generate_series(%(first_family)s, %(last_family)s) n
        """,
    ),
    (
        "children",
        """
        INSERT INTO families_person (id, given_name, family_name, search_name, sex, ethnicity, address_line_1,
            address_line_2, town, postcode, phone, email, nhs_number_missing_reason, nhs_number_missing_detail,
            created_at, updated_at, date_of_birth)
        SELECT md5('bp' || n)::uuid, 'Bench', 'Child ' || n, 'bench child ' || n, 'U', '', '', '', '', '', '', '',
               '', '', now(), now(), date '2008-01-01' + ((n::bigint * 7919) %% 6500)::int
        FROM generate_series(%(first_child)s, %(last_child)s) n
        """,
    ),
    (
        "assessments",
        """
        INSERT INTO assessments_assessment (id, created_at, household_id)
        SELECT md5('ba' || n)::uuid, now(), md5('bh' || n)::uuid
        FROM generate_series(%(first_family)s, %(last_family)s) n
        """,
    ),
    (
        "episodes",
        """
        INSERT INTO journey_episode (id, status, opened_on, closed_on, created_at, updated_at, household_id)
        SELECT md5('be' || n || '-' || k)::uuid, 'closed', e.opened, e.opened + 60 + (n * 31) %% 150, now(), now(),
               md5('bh' || n)::uuid
        FROM generate_series(%(first_family)s, %(last_family)s) n CROSS JOIN generate_series(1, 2) k
             CROSS JOIN LATERAL (SELECT %(first_day)s::date + (k - 1) * 548 + (n * 7907 + k) %% 330 AS opened) e
        """,
    ),
    (
        "closures",
        """
        INSERT INTO journey_episodeclosure (reason, detail, closed_at, closed_by_id, episode_id)
        SELECT (ARRAY['outcomes_achieved', 'stepped_down', 'stepped_up', 'moved_away', 'consent_withdrawn'])[
                   1 + (n + k) %% 5],
               '', e.closed_on + time '12:00', (SELECT min(id) FROM accounts_user), e.id
        FROM generate_series(%(first_family)s, %(last_family)s) n CROSS JOIN generate_series(1, 2) k
        JOIN journey_episode e ON e.id = md5('be' || n || '-' || k)::uuid
        """,
    ),
    (
        "requests",
        """
        INSERT INTO journey_supportrequest (id, reference, source, requester_name, requester_relationship,
            requester_phone, requester_email, child_given_name, child_family_name, child_date_of_birth,
            address_line_1, postcode, concerns, family_consents, status, received_at, triage_due_at, triaged_at,
            decision_note, mash_reasons, household_id, episode_id, requested_by_id)
        SELECT md5('br' || n || '-' || k)::uuid, 'B' || n || '-' || k,
               CASE WHEN n %% 3 = 0 THEN 'family' ELSE 'practitioner' END, 'Bench', '', '', '', 'Bench', 'Child',
               date '2008-01-01' + ((n::bigint * 7919) %% 6500)::int, '', '', 'Bench', true,
               CASE WHEN k < 3 THEN 'assessment' ELSE 'advice' END, r.received, r.received + interval '72 hours',
               r.received + interval '1 day', '', '[]'::jsonb, md5('bh' || n)::uuid,
               CASE WHEN k < 3 THEN md5('be' || n || '-' || k)::uuid END,
               CASE WHEN n %% 3 = 0 THEN NULL
                    ELSE (SELECT array_agg(id ORDER BY id) FROM accounts_user)[
                        1 + n %% (SELECT count(*) FROM accounts_user)]
               END
        FROM generate_series(%(first_family)s, %(last_family)s) n CROSS JOIN generate_series(1, 3) k
             CROSS JOIN LATERAL (SELECT (%(first_day)s::date + least(k - 1, 1) * 548 + (n * 7907 + k) %% 330 - 10
                              - CASE WHEN k = 3 THEN 200 ELSE 0 END + time '10:30')::timestamptz AS received) r
        """,
    ),
    (
        "assessment versions",
        """
        INSERT INTO assessments_assessmentversion (id, number, status, revision, past_harm, future_danger,
            complicating_factors, working_well, needs_to_happen, created_at, review_comments, assessment_id,
            created_by_id, submitted_by_id, episode_id, reviewed_at)
        SELECT md5('bv' || n || '-' || v)::uuid, v,
               CASE WHEN v = 1 AND n %% 2 = 0 THEN 'returned' ELSE 'approved' END, 1, '', '', '', '', '', now(),
               CASE WHEN v = 1 AND n %% 2 = 0 THEN 'More detail' ELSE '' END, md5('ba' || n)::uuid,
               u.id, u.id, e.id, (e.opened_on + 10 + v * 7 + (n * 13) %% 50 + time '15:00')::timestamptz
        FROM generate_series(%(first_family)s, %(last_family)s) n CROSS JOIN generate_series(1, 3) v
             CROSS JOIN LATERAL (SELECT (SELECT array_agg(id ORDER BY id) FROM accounts_user)[
                 1 + (n + v) %% (SELECT count(*) FROM accounts_user)] AS id) u
        JOIN journey_episode e ON e.id = md5('be' || n || '-' || CASE WHEN v < 3 THEN 1 ELSE 2 END)::uuid
        WHERE v > 1 OR n %% 2 = 0
        """,
    ),
    (
        # Each version's sections for the family's children (2f-1 and 2f), as the assessment form makes them:
        # K12 follows the children of an assessment to a child protection plan through these.
        "assessment sections",
        """
        INSERT INTO assessments_membersection (is_child, about, child_voice, voice_not_heard_reason, consent_given,
            consent_what, consent_with_whom, lawful_basis, person_id, version_id)
        SELECT true, '', '', '', NULL, '', '', '', p.id, v.id
        FROM generate_series(%(first_family)s, %(last_family)s) n CROSS JOIN generate_series(0, 1) c
        JOIN families_person p ON p.id = md5('bp' || (2 * n - c))::uuid
        JOIN assessments_assessmentversion v ON v.assessment_id = md5('ba' || n)::uuid
        """,
    ),
    (
        "referrals",
        """
        INSERT INTO measures_referral (route, source_id, recorded_at, referred_on, source_agency_type, reason,
            outcome, early_help_offer, person_id, household_id, locality_id, recorded_by_id)
        SELECT 'feed', 'BR' || n || '-' || k, now(),
               %(first_day)s::date + ((n::bigint * 7907 + k * 2903) %% %(days)s)::int,
               (ARRAY['police', 'health', 'education', 'local_authority', 'family', 'voluntary'])[1 + (n + k) %% 6],
               (ARRAY['abuse_or_neglect', 'family_dysfunction', 'acute_stress', 'parental_illness'])[1 + (n * k) %% 4],
               (ARRAY['single_assessment', 'nfa', 'single_assessment', 'other', 'single_assessment'])[
                   1 + (n + 2 * k) %% 5],
               (n + 2 * k) %% 5 = 1 AND n %% 2 = 0, md5('bp' || n)::uuid, h.id, h.locality_id,
               (SELECT min(id) FROM accounts_user)
        FROM generate_series(%(first_child)s, %(last_child)s) n CROSS JOIN generate_series(1, 4) k
        JOIN families_household h ON h.id = md5('bh' || ((n + 1) / 2))::uuid
        WHERE k <= 1 + n %% 4
        """,
    ),
    (
        "single assessments",
        """
        INSERT INTO measures_singleassessment (route, source_id, recorded_at, started_on, completed_on, outcome,
            early_help_offer, person_id, household_id, locality_id, recorded_by_id, referral_id)
        SELECT 'feed', 'B' || r.source_id, now(), r.referred_on, r.referred_on + (20 + r.id %% 30)::int,
               (ARRAY['nfa', 'child_in_need', 'child_protection', 'early_help', 'nfa', 'other'])[1 + (r.id %% 6)::int],
               false, r.person_id, r.household_id, r.locality_id, r.recorded_by_id, r.id
        FROM measures_referral r
        WHERE r.outcome = 'single_assessment' AND r.source_id LIKE 'BR%%'
          -- Only the referrals added since the last build (their ids are larger). Not an anti-join on the
          -- table being filled: planned while it is empty, that join rescans it for every row it adds.
          AND r.id > (SELECT coalesce(max(referral_id), 0) FROM measures_singleassessment)
        """,
    ),
    (
        "care episodes",
        """
        INSERT INTO measures_careepisode (route, source_id, recorded_at, kind, started_on, ended_on, person_id,
            household_id, locality_id, recorded_by_id)
        SELECT 'feed', 'BC' || n, now(), (ARRAY['child_in_need', 'child_protection', 'looked_after'])[1 + n %% 3],
               %(first_day)s::date + ((n::bigint * 4999) %% %(days)s)::int,
               CASE WHEN n %% 10 < 7
                    THEN %(first_day)s::date + ((n::bigint * 4999) %% %(days)s)::int + 100 + n %% 500 END,
               md5('bp' || n)::uuid, h.id, h.locality_id, (SELECT min(id) FROM accounts_user)
        FROM generate_series(%(first_child)s, %(last_child)s) n
        JOIN families_household h ON h.id = md5('bh' || ((n + 1) / 2))::uuid
        """,
    ),
]


def ensure_history(children: int) -> dict[str, int]:
    """At least `children` bench children with their history; returns the rows of each kind in the database."""
    have = Person.objects.filter(given_name="Bench").count()
    if have < children:
        first_child = have + 1
        # Children 2f-1 and 2f live in family f.
        params: dict[str, Any] = {
            "mark": MARK,
            "first_day": FIRST_DAY,
            "days": DAYS,
            "first_child": first_child,
            "last_child": children,
            "first_family": (first_child + 1) // 2,
            "last_family": (children + 1) // 2,
        }
        if have % 2:
            # The last family already holds its first child; start the new families after it.
            params["first_family"] += 1
        print(f"Building a history for {children - have:,} more children…", file=sys.stderr)
        with transaction.atomic(), connection.cursor() as cursor:
            for name, sql in _STEPS:
                started = time.perf_counter()
                cursor.execute(sql, params)
                rows = cursor.rowcount
                # Statistics for the next step's planner, which would otherwise take the tables just filled
                # for empty.
                cursor.execute("ANALYZE")
                print(f"  {name}: {rows:,} rows in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return history_size()


def history_size() -> dict[str, int]:
    tables = {
        "children": "SELECT count(*) FROM families_person WHERE given_name = 'Bench'",
        "requests": "SELECT count(*) FROM journey_supportrequest",
        "episodes": "SELECT count(*) FROM journey_episode",
        "closures": "SELECT count(*) FROM journey_episodeclosure",
        "assessment_versions": "SELECT count(*) FROM assessments_assessmentversion",
        "referrals": "SELECT count(*) FROM measures_referral",
        "single_assessments": "SELECT count(*) FROM measures_singleassessment",
        "care_episodes": "SELECT count(*) FROM measures_careepisode",
        "assessment_sections": "SELECT count(*) FROM assessments_membersection",
    }
    found = {}
    with connection.cursor() as cursor:
        for name, sql in tables.items():
            cursor.execute(sql)
            found[name] = cursor.fetchone()[0]
    # A section is part of an assessment, not an event of its own.
    found["events"] = sum(value for name, value in found.items() if name not in ("children", "assessment_sections"))
    return found
