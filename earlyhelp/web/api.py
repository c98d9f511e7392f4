"""The API's shared pieces: errors become responses in one place, and permissions ask the
capability checks. Endpoints carry no try/except of their own.

- a record that is missing or not the user's (any `Http404`, the access choke point's
  `RecordNotFound` among them) is a 404 with the choke point's one message;
- a refused change (`RefusedError`: a state machine's transition, a rule of the record's state) is a
  409 with the reason a person can act on;
- a service's `ValidationError` is a 400 naming each field and its rule.

It also holds what every endpoint shares: the parsers, the bounded record id, and `ApiView` with
its `ReadApi`, `WriteApi` and `SaveApi` forms, which open the record the URL names, check the
body, call one service and answer, and describe all of it (errors too) in the OpenAPI document.
"""

import re
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import register_converter
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound, ParseError
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import RefusedError

NOT_YOUR_PART = "Your role does not take this action."


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "The record's state does not allow this."


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn the product's errors into the API's answers (see the module's docstring)."""
    if isinstance(exc, RefusedError):
        exc = Conflict(exc.reason)
    elif isinstance(exc, ValidationError):
        exc = ApiValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})
    elif isinstance(exc, Http404):
        exc = NotFound(str(exc) or None)
    return drf_exception_handler(exc, context)


def capability_permission(check: Callable[..., bool], message: str) -> type[BasePermission]:
    """A DRF permission that asks one capability check about the signed-in user."""

    refusal = message

    class Capability(BasePermission):
        message = refusal

        def has_permission(self, request, view) -> bool:
            return bool(request.user and request.user.is_authenticated and check(request.user))

    Capability.__name__ = Capability.__qualname__ = f"May{check.__name__.title().replace('_', '')}"
    return Capability


# --- What every endpoint shares ----------------------------------------------------------------------------

JSON_TOO_DEEP = "The request body is nested too deeply: send the fields this endpoint describes, as flat JSON"
# The largest id the database's big integer keys hold: a larger number names no record, and would
# overflow the database driver rather than be refused.
LARGEST_ID = 2**63 - 1


class BoundedJSONParser(JSONParser):
    """JSON, with a body nested deeper than Python's parser goes refused as bad input (400)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(JSON_TOO_DEEP) from error


def record_id(**kwargs) -> serializers.IntegerField:
    """A field naming a record by its number: a number no record can have is refused as bad input."""
    return serializers.IntegerField(min_value=1, max_value=LARGEST_ID, **kwargs)


class RecordField(serializers.PrimaryKeyRelatedField):
    """A record chosen by its id among `queryset`, or among `among(context)`: those the opened record
    offers (a household's members, a plan's outcomes). Any other id, a number no record can have
    among them, is refused as bad input naming the field."""

    def __init__(self, *, among: Callable[[Any], Any] | None = None, **kwargs) -> None:
        self.among = among
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        return self.among(self.context) if self.among is not None else super().get_queryset()

    def to_internal_value(self, data: Any) -> Any:
        if self.pk_field is None and _beyond_any_id(data):
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


def _beyond_any_id(data: Any) -> bool:
    try:
        return abs(int(data)) > LARGEST_ID
    except (TypeError, ValueError, OverflowError):
        return False


def model_serializer(model: type, fields: str, *, doc: str, name: str = "", **declared: Any) -> Any:
    """A serializer that shows `fields` of `model` (named in one string, space-separated) as they are,
    with any `declared` fields (a person's name for a user, a list of what hangs from the record) in
    their place. `doc` describes it in the OpenAPI document; `name` is its class name there."""
    meta = type("Meta", (), {"model": model, "fields": fields.split()})
    attributes = {"Meta": meta, "__doc__": doc, "__module__": model.__module__, **declared}
    return type(name or f"{model.__name__}Serializer", (serializers.ModelSerializer,), attributes)


def names_of(*sources: str) -> dict[str, Any]:
    """Fields showing, in place of each user (or agency) at `sources`, their name, if there is one."""
    return {
        source: serializers.CharField(
            source=f"{source}.{'name' if source.endswith('agency') else 'display_name'}", allow_null=True, default=None
        )
        for source in sources
    }


class RecordIdConverter:
    """`<record_id:name>` in a URL: a record's number, and no larger than any record's can be, so a
    larger one is not found rather than overflowing the database driver."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= LARGEST_ID:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(RecordIdConverter, "record_id")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


# A 400 names each field with its messages, and a message about no one field under `non_field_errors`;
# a nested field (a member's section, a reviewed action) gives its own errors by position and field.
FIELD_ERRORS = {
    "type": "object",
    "additionalProperties": {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "object"}]},
}

