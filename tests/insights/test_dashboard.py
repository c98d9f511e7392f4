"""The indicators dashboard: who may see it, small numbers as a marker, the filters, a chart with a table
under it for every indicator, and downloads that hold the page's figures."""

import csv
import dataclasses
import io
import re
import threading
from datetime import date
from html import unescape

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from openpyxl import load_workbook

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.insights.dashboard import BY_PART, WHOLE_PERIOD, buckets, dashboard
from earlyhelp.measures import selectors
from earlyhelp.measures.selectors import Period
from earlyhelp.measures.suppression import SUPPRESSED
from tests.assessments.factories import EpisodeFactory
from tests.factories import LocalityFactory, UserFactory
from tests.measures.factories import CareEpisodeFactory, ReferralFactory

pytestmark = pytest.mark.django_db

YEAR = {
    "start_day": "1",
    "start_month": "4",
    "start_year": "2025",
    "end_day": "31",
    "end_month": "3",
    "end_year": "2026",
}


def _cache_seconds(settings, seconds: int) -> None:
    measures = dataclasses.replace(settings.EARLY_HELP.measures, dashboard_cache_seconds=seconds)
    settings.EARLY_HELP = dataclasses.replace(settings.EARLY_HELP, measures=measures)


@pytest.fixture(autouse=True)
def _worked_out_afresh(settings):
    """Each test's figures are worked out from its own records, not kept from another test's."""
    _cache_seconds(settings, 0)


def _query(**extra) -> dict:
    return {**YEAR, "show_by": "quarter", **extra}


def _referrals(locality, *, count: int, on: date, source: str = "police", **kwargs) -> None:
    for _ in range(count):
        ReferralFactory(locality=locality, referred_on=on, source_agency_type=source, **kwargs)


def _page(client, **extra) -> str:
    response = client.get(reverse("insights:dashboard"), _query(**extra))
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.content.decode()


