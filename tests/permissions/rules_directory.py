"""Access rules of the service directory.

Public: the Family Information Service pages and the Open Referral UK API, for everyone signed in or not.
Staff: a listing is open to the Early Help Team (coordinators) and to editors of the listing's
organisation; an editor of another organisation is told "not found", someone who edits nothing is
told the page is not for them. Review is for coordinators; coverage for coordinators, managers, analysts.

Relations here: INVOLVED, the person edits the listing's organisation; EDITOR_ELSEWHERE, they edit
another one; UNRELATED, they edit none; MISSING, they edit one but the listing does not exist.
"""

import uuid

from earlyhelp.accounts.models import Role
from earlyhelp.directory.models import DirectoryEditor, ServiceAtLocation
from earlyhelp.directory.needs import NEEDS_TAXONOMY_ID, need_term_id
from tests.directory.factories import OrganizationFactory, ServiceFactory, add_venue

from .matrix import (
    ANONYMOUS,
    FORBIDDEN,
    INVOLVED,
    MISSING,
    NOT_FOUND,
    OK,
    SIGN_IN,
    UNRELATED,
    Rule,
    World,
    no_kwargs,
    only,
    public,
    signed_in,
)

EDITOR_ELSEWHERE = "editor_elsewhere"
LISTING = (INVOLVED, EDITOR_ELSEWHERE, UNRELATED, MISSING)
PUBLIC_RECORD = (UNRELATED, MISSING)


def _listing(world: World, relation: str):
    """A published listing, and the world's user made an editor as the relation says."""
    service = ServiceFactory()
    if world.user is not None:
        if relation in (INVOLVED, MISSING):
            DirectoryEditor.objects.create(user=world.user, organization=service.organization)
        elif relation == EDITOR_ELSEWHERE:
            DirectoryEditor.objects.create(user=world.user, organization=OrganizationFactory())
    return service


def listing(url_kwarg: str = "service_id"):
    def kwargs(world: World, relation: str) -> dict:
        service = _listing(world, relation)
        return {url_kwarg: uuid.uuid4() if relation == MISSING else service.id}

    return kwargs


def published(url_kwarg: str, make=lambda service: service.id):
    """A published record for everyone to read, or a well-formed id of none."""

    def kwargs(world: World, relation: str) -> dict:
        if relation == MISSING:
            return {url_kwarg: uuid.uuid4()}
        return {url_kwarg: make(ServiceFactory())}

    return kwargs


def _place(service) -> uuid.UUID:
    place: ServiceAtLocation = add_venue(service, postcode="L36 9XY", latitude="53.41", longitude="-2.83")
    return place.id


def public_record(role: str, relation: str) -> int:
    return NOT_FOUND if relation == MISSING else OK


def listing_page(role: str, relation: str) -> int:
    if role == ANONYMOUS:
        return SIGN_IN
    if relation == MISSING:
        return NOT_FOUND
    if role == Role.COORDINATOR or relation == INVOLVED:
        return OK
    if relation == EDITOR_ELSEWHERE:
        return NOT_FOUND
    return FORBIDDEN


def editors_page(role: str, relation: str) -> int:
    if role == ANONYMOUS:
        return SIGN_IN
    return OK if role == Role.COORDINATOR or relation == INVOLVED else FORBIDDEN


def review_page(role: str, relation: str) -> int:
    if role == ANONYMOUS:
        return SIGN_IN
    if role != Role.COORDINATOR:
        return FORBIDDEN
    return NOT_FOUND if relation == MISSING else OK


def _editor_or_not(world: World, relation: str) -> dict:
    _listing(world, relation)
    return {}


RULES = {
    "find-help:home": Rule(no_kwargs, public),
    "find-help:search": Rule(no_kwargs, public, data=lambda world: {"need": "parenting", "age": "4"}),
    "find-help:service": Rule(published("service_id"), public_record, PUBLIC_RECORD),
    "find-help:guide": Rule(lambda world, relation: {"topic": "ask-for-early-help"}, public),
    "oruk:root": Rule(no_kwargs, public),
    "oruk:openapi": Rule(no_kwargs, public),
    "oruk:services": Rule(no_kwargs, public),
    "oruk:service": Rule(published("service_id"), public_record, PUBLIC_RECORD),
    "oruk:service-at-locations": Rule(no_kwargs, public),
    "oruk:service-at-location": Rule(published("place_id", _place), public_record, PUBLIC_RECORD),
    "oruk:taxonomies": Rule(no_kwargs, public),
    "oruk:taxonomy": Rule(
        lambda world, relation: {"taxonomy_id": uuid.uuid4() if relation == MISSING else NEEDS_TAXONOMY_ID},
        public_record,
        PUBLIC_RECORD,
    ),
    "oruk:taxonomy-terms": Rule(no_kwargs, public),
    "oruk:taxonomy-term": Rule(
        lambda world, relation: {"term_id": uuid.uuid4() if relation == MISSING else need_term_id("housing")},
        public_record,
        PUBLIC_RECORD,
    ),
    "directory:home": Rule(no_kwargs, signed_in),
    "directory:listing-create": Rule(_editor_or_not, editors_page, (INVOLVED, UNRELATED)),
    "directory:listing": Rule(listing(), listing_page, LISTING),
    "directory:listing-edit": Rule(listing(), listing_page, LISTING),
    "directory:listing-submit": Rule(listing(), listing_page, LISTING),
    "directory:listing-confirm": Rule(listing(), listing_page, LISTING),
    "directory:listing-review": Rule(listing(), review_page, (UNRELATED, MISSING)),
    "directory:review-queue": Rule(no_kwargs, only(Role.COORDINATOR)),
    "directory:stale": Rule(_editor_or_not, editors_page, (INVOLVED, UNRELATED)),
    "directory:coverage": Rule(no_kwargs, only(Role.COORDINATOR, Role.MANAGER, Role.ANALYST)),
    "directory:coverage-export": Rule(no_kwargs, only(Role.COORDINATOR, Role.MANAGER, Role.ANALYST)),
}
