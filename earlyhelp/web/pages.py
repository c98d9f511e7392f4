"""The page every form of the service is shown on (a heading, the form's fields in GOV.UK Frontend
markup, a submit button and a way back), and the one shape of a form view: parse, call a service,
show its errors against the fields they name, redirect."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

FORM_PAGE = "includes/form_page.html"


def form_page(
    request: HttpRequest,
    form,
    *,
    heading: str,
    cancel: str = "",
    caption: str = "",
    submit: str = "Save",
    template: str | None = None,
    **extra,
) -> HttpResponse:
    """Render `form` on the shared form page (or a template extending it, with `extra` context)."""
    context = {"form": form, "heading": heading, "caption": caption, "cancel_url": cancel, "submit": submit}
    return render(request, template or FORM_PAGE, context | extra)


def form_flow(
    request: HttpRequest,
    form,
    *,
    save: Callable[[dict[str, Any]], Any],
    success: str | Callable[[Any], str],
    heading: str,
    done: str = "",
    **page: Any,
) -> HttpResponse:
    """A form view in one call: on a valid POST call `save` with the cleaned data (a service, which
    validates, writes and audits in one transaction); a ValidationError it raises is shown against
    the fields it names and nothing is saved; on success say `done` (if given) and redirect to
    `success` (a URL, or a function of what `save` returned). Otherwise show the form page."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if done:
                messages.success(request, done)
            return redirect(success(result) if callable(success) else success)
    return form_page(request, form, heading=heading, **page)


def record_form_flow(request: HttpRequest, form, *, back: str, caption: str, **flow: Any) -> HttpResponse:
    """`form_flow` for a form about one record: saved or cancelled, back to the record's page (`back`),
    with the record named above the heading (`caption`)."""
    return form_flow(request, form, success=back, cancel=back, caption=caption, **flow)
