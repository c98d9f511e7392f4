"""The admin: changes to a person's role, agency and team are audited; no family's record is there."""

import pytest
from django.contrib import admin
from django.urls import reverse

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import Action, AuditEvent
from tests.factories import TeamFactory, UserFactory

# Apps whose models hold families' personal data: reading them must go through the access choke point.
PERSONAL_DATA_APPS = {"families", "consent", "dataprotection", "notifications", "audit"}


@pytest.fixture
def superuser(db):
    return UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)


def _change_form_data(client, user) -> dict:
    form = client.get(reverse("admin:accounts_user_change", args=[user.pk])).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name in ("last_login", "date_joined"):
            data[f"{name}_0"] = value.strftime("%Y-%m-%d") if value else ""
            data[f"{name}_1"] = value.strftime("%H:%M:%S") if value else ""
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif hasattr(value, "pk"):
            data[name] = value.pk
        elif isinstance(value, list | tuple):
            data[name] = [getattr(item, "pk", item) for item in value]
        elif value is not None and name != "password":
            data[name] = value
    return data


@pytest.mark.django_db
def test_an_admin_change_of_role_writes_an_audit_event(client, superuser):
    person = UserFactory(role=Role.PRACTITIONER)
    client.force_login(superuser)
    data = _change_form_data(client, person) | {"role": Role.MANAGER}
    response = client.post(reverse("admin:accounts_user_change", args=[person.pk]), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.role == Role.MANAGER
    event = AuditEvent.objects.get(object_type="user", object_id=str(person.pk), details__field="role")
    assert event.action == Action.CHANGE
    assert event.actor == superuser
    assert event.details == {"field": "role", "from": Role.PRACTITIONER, "to": Role.MANAGER}


@pytest.mark.django_db
def test_an_admin_change_of_team_writes_an_audit_event(client, superuser):
    person = UserFactory()
    other_team = TeamFactory(agency=person.agency)
    client.force_login(superuser)
    data = _change_form_data(client, person) | {"team": other_team.pk}
    client.post(reverse("admin:accounts_user_change", args=[person.pk]), data)
    person.refresh_from_db()
    assert person.team == other_team
    assert AuditEvent.objects.filter(object_id=str(person.pk), details__field="team_id", details__to=other_team.pk)


@pytest.mark.django_db
def test_an_admin_save_that_changes_no_role_writes_no_role_event(client, superuser):
    person = UserFactory(role=Role.PRACTITIONER)
    client.force_login(superuser)
    client.post(reverse("admin:accounts_user_change", args=[person.pk]), _change_form_data(client, person))
    assert not AuditEvent.objects.filter(object_id=str(person.pk), details__field="role").exists()


@pytest.mark.django_db
def test_a_superuser_sees_no_case_record_in_the_admin(client, superuser, family):
    client.force_login(superuser)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert {app["app_label"] for app in index.context["app_list"]}.isdisjoint(PERSONAL_DATA_APPS)
    assert client.get("/admin/families/household/").status_code == 404
    assert family.name not in index.content.decode()


def test_no_model_of_the_register_consent_or_data_protection_is_registered_in_the_admin():
    registered = {model._meta.app_label for model in admin.site._registry}
    assert registered.isdisjoint(PERSONAL_DATA_APPS)
