import json
from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.dataprotection import retention
from earlyhelp.dataprotection.services import retention_apply, retention_due_households
from earlyhelp.dataprotection.subject_access import EXEMPTION_REVIEW
from earlyhelp.families.models import Household, Person
from tests.dataprotection.factories import CaseNoteFactory
from tests.factories import HouseholdFactory, InvolvementFactory, MembershipFactory, PersonFactory, UserFactory

TODAY = date(2030, 6, 1)


def _family(*, child_born: date, involvement_ended: date | None):
    household = HouseholdFactory()
    Household.objects.filter(pk=household.pk).update(created_at=datetime(2000, 1, 1, tzinfo=UTC))
    child = MembershipFactory(household=household, person=PersonFactory(date_of_birth=child_born)).person
    InvolvementFactory(household=household, started_on=date(2000, 1, 1), ended_on=involvement_ended)
    return household, child


def test_a_family_is_kept_until_the_youngest_child_is_25():
    facts = retention.HouseholdFacts(
        youngest_child_born=date(2004, 2, 29), last_worked_with=date(2010, 1, 1), still_worked_with=False
    )
    until = retention.household_keep_until(facts, youngest_child_age=25, years_since_last_involvement=6)
    assert until == date(2029, 2, 28)


def test_a_family_someone_still_works_with_is_never_due():
    facts = retention.HouseholdFacts(
        youngest_child_born=date(1990, 1, 1), last_worked_with=date(2000, 1, 1), still_worked_with=True
    )
    assert retention.household_keep_until(facts, youngest_child_age=25, years_since_last_involvement=6) is None


@pytest.mark.django_db
def test_retention_deletes_expired_families_keeps_others_and_keeps_the_audit():
    old, old_child = _family(child_born=date(2000, 1, 1), involvement_ended=date(2012, 1, 1))
    young, _ = _family(child_born=date(2020, 1, 1), involvement_ended=date(2022, 1, 1))
    CaseNoteFactory(household=old)
    assert retention_due_households(TODAY) == [old]
    dry = retention_apply(today=TODAY, dry_run=True)
    assert dry.households_deleted == [str(old.id)]
    assert Household.objects.filter(pk=old.pk).exists()
    report = retention_apply(today=TODAY)
    assert report.households_deleted == [str(old.id)]
    assert not Household.objects.filter(pk=old.pk).exists()
    assert not Person.objects.filter(pk=old_child.pk).exists()
    assert Household.objects.filter(pk=young.pk).exists()
    assert AuditEvent.objects.filter(household_id=old.id, action="delete", purpose="retention policy").exists()


@pytest.mark.django_db
def test_the_retention_command_reports_a_dry_run_and_runs_the_job(capsys):
    _family(child_born=date(1990, 1, 1), involvement_ended=date(2005, 1, 1))
    call_command("apply_retention", "--dry-run")
    dry = json.loads(capsys.readouterr().out)
    assert dry["dry_run"] is True
    assert dry["households_deleted"] == 1
    assert Household.objects.count() == 1
    call_command("apply_retention")
    assert json.loads(capsys.readouterr().out)["households_deleted"] == 1
    assert Household.objects.count() == 0


@pytest.mark.django_db
def test_the_dpo_exports_everything_held_about_a_person_as_json_and_pdf(client):
    membership = MembershipFactory()
    CaseNoteFactory(household=membership.household, text="Visited at home")
    officer = UserFactory(role=Role.DPO)
    client.force_login(officer)
    response = client.get(f"/data-protection/people/{membership.person_id}/subject-access.json")
    data = json.loads(response.content)
    assert data["person"]["nhs_number"] == membership.person.nhs_number
    notes = data["households"][0]["records_about_the_household"]["notes.casenote"]
    assert notes[0]["text"] == "Visited at home"
    pdf = client.get(f"/data-protection/people/{membership.person_id}/subject-access.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(actor=officer, action="export", person_id=membership.person_id).count() == 2


@pytest.mark.django_db
def test_another_agencys_confidential_note_is_exported_marked_for_exemption_review_and_the_audit_says_so(client):
    membership = MembershipFactory()
    CaseNoteFactory(household=membership.household, text="Seen at school", confidential=False)
    CaseNoteFactory(household=membership.household, text="Disclosed to the school nurse", confidential=True)
    officer = UserFactory(role=Role.DPO)
    client.force_login(officer)
    data = json.loads(client.get(f"/data-protection/people/{membership.person_id}/subject-access.json").content)
    notes = {n["text"]: n for n in data["households"][0]["records_about_the_household"]["notes.casenote"]}
    assert notes["Disclosed to the school nurse"]["exemption_review"] == EXEMPTION_REVIEW
    assert "exemption_review" not in notes["Seen at school"]
    event = AuditEvent.objects.get(actor=officer, action="export", person_id=membership.person_id)
    assert event.details["for_exemption_review"] == 1
