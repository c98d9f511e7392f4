"""The claims pages: the work list, the near misses, preparing, signing off and submitting a claim, and
the quarterly progress return. Each page parses, calls one selector or service, and renders."""

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.decorators import capability_required
from earlyhelp.families.access import access_household_by_id
from earlyhelp.journey.selectors import listed
from earlyhelp.web.forms import ConfirmForm
from earlyhelp.web.pages import form_flow

from . import selectors, services
from .forms import FinancialYearForm

CLAIM_PREPARED = "Claim prepared. A second person must now sign it off."
CLAIM_SIGNED_OFF = "Claim signed off. It is ready to submit."
CLAIM_SUBMITTED = "Claim marked as submitted."


def _work_list(request, *, purpose: str):
    work = selectors.claims_work_list(request.user, as_of=timezone.localdate())
    listed(request.user, purpose=purpose, families=work.episodes, claims=work.claims)
    return work


@capability_required(capabilities.can_see_claims)
@require_GET
def claims(request):
    context = {"work": _work_list(request, purpose="claims"), "months": selectors.sustainment_months()}
    return render(request, "outcomes/claims.html", context)


@capability_required(capabilities.can_see_claims)
@require_GET
def near_misses(request):
    context = {"work": _work_list(request, purpose="claims near misses"), "months": selectors.sustainment_months()}
    return render(request, "outcomes/near_misses.html", context)


@capability_required(capabilities.can_prepare_claim)
@require_http_methods(["GET", "POST"])
def claim_prepare(request, household_id):
    household = access_household_by_id(request.user, household_id, purpose="claim")
    return form_flow(
        request,
        ConfirmForm(request.POST),
        save=lambda data: services.claim_prepare(actor=request.user, household=household),
        success=reverse("outcomes:claims"),
        done=CLAIM_PREPARED,
        heading="Prepare a claim",
        caption=household.name,
        submit="Prepare claim",
        cancel=reverse("outcomes:claims"),
        template="outcomes/prepare.html",
        judgement=selectors.family_judgement(household, as_of=timezone.localdate()),
    )


def _claim_step(request, claim_id, *, service, refusal_for, **page):
    """A claim's page with its evidence and one button that takes the next step (`service`); the button
    is refused beforehand with `refusal_for(claim)` where the person may not take it on this claim."""
    claim = selectors.claim_by_id(request.user, claim_id)
    return form_flow(
        request,
        ConfirmForm(request.POST, refusal=refusal_for(claim)),
        save=lambda data: service(actor=request.user, claim=claim),
        success=reverse("outcomes:claims"),
        caption=claim.household.name,
        cancel=reverse("outcomes:claims"),
        template="outcomes/claim.html",
        claim=claim,
        areas=selectors.claim_evidence(claim),
        **page,
    )


@capability_required(capabilities.can_sign_off_claim)
@require_http_methods(["GET", "POST"])
def claim_sign_off(request, claim_id):
    return _claim_step(
        request,
        claim_id,
        service=services.claim_sign_off,
        refusal_for=lambda claim: "" if capabilities.can_sign_off_claim(request.user, claim) else services.SAME_PERSON,
        heading="Sign off a claim",
        submit="Sign off claim",
        done=CLAIM_SIGNED_OFF,
    )


@capability_required(capabilities.can_submit_claims)
@require_http_methods(["GET", "POST"])
def claim_submit(request, claim_id):
    return _claim_step(
        request,
        claim_id,
        service=services.claim_submit,
        refusal_for=lambda claim: "",
        heading="Mark a claim submitted",
        submit="Mark as submitted",
        done=CLAIM_SUBMITTED,
    )


def _return_year(request) -> tuple[FinancialYearForm, int]:
    form = FinancialYearForm(request.GET or None, today=timezone.localdate())
    return form, form.chosen_year()


@capability_required(capabilities.can_see_progress_return)
@require_GET
def progress_return(request):
    form, year = _return_year(request)
    rows = services.progress_return_read(actor=request.user, year=year)
    context = {"form": form, "year": year, "rows": rows, "columns": selectors.RETURN_COLUMNS}
    return render(request, "outcomes/progress_return.html", context)


@capability_required(capabilities.can_see_progress_return)
@require_GET
def progress_return_csv(request):
    _form, year = _return_year(request)
    rows = services.progress_return_read(actor=request.user, year=year, download=True)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="supporting-families-progress-{year}.csv"'
    writer = csv.DictWriter(response, fieldnames=selectors.RETURN_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return response
