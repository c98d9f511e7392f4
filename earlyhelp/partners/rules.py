"""Which scope each API endpoint needs, and how tokens look. Pure: no database."""

import hashlib
import re

from .models import PartnerScope

TOKEN_PREFIX = "ehp"  # noqa: S105 - a public prefix, not a secret
TOKEN_PATTERN = re.compile(rf"^{TOKEN_PREFIX}_(?P<client_id>[0-9a-f]{{32}})_(?P<secret>[A-Za-z0-9_-]{{40,100}})$")
RATE_PATTERN = re.compile(r"^[1-9]\d{0,6}/(second|minute|hour|day)$")

# Endpoints a partner system may call, by URL name, with the scope each needs. An endpoint not
# listed is refused to every partner: new endpoints are closed to partners until named here.
ENDPOINT_SCOPES: dict[str, str] = {
    "families-api:person-search": PartnerScope.PEOPLE_READ,
    "families-api:person": PartnerScope.PEOPLE_READ,
    "families-api:household": PartnerScope.HOUSEHOLDS_READ,
    "families-api:known-check": PartnerScope.KNOWN_CHECK,
}
# The API's description is public to every caller.
PUBLIC_ENDPOINTS = {"api-schema", "api-docs"}

INVALID_TOKEN = "The partner token is not valid, or has been revoked"  # noqa: S105 - a message
NO_SCOPE = "This partner system is not allowed to call this endpoint"
RATE_INVALID = "Give the rate as a number of requests per second, minute, hour or day, for example 120/minute"
SCOPE_UNKNOWN = "Choose scopes from the list of partner scopes"
NAME_REQUIRED = "Give the partner system a name"
NAME_TAKEN = "A partner system with this name already exists"


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def endpoint_allowed(url_name: str | None, scopes: list[str]) -> bool:
    if url_name in PUBLIC_ENDPOINTS:
        return True
    needed = ENDPOINT_SCOPES.get(url_name or "")
    return needed is not None and needed in scopes
