"""Who may change which listings. The directory holds no personal records, so reading it is open
to everyone; changing it is for the Early Help Team (coordinators, who also review) and for each
provider's own editors, over their organisation's listings only."""

import uuid

from django.db.models import QuerySet
from django.http import Http404

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import User

from .models import DirectoryEditor, Organization, Service

LISTING_NOT_FOUND = "No listing was found, or you do not look after it."


def _active(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _looked_after(user: User, model: type[Organization] | type[Service], editors: str) -> QuerySet:
    """Every record for a reviewer; for an active editor, those of the organisations they edit for."""
    if capabilities.can_review_listings(user):
        return model.objects.all()
    if not _active(user):
        return model.objects.none()
    return model.objects.filter(**{f"{editors}__user": user})


def editable_organizations(user: User) -> QuerySet[Organization]:
    return _looked_after(user, Organization, "editors")


def is_editor(user: User) -> bool:
    return _active(user) and DirectoryEditor.objects.filter(user=user).exists()


def edited_organization_ids(user: User) -> frozenset[uuid.UUID]:
    """The organisations this person keeps listings for as their editor (a reviewer's reach over every
    listing is not counted): whose referrals they see and answer."""
    if not _active(user):
        return frozenset()
    return frozenset(DirectoryEditor.objects.filter(user=user).values_list("organization_id", flat=True))


def may_edit_listings(user: User) -> bool:
    return capabilities.can_review_listings(user) or is_editor(user)


def editable_services(user: User) -> QuerySet[Service]:
    """The listings this person looks after: every listing for a reviewer, their organisations' for an editor."""
    return _looked_after(user, Service, "organization__editors")


def access_listing_by_id(user: User, service_id: object) -> Service:
    """The listing, if this person looks after it; "not found" alike for missing and not theirs."""
    try:
        key = service_id if isinstance(service_id, uuid.UUID) else uuid.UUID(str(service_id))
    except ValueError as error:
        raise Http404(LISTING_NOT_FOUND) from error
    service = editable_services(user).select_related("organization").filter(id=key).first()
    if service is None:
        raise Http404(LISTING_NOT_FOUND)
    return service
