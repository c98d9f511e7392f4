"""The journey in the admin: indicators are configuration, changed through an audited service; no
journey record, all of which hold personal data, is registered there."""

import pytest
from django.contrib import admin
from django.urls import reverse

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
def test_an_indicator_changed_in_the_admin_is_audited_with_the_fields_changed(client):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    indicator = NeedIndicator.objects.order_by("id").first()
    url = reverse("admin:journey_needindicator_change", args=[indicator.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name, "") for name in form.fields}
    data = {name: ("on" if value is True else value) for name, value in data.items() if value is not False}
    data["weight"] = indicator.weight + 1
    response = client.post(url, data)
    assert response.status_code == 302
    event = AuditEvent.objects.get(actor=superuser, object_type="needindicator", object_id=str(indicator.pk))
    assert event.details == {"fields": ["weight"]}
