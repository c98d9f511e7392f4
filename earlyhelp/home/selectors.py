"""What waits for each role on their home page: the front door's queues and the steps to decide."""

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import User
from earlyhelp.assessments.models import AssessmentStatus, AssessmentVersion
from earlyhelp.families.access import visible_households
from earlyhelp.journey import selectors as journey

# How many items of each list the home page shows; the full lists are a link away.
SHOWN = 8


@dataclass
class WorkLists:
    awaiting_triage: int = 0
    triage_overdue: int = 0
    for_quality_assurance: list[AssessmentVersion] = field(default_factory=list)
    step_downs: QuerySet | list = field(default_factory=list)
    step_ups: QuerySet | list = field(default_factory=list)
    my_requests: QuerySet | list = field(default_factory=list)


def work_lists(user: User) -> WorkLists:
    """The queues this user acts on, each limited to what the user may see."""
    lists = WorkLists()
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
        lists.step_downs = journey.step_downs_awaiting().order_by("accept_by")[:SHOWN]
    if capabilities.can_see_step_ups(user):
        lists.step_ups = journey.step_ups_for(user)[:SHOWN]
    if capabilities.sees_own_requests(user):
        lists.my_requests = journey.requests_made_by(user)[:SHOWN]
    return lists
