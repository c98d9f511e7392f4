"""The practitioner confidence survey: the form a practitioner answers once a survey period, and its results
as suppressed aggregates for managers and analysts."""

from datetime import timedelta
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.decorators import capability_required
from earlyhelp.measures import reports, rules, services
from earlyhelp.measures.costs import council_year
from earlyhelp.measures.suppression import SMALL_NUMBER_THRESHOLD, SUPPRESSED
from earlyhelp.web.pages import form_flow

from .survey_forms import ConfidenceForm, PeriodForm

CONFIDENCE_THANKS = "Thank you: your answers have been recorded"
DIMENSIONS = {"agency_type": "Agency type", "locality": "Locality"}


@capability_required(capabilities.can_answer_confidence_survey)
@require_http_methods(["GET", "POST"])
def confidence_answer(request) -> HttpResponse:
    start, end = services.confidence_period_now()
    if services.confidence_answered(request.user) is not None:
        page = {"answered": True, "period_start": start, "period_end": end, "next_opens": end + timedelta(days=1)}
        return render(request, "insights/confidence_answer.html", page)
    return form_flow(
        request,
        ConfidenceForm(request.POST or None),
        save=lambda data: services.confidence_answer_record(actor=request.user, **data),
        success=reverse("insights:confidence"),
        done=CONFIDENCE_THANKS,
        heading="How confident do you feel?",
        submit="Send",
        template="insights/confidence_answer.html",
        period_start=start,
        period_end=end,
    )


def _tables(results: dict[str, Any]) -> list[dict[str, Any]]:
    """One table a question: everyone, then each group of each dimension."""
    return [
        {
            "key": key,
            "question": question,
            "rows": [("Everyone", results["figures"][key])]
            + [
                (f"{label}: {group}", figure)
                for dimension, label in DIMENSIONS.items()
                for group, figure in sorted(results["breakdowns"][key][dimension].items())
            ],
        }
        for key, question in rules.CONFIDENCE_QUESTIONS.items()
    ]


@capability_required(capabilities.can_see_insights)
@require_GET
def confidence_results(request) -> HttpResponse:
    year = council_year(timezone.localdate())
    form = PeriodForm(request.GET or {"start": year.start.isoformat(), "end": timezone.localdate().isoformat()})
    results = reports.confidence_results_view(actor=request.user, period=form.period()) if form.is_valid() else None
    return render(
        request,
        "insights/confidence_results.html",
        {
            "form": form,
            "tables": _tables(results) if results is not None else None,
            "threshold": SMALL_NUMBER_THRESHOLD,
            "suppressed": SUPPRESSED,
        },
    )
