"""The data hub's pages: the register of datasets, registering one, loading a file and following it, the
partner records' links to review, and the likely duplicates on the register."""

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.decorators import capability_required
from earlyhelp.families.access import access_household_by_id, access_person_by_id
from earlyhelp.families.models import Person
from earlyhelp.families.selectors import SideBySide, persons_side_by_side
from earlyhelp.web.pages import confirm_flow, form_flow, service_save

from . import duplicates as duplicates_service
from . import messages, rules, selectors, services
from .forms import DatasetChangeForm, DatasetForm, DismissForm, NotSameForm, ReviewForm, UploadForm
from .models import Dataset, DatasetUpload, RegisterDuplicate

# Recorded with each opening of a register person's record from the review queue.
REVIEW_PURPOSE = "Clerical review of a partner record's link"


@capability_required(capabilities.can_view_dataset_register)
@require_GET
def register(request):
    return render(request, "datahub/register.html", {"datasets": selectors.dataset_register()})


@capability_required(capabilities.can_manage_datasets)
@require_http_methods(["GET", "POST"])
def dataset_create(request):
    return form_flow(
        request,
        DatasetForm(request.POST or None),
        save=service_save(request, services.dataset_create),
        success=reverse("datahub:register"),
        done="Dataset registered",
        heading="Register a dataset",
        cancel=reverse("datahub:register"),
    )


@capability_required(capabilities.can_manage_datasets)
@require_http_methods(["GET", "POST"])
def dataset_change(request, dataset_id: int):
    dataset = get_object_or_404(Dataset, pk=dataset_id)
    fields = ("sharing_agreement", "lawful_basis", "retention_months")
    return form_flow(
        request,
        DatasetChangeForm(request.POST or None, initial={name: getattr(dataset, name) for name in fields}),
        save=service_save(request, services.dataset_change, dataset=dataset),
        success=reverse("datahub:register"),
        done="Dataset changed",
        heading="Change what the dataset arrives under",
        caption=dataset.name,
        cancel=reverse("datahub:register"),
    )


@capability_required(capabilities.can_load_partner_files)
@require_http_methods(["GET", "POST"])
def upload(request, dataset_id: int):
    dataset = get_object_or_404(Dataset, pk=dataset_id)
    # Bound on every POST, even one without a file, so that the missing file is named.
    sent = request.method == "POST"
    return form_flow(
        request,
        UploadForm(request.POST if sent else None, request.FILES if sent else None),
        save=service_save(request, services.dataset_upload_receive, dataset=dataset),
        success=lambda received: reverse("datahub:upload-status", args=[received.pk]),
        heading="Load a file",
        caption=dataset.name,
        cancel=reverse("datahub:register"),
        submit="Upload and check",
        template="datahub/upload.html",
        dataset=dataset,
        uploads=selectors.dataset_uploads_recent(dataset),
    )


def _upload(upload_id: int) -> DatasetUpload:
    found = selectors.upload_status(upload_id)
    if found is None:
        raise Http404("No such upload")
    return found


@capability_required(capabilities.can_load_partner_files)
@require_GET
def upload_status(request, upload_id: int):
    received = _upload(upload_id)
    # htmx asks for the progress alone while the file is being checked; without JavaScript the
    # whole page is reloaded by its "Check progress" link.
    template = "datahub/_progress.html" if request.htmx else "datahub/upload_status.html"
    return render(request, template, {"upload": received, "problems": selectors.report_problems(received)})


