"""Everything the register holds about one person, for a subject access request."""

from datetime import date, datetime
from typing import Any

from django.db import models
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.families.models import Household, Person

# Fields that say how the system works rather than what it holds about the person.
SKIPPED_FIELDS = {"search_name"}
SKIPPED_RELATIONS = {"memberships", "previous_names"}
# A record another agency marked confidential (a case note) goes into the export, but marked: the
# officer reviews it for an exemption (for example third-party or serious-harm information under
# the Data Protection Act 2018, Schedules 2 and 3) before anything is disclosed.
EXEMPTION_REVIEW = "Confidential to the agency that wrote it: review for an exemption before disclosure"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


def _fields(instance: models.Model) -> dict[str, Any]:
    values = {}
    for field in instance._meta.concrete_fields:
        if field.name in SKIPPED_FIELDS:
            continue
        if field.is_relation:
            related = getattr(instance, field.name)
            values[field.name] = str(related) if related is not None else None
        else:
            values[field.name] = _plain(field.value_from_object(instance))
    return values


def _review_mark(row: models.Model) -> dict[str, str]:
    return {"exemption_review": EXEMPTION_REVIEW} if getattr(row, "confidential", False) is True else {}


def for_exemption_review(data: dict[str, Any]) -> int:
    """How many records in an export are marked for the officer's exemption review."""

    def count(records: dict[str, list[dict[str, Any]]]) -> int:
        return sum(1 for rows in records.values() for row in rows if "exemption_review" in row)

    return count(data["records_about_the_person"]) + sum(
        count(household["records_about_the_household"]) for household in data["households"]
    )


def _related(instance: models.Model) -> dict[str, list[dict[str, Any]]]:
    """Records in every app that point at this record: new apps' records are found without change here."""
    found: dict[str, list[dict[str, Any]]] = {}
    for relation in instance._meta.related_objects:
        if not (relation.one_to_many or relation.one_to_one) or relation.get_accessor_name() in SKIPPED_RELATIONS:
            continue
        model = relation.related_model
        # Each row's own links are named in the export: fetched with the rows, not one query a row.
        links = [field.name for field in model._meta.concrete_fields if field.is_relation]
        rows = model._default_manager.filter(**{relation.field.name: instance}).select_related(*links)
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        items = [_fields(row) | _review_mark(row) for row in rows]
        if items:
            found.setdefault(label, []).extend(items)
    return found


def subject_access_data(person: Person) -> dict[str, Any]:
    """The person's record, their households and everything pointing at either, and who looked at it."""
    memberships = person.memberships.select_related("household").order_by("started_on")
    households: list[Household] = [membership.household for membership in memberships]
    views = AuditEvent.objects.filter(person_id=person.id).order_by("at", "id")
    return {
        "generated_at": timezone.now().isoformat(),
        "person": _fields(person),
        "previous_names": [_fields(name) for name in person.previous_names.all()],
        "records_about_the_person": _related(person),
        "households": [
            {
                "household": _fields(membership.household),
                "lived_there": {
                    "role": membership.role,
                    "from": _plain(membership.started_on),
                    "until": _plain(membership.ended_on),
                },
                "records_about_the_household": _related(membership.household),
            }
            for membership in memberships
        ],
        "access_to_the_record": [
            {
                "at": _plain(event.at),
                "who": event.actor_username,
                "role": event.actor_role,
                "agency": event.actor_agency,
                "action": event.action,
                "purpose": event.purpose,
            }
            for event in views
        ],
        "households_count": len(households),
    }
