"""The provider's pages for referrals to its services: the queue, one referral, the answer and its
completion. A provider's editor reads a referral, never the family's record: each page finds the
referral among those sent to the editor's organisations (another organisation's is "not found") and
calls one service, which audits the read or the change."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.decorators import capability_required
from earlyhelp.directory.access import edited_organization_ids
from earlyhelp.web.pages import confirm_flow, form_flow

from . import referral_selectors as selectors
from . import referral_services as services
from . import rules
from .forms import ReferralAnswerForm
from .models import PROVIDER_REFERRAL_STATUSES, ReferralStatus


def _provider(user) -> bool:
    return capabilities.can_see_referral_queue(user, edited_organization_ids(user))


providers_only = capability_required(_provider)


def _referral_url(referral) -> str:
    return reverse("referrals:referral", args=[referral.pk])


@providers_only
@require_GET
def queue(request) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in PROVIDER_REFERRAL_STATUSES else ""
    referrals = services.referral_queue_view(
        actor=request.user, referrals=selectors.provider_queue(request.user, status), status=status
    )
    counts = selectors.queue_counts(request.user)
    filters = [
        {"value": value, "label": ReferralStatus(value).label, "count": counts[value]}
        for value in PROVIDER_REFERRAL_STATUSES
    ]
    return render(
        request,
        "plans/referral_queue.html",
        {"referrals": referrals, "status": status, "filters": filters, "total": sum(counts.values())},
    )


@providers_only
@require_GET
def referral(request, referral_id) -> HttpResponse:
    opened = services.referral_open(
        actor=request.user, referral=selectors.referral_for_provider(request.user, referral_id)
    )
    return render(
        request,
        "plans/referral.html",
        {"referral": opened, "details": selectors.referral_details(opened), "statuses": ReferralStatus},
    )


@providers_only
@require_http_methods(["GET", "POST"])
def answer(request, referral_id) -> HttpResponse:
    found = selectors.referral_for_provider(request.user, referral_id)
    form = ReferralAnswerForm(request.POST or None)

    def save(data):
        if data["answer"] == "accept":
            return services.referral_accept(actor=request.user, referral=found)
        return services.referral_decline(actor=request.user, referral=found, reason=data["reason"])

    return form_flow(
        request,
        form,
        save=save,
        success=_referral_url,
        done="Your answer was sent to the lead professional",
        heading="Answer the referral",
        caption=f"Referral to {found.service.name}",
        cancel=_referral_url(found),
        submit="Send your answer",
    )


@providers_only
@require_http_methods(["GET", "POST"])
def complete(request, referral_id) -> HttpResponse:
    found = selectors.referral_for_provider(request.user, referral_id)
    # Refused before the button is pressed too, in the rules' words (an unanswered or declined referral).
    refusal = rules.referral_refusal(found.status, ReferralStatus.COMPLETED)
    return confirm_flow(
        request,
        subject=None if refusal else found,
        refusal=refusal or "",
        save=lambda referral: services.referral_complete(actor=request.user, referral=referral),
        success=_referral_url,
        done="Referral marked as completed",
        heading="Mark the referral as completed",
        caption=f"Referral to {found.service.name}",
        cancel=_referral_url(found),
        submit="Mark as completed",
    )
