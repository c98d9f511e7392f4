"""Query budgets: every page and API endpoint of the permission matrix answers in a fixed number of
database queries, and that number does not grow with the size of the family or the caseload, so an
N+1 (a query per member, note or action) cannot creep in.

Each URL is requested by a role the matrix lets in, first with a family of a realistic size (several
members, case notes, consents, plan actions and meetings, assessment needs, chronology entries, and
other families on the user's caseload with their requests, step ups and step downs: 3 units of
growth), then with all of it grown to 5 units. Every request runs in a savepoint that is rolled back,
so a write is measured against the same records each time; a first request, also rolled back, warms
the per-process caches so the two that count see the same steady state.
"""

import copy
import re
from collections import Counter
from dataclasses import dataclass

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.assessments.models import AssessmentVersion, MemberSection
from earlyhelp.directory.models import Organization
from earlyhelp.families.models import InvolvementRole
from earlyhelp.journey.models import ChronologyEntry
from earlyhelp.plans.models import Plan
from tests.assessments.factories import NeedFactory, WorryGoalFactory
from tests.dataprotection.factories import AlertFactory, CaseNoteFactory, ConsentFactory, ShareFactory
from tests.directory.factories import OrganizationFactory, ServiceFactory
from tests.factories import InvolvementFactory, MembershipFactory, UserFactory
from tests.journey.factories import (
    EpisodeFactory,
    SocialWorkerFactory,
    StepDownFactory,
    StepUpFactory,
    SupportRequestFactory,
)
from tests.permissions.matrix import (
    ANONYMOUS,
    BREAK_GLASS,
    INVOLVED,
    MISSING,
    NONE,
    ROLES,
    UNRELATED,
    Rule,
    World,
)
from tests.permissions.test_matrix import RULES, _world
from tests.plans.factories import (
    ActionFactory,
    MeetingFactory,
    MeetingInvitationFactory,
    OutcomeFactory,
    ReferralFactory,
    ScheduledMeetingFactory,
)