ERROR_RESPONSES: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(
        FIELD_ERRORS,
        description="Invalid input: each field named with what is wrong with it. Nothing was changed.",
        examples=[OpenApiExample("A field left blank", value={"text": ["Write the note"]}, status_codes=["400"])],
    ),
    403: OpenApiResponse(
        ErrorSerializer,
        description="Not signed in, or the caller's role does not take this action.",
        examples=[
            OpenApiExample(
                "Not this role's part", value={"detail": "Your role does not take this action."}, status_codes=["403"]
            )
        ],
    ),
    404: OpenApiResponse(
        ErrorSerializer,
        description="No such record, or not one the caller may see: the two are not told apart.",
        examples=[OpenApiExample("Not found", value={"detail": "Not found."}, status_codes=["404"])],
    ),
    409: OpenApiResponse(
        ErrorSerializer,
        description="The record's state does not allow this change; the reason says what would. Nothing was changed.",
        examples=[
            OpenApiExample(
                "A refused transition",
                value={"detail": "This version has been submitted for quality assurance, so it cannot be changed"},
                status_codes=["409"],
            )
        ],
    ),
}
READ_ERRORS = (403, 404)
WRITE_ERRORS = (400, 403, 404, 409)


class ApiSchema(AutoSchema):
    """An `ApiView`'s description: the body it takes, what it answers and each error it may give."""

    def _api_view(self) -> "ApiView":
        view = self.view
        if not isinstance(view, ApiView):
            raise TypeError(f"ApiSchema describes ApiView endpoints, not {type(view).__name__}")
        return view

    def get_operation_id(self) -> str:
        # By the app and the endpoint's class: paths alone repeat their words (families/…/families/…).
        app = type(self.view).__module__.split(".")[1]
        name = self._api_view().endpoint_name().replace(" ", "_")
        return f"{app}_{name}_{self.method.lower()}"

    def get_request_serializer(self) -> Any:
        return self._api_view().takes if self.method in ("POST", "PATCH") else None

    def _paged(self) -> bool:
        return self.method == "GET" and bool(getattr(self.view, "page_size", None))

    def get_override_parameters(self) -> list:
        # A list given page by page takes the page it is asked for, and names its neighbours in a Link header.
        if self._paged():
            return [*super().get_override_parameters(), PageSerializer, PAGE_LINKS]
        return super().get_override_parameters()

    def get_response_serializers(self) -> Any:
        view = self._api_view()
        # What the answer holds, in the words of its serializer's docstring.
        what = " ".join((view.shows.__doc__ or "").split())
        if self.method == "GET":
            listed = f"A list, each: {what}" if view.many else what
            answer = OpenApiResponse(view.shows(many=view.many), description=listed)
            errors = (400, *READ_ERRORS) if self._paged() else READ_ERRORS
            return {200: answer, **{code: ERROR_RESPONSES[code] for code in errors}}
        done = OpenApiResponse(view.shows, description=f"As now saved: {what}")
        return {201 if view.creates else 200: done, **{code: ERROR_RESPONSES[code] for code in WRITE_ERRORS}}


