"""Templates ask the capability checks through the `may` filter; queries choose people by check."""

import pytest
from django.template import Context, Template

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import Role

TEMPLATE = Template('{% load capabilities %}{% if user|may:"can_triage" %}triage{% else %}no{% endif %}')


@pytest.mark.django_db
def test_the_may_filter_lets_a_coordinator_triage(make_user):
    assert TEMPLATE.render(Context({"user": make_user(Role.COORDINATOR)})) == "triage"


@pytest.mark.django_db
def test_the_may_filter_refuses_a_practitioner_triage(make_user):
    assert TEMPLATE.render(Context({"user": make_user(Role.PRACTITIONER)})) == "no"


@pytest.mark.django_db
def test_the_may_filter_refuses_an_inactive_coordinator(make_user):
    assert TEMPLATE.render(Context({"user": make_user(Role.COORDINATOR, is_active=False)})) == "no"


def test_the_may_filter_fails_loudly_on_a_check_that_does_not_exist():
    template = Template('{% load capabilities %}{% if user|may:"can_fly" %}yes{% endif %}')
    with pytest.raises(KeyError):
        template.render(Context({"user": None}))


def test_the_people_who_decide_sharing_are_chosen_as_managers():
    assert capabilities.roles_for(capabilities.can_decide_sharing) == [Role.MANAGER]


def test_the_people_alerted_as_data_protection_officers_are_chosen_by_their_role():
    assert capabilities.roles_for(capabilities.is_data_protection_officer) == [Role.DPO]