# The most queries each URL may make, for the role and relation `_caller` picks: the larger of the
# two databases' counts (PostgreSQL's is one more where an audit event is written: the chain's lock).
# A new page or endpoint needs an entry here as it needs a rule in the matrix; the failure names
# what it made.
BUDGETS: dict[str, int] = {
    "accounts:recovery-codes": 5,
    "accounts:sign-in": 0,
    "accounts:sign-out": 9,
    "accounts:two-factor-set-up": 11,
    "accounts:verify": 4,
    "api-docs": 0,
    "api-schema": 0,
    "assessments-api:household": 11,
    "assessments-api:quality": 25,
    "assessments-api:start": 26,
    "assessments-api:submit": 16,
    "assessments-api:version": 13,
    "assessments:compare": 27,
    "assessments:detail": 13,
    "assessments:edit": 14,
    "assessments:need-add": 14,
    "assessments:need-remove": 19,
    "assessments:quality": 13,
    "assessments:start": 13,
    "assessments:submit": 14,
    "assessments:version": 15,
    "assessments:worry-add": 14,
    "assessments:worry-remove": 17,
    "audit:person": 12,
    "audit:person-export": 13,
    "audit:search": 4,
    "consent-api:household": 11,
    "consent-api:withdraw": 18,
    "consent:decide": 5,
    "consent:decisions": 5,
    "consent:household": 13,
    "consent:record": 12,
    "consent:withdraw": 12,
    "consent:without-consent": 12,
    "datahub:dataset-change": 5,
    "datahub:dataset-create": 6,
    "datahub:register": 5,
    "datahub:upload": 6,
    "datahub:upload-report": 4,
    "datahub:upload-status": 5,
    "dataprotection:alert-dismiss": 10,
    "dataprotection:break-glass": 5,
    "dataprotection:overview": 6,
    "dataprotection:subject-access": 9,
    "dataprotection:subject-access-json": 42,
    "dataprotection:subject-access-pdf": 42,
    "directory:coverage": 12,
    "directory:coverage-export": 10,
    "directory:home": 6,
    "directory:listing": 15,
    "directory:listing-confirm": 6,
    "directory:listing-create": 9,
    "directory:listing-edit": 16,
    "directory:listing-review": 13,
    "directory:listing-submit": 6,
    "directory:review-queue": 6,
    "directory:stale": 6,
    "families-api:household": 11,
    "families-api:known-check": 9,
    "families-api:person": 8,
    "families-api:person-search": 12,
    "families:household": 16,
    "families:household-create": 5,
    "families:known-check": 4,
    "families:member-add": 10,
    "families:member-add-known": 10,
    "families:member-move-out": 11,
    "families:merge": 20,
    "families:merge-undo": 15,
    "families:person": 15,
    "families:person-edit": 9,
    "families:person-merge": 34,
    "families:person-merge-pick": 18,
    "families:person-nhs-missing": 9,
    "families:relationship-add": 11,
    "families:search": 4,
    "find-help:guide": 0,
    "find-help:home": 2,
    "find-help:search": 4,
    "find-help:service": 11,
    "healthz": 1,
    "home:dashboard": 13,
    "insights:export": 13,
    "insights:report": 14,
    "journey-api:chronology": 10,
    "journey-api:episode-close": 47,
    "journey-api:household": 15,
    "journey-api:indicators": 4,
    "journey-api:levels": 10,
    "journey-api:request": 10,
    "journey-api:request-triage": 20,
    "journey-api:requests": 8,
    "journey-api:step-down": 10,
    "journey-api:step-down-decide": 17,
    "journey-api:step-down-new": 17,
    "journey-api:step-up": 10,
    "journey-api:step-up-decide": 24,
    "journey-api:step-up-new": 36,
    "journey-api:step-up-respond": 71,
    "journey-api:step-ups": 8,
    "journey-public:feedback": 1,
    "journey-public:request": 0,
    "journey-public:request-sent": 0,
    "journey:chronology": 13,
    "journey:episode-close": 12,
    "journey:household": 17,
    "journey:level-new": 12,
    "journey:request": 13,
    "journey:request-check": 4,
    "journey:request-new": 4,
    "journey:request-triage": 16,
    "journey:request-triage-families": 12,
    "journey:requests": 9,
    "journey:step-down": 11,
    "journey:step-down-decide": 11,
    "journey:step-down-new": 10,
    "journey:step-up": 11,
    "journey:step-up-decide": 11,
    "journey:step-up-new": 14,
    "journey:step-up-respond": 11,
    "journey:step-ups": 9,
    "notes-api:household": 10,
    "notes:household": 11,
    "oruk:openapi": 0,
    "oruk:root": 0,
    "oruk:service": 11,
    "oruk:service-at-location": 15,
    "oruk:service-at-locations": 1,
    "oruk:services": 2,
    "oruk:taxonomies": 2,
    "oruk:taxonomy": 2,
    "oruk:taxonomy-term": 1,
    "oruk:taxonomy-terms": 2,
    "plans-api:action-status": 30,
    "plans-api:actions": 18,
    "plans-api:household": 10,
    "plans-api:meetings": 18,
    "plans-api:plan": 18,
    "plans:action-add": 23,
    "plans:action-status": 20,
    "plans:household": 13,
    "plans:meeting": 22,
    "plans:meeting-add": 23,
    "plans:outcome-add": 20,
    "plans:pdf": 26,
    "plans:plan": 27,
    "plans:start": 11,
    "plans:meeting-schedule": 21,
    "plans:scheduled-meeting": 21,
    "plans:scheduled-meeting-reschedule": 21,
    "plans:scheduled-meeting-cancel": 21,
    "plans:scheduled-meeting-respond": 25,
    "plans:scheduled-meeting-ics": 20,
    "plans-api:scheduled-meetings": 20,
    "plans-api:scheduled-meeting-respond": 27,
    "plans-api:scheduled-meeting-ics": 20,
    "plans:taf-add": 21,
    "plans:taf-remove": 24,
    "readyz": 2,
    "referrals-api:accept": 20,
    "referrals-api:complete": 20,
    "referrals-api:decline": 20,
    "referrals-api:queue": 10,
    "referrals-api:referral": 17,
    "referrals:answer": 7,
    "referrals:complete": 7,
    "referrals:queue": 13,
    "referrals:referral": 18,
    "datahub:identification": 9,
    "datahub:identification-dismiss": 9,
    "datahub:partners-only": 7,
    "datahub:person-from-record": 6,
    "datahub:review": 11,
    "datahub:review-queue": 7,
    "datahub:duplicates": 20,
    "datahub:duplicates-find": 5,
    "datahub:duplicate-not-same": 18,
    "documents-api:download": 13,
    "documents-api:household": 10,
    "documents:download": 13,
    "documents:household": 11,
    "insights:confidence": 6,
    "insights:confidence-results": 17,
    "insights:cost-of-demand": 20,
    "notifications:inbox": 7,
    "notifications-api:inbox": 4,
    "notifications-api:read": 11,
    "notifications-api:read-all": 4,
    "notifications:read": 11,
    "notifications:preferences": 6,
    "notifications:read-all": 5,
    "outcomes:claims": 10,
    "outcomes:prepare": 10,
    "outcomes:near-misses": 10,
    "outcomes:progress-return-csv": 17,
    "outcomes:progress-return": 18,
    "outcomes:submit": 10,
    "outcomes:sign-off": 10,
    "oversight:caseload": 9,
    "oversight:transfer": 14,
    "oversight-api:caseload": 8,
    "oversight-api:lead-change": 40,
    "oversight-api:supervision": 10,
    "oversight-api:transfer": 51,
    "oversight:lead-change": 12,
    "oversight:supervision": 11,
    "insights:dashboard": 9,
    "insights:dashboard-download": 8,
}