@capability_required(capabilities.can_load_partner_files)
@require_GET
def upload_report(request, upload_id: int):
    received = _upload(upload_id)
    if not received.report_csv:
        raise Http404("This upload has no report")
    response = HttpResponse(received.report_csv, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="upload-{received.pk}-problems.csv"'
    return response


@capability_required(capabilities.can_work_identification_list)
@require_GET
def identification(request):
    return render(
        request,
        "datahub/identification.html",
        {
            "families": selectors.identification_list(request.user),
            "needs": settings.DATAHUB_IDENTIFICATION_NEEDS,
            "months": settings.DATAHUB_IDENTIFICATION_MONTHS,
        },
    )


@capability_required(capabilities.can_review_links)
@require_GET
def review_queue(request):
    waiting = selectors.records_in_review()
    return render(
        request,
        "datahub/review_queue.html",
        {"records": waiting[: selectors.LIST_LIMIT], "count": waiting.count(), "limit": selectors.LIST_LIMIT},
    )


@capability_required(capabilities.can_review_links)
@require_http_methods(["GET", "POST"])
def review(request, record_id: int):
    record = selectors.record_in_review(record_id)
    if record is None:
        raise Http404("No such record waits for review")
    # The register person's details are a read of their record: through the choke point, audited.
    person = access_person_by_id(request.user, record.person_id, purpose=REVIEW_PURPOSE)
    return form_flow(
        request,
        # Bound on every POST, even an empty one, so that a missing decision is named.
        ReviewForm(request.POST if request.method == "POST" else None),
        save=service_save(request, services.partner_record_review, record=record),
        success=reverse("datahub:review-queue"),
        done="Decision recorded",
        heading="Are these records about the same person?",
        caption=f"{record.dataset.name}, record {record.source_id}",
        cancel=reverse("datahub:review-queue"),
        submit="Record the decision",
        template="datahub/review.html",
        record=record,
        person=person,
        details=selectors.side_by_side(record, person),
        evidence=rules.evidence(record.match_weights),
    )


@capability_required(capabilities.can_review_links)
@require_GET
def partners_only(request):
    records = selectors.records_partners_only()
    return render(
        request,
        "datahub/partners_only.html",
        {
            "records": records[: selectors.LIST_LIMIT],
            "count": records.count(),
            "limit": selectors.LIST_LIMIT,
            "may_create": capabilities.can_create_person_from_record(request.user),
        },
    )


@capability_required(capabilities.can_work_identification_list)
@require_http_methods(["GET", "POST"])
def identification_dismiss(request, household_id):
    household = access_household_by_id(request.user, household_id, purpose="identification list")
    return form_flow(
        request,
        DismissForm(request.POST or None),
        save=service_save(request, services.identification_dismiss, household=household),
        success=reverse("datahub:identification"),
        done=f"{household.name} taken off the identification list",
        heading="Take the family off the identification list",
        caption=household.name,
        submit="Take off the list",
        cancel=reverse("datahub:identification"),
    )


@capability_required(capabilities.can_create_person_from_record)
@require_http_methods(["GET", "POST"])
def person_from_record(request, record_id: int):
    record = selectors.records_partners_only().filter(pk=record_id).first()
    if record is None:
        raise Http404("No such record is known to partners only")
    return confirm_flow(
        request,
        subject=record,
        refusal="",
        save=lambda subject: services.partner_record_person_create(actor=request.user, record=subject),
        success=reverse("datahub:partners-only"),
        done="Person added to the register and the record linked to them",
        heading="Add this person to the register?",
        caption=f"{record.dataset.name}, record {record.source_id}",
        cancel=reverse("datahub:partners-only"),
        submit="Add to the register",
        template="datahub/person_from_record.html",
        details=selectors.identifying_details(record),
    )


# Recorded with each opening of a register person's record from the likely duplicates.
DUPLICATES_PURPOSE = "Review of likely duplicates on the register"


@dataclass(frozen=True)
class PairShown:
    """A likely duplicate pair as the page shows it: the record it suggests keeping first."""

    pair: RegisterDuplicate
    kept: Person
    duplicate: Person
    details: list[SideBySide]
    evidence: list[rules.Evidence]


def _pair_shown(user, pair: RegisterDuplicate) -> PairShown:
    """Both records read through the choke point (each view audited), the one with more identifiers, else
    the older, suggested as the one to keep."""
    people = [
        access_person_by_id(user, person_id, purpose=DUPLICATES_PURPOSE) for person_id in (pair.person_a, pair.person_b)
    ]
    kept, duplicate = sorted(people, key=lambda person: (not person.nhs_number, not person.upn, person.created_at))
    return PairShown(
        pair=pair,
        kept=kept,
        duplicate=duplicate,
        details=persons_side_by_side(kept, duplicate),
        evidence=rules.evidence(pair.match_weights),
    )


@capability_required(capabilities.can_merge_persons)
@require_GET
def duplicates(request):
    search = selectors.duplicate_search_latest()
    # htmx asks for the search's progress alone while it runs; without JavaScript the page is reloaded.
    if request.htmx:
        return render(request, "datahub/_duplicate_search.html", {"search": search})
    page = Paginator(selectors.duplicates_waiting(), selectors.DUPLICATES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "datahub/duplicates.html",
        {"page": page, "pairs": [_pair_shown(request.user, pair) for pair in page], "search": search},
    )


@capability_required(capabilities.can_merge_persons)
@require_http_methods(["GET", "POST"])
def duplicates_find(request):
    under_way = duplicates_service.search_under_way()
    back = reverse("datahub:duplicates")
    return confirm_flow(
        request,
        subject=None if under_way else "register",
        refusal=messages.DUPLICATE_SEARCH_UNDER_WAY,
        save=lambda subject: duplicates_service.duplicate_search_queue(actor=request.user),
        success=back,
        done="The search for duplicates has started: this page shows its progress",
        heading="Search the register for duplicates now?",
        cancel=back,
        submit="Find duplicates now",
        template="datahub/duplicates_find.html",
    )


@capability_required(capabilities.can_merge_persons)
@require_http_methods(["GET", "POST"])
def duplicate_not_same(request, pair_id: int):
    pair = selectors.duplicate_waiting(pair_id)
    if pair is None:
        raise Http404("No such pair waits for review")
    shown = _pair_shown(request.user, pair)
    back = reverse("datahub:duplicates")
    return form_flow(
        request,
        NotSameForm(request.POST or None),
        save=service_save(request, duplicates_service.register_duplicate_not_same, pair=pair),
        success=back,
        done="Recorded: these records are about two people, and will not be proposed again",
        heading="Are these records about two different people?",
        caption=f"{shown.kept.full_name} and {shown.duplicate.full_name}",
        cancel=back,
        submit="Not the same person",
        template="datahub/duplicate_not_same.html",
        shown=shown,
    )
