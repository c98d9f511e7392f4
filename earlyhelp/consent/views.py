"""Consent pages. Each view parses, calls one selector or service, and renders."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.decorators import capability_required, casework_required
from earlyhelp.families.access import RecordNotFound, access_household_by_id
from earlyhelp.families.selectors import current_members
from earlyhelp.web.pages import form_flow

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


def _consent_page(request, household, form, *, save, done: str, heading: str):
    back = reverse("consent:household", args=[household.id])
    return form_flow(
        request,
        form,
        save=save,
        success=back,
        done=done,
        heading=heading,
        cancel=back,
        template="consent/form.html",
        caption=household.name,
    )


@casework_required
@require_http_methods(["GET", "POST"])
def consent_new(request, household_id):
    household = access_household_by_id(request.user, household_id, purpose="record consent")
    form = ConsentForm(request.POST or None, people=[m.person for m in current_members(household)])
    return _consent_page(
        request,
        household,
        form,
        # The form's fields are the service's arguments; the person is chosen by position.
        save=lambda data: services.consent_record(
            actor=request.user, **(data | {"person": form.people[data["person"]]})
        ),
        done="Consent recorded",
        heading="Record consent to share",
    )


@casework_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request, household_id, consent_id):
    household = access_household_by_id(request.user, household_id, purpose="withdraw consent")
    consent = selectors.household_consents(household).filter(id=consent_id).first()
    if consent is None:
        raise RecordNotFound
    return _consent_page(
        request,
        household,
        WithdrawForm(request.POST or None),
        save=lambda data: services.consent_withdraw(
            actor=request.user, consent=consent, withdrawn_on=data["withdrawn_on"]
        ),
        done="Withdrawal of consent recorded",
        heading=f"Record that {consent.person.full_name} withdrew consent",
    )


@casework_required
@require_http_methods(["GET", "POST"])
def sharing_without_consent(request, household_id):
    household = access_household_by_id(request.user, household_id, purpose="share without consent")
    return _consent_page(
        request,
        household,
        SharingWithoutConsentForm(request.POST or None),
        save=lambda data: services.sharing_without_consent_request(actor=request.user, household=household, **data),
        done="Recorded. A manager must confirm it before the information is shared.",
        heading="Share without consent",
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
    return form_flow(
        request,
        DecisionForm(request.POST or None),
        save=lambda data: services.sharing_without_consent_decide(
            actor=request.user, share=share, confirm=data["decision"] == "confirm"
        ),
        success=reverse("consent:decisions"),
        done="Decision recorded. The data protection officer has been told.",
        heading="Decide on sharing without consent",
        template="consent/decide.html",
        share=share,
    )
