"""The page every form of the service is shown on (a heading, the form's fields in GOV.UK Frontend
markup, a submit button and a way back), and the one shape of a form view: parse, call a service,
show its errors against the fields they name, redirect."""

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .forms import ConfirmForm

FORM_PAGE = "includes/form_page.html"

Subject = TypeVar("Subject")


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
    success: str | Callable[[Any], str | HttpResponse],
    heading: str,
    done: str = "",
    others: Sequence[Any] = (),
    **page: Any,
) -> HttpResponse:
    """A form view in one call: on a valid POST call `save` with the cleaned data (a service, which
    validates, writes and audits in one transaction); a ValidationError it raises is shown against
    the fields it names and nothing is saved; on success say `done` (if given) and redirect to
    `success` (a URL, or a function of what `save` returned; for a page that shows the result in
    place, that function may give the response itself). Otherwise show the form page.
    `others` are further forms on the same page (in its `page` context too) that must be valid as well."""
    # Every form is checked, not only up to the first invalid one, so each shows its own errors.
    valid = [each.is_valid() for each in (*others, form)]
    if request.method == "POST" and all(valid):
        try:
            result = save(form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if done:
                messages.success(request, done)
            target = success(result) if callable(success) else success
            return target if isinstance(target, HttpResponse) else redirect(target)
    return form_page(request, form, heading=heading, **page)


def service_save(request: HttpRequest, service: Callable[..., Any], **bound: Any) -> Callable[[dict[str, Any]], Any]:
    """The `save` of a form_flow whose form's fields are the service's own arguments: the service is
    called by the signed-in user, with `bound` (the record the page is about) and the cleaned data."""

    def save(data: dict[str, Any]) -> Any:
        return service(actor=request.user, **bound, **data)

    return save


def record_form_flow(request: HttpRequest, form, *, back: str, caption: str, **flow: Any) -> HttpResponse:
    """`form_flow` for a form reached from one record's page (a family's plan): the page is captioned
    with the record's name, and goes `back` to the record when it is cancelled, and when it is saved
    unless `success` says where."""
    flow.setdefault("success", back)
    return form_flow(request, form, cancel=back, caption=caption, **flow)


def confirm_flow(
    request: HttpRequest,
    *,
    subject: Subject | None,
    refusal: str,
    save: Callable[[Subject], Any],
    success: str | Callable[[Any], str],
    heading: str,
    done: str = "",
    **page: Any,
) -> HttpResponse:
    """A page whose one button takes a step on `subject` (start a plan in the family's open
    episode): `form_flow` with a `ConfirmForm`, calling `save(subject)`. Without a subject the step
    cannot be taken at all, and the page says `refusal` before the button is pressed as well as after."""
    if subject is None:
        return form_page(request, ConfirmForm(request.POST, refusal=refusal), heading=heading, **page)
    return form_flow(
        request,
        ConfirmForm(request.POST),
        save=lambda data: save(subject),
        success=success,
        heading=heading,
        done=done,
        **page,
    )


def button_flow(request: HttpRequest, *, press: Callable[[], Any], done: str, back: str) -> HttpResponse:
    """A button that takes one step and goes back (remove a need from a list): call `press` (a
    service); say `done`, or why it could not be done (the ValidationError it raised, and nothing
    was changed); and redirect to `back`."""
    try:
        press()
    except ValidationError as refused:
        messages.info(request, " ".join(refused.messages))
    else:
        messages.success(request, done)
    return redirect(back)