# Writes that touch each of the family's records by design, each audited on its own: the queries
# these make grow, a unit of growth, by a fixed number of statements and audit events, and no more.
# (An audit event is a read of the chain's head and an insert, and on PostgreSQL the chain's lock.)
PER_UNIT: dict[str, tuple[int, int, str]] = {
    "journey-api:episode-close": (1, 1, "closing an episode ends each involvement, and audits each"),
    "journey-api:step-up-respond": (
        4,
        2,
        "social care's answer records a referral and a care episode for each child, and audits each",
    ),
}


def _audit_event_queries() -> int:
    # One insert: the event joins the hash chain when it is sealed, after the request's commit
    # (docs/decisions/0007-audit-sealed-in-batches.md).
    return 1


# Units of growth (each: a member, a note, a consent, an action, a meeting, a need, another family
# on the caseload, ...) in the realistic family and in the bigger one.
REALISTIC = 3
BIGGER = 5
# Relations to the record, most telling first: the user works with the family, or the URL is about
# no family, or (for public records and the data protection officer) the record simply exists.
RELATIONS = (INVOLVED, NONE, UNRELATED, BREAK_GLASS)


@dataclass(frozen=True)
class Caller:
    role: str
    relation: str


def _caller(rule: Rule) -> Caller:
    """The first role and relation the matrix lets through: a success; else a redirect for someone
    signed in (a write that went through); else any answer but "not found"."""
    tried = [
        Caller(role, relation)
        for relation in RELATIONS
        if relation in rule.relations and relation != MISSING
        for role in ROLES
    ]
    tiers = (
        lambda caller, status: status in (200, 201),
        lambda caller, status: status == 302 and caller.role != ANONYMOUS,
        lambda caller, status: status != 404,
    )
    for wanted in tiers:
        for caller in tried:
            if wanted(caller, rule.expect(caller.role, caller.relation)):
                return caller
    raise AssertionError("no role reaches this URL")


@dataclass
class Colleagues:
    """The practitioners who write the family's records, taking turns as they would, and the social
    worker and the provider the caseload's step downs and the directory's listings come from."""

    practitioners: list
    social_worker: object
    provider: object

    def __getitem__(self, index: int):
        return self.practitioners[index % len(self.practitioners)]


def _colleagues() -> Colleagues:
    return Colleagues([UserFactory() for _ in range(3)], SocialWorkerFactory(), OrganizationFactory())


