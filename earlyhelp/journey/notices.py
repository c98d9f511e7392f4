"""Who is told what as a family moves along the journey: each notice is sent by the journey's own
service, inside its transaction, through the notifications app. A notice names no child; the link
leads to the page, which applies the access rules again."""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import User
from earlyhelp.families.access import can_open_household
from earlyhelp.notifications.models import NotificationKind
from earlyhelp.notifications.services import notification_send, notifications_send

from .models import RequestStatus, StepDown, StepUp, StepUpStatus, SupportRequest


def _active(check) -> QuerySet[User]:
    return User.objects.filter(role__in=capabilities.roles_for(check), is_active=True).order_by("pk")


def request_triaged(*, actor: User, support_request: SupportRequest, lead: User | None) -> None:
    """Tell the practitioner who asked what the Early Help Team decided, and who leads the family's help."""
    requester = support_request.requested_by
    if requester is None or requester.pk == actor.pk:
        return
    text = f"Your request for support {support_request.reference} was triaged: {support_request.get_status_display()}."
    if support_request.status == RequestStatus.ASSESSMENT and lead is not None:
        agency = f" ({lead.agency.name})" if lead.agency is not None else ""
        text += f" The lead professional is {lead.display_name}{agency}."
    notification_send(
        recipient=requester,
        kind=NotificationKind.REQUEST_TRIAGED,
        text=text,
        link=reverse("journey:request", args=[support_request.pk]),
    )


def step_up_awaiting(*, actor: User, step_up: StepUp) -> None:
    """Managers who may open the family's record are asked to approve the step up."""
    managers = [
        manager
        for manager in _active(capabilities.can_approve_step_up)
        if can_open_household(manager, step_up.household)
    ]
    notifications_send(
        recipients=managers,
        actor=actor,
        kind=NotificationKind.STEP_UP_AWAITING,
        text=f"A step up to {step_up.to_team.name} awaits a manager's approval.",
        link=reverse("journey:step-up", args=[step_up.pk]),
    )


def step_up_decided(*, actor: User, step_up: StepUp) -> None:
    """The one who asked for the step up hears the decision; if sent, social care's team is asked to answer."""
    link = reverse("journey:step-up", args=[step_up.pk])
    sent = step_up.status == StepUpStatus.SENT
    if step_up.requested_by is not None:
        decision = "approved and sent to" if sent else "not approved for"
        notifications_send(
            recipients=[step_up.requested_by],
            actor=actor,
            kind=NotificationKind.STEP_UP_DECIDED,
            text=f"Your step up was {decision} {step_up.to_team.name}.",
            link=link,
        )
    if sent:
        notifications_send(
            recipients=_active(capabilities.can_answer_step_up).filter(team=step_up.to_team),
            actor=actor,
            kind=NotificationKind.STEP_UP_TO_ANSWER,
            text=f"A step up was sent to {step_up.to_team.name} to answer.",
            link=link,
        )


def step_up_answered(*, actor: User, step_up: StepUp) -> None:
    """The one who asked for the step up hears social care's answer."""
    if step_up.requested_by is None:
        return
    notifications_send(
        recipients=[step_up.requested_by],
        actor=actor,
        kind=NotificationKind.STEP_UP_ANSWERED,
        text=f"Social care answered your step up: {step_up.get_status_display()}.",
        link=reverse("journey:step-up", args=[step_up.pk]),
    )


def step_down_to_accept(*, actor: User, step_down: StepDown) -> None:
    """The Early Help Team is asked to accept a family stepped down from social care, by its date."""
    accept_by = timezone.localtime(step_down.accept_by)
    notifications_send(
        recipients=_active(capabilities.can_accept_step_down),
        actor=actor,
        kind=NotificationKind.STEP_DOWN_TO_ACCEPT,
        text=f"A family was stepped down to early help: accept or decline by {accept_by:%-d %B %Y}.",
        link=reverse("journey:step-down", args=[step_down.pk]),
    )
