"""Data protection pages: break-glass, alerts, the officer's overview and subject access."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods, require_POST

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.decorators import capability_required
from earlyhelp.consent.selectors import shares_without_consent_for_dpo
from earlyhelp.families.access import RecordNotFound, access_person_by_id
from earlyhelp.families.forms import PersonSearchForm
from earlyhelp.notifications import services as notification_services
from earlyhelp.notifications.models import Alert
from earlyhelp.web.pages import form_flow

from . import selectors, services
from .forms import BreakGlassForm
from .subject_access import for_exemption_review, subject_access_data

BREAK_GLASS_OPENED = "Record opened break-glass. Your manager and the data protection officer have been told."
BREAK_GLASS_STILL_OPEN = "You opened this record break-glass already; it stays open to you until {until}."


@capability_required(capabilities.can_break_glass)
@require_http_methods(["GET", "POST"])
def break_glass(request):
    asked_at = timezone.now()

    def opened(households) -> str:
        grant = selectors.break_glass_live_for(request.user).get(household=households[0])
        if grant.granted_at < asked_at:
            until = date_format(timezone.localtime(grant.expires_at), "j F Y H:i")
            messages.success(request, BREAK_GLASS_STILL_OPEN.format(until=until))
        else:
            messages.success(request, BREAK_GLASS_OPENED)
        return reverse("families:household", args=[households[0].id])

    return form_flow(
        request,
        BreakGlassForm(request.POST or None),
        save=lambda data: services.break_glass_open(actor=request.user, **data),
        success=opened,
        heading="Open a record in an emergency",
        template="dataprotection/break_glass.html",
        live_grants=selectors.break_glass_live_for(request.user),
    )


@login_required
@require_POST
def alert_dismiss(request, alert_id):
    alert = Alert.objects.filter(id=alert_id, recipient=request.user).first()
    if alert is None:
        raise RecordNotFound
    notification_services.alert_dismiss(actor=request.user, alert=alert)
    return redirect("home:dashboard")


@capability_required(capabilities.is_data_protection_officer)
@require_http_methods(["GET"])
def overview(request):
    form = PersonSearchForm(request.GET or None)
    results = form.results(request.user)
    return render(
        request,
        "dataprotection/overview.html",
        {
            "form": form,
            "results": results,
            "shares": shares_without_consent_for_dpo()[:100],
            "grants": selectors.break_glass_grants_recent(),
        },
    )


@capability_required(capabilities.is_data_protection_officer)
@require_http_methods(["GET"])
def subject_access(request, person_id):
    person = access_person_by_id(request.user, person_id, purpose="subject access")
    return render(request, "dataprotection/subject_access.html", {"person": person})


def _exported(request, person, kind: str) -> dict:
    data = subject_access_data(person)
    services.person_export_record(
        actor=request.user,
        person=person,
        object_type="subject_access",
        details={"format": kind, "for_exemption_review": for_exemption_review(data)},
    )
    return data


def _filename(person, extension: str) -> str:
    return f'attachment; filename="subject-access-{person.id}-{timezone.localdate():%Y%m%d}.{extension}"'


@capability_required(capabilities.is_data_protection_officer)
@require_http_methods(["GET"])
def subject_access_json(request, person_id):
    person = access_person_by_id(request.user, person_id, purpose="subject access export")
    data = _exported(request, person, "json")
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = _filename(person, "json")
    return response


@capability_required(capabilities.is_data_protection_officer)
@require_http_methods(["GET"])
def subject_access_pdf(request, person_id):
    from weasyprint import HTML  # loaded only here: it is slow to import

    person = access_person_by_id(request.user, person_id, purpose="subject access export")
    data = _exported(request, person, "pdf")
    html = render_to_string("dataprotection/subject_access_print.html", {"data": data, "person": person})
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = _filename(person, "pdf")
    return response
