"""Access rules of the referrals a provider answers, pages and API (see matrix.py).

A referral is for the editors of the organisation it was sent to, whatever their role (being a
directory editor adds no role): an editor of another organisation is told "not found", as for a
referral that does not exist; someone who edits for no organisation is told the page is not for them.

Relations here: INVOLVED, the person edits the referral's organisation; EDITOR_ELSEWHERE, they edit
another one; UNRELATED, they edit none; MISSING, they edit one but the referral does not exist.
"""

import uuid

from earlyhelp.directory.models import DirectoryEditor

from .matrix import ANONYMOUS, FORBIDDEN, INVOLVED, MISSING, NOT_FOUND, OK, SIGN_IN, UNRELATED, Rule, World, api
from .rules_directory import EDITOR_ELSEWHERE

REFERRAL = (INVOLVED, EDITOR_ELSEWHERE, UNRELATED, MISSING)
QUEUE = (INVOLVED, UNRELATED)


def _referral(world: World, relation: str, **traits):
    """A referral in its provider's queue, and the world's user made an editor as the relation says."""
    from tests.directory.factories import OrganizationFactory
    from tests.plans.factories import ReferralFactory

    referral = ReferralFactory(action__plan__episode__household=world.household, person=world.person, **traits)
    if world.user is not None:
        if relation in (INVOLVED, MISSING):
            DirectoryEditor.objects.create(user=world.user, organization=referral.organization)
        elif relation == EDITOR_ELSEWHERE:
            DirectoryEditor.objects.create(user=world.user, organization=OrganizationFactory())
    return referral


def referral(**traits):
    def kwargs(world: World, relation: str) -> dict:
        made = _referral(world, relation, **traits)
        return {"referral_id": uuid.uuid4() if relation == MISSING else made.pk}

    return kwargs


def queue(world: World, relation: str) -> dict:
    _referral(world, relation)
    return {}


def provider_page(role: str, relation: str) -> int:
    if role == ANONYMOUS:
        return SIGN_IN
    if relation == INVOLVED:
        return OK
    if relation in (EDITOR_ELSEWHERE, MISSING):
        return NOT_FOUND
    return FORBIDDEN


provider_api = api(provider_page)

RULES = {
    "referrals:queue": Rule(queue, provider_page, QUEUE),
    "referrals:referral": Rule(referral(), provider_page, REFERRAL),
    "referrals:answer": Rule(referral(), provider_page, REFERRAL),
    "referrals:complete": Rule(referral(accepted=True), provider_page, REFERRAL),
    "referrals-api:queue": Rule(queue, provider_api, QUEUE),
    "referrals-api:referral": Rule(referral(), provider_api, REFERRAL),
    "referrals-api:accept": Rule(referral(), provider_api, REFERRAL, method="POST", data=lambda world: {}),
    "referrals-api:decline": Rule(
        referral(), provider_api, REFERRAL, method="POST", data=lambda world: {"reason": "No places until June"}
    ),
    "referrals-api:complete": Rule(
        referral(accepted=True), provider_api, REFERRAL, method="POST", data=lambda world: {}
    ),
}
