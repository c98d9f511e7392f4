"""The Open Referral UK 3.0 standard as shipped in earlyhelp/directory/standard/ (see its SOURCE.md):
its OpenAPI document, and validators built from its JSON schemas. The import checks every incoming
service with these, and the tests check every `/oruk/` answer with them."""

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

STANDARD_DIR = Path(__file__).resolve().parent / "standard"
RAW_SCHEMA_BASE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"


@cache
def openapi_document() -> dict[str, Any]:
    return json.loads((STANDARD_DIR / "openapi30.json").read_text(encoding="utf-8"))


def _retrieve(uri: str) -> Resource:
    """A raw GitHub URL of the profile's schemas, read from the copy here instead of the network."""
    if not uri.startswith(RAW_SCHEMA_BASE):
        raise LookupError(f"Schema {uri} is not part of the shipped standard")
    path = (STANDARD_DIR / "schema" / uri.removeprefix(RAW_SCHEMA_BASE)).resolve()
    if STANDARD_DIR not in path.parents:
        raise LookupError(f"Schema {uri} is outside the shipped standard")
    return Resource.from_contents(json.loads(path.read_text(encoding="utf-8")), default_specification=DRAFT202012)


@cache
def _registry() -> Registry:
    # The openapi document itself is a resource too, so its "#/components/..." references resolve.
    # `retrieve` is an attrs field alias, which mypy's attrs plugin does not see on referencing's own `define`.
    return Registry(retrieve=_retrieve).with_resource(  # type: ignore[call-arg]
        "urn:oruk:openapi", Resource.from_contents(openapi_document(), default_specification=DRAFT202012)
    )


def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return False
    return "T" in value and parsed.tzinfo is not None


def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme) and (parts.scheme not in {"http", "https"} or bool(parts.netloc)) and " " not in value


@cache
def format_checker() -> FormatChecker:
    """jsonschema's format checks, with date-time and uri checked too (their usual packages are not installed)."""
    checker = FormatChecker()
    checker.checks("date-time")(_is_datetime)
    checker.checks("uri")(_is_uri)
    return checker


def validator_for(schema: dict[str, Any]) -> Draft202012Validator:
    """A validator for a schema taken from the OpenAPI document, resolving its references locally."""
    wrapped = {"$id": "urn:oruk:openapi#/validated", **schema}
    return Draft202012Validator(wrapped, registry=_registry(), format_checker=format_checker())


def schema_file_validator(relative_path: str) -> Draft202012Validator:
    """A validator for one of the profile's schema files, e.g. "compiled/service.json"."""
    return validator_for({"$ref": RAW_SCHEMA_BASE + relative_path})


@cache
def service_validator() -> Draft202012Validator:
    return schema_file_validator("compiled/service.json")


@cache
def taxonomy_validator() -> Draft202012Validator:
    return schema_file_validator("taxonomy.json")


def response_schema(path: str) -> dict[str, Any]:
    """The JSON schema of the 200 answer to GET `path` (as written in the document, e.g. "/services/{id}")."""
    operation = openapi_document()["paths"][path]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    return _with_local_refs(schema)


def _with_local_refs(node: Any) -> Any:
    """ "#/components/..." references made absolute against the registered OpenAPI document."""
    if isinstance(node, dict):
        return {
            key: ("urn:oruk:openapi" + value if key == "$ref" and value.startswith("#/") else _with_local_refs(value))
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_with_local_refs(item) for item in node]
    return node


def query_parameters(path: str) -> set[str]:
    """The query parameters the document lists for GET `path`."""
    document = openapi_document()
    names = set()
    for parameter in document["paths"][path]["get"].get("parameters", []):
        if "$ref" in parameter:
            parameter = document["components"]["parameters"][parameter["$ref"].rsplit("/", 1)[1]]
        if parameter.get("in") == "query":
            names.add(parameter["name"])
    return names


def errors_of(validator: Draft202012Validator, instance: Any, *, limit: int = 10) -> list[str]:
    """Each way the instance breaks the schema, as "where: what"."""
    found = []
    for error in sorted(validator.iter_errors(instance), key=lambda error: list(error.absolute_path)):
        where = "/".join(str(part) for part in error.absolute_path) or "(top)"
        found.append(f"{where}: {error.message}")
        if len(found) >= limit:
            break
    return found
