"""The journey in the admin: indicators are configuration, changed through an audited service; no
journey record, all of which hold personal data, is registered there."""

from types import SimpleNamespace

import pytest
from django.contrib import admin

from earlyhelp.audit.models import AuditEvent
from earlyhelp.journey.models import NeedIndicator
from tests.factories import UserFactory

JOURNEY_RECORDS = {
    "supportrequest",
    "episode",
    "levelofneed",
    "stepup",
    "stepdown",
    "steppromptnotice",
    "episodeclosure",
    "feedbackinvitation",
    "chronologyentry",
}


def test_no_journey_record_is_registered_in_the_admin():
    registered = {model._meta.model_name for model in admin.site._registry if model._meta.app_label == "journey"}
    assert registered == {"needindicator"}
    assert registered.isdisjoint(JOURNEY_RECORDS)


@pytest.mark.django_db
def test_an_indicator_changed_in_the_admin_is_audited_with_the_fields_changed(rf):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    indicator = NeedIndicator.objects.order_by("id").first()
    indicator.weight += 1
    request = rf.post("/admin/")
    request.user = superuser
    form = SimpleNamespace(changed_data=["weight"])
    admin.site._registry[NeedIndicator].save_model(request, indicator, form, True)
    event = AuditEvent.objects.get(actor=superuser, object_type="needindicator", object_id=str(indicator.pk))
    assert event.details == {"fields": ["weight"]}
    assert NeedIndicator.objects.get(pk=indicator.pk).weight == indicator.weight
