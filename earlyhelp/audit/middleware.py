"""A request id for every request, carried into audit events and log lines."""

import contextvars
import logging
import uuid

_request_id: contextvars.ContextVar[uuid.UUID | None] = contextvars.ContextVar("request_id", default=None)


def current_request_id() -> uuid.UUID:
    """The id of the request being served, or a fresh one for work outside a request."""
    return _request_id.get() or uuid.uuid4()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = uuid.uuid4()
        token = _request_id.set(request_id)
        request.request_id = request_id
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = str(request_id)
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = str(_request_id.get() or "-")
        return True
