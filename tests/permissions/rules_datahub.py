"""Access rules of the partnership data hub, about no family's record: the register for the data
protection officer, administrators and the Early Help Team; registering a dataset for administrators;
loading files and following them for the Early Help Team."""

from earlyhelp.accounts.models import Role

from .matrix import ANONYMOUS, FORBIDDEN, MISSING, NONE, NOT_FOUND, OK, SIGN_IN, Rule, World, no_kwargs, only


def early_help_team_record(role: str, relation: str) -> int:
    """A dataset or an upload: the Early Help Team opens it; a missing one is not found."""
    if role == ANONYMOUS:
        return SIGN_IN
    if role != Role.COORDINATOR:
        return FORBIDDEN
    return NOT_FOUND if relation == MISSING else OK


def _dataset(world: World):
    from tests.datahub.support import DatasetFactory

    return DatasetFactory()


def dataset_kwargs(world: World, relation: str) -> dict:
    return {"dataset_id": 999_999 if relation == MISSING else _dataset(world).pk}


def _upload(world: World, *, refused: bool):
    from earlyhelp.datahub.services import dataset_upload_receive
    from tests.datahub.support import csv_upload, good_rows
    from tests.factories import UserFactory

    rows = good_rows(1)
    if refused:
        rows[0]["sessions_missed"] = "many"
    return dataset_upload_receive(
        actor=UserFactory(role=Role.COORDINATOR), dataset=_dataset(world), file=csv_upload(rows)
    )


def upload_kwargs(world: World, relation: str) -> dict:
    return {"upload_id": 999_999 if relation == MISSING else _upload(world, refused=False).pk}


def refused_upload_kwargs(world: World, relation: str) -> dict:
    return {"upload_id": 999_999 if relation == MISSING else _upload(world, refused=True).pk}


def administrators_record(role: str, relation: str) -> int:
    """A dataset's agreement, basis and retention: administrators change them; a missing one is not found."""
    if role == ANONYMOUS:
        return SIGN_IN
    if role != Role.ADMIN:
        return FORBIDDEN
    return NOT_FOUND if relation == MISSING else OK


RECORD_RELATIONS = (NONE, MISSING)

RULES = {
    "datahub:register": Rule(no_kwargs, only(Role.DPO, Role.ADMIN, Role.COORDINATOR)),
    "datahub:dataset-create": Rule(no_kwargs, only(Role.ADMIN)),
    "datahub:dataset-change": Rule(dataset_kwargs, administrators_record, relations=RECORD_RELATIONS),
    "datahub:upload": Rule(dataset_kwargs, early_help_team_record, relations=RECORD_RELATIONS),
    "datahub:upload-status": Rule(upload_kwargs, early_help_team_record, relations=RECORD_RELATIONS),
    "datahub:upload-report": Rule(refused_upload_kwargs, early_help_team_record, relations=RECORD_RELATIONS),
}
