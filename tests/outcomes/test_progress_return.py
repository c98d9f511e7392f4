"""The quarterly progress return on hand-built histories, each count worked out here from
docs/outcomes.md; and its CSV, column by column."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.assessments.models import OutcomeArea
from earlyhelp.audit.models import AuditEvent
from earlyhelp.journey.models import NeedOutcome
from earlyhelp.outcomes import selectors, services
from earlyhelp.outcomes.forms import financial_year_of
from earlyhelp.outcomes.models import Claim
from tests.factories import UserFactory
from tests.measures.factories import at

from .support import THREE, family

pytestmark = pytest.mark.django_db


@pytest.fixture
def histories():
    # A: open from January 2025, closed 15 August 2025 with every need met; sustained to 15 February 2026,
    # so progress is confirmed on 16 February 2026 (Q4). Worked with in Q1 and Q2.
    a = family(name="A")
    # B: closed 20 March 2025, before the financial year: never counted in it.
    family(name="B", closed_on=date(2025, 3, 20), areas=THREE[:2])
    # C: opened 1 October 2025 and still open; its assessment approved 31 October 2025. Worked with in Q3 and Q4.
    family(name="C", opened_on=date(2025, 10, 1), closed_on=None)
    # D: closed 10 May 2025 with a need not met. Worked with in Q1 only; eligible; no progress.
    family(name="D", closed_on=date(2025, 5, 10), outcomes={OutcomeArea.HEALTH: NeedOutcome.NOT_MET})
    # A's claim: prepared 20 February 2026 and signed off 2 March 2026 (Q4), not yet submitted.
    preparer, checker = UserFactory(role=Role.COORDINATOR), UserFactory(role=Role.MANAGER)
    claim = services.claim_prepare(actor=preparer, household=a.household, today=date(2026, 2, 20))
    services.claim_sign_off(actor=checker, claim=claim)
    Claim.objects.filter(pk=claim.pk).update(prepared_at=at(date(2026, 2, 20)), signed_off_at=at(date(2026, 3, 2)))


EXPECTED = [
    # quarter, start, end, worked with, eligible, progress, prepared, signed off, submitted
    ("Q1", "2025-04-01", "2025-06-30", 2, 2, 0, 0, 0, 0),
    ("Q2", "2025-07-01", "2025-09-30", 1, 1, 0, 0, 0, 0),
    ("Q3", "2025-10-01", "2025-12-31", 1, 1, 0, 0, 0, 0),
    ("Q4", "2026-01-01", "2026-03-31", 1, 1, 1, 1, 1, 0),
]


def as_tuples(rows):
    return [tuple(row[column] for column in selectors.RETURN_COLUMNS[1:]) for row in rows]


def test_each_quarter_counts_families_worked_with_eligible_with_progress_and_claims(histories):
    rows = selectors.progress_return(2025, as_of=date(2026, 4, 30))
    assert {row["financial_year"] for row in rows} == {"2025-26"}
    assert as_tuples(rows) == EXPECTED


def test_a_quarter_not_yet_begun_has_no_row_and_the_current_one_counts_to_today(histories):
    rows = selectors.progress_return(2025, as_of=date(2026, 2, 15))
    # On 15 February 2026 A's period has not ended (its last day is that day), and no claim is made yet.
    assert as_tuples(rows)[-1] == ("Q4", "2026-01-01", "2026-03-31", 1, 1, 0, 0, 0, 0)
    assert len(selectors.progress_return(2025, as_of=date(2025, 9, 30))) == 2


def test_the_csv_has_the_documented_columns_in_order(client, histories):
    client.force_login(UserFactory(role=Role.COORDINATOR))
    response = client.get(reverse("outcomes:progress-return-csv"), {"year": "2025"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == selectors.RETURN_COLUMNS
    assert [tuple(row[1:]) for row in rows[1:]] == [tuple(str(v) for v in expected) for expected in EXPECTED]
    event = AuditEvent.objects.get(object_type="progress_return")
    assert (event.action, event.object_id, event.details) == ("export", "2025", {"format": "csv"})


def test_the_return_page_shows_the_same_figures(client, histories):
    client.force_login(UserFactory(role=Role.MANAGER))
    html = client.get(reverse("outcomes:progress-return"), {"year": "2025"}).content.decode()
    assert "April 2025 to March 2026" in html
    assert "Q4 (2026-01-01 to 2026-03-31)" in html


def test_an_unknown_year_shows_the_current_financial_year(client):
    client.force_login(UserFactory(role=Role.COORDINATOR))
    response = client.get(reverse("outcomes:progress-return"), {"year": "1900"})
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    current = financial_year_of(timezone.localdate())
    assert f"April {current} to March {current + 1}" in response.content.decode()


def test_the_financial_year_begins_on_the_first_of_april():
    assert financial_year_of(date(2026, 3, 31)) == 2025
    assert financial_year_of(date(2026, 4, 1)) == 2026
