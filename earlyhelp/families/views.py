"""Pages of the family register. Each view parses, calls one selector or service, and renders."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.decorators import casework_required
from earlyhelp.web.pages import form_flow, record_form_flow

from . import known_elsewhere, selectors, services
from .access import RecordNotFound, access_household_by_id, access_person_by_id, can_open_household
from .forms import (
    HouseholdForm,
    KnownCheckForm,
    KnownMemberForm,
    MoveOutForm,
    NewMemberForm,
    PersonForm,
    PersonSearchForm,
    RelationshipForm,
)

KNOWN_CHECK_PAGE = "families/known_check.html"


@casework_required
@require_http_methods(["GET"])
def search(request):
    form = PersonSearchForm(request.GET or None)
    results = form.results(request.user)
    template = "families/_search_results.html" if request.htmx else "families/search.html"
    return render(request, template, {"form": form, "results": results})


@casework_required
@require_http_methods(["GET", "POST"])
def known_check(request):
    form = KnownCheckForm(request.POST or None)

    def check(data: dict) -> selectors.KnownAnswer:
        return selectors.person_known_check(
            user=request.user,
            given_name=data["given_name"],
            family_name=data["family_name"],
            date_of_birth=data["date_of_birth"],
            nhs_number=data["nhs_number"],
        )

    def page(answer: selectors.KnownAnswer | None) -> dict:
        return {
            "answer": answer,
            "can_break_glass": capabilities.can_break_glass(request.user),
            # The answer names only contacts, so "you lead" is the user's own contact line among them.
            "you_lead": answer is not None and answer.early_help_open and request.user.contact_line in answer.contacts,
            "request_query": _request_query(form.cleaned_data) if answer is not None else "",
        }

    # The answer is shown in place, on the same page as the question.
    return form_flow(
        request,
        form,
        save=check,
        success=lambda answer: render(request, KNOWN_CHECK_PAGE, {"form": form} | page(answer)),
        heading="Is this child already known?",
        template=KNOWN_CHECK_PAGE,
        **page(None),
    )


def _request_query(data: dict) -> str:
    """The checked child's details, carried into the request form so the check is not asked again."""
    return urlencode(
        {
            "child_given_name": data.get("given_name", ""),
            "child_family_name": data.get("family_name", ""),
            "child_date_of_birth": data.get("date_of_birth") or "",
            "checked": "1",
        }
    )


@casework_required
@require_http_methods(["GET"])
def person_detail(request, person_id):
    person = access_person_by_id(request.user, person_id)
    memberships = [
        (membership, can_open_household(request.user, membership.household))
        for membership in selectors.person_households(person)
    ]
    return render(
        request,
        "families/person_detail.html",
        {"person": person, "memberships": memberships, "relationships": selectors.person_relationships(person)},
    )


@casework_required
@require_http_methods(["GET", "POST"])
def person_edit(request, person_id):
    person = access_person_by_id(request.user, person_id, purpose="edit")
    initial = {name: getattr(person, name) for name in PersonForm.base_fields}
    form = PersonForm(request.POST or None, initial=initial)
    return form_flow(
        request,
        form,
        save=lambda data: services.person_update(actor=request.user, person=person, details=form.details()),
        success=reverse("families:person", args=[person.id]),
        done="Details saved",
        heading=f"Change details of {person.full_name}",
        cancel=reverse("families:person", args=[person.id]),
    )


@casework_required
@require_http_methods(["GET", "POST"])
def relationship_add(request, person_id):
    person = access_person_by_id(request.user, person_id, purpose="add relationship")
    form = RelationshipForm(request.POST or None, relatives=selectors.person_household_companions(person))
    return form_flow(
        request,
        form,
        save=lambda data: services.relationship_add(actor=request.user, person=person, **data),
        success=reverse("families:person", args=[person.id]),
        done="Relationship recorded",
        heading=f"Add a relationship for {person.full_name}",
        caption="Relationships",
        cancel=reverse("families:person", args=[person.id]),
    )


@casework_required
@require_http_methods(["GET"])
def household_detail(request, household_id):
    household = access_household_by_id(request.user, household_id)
    return render(
        request,
        "families/household_detail.html",
        {
            "household": household,
            "members": selectors.household_members(household),
            "involvements": selectors.household_involvements(household),
            "data_holders": known_elsewhere.data_holders(household),
        },
    )


@casework_required
@require_http_methods(["GET", "POST"])
def household_create(request):
    form = HouseholdForm(request.POST or None)

    def added(household) -> str:
        messages.success(request, f"{household.name} added. Now add the people who live there.")
        return reverse("families:household", args=[household.id])

    return form_flow(
        request,
        form,
        save=lambda data: services.household_create(
            actor=request.user,
            name=data["name"],
            address_line_1=data["address_line_1"],
            address_line_2=data["address_line_2"],
            town=data["town"],
            postcode=data["postcode"],
            locality_id=data["locality"].id if data["locality"] else None,
        ),
        success=added,
        heading="Add a new family",
        submit="Add family",
        cancel=reverse("families:search"),
    )


def _household_form(request, household, form, **flow):
    """A form about one household: saved or cancelled, back to the household's page."""
    back = reverse("families:household", args=[household.id])
    return record_form_flow(request, form, back=back, caption=household.name, household=household, **flow)


@casework_required
@require_http_methods(["GET", "POST"])
def member_add(request, household_id):
    household = access_household_by_id(request.user, household_id, purpose="add member")
    form = NewMemberForm(request.POST or None)
    return _household_form(
        request,
        household,
        form,
        save=lambda data: services.household_add_new_person(
            actor=request.user,
            household=household,
            details=form.details(),
            role=data["role"],
            started_on=data["started_on"],
        ),
        done="Person added to the household",
        heading="Add a person",
        template="families/member_add.html",
    )


@casework_required
@require_http_methods(["GET", "POST"])
def member_add_known(request, household_id):
    household = access_household_by_id(request.user, household_id, purpose="add member")
    form = KnownMemberForm(request.POST or None, initial={"nhs_number": request.GET.get("nhs_number", "")})
    return _household_form(
        request,
        household,
        form,
        save=lambda data: services.household_add_known_person(actor=request.user, household=household, **data),
        done="Person added to the household",
        heading="Add someone already on the register",
    )


@casework_required
@require_http_methods(["GET", "POST"])
def member_move_out(request, household_id, membership_id):
    household = access_household_by_id(request.user, household_id, purpose="record a move")
    membership = household.memberships.select_related("person").filter(id=membership_id).first()
    if membership is None:
        raise RecordNotFound
    return _household_form(
        request,
        household,
        MoveOutForm(request.POST or None),
        save=lambda data: services.membership_end(actor=request.user, membership=membership, ended_on=data["ended_on"]),
        done=f"{membership.person.full_name} recorded as moved out",
        heading=f"Record that {membership.person.full_name} moved out",
    )
