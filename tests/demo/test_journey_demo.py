"""The demo borough's journey: each demo role finds work of its own, made through the services."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from earlyhelp.assessments.models import AssessmentVersion
from earlyhelp.audit.models import AuditEvent
from earlyhelp.history.models import ImportedRow
from earlyhelp.journey.models import Episode, StepDown, StepUp, SupportRequest
from earlyhelp.plans.models import PlanAction, ServiceReferral

pytestmark = pytest.mark.django_db


def test_the_demo_journey_has_work_at_every_stage_for_every_role_and_every_record_is_audited():
    call_command("seed_demo", families=120, seed=7, stdout=StringIO())

    statuses = set(SupportRequest.objects.values_list("status", flat=True))
    assert {"awaiting_triage", "advice", "universal", "assessment"} <= statuses
    assert {"draft", "submitted", "returned", "approved"} <= set(
        AssessmentVersion.objects.values_list("status", flat=True)
    )
    assert PlanAction.objects.filter(due_on__lt=timezone.localdate(), status="not_started").exists()
    assert PlanAction.objects.filter(plan__episode__household__involvements__practitioner__username="practitioner")
    assert {"awaiting_approval", "sent", "nfa"} <= set(StepUp.objects.values_list("status", flat=True))
    assert {"awaiting_acceptance", "accepted"} <= set(StepDown.objects.values_list("status", flat=True))
    assert {"open", "closed"} <= set(Episode.objects.values_list("status", flat=True))
    # The demo provider editor has referrals in their queue, and some still wait for consent.
    referrals = ServiceReferral.objects.filter(organization__editors__user__username="provider")
    assert referrals.exclude(status="awaiting_consent").exists()
    assert ServiceReferral.objects.filter(status="awaiting_consent").exists()
    audited = set(AuditEvent.objects.filter(object_type="supportrequest").values_list("object_id", flat=True))
    # The history's requests are audited together, by the one event of their import.
    imported = set(ImportedRow.objects.filter(file="requests").values_list("record_id", flat=True))
    assert imported
    assert AuditEvent.objects.filter(object_type="history_import").count() == 1
    made_here = {str(pk) for pk in SupportRequest.objects.values_list("pk", flat=True)} - imported
    assert made_here <= {str(i) for i in audited}
