"""The page every form of the service is shown on: a heading, the form's fields in GOV.UK
Frontend markup, a submit button and a way back."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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
