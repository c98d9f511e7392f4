"""Aggregates for analysts and managers: counts only, small numbers suppressed, each read audited."""

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.decorators import capability_required
from earlyhelp.directory import selectors as directory_selectors
from earlyhelp.measures.suppression import SMALL_NUMBER_THRESHOLD, SUPPRESSED
from earlyhelp.plans.selectors import referrals_by_service

from . import services
from .selectors import insights_rows


@capability_required(capabilities.can_see_insights)
@require_GET
def report(request):
    context = {
        "report": services.insights_view(actor=request.user),
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
