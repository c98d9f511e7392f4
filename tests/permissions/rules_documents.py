"""Access rules for documents on a family's record, page and API (see matrix.py). A document is
opened only through its family, so the rule is the family's."""

from .matrix import (
    BREAK_GLASS,
    BREAK_GLASS_EXPIRED,
    INVOLVED,
    MISSING,
    UNRELATED,
    Rule,
    World,
    api,
    casework_record,
    record,
)

RECORD = (INVOLVED, UNRELATED, MISSING, BREAK_GLASS, BREAK_GLASS_EXPIRED)
household = record("household_id", "household")


def _document(world: World, relation: str) -> dict:
    from tests.documents.factories import DocumentFactory

    if "document" not in world.extra:
        world.extra["document"] = DocumentFactory(household=world.household)
    return household(world, relation) | {"document_id": world.extra["document"].pk}


RULES = {
    "documents:household": Rule(household, casework_record, RECORD),
    "documents:download": Rule(_document, casework_record, RECORD),
    "documents-api:household": Rule(household, api(casework_record), RECORD),
    "documents-api:download": Rule(_document, api(casework_record), RECORD),
}
