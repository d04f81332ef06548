"""Access to the official Telnyx OpenAPI spec (../shared/telnyx-openapi) for contract tests.

The spec is read from the shared folder beside the project (never copied into it). Tests that
need it call ``require_spec()``, which skips with a visible reason when the folder is absent.
Schemas are validated with jsonschema (Draft 2020-12, as OpenAPI 3.1 uses): every subschema is
addressed by a JSON pointer into the whole spec document, so its internal ``#/components/...``
references resolve as they do upstream.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Any

import pytest

SPEC_DIR = Path(
    os.environ.get(
        "TELNYX_OPENAPI_DIR",
        Path(__file__).resolve().parents[2].parent / "shared" / "telnyx-openapi",
    )
)
SPEC_FILE = SPEC_DIR / "spec3.yml"
SPEC_URI = "urn:telnyx:spec3"


def require_spec() -> dict[str, Any]:
    """Return the parsed spec, or skip the calling test with the reason."""
    if not SPEC_FILE.is_file():
        pytest.skip(f"Telnyx OpenAPI spec not found at {SPEC_FILE}: contract test skipped")
    return _load()


@functools.cache
def _load() -> dict[str, Any]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with SPEC_FILE.open("rb") as fh:
        return yaml.load(fh, Loader=loader)


def _pointer(*parts: str) -> str:
    return "/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


@functools.cache
def _registry():
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    resource = Resource.from_contents(_load(), default_specification=DRAFT202012)
    return Registry().with_resource(SPEC_URI, resource)


def validator_for_pointer(pointer: str):
    """A jsonschema validator for the subschema at ``pointer`` (a JSON pointer into the spec)."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(
        {"$ref": f"{SPEC_URI}#{pointer}"},
        registry=_registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def operation(method: str, path_template: str) -> dict[str, Any]:
    spec = require_spec()
    try:
        return spec["paths"][path_template][method.lower()]
    except KeyError:
        raise AssertionError(f"{method.upper()} {path_template} is not in the spec") from None


def request_validator(method: str, path_template: str):
    """Validator for the JSON request body of an operation."""
    op = operation(method, path_template)
    if "requestBody" not in op:
        raise AssertionError(f"{method.upper()} {path_template} has no requestBody in the spec")
    body = op["requestBody"]
    base = ("paths", path_template, method.lower(), "requestBody")
    if "$ref" in body:  # components/requestBodies/...
        ref_parts = body["$ref"].lstrip("#/").split("/")
        base = tuple(ref_parts)
    return validator_for_pointer(_pointer(*base, "content", "application/json", "schema"))


def response_validator(method: str, path_template: str, status: int | str):
    """Validator for the JSON body of one response of an operation (follows response $refs)."""
    op = operation(method, path_template)
    responses = op["responses"]
    key = str(status)
    if key not in responses:
        raise AssertionError(f"{method.upper()} {path_template} has no {key} response in the spec")
    response = responses[key]
    base: tuple[str, ...] = ("paths", path_template, method.lower(), "responses", key)
    if "$ref" in response:
        base = tuple(response["$ref"].lstrip("#/").split("/"))
        response = _resolve(base)
    content = response.get("content", {})
    if "application/json" not in content:
        return None  # e.g. 204 No Content
    return validator_for_pointer(_pointer(*base, "content", "application/json", "schema"))


def _resolve(parts: tuple[str, ...]) -> Any:
    node: Any = _load()
    for part in parts:
        node = node[part]
    return node


@functools.cache
def _webhook_index() -> dict[str, str]:
    """event_type -> webhook name in the spec's ``webhooks`` section."""
    spec = require_spec()
    index: dict[str, str] = {}
    for name, hook in spec.get("webhooks", {}).items():
        schema = hook.get("post", {}).get("requestBody", {}).get("content", {})
        schema = schema.get("application/json", {}).get("schema", {})
        for event_type in _event_types_of(schema):
            index.setdefault(event_type, name)
    return index


def _event_types_of(schema: dict[str, Any]) -> list[str]:
    if "$ref" in schema:
        schema = _resolve(tuple(schema["$ref"].lstrip("#/").split("/")))
    found: list[str] = []
    props = schema.get("properties", {})
    if "data" in props:
        return _event_types_of(props["data"])
    if "event_type" in props:
        et = props["event_type"]
        if "$ref" in et:
            et = _resolve(tuple(et["$ref"].lstrip("#/").split("/")))
        found.extend(et.get("enum", []))
    for key in ("allOf", "oneOf", "anyOf"):
        for sub in schema.get(key, []):
            found.extend(_event_types_of(sub))
    return found


def webhook_event_types(prefixes: tuple[str, ...] = ("call.", "conference.")) -> list[str]:
    """Every event_type the spec's webhooks section defines with one of the prefixes."""
    return sorted(t for t in _webhook_index() if t.startswith(prefixes))


def webhook_validator(event_type: str):
    """Validator for the whole webhook body of an event type, as the spec defines it."""
    name = _webhook_index().get(event_type)
    if name is None:
        raise AssertionError(f"no webhook for event_type {event_type!r} in the spec")
    return validator_for_pointer(
        _pointer("webhooks", name, "post", "requestBody", "content", "application/json", "schema")
    )


def webhook_examples(prefixes: tuple[str, ...] = ("call.", "conference.")) -> dict[str, Any]:
    """event_type -> example webhook body built from the spec's own ``example`` values.

    The spec puts examples on the event (``data``) schemas; each is wrapped in ``{"data": ...}``
    as Telnyx delivers it.
    """
    spec = require_spec()
    examples: dict[str, Any] = {}
    for event_type, name in _webhook_index().items():
        if not event_type.startswith(prefixes):
            continue
        hook = spec["webhooks"][name]["post"]["requestBody"]["content"]["application/json"]
        example = _find_example(hook["schema"])
        if example is not None:
            examples[event_type] = example
    return examples


def _find_example(schema: dict[str, Any], depth: int = 0) -> Any:
    if depth > 6:
        return None
    if "$ref" in schema:
        schema = _resolve(tuple(schema["$ref"].lstrip("#/").split("/")))
    if "example" in schema:
        example = schema["example"]
        if isinstance(example, dict) and "data" not in example and "event_type" in example:
            return {"data": example}
        return example
    data = schema.get("properties", {}).get("data")
    if data is not None:
        inner = _find_example(data, depth + 1)
        if isinstance(inner, dict) and "data" not in inner:
            return {"data": inner}
        return inner
    return None


_TEMPLATE_RE = re.compile(r"\{[^/]+\}")


@functools.cache
def _path_patterns() -> list[tuple[re.Pattern[str], str]]:
    spec = require_spec()
    patterns = []
    for template in spec["paths"]:
        literal_parts = _TEMPLATE_RE.split(template)
        regex = "^" + "[^/]+".join(re.escape(part) for part in literal_parts) + "$"
        patterns.append((re.compile(regex), template))
    # Literal segments win over templated ones (e.g. /recordings/actions/delete).
    patterns.sort(key=lambda p: p[1].count("{"))
    return patterns


def match_path(method: str, url_path: str) -> str | None:
    """The spec path template that a concrete request path (under /v2) matches, if any."""
    path = url_path.removeprefix("/v2")
    for regex, template in _path_patterns():
        if regex.match(path) and method.lower() in require_spec()["paths"][template]:
            return template
    return None
