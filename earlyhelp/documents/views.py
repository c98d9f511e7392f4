"""A family's documents: the list with the form to attach one, and the download. Each view opens the
family through the access choke point, then calls one selector or service."""

from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.accounts.decorators import casework_required
from earlyhelp.families.access import access_household_by_id
from earlyhelp.web.pages import form_flow

from .forms import DocumentForm
from .responses import download_response
from .selectors import documents_visible
from .services import document_add, document_open


@casework_required
@require_http_methods(["GET", "POST"])
def household_documents(request, household_id):
    household = access_household_by_id(request.user, household_id, purpose="documents")
    return form_flow(
        request,
        DocumentForm(request.POST or None, request.FILES or None),
        save=lambda data: document_add(actor=request.user, household=household, **data),
        success=reverse("documents:household", args=[household.id]),
        done="Document attached",
        heading="Documents",
        template="documents/household_documents.html",
        household=household,
        documents=documents_visible(user=request.user, household=household),
    )


@casework_required
@require_GET
def download(request, household_id, document_id):
    household = access_household_by_id(request.user, household_id, purpose="document download")
    document = document_open(actor=request.user, household=household, document_id=document_id)
    return download_response(document)