def _table(page: str, table_id: str) -> list[list[str]]:
    """The rows of the page's table with that id, each as its header and cells' text."""
    body = re.search(rf'<table class="govuk-table" id="{table_id}">(.*?)</table>', page, re.S)
    assert body is not None, table_id
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1), re.S)
    return [
        [unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in rows
    ]


@pytest.fixture
def analyst(client):
    user = UserFactory(role=Role.ANALYST)
    client.force_login(user)
    return user


def test_the_year_is_cut_into_the_councils_quarters_and_months():
    year = Period(start=date(2025, 4, 1), end=date(2026, 3, 31))
    assert [label for _, label, _ in buckets(year, "quarter")] == [f"2025-26 Q{n}" for n in (1, 2, 3, 4)]
    months = buckets(year, "month")
    assert len(months) == 12 and months[0][1] == "Apr 2025" and months[-1][1] == "Mar 2026"
    part = buckets(Period(start=date(2025, 5, 10), end=date(2025, 8, 3)), "quarter")
    assert [(p.start, p.end) for _, _, p in part] == [
        (date(2025, 5, 10), date(2025, 6, 30)),
        (date(2025, 7, 1), date(2025, 8, 3)),
    ]


def test_every_indicator_has_an_svg_chart_with_a_title_and_a_table_under_it(client, analyst):
    page = _page(client)
    for number in range(1, 19):
        key = f"K{number:02d}"
        section = re.search(rf'<section[^>]*id="{key}".*?</section>', page, re.S)
        assert section is not None, key
        html = section.group(0)
        svg = html.index("<svg")
        assert f'<title id="{key}-chart-title">' in html and f'<desc id="{key}-chart-desc">' in html
        assert html.index(f'<table class="govuk-table" id="{key}-trend">') > svg
    assert "style=" not in page and "<script>" not in page


def test_counts_from_one_to_four_are_shown_as_the_marker(client, analyst):
    riverside = LocalityFactory(name="Riverside")
    _referrals(riverside, count=3, on=date(2025, 5, 1))
    _referrals(riverside, count=7, on=date(2025, 8, 1))
    trend = _table(_page(client), "K05-trend")
    assert trend[1:] == [["2025-26 Q1", SUPPRESSED], ["2025-26 Q2", "7"], ["2025-26 Q3", "0"], ["2025-26 Q4", "0"]]


def test_the_locality_agency_and_age_band_filters_narrow_the_figures(client, analyst):
    riverside, hilltop = LocalityFactory(name="Riverside"), LocalityFactory(name="Hilltop")
    _referrals(riverside, count=6, on=date(2025, 5, 1), person__date_of_birth=date(2021, 1, 1))
    _referrals(hilltop, count=8, on=date(2025, 5, 1), source="health", person__date_of_birth=date(2012, 1, 1))
    assert _table(_page(client), "K05-trend")[1] == ["2025-26 Q1", "14"]
    assert _table(_page(client, locality="Riverside"), "K05-trend")[1] == ["2025-26 Q1", "6"]
    assert _table(_page(client, agency_type="health"), "K05-trend")[1] == ["2025-26 Q1", "8"]
    assert _table(_page(client, locality="Riverside", agency_type="health"), "K05-trend")[1] == ["2025-26 Q1", "0"]
    assert _table(_page(client, age_band="0-5"), "K05-trend")[1] == ["2025-26 Q1", "6"]
    # Born in 2012, 14 on the period's last day.
    assert _table(_page(client, age_band="11-15"), "K05-trend")[1] == ["2025-26 Q1", "8"]
    assert _table(_page(client, age_band="11-15", locality="Riverside"), "K05-trend")[1] == ["2025-26 Q1", "0"]
    assert _table(_page(client, age_band="6-10", agency_type="health"), "K05-trend")[1] == ["2025-26 Q1", "0"]


def test_an_indicator_the_filter_does_not_narrow_says_so(client, analyst):
    page = _page(client, agency_type="police")
    k13 = re.search(r'<section[^>]*id="K13".*?</section>', page, re.S).group(0)
    assert "not narrowed by agency type" in k13
    k05 = re.search(r'<section[^>]*id="K05".*?</section>', page, re.S).group(0)
    assert "not narrowed" not in k05


def test_the_comparisons_are_the_configured_rates(client, analyst, settings):
    table = _table(_page(client), "K05-comparisons")
    assert table[1][:2] == ["North West: referrals", "619.7 per 10,000 children"]
    assert table[2][:2] == ["England: referrals", "520.7 per 10,000 children"]


def test_a_period_that_ends_before_it_starts_is_refused_naming_the_field(client, analyst):
    response = client.get(reverse("insights:dashboard"), _query(end_year="2024"))
    assert response.status_code == 400
    assert "The end of the period must be on or after its start" in response.content.decode()


def _download_rows(client, file_format: str) -> list[list[str]]:
    response = client.get(reverse("insights:dashboard-download", args=[file_format]), _query())
    assert response.status_code == 200
    if file_format == "csv":
        return list(csv.reader(io.StringIO(response.content.decode())))
    sheet = load_workbook(io.BytesIO(response.content), read_only=True)["Dashboard"]
    return [[str(value) for value in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_downloads_hold_the_figures_the_page_shows(client, analyst, file_format):
    riverside = LocalityFactory(name="Riverside")
    _referrals(riverside, count=3, on=date(2025, 5, 1))
    _referrals(riverside, count=9, on=date(2025, 11, 1), outcome="nfa")
    page = _page(client)
    rows = _download_rows(client, file_format)
    assert rows[0] == ["Indicator", "Title", "Figure", "Period", "Value"]
    downloaded = {(row[0], row[2], row[3]): row[4] for row in rows[1:]}
    for key in ("K05", "K07", "K09"):
        trend = _table(page, f"{key}-trend")
        series = trend[0][1:]
        for row in trend[1:]:
            for label, cell in zip(series, row[1:], strict=True):
                assert downloaded[(key, label, row[0])] == cell
    assert downloaded[("K05", "Referrals", "2025-26 Q1")] == SUPPRESSED
    assert downloaded[("K07", "Ending in no further action", "2025-26 Q3")] == "100.0% (9 of 9)"
    assert downloaded[("K05", "Referrals", WHOLE_PERIOD)].endswith("(12)")


def test_viewing_and_downloading_are_audited_with_the_filters(client, analyst):
    client.get(reverse("insights:dashboard"), _query(age_band="6-10"))
    client.get(reverse("insights:dashboard-download", args=["xlsx"]), _query())
    events = AuditEvent.objects.filter(actor=analyst, object_type="dashboard").order_by("id")
    assert [event.action for event in events] == [Action.VIEW, Action.EXPORT]
    assert events[0].details["age_band"] == "6-10" and events[1].details["format"] == "xlsx"


def test_an_unknown_download_format_is_not_found(client, analyst):
    assert client.get(reverse("insights:dashboard-download", args=["pdf"])).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.ANALYST, 200),
        (Role.MANAGER, 200),
        (Role.COORDINATOR, 403),
        (Role.PRACTITIONER, 403),
        (Role.SOCIAL_CARE, 403),
        (Role.DPO, 403),
        (Role.ADMIN, 403),
        (Role.PROVIDER_EDITOR, 403),
    ],
)
def test_managers_and_analysts_see_the_dashboard_and_no_other_role(client, role, status):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("insights:dashboard")).status_code == status
    assert client.get(reverse("insights:dashboard-download", args=["csv"])).status_code == status


