"""What waits for each role on their home page: the front door's queues, the steps to decide, the
families they work with and overdue plan work, each list audited as shown."""

from dataclasses import dataclass, field

from django.utils import timezone

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import User
from earlyhelp.assessments.models import AssessmentStatus, AssessmentVersion
from earlyhelp.families.access import visible_households
from earlyhelp.families.selectors import household_involvements_for_user
from earlyhelp.journey import selectors as journey
from earlyhelp.plans.selectors import overdue_work

# How many items of each list the home page shows; the full lists are a link away.
SHOWN = 8
# The purpose recorded with the audit event of the lists a home page shows.
HOME_PAGE = "home page"


@dataclass
class WorkLists:
    awaiting_triage: int = 0
    triage_overdue: int = 0
    for_quality_assurance: list = field(default_factory=list)
    step_downs: list = field(default_factory=list)
    step_ups: list = field(default_factory=list)
    my_requests: list = field(default_factory=list)
    my_involvements: list = field(default_factory=list)
    plan_reviews: list = field(default_factory=list)
    plan_actions: list = field(default_factory=list)


LISTS = (
    "for_quality_assurance",
    "step_downs",
    "step_ups",
    "my_requests",
    "my_involvements",
    "plan_reviews",
    "plan_actions",
)


def work_lists(user: User) -> WorkLists:
    """The queues this user acts on, each limited to what the user may see, and audited as shown:
    one event naming the id of every record on each list and the families they are about, so that a
    person's audit trail shows the lists their family appeared in."""
    lists = WorkLists(my_involvements=list(household_involvements_for_user(user)))
    if capabilities.can_triage(user):
        waiting = journey.requests_awaiting_triage()
        lists.awaiting_triage = waiting.count()
        lists.triage_overdue = waiting.filter(triage_due_at__lt=timezone.now()).count()
        lists.for_quality_assurance = list(
            AssessmentVersion.objects.filter(
                status=AssessmentStatus.SUBMITTED, assessment__household__in=visible_households(user)
            )
            .select_related("assessment__household")
            .order_by("submitted_at")[:SHOWN]
        )
        lists.step_downs = list(journey.step_downs_awaiting().order_by("accept_by")[:SHOWN])
    if capabilities.can_see_step_ups(user):
        lists.step_ups = list(journey.step_ups_for(user)[:SHOWN])
    if capabilities.sees_own_requests(user):
        lists.my_requests = list(journey.requests_made_by(user).select_related("household")[:SHOWN])
    overdue = overdue_work(user=user)
    lists.plan_reviews, lists.plan_actions = overdue["reviews"], overdue["actions"]
    shown = {name: getattr(lists, name) for name in LISTS if getattr(lists, name)}
    if shown:
        journey.listed(user, purpose=HOME_PAGE, **shown)
    return lists
