"""A request rate per partner system, set on the client record."""

from rest_framework.throttling import SimpleRateThrottle

from .models import PartnerClient


class PartnerClientThrottle(SimpleRateThrottle):
    """Limits each partner client to its own rate; people signed in to the pages are not limited here."""

    scope = "partner"

    def __init__(self) -> None:
        # The rate is the client's own, known only once the request is authenticated.
        self.rate = None

    def allow_request(self, request, view) -> bool:
        client = request.auth if isinstance(request.auth, PartnerClient) else None
        if client is None:
            return True
        self.rate = client.rate
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": request.auth.client_id}