class ApiView(APIView):
    """An endpoint about one record the URL names (and, for a list, what hangs from it).

    A subclass says what it answers with (`shows`, whose docstring describes the answer in the OpenAPI
    document), the body a write takes (`takes`), and fills in
    `open` (the record, through the access choke point, which audits the read and answers 404 for
    a record that is missing or not the caller's). `ReadApi`, `WriteApi` and `SaveApi` add GET,
    POST and PATCH. Errors become answers in `exception_handler`: endpoints catch nothing.
    """

    parser_classes = [BoundedJSONParser, FormParser, MultiPartParser]
    schema = ApiSchema()
    shows: type[serializers.Serializer]
    takes: type[serializers.Serializer]  # the body a write takes
    many = False  # a GET answers a list
    creates = False  # a write makes a record: 201 Created

    def open(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        """The record the URL names, opened for the caller."""
        raise NotImplementedError

    @classmethod
    def endpoint_name(cls) -> str:
        """The endpoint's name in words, from its class (PlanActionsApi: "plan actions")."""
        return re.sub(r"(?<!^)(?=[A-Z])", " ", cls.__name__.removesuffix("Api")).lower()

    @property
    def purpose(self) -> str:
        """Why the record is opened, for the audit trail: the endpoint's name (PlanActionsApi: "api plan
        actions"), unless the endpoint names another."""
        return "api " + self.endpoint_name()

    def context(self, record: Any) -> dict:
        """What the body's serializer needs to check it against the opened record."""
        return {}

    def answer(self, found: Any, *, many: bool = False, status: int = status.HTTP_200_OK) -> Response:
        return Response(self.shows(found, many=many).data, status=status)


class PageSerializer(serializers.Serializer):
    page = serializers.IntegerField(
        min_value=1,
        max_value=100_000,
        default=1,
        help_text="Which page of the list, from 1 (the default), the first.",
    )


PAGE_LINKS = OpenApiParameter(
    "Link",
    type=str,
    location=OpenApiParameter.HEADER,
    response=[200],
    description='The next and the previous page, where there is one: <URL>; rel="next", <URL>; rel="prev".',
)


class ReadApi(ApiView):
    # A list given page by page (`page`, from 1), this many a page; the Link header names the next and previous.
    # Not DRF's paginators: they wrap the list in an envelope, and the body stays the list it always was.
    page_size: int | None = None

    def read(self, request: Request, record: Any) -> Any:
        """What a GET answers about the opened record: the record itself unless said otherwise."""
        return record

    def get(self, request: Request, **kwargs) -> Response:
        # The page asked for is checked before the record is opened, so a bad one opens (and audits) nothing.
        size = self.page_size
        page = self.page_asked(request) if size else None
        found = self.read(request, self.open(request, **kwargs))
        if not size or page is None:
            return self.answer(found, many=self.many)
        return self.answer_page(request, found, page, size)

    def page_asked(self, request: Request) -> int:
        asked = PageSerializer(data=request.query_params)
        asked.is_valid(raise_exception=True)
        return asked.validated_data["page"]

    def answer_page(self, request: Request, found: Any, page: int, size: int) -> Response:
        start = (page - 1) * size
        # One more than a page, to know whether a next page exists.
        rows = list(found[start : start + size + 1])
        response = self.answer(rows[:size], many=True)
        url = request.build_absolute_uri()
        links = []
        if len(rows) > size:
            links.append(f'<{replace_query_param(url, "page", page + 1)}>; rel="next"')
        if page > 1:
            links.append(f'<{replace_query_param(url, "page", page - 1)}>; rel="prev"')
        if links:
            response["Link"] = ", ".join(links)
        return response


class ChangeApi(ApiView):
    """What POST and PATCH share: open the record, check the body against it, call the service."""

    def write(self, request: Request, record: Any, data: dict) -> Any:
        """Call the one service the endpoint stands for, with the checked body; return what it made."""
        raise NotImplementedError

    def changed(self, request: Request, kwargs: dict) -> Response:
        record = self.open(request, **kwargs)
        body = self.takes(data=request.data, context=self.context(record))
        body.is_valid(raise_exception=True)
        made = self.write(request, record, body.validated_data)
        return self.answer(made, status=status.HTTP_201_CREATED if self.creates else status.HTTP_200_OK)


class WriteApi(ChangeApi):
    def post(self, request: Request, **kwargs) -> Response:
        return self.changed(request, kwargs)


class ListAddApi(ReadApi, WriteApi):
    """A list of what hangs from the record, and adding one more to it."""

    many = True
    creates = True


class SaveApi(ChangeApi):
    """A write by PATCH: the fields sent are saved, the rest kept."""

    def patch(self, request: Request, **kwargs) -> Response:
        return self.changed(request, kwargs)


def describe_responses(result: dict, generator: Any, request: Any, public: bool) -> dict:
    """Give every response of the OpenAPI document a description, as OpenAPI 3 requires: the status's
    own phrase where the endpoint says nothing more."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for code, response in operation.get("responses", {}).items():
                if not response.get("description"):
                    response["description"] = HTTPStatus(int(code)).phrase
    return result
