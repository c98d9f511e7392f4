"""The data protection officer's view: who has looked at or changed a person's record."""

import csv

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.decorators import capability_required
from earlyhelp.families.access import access_person_by_id
from earlyhelp.families.forms import PersonSearchForm

from .selectors import person_audit_trail
from .services import person_export_record

EXPORT_COLUMNS = [
    "at",
    "actor_username",
    "actor_role",
    "actor_agency",
    "action",
    "object_type",
    "object_id",
    "purpose",
    "request_id",
]


@capability_required(capabilities.is_data_protection_officer)
@require_GET
def search(request):
    form = PersonSearchForm(request.GET or None)
    results = form.results(request.user)
    return render(request, "audit/search.html", {"form": form, "results": results})


@capability_required(capabilities.is_data_protection_officer)
@require_GET
def person_trail(request, person_id):
    person = access_person_by_id(request.user, person_id, purpose="audit trail")
    page = Paginator(person_audit_trail(person).select_related(None), 50).get_page(request.GET.get("page"))
    return render(request, "audit/person_trail.html", {"person": person, "page": page})


@capability_required(capabilities.is_data_protection_officer)
@require_GET
def person_trail_export(request, person_id):
    person = access_person_by_id(request.user, person_id, purpose="audit trail export")
    events = person_audit_trail(person)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{person.id}-{timezone.localdate():%Y%m%d}.csv"'
    writer = csv.writer(response)
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for event in events.iterator():
        writer.writerow([getattr(event, column) for column in EXPORT_COLUMNS])
        count += 1
    person_export_record(actor=request.user, person=person, object_type="audit_trail", details={"rows": count})
    return response