def test_the_figures_are_kept_for_the_configured_time_and_every_view_is_still_audited(client, analyst, settings):
    _cache_seconds(settings, 300)
    cache.clear()
    riverside = LocalityFactory(name="Riverside")
    _referrals(riverside, count=6, on=date(2025, 5, 1))
    assert _table(_page(client), "K05-trend")[1] == ["2025-26 Q1", "6"]
    _referrals(riverside, count=6, on=date(2025, 5, 2))
    assert _table(_page(client), "K05-trend")[1] == ["2025-26 Q1", "6"]
    assert _table(_page(client, locality="Riverside"), "K05-trend")[1] == ["2025-26 Q1", "12"]
    assert AuditEvent.objects.filter(actor=analyst, object_type="dashboard", action=Action.VIEW).count() == 3
    cache.clear()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_page_works_the_indicators_out_at_once_outside_the_events_transaction(client, analyst, monkeypatch):
    """On PostgreSQL the indicators are computed on two connections at once only outside a transaction, so the
    page works its figures out before the transaction of its audit event opens; the event is still written."""
    at_once = []
    computed_at_once = selectors._computed_at_once
    monkeypatch.setattr(selectors, "_computed_at_once", lambda *args: at_once.append(1) or computed_at_once(*args))
    _referrals(LocalityFactory(name="Riverside"), count=6, on=date(2025, 5, 1))

    assert _table(_page(client), "K05-trend")[1] == ["2025-26 Q1", "6"]
    assert at_once == [1]
    assert AuditEvent.objects.filter(actor=analyst, object_type="dashboard", action=Action.VIEW).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_trends_worked_out_beside_the_indicators_equal_those_worked_out_after_them(monkeypatch):
    """On PostgreSQL outside a transaction the figures no breakdown gives by month (K06, K15, K17, K18, K19) are
    worked out on a connection of their own while the indicators are; inside one, after them, on the same."""
    riverside = LocalityFactory(name="Riverside")
    _referrals(riverside, count=6, on=date(2025, 5, 1))
    for _ in range(6):
        CareEpisodeFactory(locality=riverside, started_on=date(2025, 5, 2))
        EpisodeFactory(opened_on=date(2025, 6, 3))
    threads = []
    worked_out = selectors.figures_over_time
    monkeypatch.setattr(
        selectors, "figures_over_time", lambda *args: threads.append(threading.current_thread()) or worked_out(*args)
    )
    year = Period(start=date(2025, 4, 1), end=date(2026, 3, 31))

    beside = dashboard(year, "month")
    assert len(threads) == len(BY_PART) and threading.main_thread() not in threads
    threads.clear()
    with transaction.atomic():
        after = dashboard(year, "month")
    assert threads == [threading.main_thread()] * len(BY_PART)

    assert beside.panels == after.panels
    trends = {panel.key: panel.trend for panel in beside.panels}
    assert trends["K18"][2].cells == ["6"]  # June 2025
    assert trends["K15"][1].cells[0].endswith("(6)")  # May 2025: six children in need
