"""Aggregates for analysts and managers: counts only, small numbers suppressed, each read audited."""

import csv
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from earlyhelp.accounts.models import Role

from . import services
from .rules import SMALL_NUMBER_THRESHOLD, SUPPRESSED
from .selectors import insights_rows

INSIGHTS_ROLES = {Role.ANALYST, Role.MANAGER}


def insights_readers_only(view):
    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if request.user.role not in INSIGHTS_ROLES:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@insights_readers_only
@require_GET
def report(request):
    context = {
        "report": services.insights_view(actor=request.user),
        "threshold": SMALL_NUMBER_THRESHOLD,
        "suppressed": SUPPRESSED,
    }
    return render(request, "insights/report.html", context)


@insights_readers_only
@require_GET
def export(request):
    report = services.insights_export(actor=request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="early-help-insights.csv"'
    csv.writer(response).writerows(insights_rows(report))
    return response
