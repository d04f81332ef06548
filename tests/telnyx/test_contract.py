"""Contract with Telnyx's OpenAPI spec (spec3.yml): what the client sends and what it reads.

Skipped, with the reason shown, when the shared spec folder is absent.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from console.telnyx import (
    ActiveCall,
    Call,
    CallControlApplication,
    CommandResult,
    Conference,
    DialResult,
    Participant,
    Queue,
    QueueCall,
    Recording,
)
from console.telnyx.endpoints import ALL_ENDPOINTS
from console.telnyx.requests import REQUEST_MODELS
from tests.support.openapi import (
    match_path,
    operation,
    request_validator,
    require_spec,
    response_validator,
)
from tests.telnyx.operation_cases import CASES, reply_for

pytestmark = pytest.mark.anyio


def _errors(validator, instance) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
        for e in validator.iter_errors(instance)
    ]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_request_matches_spec(case, client, recorder):
    require_spec()
    recorder.reply(reply_for(case))
    await case.run(client)
    request = recorder.last

    path = request.url.raw_path.split(b"?")[0].decode()
    template = match_path(request.method, path)
    assert template == case.template, f"{request.method} {path} is not in the spec"

    op = operation(request.method, template)
    if "requestBody" in op:
        body = json.loads(request.content)
        assert not _errors(request_validator(request.method, template), body)
    else:
        assert request.content == b""
    _check_query(op, dict(request.url.params))


def _check_query(op: dict[str, Any], query: dict[str, str]) -> None:
    """Every query key is a declared parameter (deepObject keys such as filter[a][b] included)."""
    spec = require_spec()
    declared: dict[str, Any] = {}
    for param in op.get("parameters", []):
        if "$ref" in param:
            node: Any = spec
            for part in param["$ref"].lstrip("#/").split("/"):
                node = node[part]
            param = node
        if param.get("in") == "query":
            declared[param["name"]] = param.get("schema", {})
    for key in query:
        if key in declared:
            continue
        root, _, rest = key.partition("[")
        assert root in declared, f"query parameter {key} is not in the spec"
        schema = declared[root]
        for part in rest.rstrip("]").split("]["):
            props = schema.get("properties", {})
            assert part in props, f"query parameter {key} is not in the spec"
            schema = props[part]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fixture_responses_match_spec(case):
    """The replies the wire tests use are themselves valid spec responses."""
    require_spec()
    if case.status == 204:
        return
    validator = response_validator(case.method, case.template, case.status)
    assert validator is not None
    body = json.loads(reply_for(case).content)
    assert not _errors(validator, body)


def test_every_endpoint_is_in_the_spec():
    spec = require_spec()
    for endpoint in ALL_ENDPOINTS:
        assert endpoint.method.lower() in spec["paths"].get(endpoint.path, {}), endpoint.name
        op = spec["paths"][endpoint.path][endpoint.method.lower()]
        assert ("requestBody" in op) == (endpoint.body is not None), endpoint.name


@pytest.mark.parametrize("name", sorted(REQUEST_MODELS))
def test_request_models_match_spec_schemas(name):
    """requests.py is generated from the spec; fail if the spec and the models drift apart."""
    schema = require_spec()["components"]["schemas"][name]
    model = REQUEST_MODELS[name]
    wire_names = {f.alias or n: f for n, f in model.model_fields.items()}
    assert set(wire_names) == set(schema.get("properties", {}))
    required = {n for n, f in wire_names.items() if f.is_required()}
    assert required == set(schema.get("required", []))


def test_command_id_only_where_the_schema_has_it():
    schemas = require_spec()["components"]["schemas"]
    for endpoint in ALL_ENDPOINTS:
        if endpoint.body is None:
            continue
        name = endpoint.body.__name__
        assert endpoint.has_command_id == ("command_id" in schemas[name]["properties"]), name


def _example(name: str) -> dict[str, Any]:
    """The schema's own example, or one assembled from its properties' examples."""
    return _build_example(require_spec()["components"]["schemas"][name])


def _build_example(schema: dict[str, Any]) -> Any:
    if "example" in schema:
        return schema["example"]
    out = {}
    for key, prop in schema.get("properties", {}).items():
        if "example" in prop or "properties" in prop:
            out[key] = _build_example(prop)
    return out


@pytest.mark.parametrize(
    ("schema", "model", "check"),
    [
        ("Call", Call, lambda m: m.call_control_id.startswith("v3:") and m.is_alive is not None),
        ("CallWithRecordingId", DialResult, lambda m: m.call_leg_id),
        ("ActiveCall", ActiveCall, lambda m: m.call_control_id),
        ("Conference", Conference, lambda m: m.id and m.name and m.ended_by.call_control_id),
        ("Participant", Participant, lambda m: m.conference_ref and m.muted is not None),
        ("Queue", Queue, lambda m: m.name == "support" and m.max_size == 50),
        ("QueueCall", QueueCall, lambda m: m.from_ and m.queue_position is not None),
        ("CallControlApplication", CallControlApplication, lambda m: m.inbound is not None),
        ("RecordingResponseData", Recording, lambda m: m.id and m.download_urls is not None),
        ("CallControlCommandResult", CommandResult, lambda m: m.result == "ok"),
    ],
)
def test_spec_examples_parse(schema, model, check):
    parsed = model.model_validate(_example(schema))
    assert check(parsed)


async def test_spec_example_through_the_client(client, recorder):
    """A whole spec-shaped answer, served over the mock transport, reads back as models."""
    example = _example("Call")
    recorder.reply(httpx.Response(200, json={"data": example}))
    call = await client.calls.retrieve(example["call_control_id"])
    assert call.client_state_text == "have a nice day =]"
    recorder.reply(
        httpx.Response(
            200,
            json={
                "data": [_example("Queue")],
                "meta": {"page_number": 1, "page_size": 20, "total_pages": 1, "total_results": 1},
            },
        )
    )
    assert [q.name for q in await client.queues.list_all()] == ["support"]
