import pytest

from earlyhelp.families.models import MemberRole
from tests.assessments.factories import ApprovedVersionFactory
from tests.browser_support import browser, page  # noqa: F401 - fixtures
from tests.factories import InvolvementFactory, MembershipFactory, PersonFactory
from tests.mail_support import mail_server  # noqa: F401 - a real SMTP server on loopback

from .factories import PlanFactory


@pytest.fixture
def plan(db):
    """A plan for an open episode of a family of a parent and a child, following their approved
    assessment."""
    plan = PlanFactory()
    MembershipFactory(household=plan.household, role=MemberRole.CHILD)
    MembershipFactory(household=plan.household, person=PersonFactory(), role=MemberRole.PARENT)
    ApprovedVersionFactory(episode=plan.episode)
    return plan


@pytest.fixture
def lead(plan):
    return InvolvementFactory(household=plan.household, role="lead").practitioner