def _grow(world: World, colleagues: Colleagues, units: int) -> None:
    """Add `units` of everything a family's pages and the caseload's lists show."""
    household = world.household
    plans = list(Plan.objects.filter(household=household))
    versions = list(AssessmentVersion.objects.filter(episode__household=household))
    user = world.user
    for index in range(units):
        colleague, next_colleague = colleagues[index], colleagues[index + 1]
        person = MembershipFactory(household=household).person
        InvolvementFactory(household=household, practitioner=colleague, role=InvolvementRole.TAF_MEMBER)
        CaseNoteFactory(household=household, author=colleague)
        ConsentFactory(person=person, recorded_by=colleague, agencies=[colleague.agency, next_colleague.agency])
        ConsentFactory(person=world.person, recorded_by=colleague, agencies=[colleague.agency])
        ChronologyEntry.objects.create(
            household=household,
            person=person,
            occurred_at=timezone.now(),
            kind="note",
            summary="Home visit",
            actor=colleague,
        )
        for plan in plans:
            OutcomeFactory(plan=plan)
            ActionFactory(plan=plan, practitioner=colleague)
            MeetingFactory(plan=plan, recorded_by=colleague)
            arranged = ScheduledMeetingFactory(plan=plan, organiser=colleague)
            MeetingInvitationFactory(scheduled_meeting=arranged, practitioner=colleague)
        for version in versions:
            MemberSection.objects.create(version=version, person=person, is_child=True)
            NeedFactory(version=version, person=person)
            WorryGoalFactory(version=version)
        # Another family on the caseload, with its way in and out of early help.
        other = MembershipFactory().household
        if user is not None:
            InvolvementFactory(household=other, practitioner=user, role=InvolvementRole.LEAD_PROFESSIONAL)
            AlertFactory(recipient=user)
        SupportRequestFactory(household=other, requested_by=colleague)
        StepUpFactory(
            episode=EpisodeFactory(household=other), requested_by=colleague, to_team=colleagues.social_worker.team
        )
        StepDownFactory(household=other, requested_by=colleagues.social_worker)
        ShareFactory(household=other, requested_by=colleague)
        ServiceFactory(organization=colleagues.provider)
        # A referral in the queue of each organisation the user keeps listings for.
        if user is not None:
            for organization in Organization.objects.filter(editors__user=user):
                ReferralFactory(service__organization=organization, person=person)


def _queries(client, rule: Rule, url: str, data) -> list[str]:
    """The statements one request runs, with whatever it writes rolled back."""
    cookies = client.cookies
    client.cookies = copy.deepcopy(cookies)  # signing out, say, must not sign the next request out
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        if data is None:
            client.generic(rule.method, url)
        else:
            getattr(client, rule.method.lower())(url, data)
        transaction.set_rollback(True)
    client.cookies = cookies
    # Savepoints are the test's own rollback and the services' nested transactions, not reads.
    return [query["sql"] for query in captured.captured_queries if "SAVEPOINT" not in query["sql"].upper()]


def _grown(realistic: list[str], bigger: list[str]) -> str:
    """The statements, literals aside, that the bigger family ran more often: where the N+1 is."""

    def shapes(statements: list[str]) -> Counter:
        return Counter(re.sub(r"'[^']*'|\b\d+\b", "?", sql)[:300] for sql in statements)

    grew = shapes(bigger) - shapes(realistic)
    return "\n".join(f"{times} more: {shape}" for shape, times in grew.most_common(5))


CASES = [pytest.param(name, id=name) for name in sorted(RULES)]


@pytest.mark.django_db
@pytest.mark.parametrize("name", CASES)
def test_each_url_keeps_its_query_budget_however_large_the_family(client, name):
    rule = RULES[name]
    caller = _caller(rule)
    world = _world(caller.role, caller.relation)
    if world.user is not None:
        client.force_login(world.user)
    url = reverse(name, kwargs=rule.kwargs(world, caller.relation))
    data = rule.data(world) if rule.data else None
    colleagues = _colleagues()

    _grow(world, colleagues, REALISTIC)
    _queries(client, rule, url, data)
    realistic = _queries(client, rule, url, data)
    _grow(world, colleagues, BIGGER - REALISTIC)
    bigger = _queries(client, rule, url, data)

    statements, audit_events, _ = PER_UNIT.get(name, (0, 0, ""))
    per_unit = statements + audit_events * _audit_event_queries()
    assert len(bigger) - len(realistic) == per_unit * (BIGGER - REALISTIC), (
        f"{rule.method} {name} as {caller.role} made {len(realistic)} queries for a family of {REALISTIC} units "
        f"and {len(bigger)} for {BIGGER}, a query per row (select_related or prefetch_related):\n"
        + _grown(realistic, bigger)
    )
    assert name in BUDGETS, f"{name} has no query budget: add {name!r}: {len(realistic)} to BUDGETS"
    assert len(realistic) <= BUDGETS[name], (
        f"{rule.method} {name} made {len(realistic)} queries, over its budget of {BUDGETS[name]}"
    )
