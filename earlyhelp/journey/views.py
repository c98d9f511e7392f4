"""Pages of the early help journey. Each view parses, calls one selector or service, and renders."""

import hashlib
import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.decorators import capability_required, casework_required
from earlyhelp.families import selectors as family_selectors
from earlyhelp.families.access import access_household_by_id, can_open_household, visible_households
from earlyhelp.families.forms import KnownCheckForm
from earlyhelp.families.models import Household
from earlyhelp.families.selectors import KnownAnswer
from earlyhelp.web.pages import form_flow, form_page, record_form_flow, service_save

from . import casework, selectors, services
from .forms import (
    NEW_FAMILY,
    ChronologyFilterForm,
    ClosureForm,
    FeedbackForm,
    LevelForm,
    PublicRequestForm,
    RequestForm,
    StepDownDecisionForm,
    StepDownForm,
    StepUpDecisionForm,
    StepUpForm,
    StepUpResponseForm,
    TriageForm,
)
from .models import EpisodeStatus, RequestStatus, StepDownStatus, StepUpStatus

REQUEST_CHECK = "journey/request_check.html"
TOO_MANY_REQUESTS = (
    "Too many requests have been sent in the last hour: please try again later, or phone the council on {phone}"
)


# --- Requests for support ---------------------------------------------------------------------------------


@casework_required
@require_http_methods(["GET", "POST"])
def request_check(request):
    """Before a request is started: is the child already known, and who is involved?"""
    form = KnownCheckForm(request.POST or None)
    page = {"heading": "Before you ask for early help", "submit": "Check", "submit_style": "secondary"}

    def answered(answer: KnownAnswer) -> HttpResponse:
        data = form.cleaned_data
        continue_url = (
            reverse("journey:request-new")
            + "?"
            + urlencode(
                {
                    "child_given_name": data["given_name"],
                    "child_family_name": data["family_name"],
                    "child_date_of_birth": data["date_of_birth"] or "",
                    "checked": "1",
                }
            )
        )
        # The answer names only contacts, so "you lead" is the user's own contact line among them.
        you_lead = answer.early_help_open and request.user.contact_line in answer.contacts
        return form_page(
            request, form, template=REQUEST_CHECK, answer=answer, continue_url=continue_url, you_lead=you_lead, **page
        )

    return form_flow(
        request,
        form,
        save=lambda data: family_selectors.person_known_check(user=request.user, **data),
        success=answered,
        template=REQUEST_CHECK,
        **page,
    )


@casework_required
@require_http_methods(["GET", "POST"])
def request_new(request):
    household = None
    if request.GET.get("household"):
        household = access_household_by_id(request.user, request.GET["household"], purpose="request for support")
    initial = {
        name: request.GET.get(name, "")
        for name in (
            "child_given_name",
            "child_family_name",
            "child_date_of_birth",
            "address_line_1",
            "postcode",
            "concerns",
        )
    }
    form = RequestForm(request.POST or None, initial=initial)

    def sent(made) -> str:
        messages.success(request, f"Request {made.reference} sent to the Early Help Team")
        return reverse("journey:request", args=[made.id])

    return form_flow(
        request,
        form,
        save=lambda data: services.support_request_create(
            actor=request.user, details=form.details(), household=household
        ),
        success=sent,
        heading="Ask for early help for a family",
        caption=household.name if household else "",
        submit="Send the request",
        cancel=reverse("journey:requests"),
        template="journey/request_new.html",
        household=household,
        panel=selectors.involvement_panel(household) if household else None,
        checked=request.GET.get("checked") == "1",
    )


# A large authority's front door can hold hundreds of requests, and a practitioner makes hundreds over the
# years: each list is shown a page at a time (the triage queue most urgent first, one's own newest first).
REQUESTS_PER_PAGE = 50


