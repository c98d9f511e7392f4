"""Pages of the directory. Public pages (the Family Information Service) need no sign-in and carry
no staff navigation; staff pages are for editors, the Early Help Team and commissioners. Each view
parses, calls one selector or service, and renders."""

import csv
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.decorators import capability_required
from earlyhelp.web.forms import ConfirmForm
from earlyhelp.web.pages import form_flow

from . import rules, selectors, services
from .access import access_listing_by_id, editable_organizations, edited_organization_ids, may_edit_listings
from .forms import FamilySearchForm, ListingForm, OrganizationChoiceForm, ReviewForm
from .models import ReviewStatus

# The plain-language "how to get help" pages: slug -> (title, template).
GUIDES = {
    "ask-for-early-help": ("Asking for early help for your family", "directory/public/guide_ask.html"),
    "worried-about-a-child": ("If you are worried about a child", "directory/public/guide_worried.html"),
    "what-happens-next": ("What happens when you ask for help", "directory/public/guide_next.html"),
}

FIELD_LABELS = {name: str(field.label) for name, field in ListingForm.base_fields.items()}


# --- Public: the Family Information Service ---------------------------------------------------


@require_GET
def public_home(request):
    return render(
        request,
        "directory/public/home.html",
        {"form": FamilySearchForm(), "needs": selectors.need_terms(), "guides": GUIDES},
    )


@require_GET
def public_search(request):
    form = FamilySearchForm(request.GET or None)
    found = None
    if form.is_valid() and not form.query().is_empty:
        try:
            page = max(1, int(request.GET.get("page", "1")))
        except ValueError:
            page = 1
        found = selectors.family_search(form.query(), page=page)
        for field, message in found.errors.items():
            form.add_error(field, message)
    return render(request, "directory/public/search.html", {"form": form, "found": found, "query": request.GET})


@require_GET
def public_service(request, service_id):
    return render(request, "directory/public/service.html", {"page": selectors.service_page(service_id)})


@require_GET
def public_guide(request, topic):
    if topic not in GUIDES:
        raise Http404("No such page")
    title, template = GUIDES[topic]
    return render(
        request,
        template,
        {"title": title, "guides": GUIDES, "topic": topic, "front_door": settings.EARLY_HELP.front_door_contact},
    )


# --- Staff -------------------------------------------------------------------------------------


# Editors of a provider's listings and the Early Help Team.
editors_only = capability_required(may_edit_listings)
reviewers_only = capability_required(capabilities.can_review_listings)
coverage_readers_only = capability_required(capabilities.can_see_coverage)


@login_required
@require_GET
def staff_home(request):
    user = request.user
    context: dict[str, Any] = {
        "may_edit": may_edit_listings(user),
        "is_reviewer": capabilities.can_review_listings(user),
        "may_see_coverage": capabilities.can_see_coverage(user),
        "may_answer_referrals": capabilities.can_see_referral_queue(user, edited_organization_ids(user)),
    }
    if context["may_edit"]:
        context["listings"] = selectors.listings_for(user)
        context["stale_count"] = selectors.stale_listings(user).count()
    if context["is_reviewer"]:
        context["review_count"] = len(selectors.review_queue())
    return render(request, "directory/staff/home.html", context)


@editors_only
@require_http_methods(["GET", "POST"])
def listing_create(request):
    organizations = editable_organizations(request.user).order_by("name")
    chooser = OrganizationChoiceForm(request.POST or None, organizations=organizations)
    form = ListingForm(request.POST or None)

    def created(service) -> str:
        messages.success(request, f"{service.name} saved as a draft" if not service.is_published else "Published")
        return reverse("directory:listing", args=[service.id])

    return form_flow(
        request,
        form,
        save=lambda data: services.listing_create(
            actor=request.user, organization=chooser.cleaned_data["organization"], details=form.details()
        ),
        success=created,
        heading="Add a listing",
        cancel=reverse("directory:home"),
        template="directory/staff/listing_form.html",
        others=[chooser],
        chooser=chooser,
    )


@editors_only
@require_GET
def listing_detail(request, service_id):
    service = access_listing_by_id(request.user, service_id)
    change = selectors.pending_change(service)
    current = services.listing_details_of(service)
    return render(
        request,
        "directory/staff/listing.html",
        {
            "service": service,
            "details": current,
            "change": change,
            "differences": _differences(current, change),
            "history": [
                (entry, FIELD_LABELS.get(entry.field_name, "")) for entry in selectors.listing_history(service)
            ],
            "is_reviewer": capabilities.can_review_listings(request.user),
            "stale": service.is_published
            and rules.is_stale(
                service.assured_date, today=timezone.localdate(), stale_after_days=selectors.stale_after_days()
            ),
            "review_due": rules.review_due(service.assured_date, stale_after_days=selectors.stale_after_days()),
        },
    )


