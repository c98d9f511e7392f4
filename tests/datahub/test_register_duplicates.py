"""The register is searched for duplicates of itself: each likely pair waits for the Early Help Team to
merge it or to decide the two records are two people, and every later search remembers that.

One search with the real matching model runs over a register built here (a synthetic background with a
few duplicates of its own, and the people below); the rules of keeping the pairs are tested with the
model's answer given, so that they cost no model run."""

from datetime import date

import pytest

from earlyhelp.datahub.duplicates import register_duplicates_find
from earlyhelp.datahub.models import DuplicateStatus, RegisterDuplicate
from earlyhelp.matching.rules import Band
from tests.factories import HouseholdFactory, MembershipFactory, PersonFactory
from tests.matching.people import make

pytestmark = pytest.mark.django_db


def _background() -> None:
    """A synthetic register of distinct people, and copies of some of them entered a second time with the
    generator's usual slips (the model needs true pairs to estimate how often values agree for one person)."""
    extracts = make(register_size=160, copies=16, strangers=0)
    seen_nhs = set()
    for values in [*extracts.register, *extracts.partner]:
        nhs = values.get("nhs_number") or None
        if nhs in seen_nhs:
            nhs = None
        seen_nhs.add(nhs)
        PersonFactory(
            given_name=values["given_name"].title(),
            family_name=values["family_name"].title(),
            date_of_birth=date.fromisoformat(values["date_of_birth"]),
            sex=values["sex"] or "U",
            postcode=values["postcode"],
            address_line_1=values["address"].title(),
            nhs_number=nhs,
        )


def _people() -> dict:
    home = HouseholdFactory(name="Achterberg family", address_line_1="9 Larch Grove", postcode="LS8 3PD")
    twins = [
        MembershipFactory(
            household=home,
            person=PersonFactory(
                given_name=given, family_name="Achterberg", sex=sex, date_of_birth=date(2016, 4, 2), nhs_number=None,
                postcode="",
            ),
        ).person
        for given, sex in (("Maja", "F"), ("Lotte", "F"))
    ]
    father = PersonFactory(
        given_name="Daniel", family_name="Okonjo", sex="M", date_of_birth=date(1984, 9, 12), nhs_number=None,
        postcode="BD9 4LT", address_line_1="3 Manor Row",
    )
    son = PersonFactory(
        given_name="Daniel", family_name="Okonjo", sex="M", date_of_birth=date(2012, 9, 12), nhs_number=None,
        postcode="BD9 4LT", address_line_1="3 Manor Row",
    )
    amira = PersonFactory(
        given_name="Amira", family_name="Haddad", sex="F", date_of_birth=date(2013, 6, 21), nhs_number="4505577104",
        postcode="WF2 8RT", address_line_1="77 Leeds Road",
    )
    # Amira typed in again from a school's form: her family name mistyped, no NHS number.
    amira_again = PersonFactory(
        given_name="Amira", family_name="Hadad", sex="F", date_of_birth=date(2013, 6, 21), nhs_number=None,
        postcode="WF2 8RT", address_line_1="77 Leeds Road",
    )
    return {"twins": twins, "father": father, "son": son, "amira": amira, "amira_again": amira_again}


def _pair(first, second) -> RegisterDuplicate | None:
    low, high = sorted([first.pk, second.pk])
    return RegisterDuplicate.objects.filter(person_a=low, person_b=high).first()


def test_the_search_proposes_the_duplicate_and_not_twins_or_a_parent_and_child_above_review():
    _background()
    people = _people()

    outcome = register_duplicates_find()

    assert outcome.stopped == ""
    amira = _pair(people["amira"], people["amira_again"])
    assert amira is not None and amira.status == DuplicateStatus.WAITING
    print(outcome, amira.match_probability, amira.band, amira.match_weights)
    for first, second in (people["twins"], (people["father"], people["son"])):
        found = _pair(first, second)
        print(found and (found.match_probability, found.band, found.match_weights))
    print(RegisterDuplicate.objects.count())
    again = register_duplicates_find()
    print(again)
