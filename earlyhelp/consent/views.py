"""Consent pages. Each view parses, calls one selector or service, and renders."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.decorators import capability_required, casework_required
from earlyhelp.families.access import RecordNotFound, access_household_by_id

from . import selectors, services
from .forms import ConsentForm, DecisionForm, SharingWithoutConsentForm, WithdrawForm


@casework_required
@require_http_methods(["GET"])
def household_consent(request, household_id):
    household = access_household_by_id(request.user, household_id, purpose="consent")
    return render(
        request,
        "consent/household.html",
        {
            "household": household,
            "consents": selectors.household_consents(household),
            "shares": selectors.household_shares_without_consent(household),
        },
    )


@casework_required
@require_http_methods(["GET", "POST"])
def consent_new(request, household_id):
    household = access_household_by_id(request.user, household_id, purpose="record consent")
    people = [m.person for m in household.memberships.filter(ended_on__isnull=True).select_related("person")]
    form = ConsentForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.consent_record(
                actor=request.user,
                person=form.people[data["person"]],
                agencies=data["agencies"],
                purpose=data["purpose"],
                given_on=data["given_on"],
                young_person_competent=data["young_person_competent"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Consent recorded")
            return redirect("consent:household", household.id)
    return render(
        request,
        "consent/form.html",
        {
            "form": form,
            "heading": "Record consent to share",
            "household": household,
            "cancel_url": reverse("consent:household", args=[household.id]),
        },
    )


@casework_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request, household_id, consent_id):
    household = access_household_by_id(request.user, household_id, purpose="withdraw consent")
    consent = selectors.household_consents(household).filter(id=consent_id).first()
    if consent is None:
        raise RecordNotFound
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(
                actor=request.user, consent=consent, withdrawn_on=form.cleaned_data["withdrawn_on"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Withdrawal of consent recorded")
            return redirect("consent:household", household.id)
    return render(
        request,
        "consent/form.html",
        {
            "form": form,
            "heading": f"Record that {consent.person.full_name} withdrew consent",
            "household": household,
            "cancel_url": reverse("consent:household", args=[household.id]),
        },
    )


@casework_required
@require_http_methods(["GET", "POST"])
def sharing_without_consent(request, household_id):
    household = access_household_by_id(request.user, household_id, purpose="share without consent")
    form = SharingWithoutConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.sharing_without_consent_request(
                actor=request.user,
                household=household,
                agency=data["agency"],
                purpose=data["purpose"],
                lawful_basis=data["lawful_basis"],
                reason=data["reason"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Recorded. A manager must confirm it before the information is shared.")
            return redirect("consent:household", household.id)
    return render(
        request,
        "consent/form.html",
        {
            "form": form,
            "heading": "Share without consent",
            "household": household,
            "cancel_url": reverse("consent:household", args=[household.id]),
        },
    )


@capability_required(capabilities.can_decide_sharing)
@require_http_methods(["GET"])
def decisions(request):
    return render(request, "consent/decisions.html", {"shares": selectors.shares_awaiting_manager(request.user)})


@capability_required(capabilities.can_decide_sharing)
@require_http_methods(["GET", "POST"])
def decide(request, share_id):
    share = selectors.shares_awaiting_manager(request.user).filter(id=share_id).first()
    if share is None:
        raise RecordNotFound
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sharing_without_consent_decide(
                actor=request.user, share=share, confirm=form.cleaned_data["decision"] == "confirm"
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Decision recorded. The data protection officer has been told.")
            return redirect("consent:decisions")
    return render(request, "consent/decide.html", {"share": share, "form": form})
