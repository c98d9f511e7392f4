"""Access rules for the Early Help Assessment's pages (see matrix.py)."""

import uuid

from earlyhelp.accounts.models import Role

from .matrix import ANONYMOUS, INVOLVED, MISSING, UNRELATED, Rule, World, casework_record

RECORD = (INVOLVED, UNRELATED, MISSING)
FOUND = 302  # a POST that is allowed redirects back to the page


def _versions(world: World) -> dict:
    """An approved version 1 and a draft version 2 of the world household's assessment."""
    if "assessment" not in world.extra:
        from tests.assessments.factories import ApprovedVersionFactory, DraftVersionFactory, EpisodeFactory

        episode = EpisodeFactory(household=world.household)
        approved = ApprovedVersionFactory(episode=episode)
        draft = DraftVersionFactory(episode=episode)
        world.extra["assessment"] = {
            "approved": approved,
            "draft": draft,
            "need": draft.needs.create(outcome_area="housing", description="Damp flat"),
            "worry": draft.worry_goals.create(worry="Arguments", goal="Calm home"),
        }
    return world.extra["assessment"]


def _household(world: World, relation: str) -> dict:
    _versions(world)
    return {"household_id": uuid.uuid4() if relation == MISSING else world.household.pk}


def _draft(world: World, relation: str) -> dict:
    return _household(world, relation) | {"number": 2}


def _submitted(world: World, relation: str) -> dict:
    draft = _versions(world)["draft"]
    draft.status, draft.submitted_by = "submitted", draft.created_by
    draft.save()
    return _household(world, relation) | {"number": 2}


def _need(world: World, relation: str) -> dict:
    return _draft(world, relation) | {"need_id": _versions(world)["need"].pk}


def _worry(world: World, relation: str) -> dict:
    return _draft(world, relation) | {"worry_id": _versions(world)["worry"].pk}


def _compare(world: World, relation: str) -> dict:
    return _draft(world, relation) | {"other": 1}


def redirect_when_allowed(role: str, relation: str) -> int:
    status = casework_record(role, relation)
    return FOUND if status == 200 else status


def early_help_team(role: str, relation: str) -> int:
    """Quality assurance: the Early Help Team (coordinators) only, over the whole caseload."""
    if role == ANONYMOUS:
        return 302
    if role != Role.COORDINATOR:
        return 403
    return 404 if relation == MISSING else 200


RULES = {
    "assessments:detail": Rule(_household, casework_record, RECORD),
    "assessments:start": Rule(_household, casework_record, RECORD),
    "assessments:version": Rule(_draft, casework_record, RECORD),
    "assessments:edit": Rule(_draft, casework_record, RECORD),
    "assessments:need-add": Rule(_draft, casework_record, RECORD),
    "assessments:need-remove": Rule(_need, redirect_when_allowed, RECORD, method="POST", data=lambda world: {}),
    "assessments:worry-add": Rule(_draft, casework_record, RECORD),
    "assessments:worry-remove": Rule(_worry, redirect_when_allowed, RECORD, method="POST", data=lambda world: {}),
    "assessments:submit": Rule(_draft, casework_record, RECORD),
    "assessments:quality": Rule(_submitted, early_help_team, RECORD),
    "assessments:compare": Rule(_compare, casework_record, RECORD),
}
