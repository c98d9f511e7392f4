"""Bearer-token authentication for partner systems (decision 0003)."""

import hmac

from rest_framework import authentication, exceptions

from . import rules
from .models import PartnerClient


class PartnerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer ehp_<client id>_<secret>`: the request runs as the client's service
    user, and only on endpoints its scopes name."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1", errors="replace").split()
        if not header or header[0] != self.keyword:
            return None
        match = rules.TOKEN_PATTERN.match(header[1]) if len(header) == 2 else None
        if match is None:
            raise exceptions.AuthenticationFailed(rules.INVALID_TOKEN)
        client = (
            PartnerClient.objects.select_related("service_user__agency", "service_user__team")
            .filter(client_id=match["client_id"], revoked_at__isnull=True, service_user__is_active=True)
            .first()
        )
        digest = rules.secret_digest(match["secret"])
        if client is None or not hmac.compare_digest(digest, client.secret_sha256):
            raise exceptions.AuthenticationFailed(rules.INVALID_TOKEN)
        resolver = request._request.resolver_match
        if not rules.endpoint_allowed(resolver.view_name if resolver else None, client.scopes):
            raise exceptions.PermissionDenied(rules.NO_SCOPE)
        return client.service_user, client

    def authenticate_header(self, request) -> str:
        return self.keyword