@casework_required
@require_GET
def request_list(request):
    triage = capabilities.can_triage(request.user)
    made = Paginator(selectors.requests_made_by(request.user), REQUESTS_PER_PAGE).get_page(request.GET.get("made"))
    lists: dict[str, Iterable[Model]] = {"mine": made.object_list}
    awaiting = None
    if triage:
        awaiting = Paginator(selectors.requests_awaiting_triage(), REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
        lists |= {"awaiting": awaiting.object_list, "step_downs": selectors.step_downs_awaiting()}
    shown = selectors.listed(request.user, purpose="requests for support", **lists)
    context = {"now": timezone.now(), "triage": triage, "awaiting_page": awaiting, "made_page": made}
    return render(request, "journey/request_list.html", shown | context)


@casework_required
@require_GET
def request_detail(request, request_id):
    support_request = selectors.access_request_by_id(request.user, request_id)
    household = support_request.household
    return render(
        request,
        "journey/request_detail.html",
        {
            "support_request": support_request,
            # The requester may follow their request without being let into the family's record.
            "can_open_family": household is not None and can_open_household(request.user, household),
            "lead": selectors.request_lead(support_request),
            "can_triage": capabilities.can_triage(request.user)
            and support_request.status == RequestStatus.AWAITING_TRIAGE,
        },
    )


def _triage_options(request, support_request) -> tuple[list[Household], Household | None]:
    """The families the picker offers: the search's results (audited as a list), else the family the
    request names or the known-check matches, which is also the one preselected."""
    matched = selectors.request_family_match(request.user, support_request)
    # A family chosen from an earlier search stays offered when the form comes back with errors.
    posted = selectors.family_by_id(request.user, request.POST.get("household", ""))
    query = request.GET.get("q", "").strip()
    if query:
        found = selectors.listed(
            request.user, purpose="family search for triage", households=selectors.family_search(request.user, query)
        )["households"]
    else:
        found = [matched] if matched else []
    return list(dict.fromkeys([*found, *([posted] if posted else [])])), matched


@capability_required(capabilities.can_triage)
@require_http_methods(["GET", "POST"])
def request_triage(request, request_id):
    support_request = selectors.access_request_by_id(request.user, request_id, purpose="triage")
    options, matched = _triage_options(request, support_request)
    form = TriageForm(
        request.POST or None,
        households=visible_households(request.user),
        options=options,
        initial={"household": str(matched.pk) if matched else "", "to_team": selectors.step_up_default_team()},
    )
    return form_flow(
        request,
        form,
        save=lambda data: services.support_request_triage(
            actor=request.user,
            support_request=support_request,
            decision=data["decision"],
            note=data["note"],
            household=data["household"] if data["household"] != NEW_FAMILY else None,
            new_family=data["household"] == NEW_FAMILY,
            lead=data["lead"],
            mash_reasons=data["reasons"],
            to_team=data["to_team"],
        ),
        success=reverse("journey:request", args=[support_request.id]),
        done=f"Request {support_request.reference} triaged",
        heading=f"Triage request {support_request.reference}",
        submit="Record the decision",
        cancel=reverse("journey:request", args=[support_request.id]),
        template="journey/request_triage.html",
        support_request=support_request,
        can_open_family=True,
        query=request.GET.get("q", ""),
        families_url=reverse("journey:request-triage-families", args=[support_request.id]),
    )


@capability_required(capabilities.can_triage)
@require_GET
def request_triage_families(request, request_id):
    """The picker's search as you type: GOV.UK radios of the matching families, for htmx to swap in."""
    support_request = selectors.access_request_by_id(request.user, request_id, purpose="triage")
    options, matched = _triage_options(request, support_request)
    form = TriageForm(
        households=visible_households(request.user),
        options=options,
        initial={"household": str(matched.pk) if matched else ""},
    )
    return render(request, "journey/_family_options.html", {"form": form})


def _hashed(kind: str, value: str) -> str:
    # Only a hash is kept, and only for an hour.
    return f"journey:public-request:{kind}:" + hashlib.sha256(value.encode()).hexdigest()[:32]


def _limit_keys(request, form: PublicRequestForm) -> dict[str, tuple[str, int]]:
    """The counters a request from the public form adds to, each with its hourly limit: the child it is
    about (so one family's details cannot be sent over and over) and, far higher, the connecting address
    (which the families on a family hub's Wi-Fi share)."""
    details = form.details()
    child = "|".join(
        value.strip().lower()
        for value in (
            details.child_given_name,
            details.child_family_name,
            str(details.child_date_of_birth or ""),
            details.postcode.replace(" ", ""),
        )
    )
    journey = settings.EARLY_HELP.journey
    return {
        "child": (_hashed("child", child), journey.public_requests_per_hour),
        "address": (
            _hashed("address", request.META.get("REMOTE_ADDR", "")),
            journey.public_requests_per_address_per_hour,
        ),
    }


@require_http_methods(["GET", "POST"])
def public_request(request):
    """A family asks for help for itself: no sign-in. A hidden trap field, a limit per child and a
    generous one per connecting address keep robots out (docs/journey.md)."""
    form = PublicRequestForm(request.POST or None)

    def send(_data: dict[str, Any]) -> None:
        if form.is_robot:
            return
        counters = _limit_keys(request, form)
        if any(cache.get(key, 0) >= limit for key, limit in counters.values()):
            raise ValidationError({NON_FIELD_ERRORS: TOO_MANY_REQUESTS.format(phone=settings.EARLY_HELP.council_phone)})
        made = services.support_request_create_by_family(details=form.details())
        for key, _limit in counters.values():
            cache.set(key, cache.get(key, 0) + 1, timeout=3600)
        request.session["journey_public_reference"] = made.reference

    return form_flow(
        request,
        form,
        save=send,
        success=reverse("journey-public:request-sent"),
        heading="Ask for help for your family",
        submit="Send",
        template="journey/public_request.html",
    )


@require_GET
def public_request_sent(request):
    reference = request.session.pop("journey_public_reference", "")
    return render(request, "journey/public_request_sent.html", {"reference": reference})


FEEDBACK_PAGE = "journey/public_feedback.html"
FEEDBACK_NOT_FOUND = (
    "We cannot find a survey at this address. Check the link you were given: it is 16 letters and numbers. "
    "If it still does not work, phone the council on {phone}."
)
FEEDBACK_TOO_MANY = "This survey has been opened too many times in the last hour: please try again later."


def _feedback_refused(request, message: str, *, status: int) -> HttpResponse:
    return render(
        request, FEEDBACK_PAGE, {"refused": message, "heading": "Tell us how the support went"}, status=status
    )


@require_http_methods(["GET", "POST"])
def public_feedback(request, token):
    """The family's feedback survey, through the single-use link made at closure: no sign-in, nothing about
    the family shown. Every page asked for counts against the connecting address's hourly limit, so a link
    cannot be found by guessing (docs/journey.md)."""
    counter = _hashed("feedback-address", request.META.get("REMOTE_ADDR", ""))
    if cache.get(counter, 0) >= settings.EARLY_HELP.journey.public_feedback_per_address_per_hour:
        return _feedback_refused(request, FEEDBACK_TOO_MANY, status=429)
    cache.set(counter, cache.get(counter, 0) + 1, timeout=3600)
    invitation = selectors.feedback_invitation_by_token(token)
    phone = settings.EARLY_HELP.council_phone
    if invitation is None:
        return _feedback_refused(request, FEEDBACK_NOT_FOUND.format(phone=phone), status=404)
    if invitation.responded_at is not None:
        return _feedback_refused(request, services.FEEDBACK_ALREADY_GIVEN, status=410)
    if invitation.expires_at <= timezone.now():
        return _feedback_refused(request, services.FEEDBACK_LINK_EXPIRED.format(phone=phone), status=410)
    form = FeedbackForm(request.POST or None)
    page = {"heading": "Tell us how the support went", "submit": "Send", "template": FEEDBACK_PAGE}
    return form_flow(
        request,
        form,
        save=lambda _data: services.feedback_submit(invitation=invitation, answers=form.answers()),
        success=lambda _answered: form_page(request, form, done=True, **page),
        **page,
    )


# --- The family's journey ---------------------------------------------------------------------------------


@casework_required
@require_GET
def household_journey(request, household_id):
    household = access_household_by_id(request.user, household_id, purpose="early help journey")
    episode = selectors.active_episode(household)
    return render(
        request,
        "journey/household.html",
        {
            "household": household,
            "episode": episode,
            "episodes": selectors.household_episodes(household),
            "level": selectors.current_level(household),
            "levels": selectors.level_history(household)[:10],
            "panel": selectors.involvement_panel(household),
            "step_ups": household.step_ups.select_related("to_team"),
            "step_downs": household.step_downs.all(),
            "prompts": household.step_prompts.filter(episode=episode) if episode else [],
            "requests": household.support_requests.all(),
            "can_step_up": episode is not None
            and episode.status == EpisodeStatus.OPEN
            and capabilities.can_lead(request.user),
            "can_close": episode is not None and capabilities.can_lead(request.user),
            "can_step_down": capabilities.can_step_down(request.user),
        },
    )


@casework_required
@require_GET
def chronology(request, household_id):
    household = access_household_by_id(request.user, household_id, purpose="chronology")
    people = [membership.person for membership in family_selectors.household_members(household)]
    form = ChronologyFilterForm(request.GET or None, kinds=selectors.chronology_kinds(household), people=people)
    filters = selectors.ChronologyFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.ChronologyFilter(
            kinds=tuple(data["kind"]), person_id=data["person"] or None, since=data["since"], until=data["until"]
        )
    return render(
        request,
        "journey/chronology.html",
        {"household": household, "form": form, "entries": selectors.chronology(household, filters)},
    )


@casework_required
@require_http_methods(["GET", "POST"])
def level_new(request, household_id):
    household = access_household_by_id(request.user, household_id, purpose="level of need")
    form = LevelForm(request.POST or None)
    return form_flow(
        request,
        form,
        save=lambda data: services.level_record(
            actor=request.user,
            household=household,
            indicator_ids=form.indicator_ids(),
            level=data["level"],
            reason=data["reason"],
        ),
        success=reverse("journey:household", args=[household.id]),
        done="Level of need recorded",
        heading="Level of need",
        caption=household.name,
        submit="Record the level",
        cancel=reverse("journey:household", args=[household.id]),
        template="journey/level_new.html",
        household=household,
        weights_json=json.dumps({i.id: [i.weight, i.minimum_level] for i in selectors.active_indicators()}),
        thresholds_json=json.dumps(list(settings.EARLY_HELP.journey.level_weight_thresholds)),
    )


# --- Step up ----------------------------------------------------------------------------------------------

DECISION_RECORDED = "Decision recorded"
RECORD_DECISION = "Record the decision"


@capability_required(capabilities.can_lead)
@require_http_methods(["GET", "POST"])
def step_up_new(request, episode_id):
    episode = selectors.access_episode_by_id(request.user, episode_id, purpose="step up")
    return form_flow(
        request,
        StepUpForm(request.POST or None, initial={"to_team": selectors.step_up_default_team()}),
        save=service_save(request, services.step_up_request, episode=episode),
        success=lambda step_up: reverse("journey:step-up", args=[step_up.id]),
        done="Step up sent to a manager for approval",
        heading="Step up to children's social care",
        caption=episode.household.name,
        submit="Ask for approval",
        cancel=reverse("journey:household", args=[episode.household_id]),
    )


@casework_required
@require_GET
def step_up_list(request):
    shown = selectors.listed(request.user, purpose="step ups", step_ups=selectors.step_ups_for(request.user))
    return render(request, "journey/step_up_list.html", shown)


@casework_required
@require_GET
def step_up_detail(request, step_up_id):
    step_up = selectors.access_step_up_by_id(request.user, step_up_id)
    return render(
        request,
        "journey/step_up_detail.html",
        {
            "step_up": step_up,
            "history": step_up.history,
            "can_decide": capabilities.can_approve_step_up(request.user, step_up)
            and step_up.status == StepUpStatus.AWAITING_APPROVAL,
            "can_respond": capabilities.can_answer_step_up(request.user, step_up)
            and step_up.status == StepUpStatus.SENT,
        },
    )


@capability_required(capabilities.can_approve_step_up)
@require_http_methods(["GET", "POST"])
def step_up_decide(request, step_up_id):
    step_up = selectors.access_step_up_by_id(request.user, step_up_id, purpose="step up decision")
    return record_form_flow(
        request,
        StepUpDecisionForm(request.POST or None),
        back=reverse("journey:step-up", args=[step_up.id]),
        caption=step_up.household.name,
        save=lambda data: services.step_up_decide(
            actor=request.user, step_up=step_up, approve=data["decision"] == "approve", comment=data["comment"]
        ),
        done=DECISION_RECORDED,
        heading="Approve the step up?",
        submit=RECORD_DECISION,
    )


@capability_required(capabilities.can_answer_step_up)
@require_http_methods(["GET", "POST"])
def step_up_respond(request, step_up_id):
    step_up = selectors.access_step_up_by_id(request.user, step_up_id, purpose="step up response")
    url = reverse("journey:step-up", args=[step_up.id])
    return record_form_flow(
        request,
        StepUpResponseForm(request.POST or None),
        back=url,
        caption=step_up.household.name,
        save=service_save(request, services.step_up_respond, step_up=step_up),
        # After no further action the step up is no longer the social worker's to answer.
        success=lambda answered: (
            reverse("journey:step-ups") if answered.status == StepUpStatus.NO_FURTHER_ACTION else url
        ),
        done="Response recorded",
        heading="Respond to the step up",
        submit="Record the response",
    )


# --- Step down --------------------------------------------------------------------------------------------


@capability_required(capabilities.can_step_down)
@require_http_methods(["GET", "POST"])
def step_down_new(request, household_id):
    household = access_household_by_id(request.user, household_id, purpose="step down")
    return form_flow(
        request,
        StepDownForm(request.POST or None),
        save=service_save(request, services.step_down_request, household=household),
        success=lambda step_down: reverse("journey:step-down", args=[step_down.id]),
        done="Step down sent to the Early Help Team",
        heading="Step down to early help",
        caption=household.name,
        submit="Send to the Early Help Team",
        cancel=reverse("journey:household", args=[household.id]),
    )


@casework_required
@require_GET
def step_down_detail(request, step_down_id):
    step_down = selectors.access_step_down_by_id(request.user, step_down_id)
    return render(
        request,
        "journey/step_down_detail.html",
        {
            "step_down": step_down,
            "can_decide": capabilities.can_accept_step_down(request.user, step_down)
            and step_down.status == StepDownStatus.AWAITING_ACCEPTANCE,
        },
    )


@capability_required(capabilities.can_accept_step_down)
@require_http_methods(["GET", "POST"])
def step_down_decide(request, step_down_id):
    step_down = selectors.access_step_down_by_id(request.user, step_down_id, purpose="step down decision")
    return record_form_flow(
        request,
        StepDownDecisionForm(request.POST or None),
        back=reverse("journey:step-down", args=[step_down.id]),
        caption=step_down.household.name,
        save=lambda data: services.step_down_decide(
            actor=request.user,
            step_down=step_down,
            accept=data["decision"] == "accept",
            lead=data["lead"],
            note=data["note"],
        ),
        done=DECISION_RECORDED,
        heading="Accept the step down?",
        submit=RECORD_DECISION,
    )


# --- Closure ----------------------------------------------------------------------------------------------


@capability_required(capabilities.can_lead)
@require_http_methods(["GET", "POST"])
def episode_close(request, episode_id):
    episode = selectors.access_episode_by_id(request.user, episode_id, purpose="closure")
    needs = casework.assessed_needs(episode.household)
    form = ClosureForm(request.POST or None, needs=needs)

    def close(data):
        results = [
            services.NeedResult(
                need_text=need["text"],
                need_ref=need["ref"],
                outcome_area=need["area_code"],
                outcome=data[f"need_{index}"],
            )
            for index, need in enumerate(needs)
        ]
        return services.episode_close(
            actor=request.user, episode=episode, reason=data["reason"], detail=data["detail"], need_results=results
        )

    def closed(made: services.Closed) -> HttpResponse:
        # The feedback link's token exists only now, so it is shown in place rather than after a redirect.
        # The lead's own involvement ended with the episode: they may no longer open the family.
        back = (
            reverse("journey:household", args=[episode.household_id])
            if can_open_household(request.user, episode.household)
            else reverse("home:dashboard")
        )
        link = request.build_absolute_uri(reverse("journey-public:feedback", args=[made.feedback.token]))
        return render(
            request,
            "journey/closed.html",
            {
                "link": link,
                "token": made.feedback.token,
                "expires_at": made.feedback.invitation.expires_at,
                "back": back,
            },
        )

    return form_flow(
        request,
        form,
        save=close,
        success=closed,
        heading="Close the episode",
        caption=episode.household.name,
        submit="Close the episode",
        cancel=reverse("journey:household", args=[episode.household_id]),
    )
