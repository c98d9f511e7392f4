"""Pages of the family register. Each view parses, calls one selector or service, and renders."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.decorators import capability_required, casework_required
from earlyhelp.web.pages import confirm_flow, form_flow, record_form_flow, service_save

from . import known_elsewhere, merging, rules, selectors, services
from .access import RecordNotFound, access_household_by_id, access_person_by_id, can_open_household
from .forms import (
    HouseholdForm,
    KnownCheckForm,
    KnownMemberForm,
    MergeForm,
    MoveOutForm,
    NewMemberForm,
    NhsNumberMissingForm,
    PersonForm,
    PersonSearchForm,
    RelationshipForm,
)
from .models import PersonMerge

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
    survivor = selectors.merge_survivor_seen_by(request.user, person_id)
    if survivor is not None:
        # A duplicate merged into another record: its rows are the survivor's now, so the survivor is shown.
        messages.info(request, "The record you opened was merged into this one as a duplicate")
        return redirect("families:person", survivor)
    person = access_person_by_id(request.user, person_id)
    memberships = [
        (membership, can_open_household(request.user, membership.household))
        for membership in selectors.person_households(person)
    ]
    return render(
        request,
        "families/person_detail.html",
        {
            "person": person,
            "memberships": memberships,
            "relationships": selectors.person_relationships(person),
            "merges": selectors.person_merges(person),
            "nhs_missing_may_be_recorded": not person.nhs_number
            and not rules.is_adult(person.date_of_birth, timezone.localdate()),
        },
    )


@casework_required
@require_http_methods(["GET", "POST"])
def person_nhs_missing(request, person_id):
    person = access_person_by_id(request.user, person_id, purpose="record why the NHS number is missing")
    form = NhsNumberMissingForm(
        request.POST or None,
        initial={"reason": person.nhs_number_missing_reason, "detail": person.nhs_number_missing_detail},
    )
    back = reverse("families:person", args=[person.id])
    return form_flow(
        request,
        form,
        save=service_save(request, services.person_nhs_number_missing_record, person=person),
        success=back,
        done="Reason for the missing NHS number recorded",
        heading=f"Why {person.full_name} has no NHS number",
        caption="NHS number",
        cancel=back,
    )


# Recorded with each opening of a record for a merge, and in the audit trail.
MERGE_PURPOSE = "merging duplicate records"


@capability_required(capabilities.can_merge_persons)
@require_GET
def person_merge_pick(request, person_id):
    survivor = access_person_by_id(request.user, person_id, purpose=MERGE_PURPOSE)
    # The search starts from the record's own name: its duplicates are most likely named alike.
    form = PersonSearchForm(request.GET or {"name": survivor.full_name})
    found = form.results(request.user)
    return render(
        request,
        "families/merge_pick.html",
        {
            "survivor": survivor,
            "form": form,
            "results": None if found is None else [person for person in found if person.pk != survivor.pk],
        },
    )


@capability_required(capabilities.can_merge_persons)
@require_http_methods(["GET", "POST"])
def person_merge(request, person_id, duplicate_id):
    survivor = access_person_by_id(request.user, person_id, purpose=MERGE_PURPOSE)
    duplicate = access_person_by_id(request.user, duplicate_id, purpose=MERGE_PURPOSE)
    back = reverse("families:person", args=[survivor.id])
    return form_flow(
        request,
        MergeForm(request.POST if request.method == "POST" else None),
        save=service_save(request, merging.person_merge, survivor=survivor, duplicate=duplicate),
        success=lambda merge: reverse("families:merge", args=[merge.pk]),
        done=f"The duplicate record was merged into the record of {survivor.full_name}",
        heading="Merge a duplicate record into this one?",
        caption=survivor.full_name,
        cancel=back,
        submit="Merge the records",
        submit_style="warning",
        template="families/merge.html",
        survivor=survivor,
        duplicate=duplicate,
        refusals=merging.merge_refusals(survivor, duplicate),
        details=selectors.persons_side_by_side(survivor, duplicate),
        moving=[(reference.name, count) for reference, count in merging.references_to(duplicate)],
    )


def _merge(request, merge_id: int) -> PersonMerge:
    """The merge, with both its records opened through the choke point (their views audited)."""
    merge = get_object_or_404(PersonMerge.objects.select_related("merged_by", "undone_by"), pk=merge_id)
    merge.survivor = access_person_by_id(request.user, merge.survivor_id, purpose=MERGE_PURPOSE)
    merge.duplicate = access_person_by_id(request.user, merge.duplicate_id, purpose=MERGE_PURPOSE)
    return merge


@capability_required(capabilities.can_merge_persons)
@require_GET
def merge_detail(request, merge_id):
    merge = _merge(request, merge_id)
    return render(
        request,
        "families/merge_detail.html",
        {
            "merge": merge,
            "moves": selectors.merge_moves(merge),
            "details": selectors.persons_side_by_side(merge.survivor, merge.duplicate),
            "refusals": merging.undo_refusals(merge),
        },
    )


@capability_required(capabilities.can_merge_persons)
@require_http_methods(["GET", "POST"])
def merge_undo(request, merge_id):
    merge = _merge(request, merge_id)
    refusals = merging.undo_refusals(merge)
    back = reverse("families:merge", args=[merge.pk])
    return confirm_flow(
        request,
        subject=None if refusals else merge,
        refusal=" ".join(refusals),
        save=lambda subject: merging.person_merge_undo(actor=request.user, merge=subject),
        success=back,
        done="Merge undone: the two records are separate again",
        heading="Undo this merge?",
        caption=f"{merge.duplicate.full_name} merged into {merge.survivor.full_name}",
        cancel=back,
        submit="Undo the merge",
        template="families/merge_undo.html",
        merge=merge,
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
