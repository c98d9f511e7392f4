"""The cost of demand: the estimate between a baseline and a comparison period, with its assumptions."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.decorators import capability_required
from earlyhelp.measures import reports
from earlyhelp.measures.costs import default_periods
from earlyhelp.measures.suppression import SMALL_NUMBER_THRESHOLD, SUPPRESSED

from .survey_forms import CostPeriodsForm


@capability_required(capabilities.can_see_insights)
@require_GET
def cost_of_demand(request) -> HttpResponse:
    baseline, comparison = default_periods(timezone.localdate())
    defaults = {
        "baseline_start": baseline.start.isoformat(),
        "baseline_end": baseline.end.isoformat(),
        "comparison_start": comparison.start.isoformat(),
        "comparison_end": comparison.end.isoformat(),
    }
    form = CostPeriodsForm(request.GET or defaults)
    estimate = None
    if form.is_valid():
        chosen_baseline, chosen_comparison = form.periods()
        estimate = reports.cost_of_demand_view(
            actor=request.user, baseline=chosen_baseline, comparison=chosen_comparison
        )
    return render(
        request,
        "insights/cost_of_demand.html",
        {
            "form": form,
            "estimate": estimate,
            "threshold": SMALL_NUMBER_THRESHOLD,
            "suppressed": SUPPRESSED,
        },
    )
