"""Aggregates for analysts and managers: counts only, small numbers suppressed, each read audited."""

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from earlyhelp.accounts.decorators import roles_required
from earlyhelp.accounts.models import Role

from . import services
from .rules import SMALL_NUMBER_THRESHOLD, SUPPRESSED
from .selectors import insights_rows

INSIGHTS_ROLES = (Role.ANALYST, Role.MANAGER)


@roles_required(*INSIGHTS_ROLES)
@require_GET
def report(request):
    context = {
        "report": services.insights_view(actor=request.user),
        "threshold": SMALL_NUMBER_THRESHOLD,
        "suppressed": SUPPRESSED,
    }
    return render(request, "insights/report.html", context)


@roles_required(*INSIGHTS_ROLES)
@require_GET
def export(request):
    report = services.insights_export(actor=request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="early-help-insights.csv"'
    csv.writer(response).writerows(insights_rows(report))
    return response
