"""Access rules of the partnership data hub: the register for the data protection officer,
administrators and the Early Help Team; registering a dataset for administrators; loading files and
following them for the Early Help Team; the identification list, and dismissing a family from it
(about one family's record, missing and not found alike), for the Early Help Team."""

from earlyhelp.accounts.models import Role

from .matrix import (
    ANONYMOUS,
    FORBIDDEN,
    INVOLVED,
    MISSING,
    NONE,
    NOT_FOUND,
    OK,
    SIGN_IN,
    UNRELATED,
    Rule,
    World,
    no_kwargs,
    only,
    record,
)


def record_for(allowed: str):
    """A dataset or an upload, opened by one role only; a missing one is not found."""

    def expect(role: str, relation: str) -> int:
        if role == ANONYMOUS:
            return SIGN_IN
        if role != allowed:
            return FORBIDDEN
        return NOT_FOUND if relation == MISSING else OK

    return expect


# Datasets' files are loaded and followed by the Early Help Team; a dataset's terms are changed by
# administrators.
EARLY_HELP_TEAM_RECORD = record_for(Role.COORDINATOR)
ADMINISTRATORS_RECORD = record_for(Role.ADMIN)


def reviewers_record(role: str, relation: str) -> int:
    """A partner record in review: the Early Help Team and the data protection officer open it; a record
    that is missing or not in review is not found."""
    if role == ANONYMOUS:
        return SIGN_IN
    if role not in (Role.COORDINATOR, Role.DPO):
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


def review_kwargs(world: World, relation: str) -> dict:
    """A partner record in review whose candidate is the world's person."""
    if relation == MISSING:
        return {"record_id": 999_999}
    from earlyhelp.datahub.models import LinkStatus
    from tests.datahub.linking import an_upload, partner_records

    record = partner_records(an_upload(_dataset(world)), [{"record_id": "R1", "given_name": "Sam"}])["R1"]
    record.link_status = LinkStatus.IN_REVIEW
    record.person = world.person
    record.match_probability = 0.9
    record.save()
    return {"record_id": record.pk}


def partners_only_kwargs(world: World, relation: str) -> dict:
    """A partner record known to partners only."""
    if relation == MISSING:
        return {"record_id": 999_999}
    from earlyhelp.datahub.models import LinkStatus
    from tests.datahub.linking import an_upload, partner_records

    record = partner_records(an_upload(_dataset(world)), [{"record_id": "R1", "given_name": "Sam"}])["R1"]
    record.link_status = LinkStatus.PARTNERS_ONLY
    record.save()
    return {"record_id": record.pk}


def _duplicate_pair(world: World):
    """A likely duplicate pair waiting for review: the world's person and someone much like them."""
    from earlyhelp.datahub.duplicates import ordered
    from earlyhelp.datahub.models import RegisterDuplicate
    from tests.factories import MembershipFactory

    other = MembershipFactory(household=world.household).person
    low, high = ordered(world.person.pk, other.pk)
    return RegisterDuplicate.objects.create(
        person_a=low,
        person_b=high,
        match_probability=0.95,
        match_weight=4.2,
        band="review",
        match_weights={"given_name": 3.1, "dob": -2.0},
    )


def duplicates_kwargs(world: World, relation: str) -> dict:
    """The list of likely duplicates, with one pair on it."""
    _duplicate_pair(world)
    return {}


def duplicate_kwargs(world: World, relation: str) -> dict:
    return {"pair_id": 999_999 if relation == MISSING else _duplicate_pair(world).pk}


RECORD_RELATIONS = (NONE, MISSING)

RULES = {
    "datahub:register": Rule(no_kwargs, only(Role.DPO, Role.ADMIN, Role.COORDINATOR)),
    "datahub:dataset-create": Rule(no_kwargs, only(Role.ADMIN)),
    "datahub:dataset-change": Rule(dataset_kwargs, ADMINISTRATORS_RECORD, relations=RECORD_RELATIONS),
    "datahub:upload": Rule(dataset_kwargs, EARLY_HELP_TEAM_RECORD, relations=RECORD_RELATIONS),
    "datahub:upload-status": Rule(upload_kwargs, EARLY_HELP_TEAM_RECORD, relations=RECORD_RELATIONS),
    "datahub:upload-report": Rule(refused_upload_kwargs, EARLY_HELP_TEAM_RECORD, relations=RECORD_RELATIONS),
    "datahub:identification": Rule(no_kwargs, only(Role.COORDINATOR)),
    # The coordinator sees the whole caseload, so involved or not the family opens; a missing one is not found.
    "datahub:identification-dismiss": Rule(
        record("household_id", "household"), EARLY_HELP_TEAM_RECORD, relations=(INVOLVED, UNRELATED, MISSING)
    ),
    "datahub:review-queue": Rule(no_kwargs, only(Role.COORDINATOR, Role.DPO)),
    "datahub:review": Rule(review_kwargs, reviewers_record, relations=RECORD_RELATIONS),
    "datahub:partners-only": Rule(no_kwargs, only(Role.COORDINATOR, Role.DPO)),
    "datahub:person-from-record": Rule(partners_only_kwargs, EARLY_HELP_TEAM_RECORD, relations=RECORD_RELATIONS),
    # The register's likely duplicates: the Early Help Team, who merge records.
    "datahub:duplicates": Rule(duplicates_kwargs, only(Role.COORDINATOR)),
    "datahub:duplicates-find": Rule(no_kwargs, only(Role.COORDINATOR)),
    "datahub:duplicate-not-same": Rule(duplicate_kwargs, EARLY_HELP_TEAM_RECORD, relations=RECORD_RELATIONS),
}
