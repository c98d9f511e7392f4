"""Management oversight pages: the team caseload, a family's supervision record, changing its lead
professional and transferring its episode to another team. Each view opens the family through the
access choke point where there is one, then calls one selector or service."""

from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.decorators import capability_required, casework_required
from earlyhelp.families.access import access_household_by_id
from earlyhelp.families.models import Household
from earlyhelp.web.pages import form_flow, service_save

from . import selectors, services
from .forms import LeadChangeForm, SupervisionForm, TransferForm


@capability_required(capabilities.can_see_team_caseload)
@require_GET
def caseload(request):
    return render(request, "oversight/caseload.html", {"caseload": selectors.team_caseload(request.user)})


@casework_required
@require_http_methods(["GET", "POST"])
def supervision(request, household_id):
    household = access_household_by_id(request.user, household_id, purpose="supervision")
    may_record = capabilities.can_record_supervision(request.user)
    if request.method == "POST" and not may_record:
        raise PermissionDenied
    form = SupervisionForm(request.POST or None)
    return form_flow(
        request,
        form,
        save=lambda data: services.supervision_record(
            actor=request.user, household=household, **form.service_arguments()
        ),
        success=reverse("oversight:supervision", args=[household.id]),
        done="Supervision recorded",
        heading="Supervision",
        template="oversight/supervision.html",
        household=household,
        may_record=may_record,
        supervisions=selectors.supervisions(household),
    )


def _holder_change(
    request,
    household_id,
    *,
    purpose: str,
    form_class: type[Form],
    service: Callable[..., Any],
    earlier: Callable[[Household], Sequence[Any]],
    **page: Any,
) -> HttpResponse:
    """A page that changes who holds the family (its lead professional, its team): it shows the lead
    now and the `earlier` changes of that kind, calls `service` with the form's fields, and goes back
    to the family."""
    household = access_household_by_id(request.user, household_id, purpose=purpose)
    return form_flow(
        request,
        form_class(request.POST or None),
        save=service_save(request, service, household=household),
        success=reverse("families:household", args=[household.id]),
        caption=household.name,
        household=household,
        current=services.current_lead(household),
        earlier=earlier(household),
        **page,
    )


@capability_required(capabilities.can_change_lead)
@require_http_methods(["GET", "POST"])
def lead_change(request, household_id):
    return _holder_change(
        request,
        household_id,
        purpose="change of lead professional",
        form_class=LeadChangeForm,
        service=services.lead_change,
        earlier=selectors.handovers,
        done="Lead professional changed",
        heading="Change the lead professional",
        submit="Change the lead professional",
        template="oversight/lead_change.html",
    )


@capability_required(capabilities.can_transfer_episode)
@require_http_methods(["GET", "POST"])
def transfer(request, household_id):
    return _holder_change(
        request,
        household_id,
        purpose="episode transfer",
        form_class=TransferForm,
        service=services.episode_transfer,
        earlier=selectors.transfers,
        done="Episode transferred",
        heading="Transfer the episode to another team",
        submit="Transfer the episode",
        template="oversight/transfer.html",
    )
