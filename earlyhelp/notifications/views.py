"""The inbox, marking notifications as read, and the email preferences: each person's own only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from earlyhelp.web.pages import form_flow

from . import selectors, services
from .forms import PreferencesForm

MARKED_READ = "Notification marked as read"
ALL_MARKED_READ = "All notifications marked as read"
PREFERENCES_SAVED = "Your email choices have been saved"


@login_required
@require_GET
def inbox(request):
    page = Paginator(selectors.inbox(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "unread": selectors.inbox_unread_count(request.user)},
    )


@login_required
@require_POST
def read(request, notification_id: int):
    notification = selectors.notification_of(request.user, notification_id)
    if notification is None:
        raise Http404
    services.notification_read(actor=request.user, notification=notification)
    messages.success(request, MARKED_READ)
    return redirect("notifications:inbox")


@login_required
@require_POST
def read_all(request):
    services.notifications_read_all(actor=request.user)
    messages.success(request, ALL_MARKED_READ)
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, preferences=selectors.preferences_of(request.user))
    return form_flow(
        request,
        form,
        save=lambda data: services.notification_preferences_set(actor=request.user, choices=data),
        success=reverse("notifications:inbox"),
        done=PREFERENCES_SAVED,
        heading="Choose which emails you get",
        template="notifications/preferences.html",
        cancel=reverse("notifications:inbox"),
    )
