"""The open read API at /oruk/, conforming to Open Referral UK 3.0 (earlyhelp/directory/standard/openapi30.json).

Plain Django views, not DRF: the answers must match the standard's schemas byte for byte, and the
standard publishes its own OpenAPI document (served at /oruk/openapi.json), so these endpoints are
deliberately not in the project's own drf-spectacular schema at /api/schema/.

No authentication; any origin may call it (Access-Control-Allow-Origin: *). Only published listings
appear. A query parameter that cannot be read is a 400 with a JSON body naming it.
"""

import math
import uuid
from collections.abc import Callable
from datetime import time
from decimal import Decimal
from functools import wraps
from typing import Any, TypeVar

from django.db.models import Model, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods

from . import oruk, rules, selectors
from .models import Taxonomy, TaxonomyTerm
from .standard import openapi_document

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
CACHE_SECONDS = 60
NOT_FOUND = "Not found"
# An id that is not a UUID can match nothing; filtering by this one says so.
_NO_SUCH_ID = uuid.UUID(int=0)


class ParameterError(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def _respond(data: Any, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    if status == 200:
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


def oruk_endpoint(view: Callable[..., Any]) -> Callable[..., HttpResponse]:
    """GET (and HEAD, OPTIONS) only; open to every origin; bad parameters answered with a 400."""

    @require_http_methods(["GET", "HEAD", "OPTIONS"])
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Max-Age"] = "86400"
        else:
            try:
                response = view(request, *args, **kwargs)
            except ParameterError as error:
                response = _respond({"detail": "Invalid query parameters", "errors": error.errors}, status=400)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapped


def _not_found() -> JsonResponse:
    return _respond({"detail": NOT_FOUND}, status=404)


def _as_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


_T = TypeVar("_T")
_D = TypeVar("_D")
_Record = TypeVar("_Record", bound=Model)


# --- Query parameters ----------------------------------------------------------------------


def _id_filter(params: dict, name: str) -> uuid.UUID | None:
    """The id to filter by; one that is not a UUID can match nothing."""
    if not params.get(name):
        return None
    return _as_uuid(params[name]) or _NO_SUCH_ID


def _param(params: dict, name: str, errors: dict, parse: Callable[[str], _T], rule: str, default: _D) -> _T | _D:
    """The named parameter as `parse` reads it; its default when it is absent, and when `parse` refuses
    it (ValueError, or ArithmeticError from Decimal) its default with `rule` as the error for that name."""
    raw = params.get(name, "")
    if raw == "":
        return default
    try:
        return parse(raw)
    except (ValueError, ArithmeticError):
        errors[name] = rule
        return default


def _int(params: dict, name: str, default: int, low: int, high: int, errors: dict) -> int:
    def whole(raw: str) -> int:
        if not low <= (value := int(raw)) <= high:
            raise ValueError(raw)
        return value

    return _param(params, name, errors, whole, f"{name} must be a whole number from {low} to {high}", default)


def _years(raw: str) -> Decimal:
    value = Decimal(raw)
    if not value.is_finite() or value < 0 or value >= 1000:
        raise ValueError(raw)
    return value


def _clock(raw: str) -> time:
    return time.fromisoformat(raw.replace("Z", "+00:00")).replace(tzinfo=None)


def _age(params: dict, name: str, errors: dict) -> Decimal | None:
    return _param(params, name, errors, _years, f"{name} must be a number of years from 0", None)


def _time(params: dict, name: str, errors: dict) -> time | None:
    return _param(params, name, errors, _clock, f"{name} must be a time like 09:30", None)


def _filters(request: HttpRequest, *, places: bool) -> tuple[selectors.ServiceFilters, selectors.Point | None]:
    params = request.GET
    errors: dict[str, str] = {}
    day = None
    if params.get("day"):
        day = rules.day_code(params["day"])
        if day is None:
            errors["day"] = "day must be a weekday: MO, TU, WE, TH, FR, SA or SU (or its name)"
    postcode = proximity = centre = None
    if places and params.get("postcode"):
        postcode = rules.clean_postcode(params["postcode"])
        if postcode is None:
            errors["postcode"] = "postcode must be a full UK postcode"
    if places and params.get("proximity"):
        try:
            proximity = float(params["proximity"])
        except ValueError:
            proximity = -1.0
        if not (0 < proximity <= 1_000_000 and math.isfinite(proximity)):
            errors["proximity"] = "proximity must be a distance in metres, more than 0"
        elif not params.get("postcode"):
            errors["proximity"] = "proximity needs a postcode to measure from"
    filters = selectors.ServiceFilters(
        search=params.get("search", ""),
        taxonomy_term_id=_id_filter(params, "taxonomy_term_id"),
        taxonomy_id=_id_filter(params, "taxonomy_id"),
        minimum_age=_age(params, "minimum_age", errors),
        maximum_age=_age(params, "maximum_age", errors),
        day=day,
        start_time=_time(params, "start_time", errors),
        end_time=_time(params, "end_time", errors),
        postcode=postcode,
        proximity=proximity if "proximity" not in errors else None,
    )
    if postcode and filters.proximity is not None:
        centre = selectors.postcode_point(postcode)
        if centre is None:
            errors["postcode"] = selectors.UNKNOWN_POSTCODE
    if errors:
        raise ParameterError(errors)
    return filters, centre


def _page(request: HttpRequest, items: QuerySet, render: Callable[[Any], dict]) -> dict[str, Any]:
    """ORUK's paginated envelope around one page of items. `size` is the page size asked for."""
    errors: dict[str, str] = {}
    page = _int(request.GET, "page", 1, 1, 1_000_000, errors)
    per_page = _int(request.GET, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE, errors)
    if errors:
        raise ParameterError(errors)
    total = items.count()
    total_pages = math.ceil(total / per_page)
    contents = [render(item) for item in items[(page - 1) * per_page : page * per_page]] if total else []
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": per_page,
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


# --- Endpoints -----------------------------------------------------------------------------


def _detail(records: QuerySet[_Record], record_id: str, as_json: Callable[[_Record], dict]) -> JsonResponse:
    """The record with this id as ORUK JSON; ORUK's 404 for an id that is not a UUID or not among `records`."""
    key = _as_uuid(record_id)
    record = records.filter(id=key).first() if key else None
    return _respond(as_json(record)) if record else _not_found()


@oruk_endpoint
def service_info(request: HttpRequest) -> JsonResponse:
    return _respond(
        {
            "version": oruk.ORUK_VERSION,
            "profile": oruk.PROFILE_URL,
            "openapi_url": request.build_absolute_uri(reverse("oruk:openapi")),
        }
    )


@oruk_endpoint
def openapi(request: HttpRequest) -> JsonResponse:
    return _respond(openapi_document())


@oruk_endpoint
def service_list(request: HttpRequest) -> JsonResponse:
    filters, _ = _filters(request, places=False)
    services = (
        selectors.filtered_services(filters)
        .defer("search_text", "search_vector")
        .select_related("organization")
        .order_by("name", "id")
    )
    return _respond(_page(request, services, oruk.service_list_item))


@oruk_endpoint
def service_detail(request: HttpRequest, service_id: str) -> JsonResponse:
    return _detail(oruk.with_full_detail(selectors.published_services()), service_id, oruk.service_full)


@oruk_endpoint
def service_at_location_list(request: HttpRequest) -> JsonResponse:
    filters, centre = _filters(request, places=True)
    places = selectors.filtered_services_at_locations(filters, centre)
    return _respond(_page(request, places, oruk.service_at_location_list_item))


@oruk_endpoint
def service_at_location_detail(request: HttpRequest, place_id: str) -> JsonResponse:
    """The standard answers this with a fully nested service: the service, narrowed to this one place."""
    key = _as_uuid(place_id)
    service = key and oruk.with_full_detail(selectors.published_services().filter(service_at_locations__id=key)).first()
    if not service:
        return _not_found()
    place = next(place for place in service.service_at_locations.all() if place.id == key)
    return _respond(oruk.service_full(service, at=place))


@oruk_endpoint
def taxonomy_list(request: HttpRequest) -> JsonResponse:
    return _respond(_page(request, Taxonomy.objects.order_by("name", "id"), oruk.taxonomy_json))


@oruk_endpoint
def taxonomy_detail(request: HttpRequest, taxonomy_id: str) -> JsonResponse:
    return _detail(
        Taxonomy.objects.prefetch_related(Prefetch("terms", queryset=TaxonomyTerm.objects.order_by("name", "id"))),
        taxonomy_id,
        lambda taxonomy: oruk.taxonomy_json(taxonomy, terms=taxonomy.terms.all()),
    )


@oruk_endpoint
def taxonomy_term_list(request: HttpRequest) -> JsonResponse:
    return _respond(_page(request, TaxonomyTerm.objects.order_by("name", "id"), oruk.term_json))


@oruk_endpoint
def taxonomy_term_detail(request: HttpRequest, term_id: str) -> JsonResponse:
    return _detail(TaxonomyTerm.objects.all(), term_id, oruk.term_json)
