"""Aggregates for analysts and managers: counts only, small numbers suppressed, each read audited."""

import csv
import io

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from openpyxl import Workbook  # type: ignore[import-untyped]  # no inline types; its stubs are not pinned

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.decorators import capability_required
from earlyhelp.directory import selectors as directory_selectors
from earlyhelp.measures.suppression import SMALL_NUMBER_THRESHOLD, SUPPRESSED
from earlyhelp.plans.selectors import referrals_by_service

from . import services
from .dashboard import dashboard_rows
from .forms import DashboardForm
from .selectors import insights_rows


@capability_required(capabilities.can_see_insights)
@require_GET
def report(request):
    context = {
        "report": services.insights_view(actor=request.user),
        "kept_minutes": services.kept_seconds() // 60,
        "threshold": SMALL_NUMBER_THRESHOLD,
        "suppressed": SUPPRESSED,
    }
    return render(request, "insights/report.html", context)


@capability_required(capabilities.can_see_insights)
@require_GET
def export(request):
    report = services.insights_export(actor=request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="early-help-insights.csv"'
    csv.writer(response).writerows(insights_rows(report))
    return response


@capability_required(capabilities.can_see_coverage)
@require_GET
def directory_coverage(request):
    """The directory's coverage report: listings by need and locality, and referrals by service and
    what came of them. It stands here, above the directory and the plans, because it reads both."""
    return render(
        request,
        "directory/staff/coverage.html",
        {"coverage": directory_selectors.coverage(), "referrals": referrals_by_service()},
    )


def _dashboard_form(request) -> DashboardForm:
    data = request.GET.copy()
    data.setdefault("show_by", "month")
    return DashboardForm(data, today=timezone.localdate())


@capability_required(capabilities.can_see_dashboard)
@require_GET
def dashboard(request):
    """The indicators with their trends; the filters are a GET form, so a filtered view is a link."""
    form = _dashboard_form(request)
    board = None
    if form.is_valid():
        board = services.dashboard_view(
            actor=request.user, period=form.period(), granularity=form.cleaned_data["show_by"]
        )
    context = {
        "form": form,
        "board": board,
        "query": request.GET.urlencode(),
        "threshold": SMALL_NUMBER_THRESHOLD,
        "suppressed": SUPPRESSED,
    }
    return render(request, "insights/dashboard.html", context, status=200 if board else 400)


@capability_required(capabilities.can_see_dashboard)
@require_GET
def dashboard_download(request, file_format: str):
    """The dashboard's figures as CSV or XLSX, as the page shows them for the same filters."""
    if file_format not in DOWNLOADS:
        raise Http404
    form = _dashboard_form(request)
    if not form.is_valid():
        return render(request, "insights/dashboard.html", {"form": form, "board": None}, status=400)
    board = services.dashboard_export(
        actor=request.user, period=form.period(), granularity=form.cleaned_data["show_by"], file_format=file_format
    )
    rows = dashboard_rows(board)
    content_type, write = DOWNLOADS[file_format]
    response = HttpResponse(content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="early-help-dashboard.{file_format}"'
    write(rows, response)
    return response


def _csv(rows: list[list[str]], response: HttpResponse) -> None:
    csv.writer(response).writerows(rows)


def _xlsx(rows: list[list[str]], response: HttpResponse) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Dashboard")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response.write(buffer.getvalue())


DOWNLOADS = {
    "csv": ("text/csv; charset=utf-8", _csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _xlsx),
}
