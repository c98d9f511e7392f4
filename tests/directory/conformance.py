"""Checking an /oruk/ answer against the Open Referral UK 3.0 standard: the OpenAPI document's
response schema for the path (with the profile's JSON schemas it references), the query parameters
it lists, and no fields beyond the standard's except the HSDS core extensions the directory declares."""

import json
from typing import Any

from earlyhelp.directory.oruk import EXTENSIONS
from earlyhelp.directory.standard import (
    RAW_SCHEMA_BASE,
    STANDARD_DIR,
    errors_of,
    openapi_document,
    query_parameters,
    response_schema,
    schema_file_validator,
    validator_for,
)

PAGE_FIELDS = set(openapi_document()["components"]["schemas"]["Page"]["properties"]) | {"contents"}


def _schema_file(ref: str) -> dict:
    return json.loads((STANDARD_DIR / "schema" / ref.removeprefix(RAW_SCHEMA_BASE)).read_text(encoding="utf-8"))


def _resolve(schema: dict, base: str) -> tuple[dict, str]:
    if "$ref" in schema and not schema["$ref"].startswith("#"):
        ref = schema["$ref"] if schema["$ref"].startswith("https://") else base.rsplit("/", 1)[0] + "/" + schema["$ref"]
        return _schema_file(ref), ref
    return schema, base


def unknown_fields(instance: Any, schema: dict, base: str = RAW_SCHEMA_BASE, where: str = "") -> list[str]:
    """Fields the schemas do not define, other than the declared extensions."""
    schema, base = _resolve(schema, base)
    found = []
    if isinstance(instance, dict) and "properties" in schema:
        allowed = set(schema["properties"]) | EXTENSIONS.get(schema.get("name", ""), set())
        for key, value in instance.items():
            if key not in allowed:
                found.append(f"{where}/{key}")
            elif key in schema["properties"]:
                found += unknown_fields(value, schema["properties"][key], base, f"{where}/{key}")
    elif isinstance(instance, list) and "items" in schema:
        for index, item in enumerate(instance):
            found += unknown_fields(item, schema["items"], base, f"{where}/{index}")
    return found


def _extension_errors(body: Any) -> list[str]:
    """Phones are an HSDS core extension nested in contacts: each must match the profile's phone schema."""
    phone = schema_file_validator("phone.json")
    services = body.get("contents", [body]) if isinstance(body, dict) else []
    return [
        error
        for service in services
        for contact in service.get("contacts", [])
        for item in contact.get("phones", [])
        for error in errors_of(phone, item)
    ]


def assert_conforms(path: str, body: Any) -> None:
    """The body is a valid answer to GET `path` (as the document writes it, e.g. "/services/{id}")."""
    schema = response_schema(path)
    errors = errors_of(validator_for(schema), body, limit=50)
    assert errors == [], f"{path} does not match the ORUK 3.0 schema: {errors}"
    if "contents" in schema.get("properties", {}):
        assert set(body) == PAGE_FIELDS, f"{path} envelope fields: {sorted(body)}"
        item_schema = schema["properties"]["contents"]["items"]
        extra = [problem for item in body["contents"] for problem in unknown_fields(item, item_schema)]
    else:
        extra = unknown_fields(body, schema)
    assert extra == [], f"{path} answers with fields outside the standard and its declared extensions: {extra[:10]}"
    assert _extension_errors(body) == []


def get_conforming(client, path: str, url: str, params: dict | None = None) -> Any:
    """GET an /oruk/ URL with standard query parameters only, and check the answer conforms."""
    params = params or {}
    unknown = set(params) - query_parameters(path)
    assert not unknown, f"{path} does not take {unknown} in the standard"
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert_conforms(path, body)
    return body