def _differences(current, change):
    if change is None or not change.details:
        return {}
    proposed = services.ListingDetails.from_json(change.details)
    return {
        FIELD_LABELS.get(name, name): (selectors.listing_value_text(name, old), selectors.listing_value_text(name, new))
        for name, (old, new) in services.listing_differences(current, proposed).items()
    }


@editors_only
@require_http_methods(["GET", "POST"])
def listing_edit(request, service_id):
    service = access_listing_by_id(request.user, service_id)
    change = selectors.pending_change(service)
    shown = services.ListingDetails.from_json(change.details) if change and change.details else None
    initial = ListingForm.initial_from(shown or services.listing_details_of(service))
    form = ListingForm(request.POST or None, initial=initial)

    def saved(proposed) -> str:
        messages.success(
            request, "Your changes are waiting for the Early Help Team to review them" if proposed else "Changes saved"
        )
        return reverse("directory:listing", args=[service.id])

    return form_flow(
        request,
        form,
        save=lambda data: services.listing_save(actor=request.user, service=service, details=form.details()),
        success=saved,
        heading=f"Change {service.name}",
        cancel=reverse("directory:listing", args=[service.id]),
        template="directory/staff/listing_form.html",
        published=service.is_published and not capabilities.can_review_listings(request.user),
    )


@editors_only
@require_http_methods(["GET", "POST"])
def listing_submit(request, service_id):
    service = access_listing_by_id(request.user, service_id)
    return _confirm_step(
        request,
        service,
        heading=f"Send {service.name} for review",
        lead="The Early Help Team will check the listing and publish it, or send it back with a note.",
        button="Send for review",
        act=lambda: services.listing_submit(actor=request.user, service=service),
        done="Sent to the Early Help Team for review",
    )


@editors_only
@require_http_methods(["GET", "POST"])
def listing_confirm(request, service_id):
    service = access_listing_by_id(request.user, service_id)
    lead = (
        "Confirm the listing is still correct: its review date becomes today."
        if capabilities.can_review_listings(request.user)
        else "Tell the Early Help Team the listing is still correct. Once they agree, its review date becomes today."
    )
    return _confirm_step(
        request,
        service,
        heading=f"Is {service.name} still correct?",
        lead=lead,
        button="Yes, it is still correct",
        act=lambda: services.listing_confirm(actor=request.user, service=service),
        done="Thank you: the listing's review is recorded"
        if capabilities.can_review_listings(request.user)
        else "Sent to the Early Help Team",
    )


def _confirm_step(request, service, *, heading, lead, button, act, done):
    listing = reverse("directory:listing", args=[service.id])
    return form_flow(
        request,
        ConfirmForm(request.POST),
        save=lambda data: act(),
        success=listing,
        done=done,
        heading=heading,
        caption=service.organization.name,
        submit=button,
        cancel=listing,
        template="directory/staff/confirm.html",
        lead=lead,
    )


@reviewers_only
@require_http_methods(["GET", "POST"])
def listing_review(request, service_id):
    service = access_listing_by_id(request.user, service_id)
    change = selectors.pending_change(service)
    current = services.listing_details_of(service)

    def decide(data) -> str:
        if request.POST.get("decision") == "approve":
            services.listing_approve(actor=request.user, service=service)
            return f"{service.name} approved"
        services.listing_return(actor=request.user, service=service, note=data["note"])
        return f"{service.name} returned to its editor"

    def decided(done: str) -> str:
        messages.success(request, done)
        return reverse("directory:review-queue")

    return form_flow(
        request,
        ReviewForm(request.POST or None),
        save=decide,
        success=decided,
        heading=f"Review {service.name}",
        template="directory/staff/review.html",
        service=service,
        change=change,
        details=current,
        differences=_differences(current, change),
        waiting=service.review_status == ReviewStatus.PENDING or change is not None,
    )


@reviewers_only
@require_GET
def review_queue(request):
    return render(request, "directory/staff/review_queue.html", {"items": selectors.review_queue()})


@editors_only
@require_GET
def stale_list(request):
    return render(
        request,
        "directory/staff/stale.html",
        {"listings": selectors.stale_listings(request.user), "stale_after_days": selectors.stale_after_days()},
    )


@coverage_readers_only
@require_GET
def coverage_export(request):
    report = selectors.coverage()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="directory-coverage.csv"'
    writer = csv.writer(response)
    writer.writerow(["Need", *[locality.name for locality in report.localities]])
    for row in report.rows:
        writer.writerow([row.need.name, *[cell.count for cell in row.cells]])
    return response
