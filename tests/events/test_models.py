"""Event models against the spec's webhooks: every call.*/conference.* example parses, typed."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.events.models import (
    EVENT_MODELS,
    CallAIGatherEndedPayload,
    CallConversationInsightsGeneratedPayload,
    CallTranscriptionPayload,
    Envelope,
    EventParseError,
    GenericEvent,
    parse_envelope,
)
from tests.support import openapi

PREFIXES = ("call.", "conference.")
# Streaming and SIPREC events belong to calls too (Telnyx names them without "call.").
ALL_PREFIXES = (*PREFIXES, "streaming.", "siprec.")


def _spec_payload_fields(event_type: str) -> tuple[set[str], set[str]]:
    """(data keys, payload keys) the spec defines for one event type."""
    spec = openapi.require_spec()
    name = openapi._webhook_index()[event_type]
    schema = spec["webhooks"][name]["post"]["requestBody"]["content"]["application/json"]
    top = _properties(schema["schema"])
    # conference.floor.changed's webhook schema lacks the "data" wrapper (a spec slip).
    data = _properties(top["data"]) if "data" in top else top
    return set(data), set(_properties(data.get("payload", {})))


def _properties(schema: dict) -> dict:
    while "$ref" in schema:
        schema = openapi._resolve(tuple(schema["$ref"].lstrip("#/").split("/")))
    found = dict(schema.get("properties", {}))
    for key in ("allOf", "oneOf", "anyOf"):
        for sub in schema.get(key, []):
            found.update(_properties(sub))
    return found


def test_every_spec_event_type_has_a_typed_model():
    openapi.require_spec()
    missing = [t for t in openapi.webhook_event_types(ALL_PREFIXES) if t not in EVENT_MODELS]
    assert not missing, f"event types without a model: {missing}"


def test_spec_examples_cover_every_event_type():
    openapi.require_spec()
    examples = openapi.webhook_examples(PREFIXES)
    assert set(examples) == set(openapi.webhook_event_types(PREFIXES))


@pytest.mark.parametrize("prefixes", [PREFIXES, ("streaming.", "siprec.")], ids=["call+conf", "x"])
def test_every_example_parses_into_its_class_and_matches_the_schema(prefixes):
    openapi.require_spec()
    examples = openapi.webhook_examples(prefixes)
    assert examples
    failures = []
    for event_type, example in sorted(examples.items()):
        errors = [e.message for e in openapi.webhook_validator(event_type).iter_errors(example)]
        if errors:
            failures.append(f"{event_type}: example does not match its schema: {errors[:2]}")
        for body in (example, json.dumps(example), json.dumps(example).encode()):
            envelope = parse_envelope(body)
            model = EVENT_MODELS[event_type]
            if type(envelope.data) is not model:
                failures.append(f"{event_type}: parsed as {type(envelope.data).__name__}")
            if not isinstance(envelope.data.payload, model.payload_model):
                failures.append(f"{event_type}: payload is {type(envelope.data.payload)}")
            if envelope.parse_warning:
                failures.append(f"{event_type}: {envelope.parse_warning}")
            # Typed means typed: nothing of the example lands in the "extra" bag.
            if envelope.data.payload.model_extra:
                failures.append(
                    f"{event_type}: untyped {sorted(envelope.data.payload.model_extra)}"
                )
        assert envelope.event_id == example["data"]["id"]
        assert envelope.data.effective_occurred_at is not None or event_type in {
            "conference.recording.saved"
        }, event_type
    assert not failures, "\n".join(failures)


def test_models_declare_every_field_the_spec_defines():
    openapi.require_spec()
    gaps = []
    for et in openapi.webhook_event_types(ALL_PREFIXES):
        data_keys, payload_keys = _spec_payload_fields(et)
        model = EVENT_MODELS[et]
        declared = {f.alias or n for n, f in model.payload_model.model_fields.items()}
        declared_data = {f.alias or n for n, f in model.model_fields.items()}
        if payload_keys - declared:
            gaps.append(f"{et}.payload: {sorted(payload_keys - declared)}")
        if data_keys - declared_data:
            gaps.append(f"{et}.data: {sorted(data_keys - declared_data)}")
    assert not gaps, "\n".join(gaps)


def test_typed_fields_of_newer_events():
    body = {
        "data": {
            "event_type": "call.ai_gather.ended",
            "id": "1",
            "payload": {
                "message_history": [{"role": "user", "content": "hi"}],
                "result": {"age": 3},
                "status": "valid",
            },
        }
    }
    payload = parse_envelope(body).data.payload
    assert isinstance(payload, CallAIGatherEndedPayload)
    assert payload.message_history[0].role == "user" and payload.result == {"age": 3}

    body["data"].update(
        event_type="call.conversation_insights.generated",
        payload={"results": [{"insight_id": "a", "result": "text"}, {"result": {"k": 1}}]},
    )
    payload = parse_envelope(body).data.payload
    assert isinstance(payload, CallConversationInsightsGeneratedPayload)
    assert [r.result for r in payload.results] == ["text", {"k": 1}]

    body["data"].update(
        event_type="call.transcription",
        payload={
            "transcription_data": {"transcript": "hello", "is_final": True, "confidence": 0.9}
        },
    )
    payload = parse_envelope(body).data.payload
    assert isinstance(payload, CallTranscriptionPayload)
    assert payload.transcription_data.transcript == "hello"


def test_unknown_fields_are_kept_and_unknown_types_are_generic():
    body = {
        "data": {
            "event_type": "call.hangup",
            "id": "1",
            "brand_new": 1,
            "payload": {"hangup_cause": "a_new_cause", "new_field": [1]},
        },
        "meta": {"attempt": 3, "new_meta": True},
    }
    envelope = parse_envelope(body)
    assert envelope.data.payload.hangup_cause == "a_new_cause"
    assert envelope.data.payload.model_extra == {"new_field": [1]}
    assert envelope.attempt == 3
    body["data"]["event_type"] = "fax.received"
    assert type(parse_envelope(body).data) is GenericEvent


def test_a_known_event_with_a_drifted_field_is_kept_as_generic():
    # Telnyx does not retry a 4xx: a genuine event must never be refused for a type change.
    body = {
        "data": {"event_type": "call.enqueued", "id": "1", "payload": {"current_position": "x"}}
    }
    envelope = parse_envelope(body)
    assert type(envelope.data) is GenericEvent
    assert envelope.data.event_type == "call.enqueued"
    assert "current_position" in envelope.parse_warning
    # An odd meta is ignored the same way.
    envelope = parse_envelope({"data": {"event_type": "x", "id": "1"}, "meta": {"attempt": "z"}})
    assert envelope.meta is None and envelope.attempt == 1 and envelope.parse_warning


@pytest.mark.parametrize(
    "body, reason",
    [
        (b"", "not JSON"),
        (b"\xff\xfe{", "not JSON"),
        (b"[1]", "not a JSON object"),
        (b"[" * 100_000, "nested too deeply"),
        (b'{"event_type": "call.answered"}', "no 'data'"),
        (b'{"data": {"id": "1"}}', "event_type"),
        (b'{"data": {"event_type": "call.answered"}}', "data.id"),
        (b'{"data": {"event_type": "call.answered", "id": 5}}', "data.id"),
        (b'{"data": {"event_type": "x", "id": "1", "occurred_at": "yesterday"}}', "occurred_at"),
        (b'{"data": {"event_type": "x", "id": "1", "payload": [1]}}', "payload"),
    ],
)
def test_non_events_raise_event_parse_error(body, reason):
    with pytest.raises(EventParseError) as err:
        parse_envelope(body)
    assert reason in err.value.reason


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(
    event_type=st.sampled_from([*EVENT_MODELS, "x.unknown", ""]),
    payload=_json,
    extra=st.dictionaries(
        st.sampled_from(["occurred_at", "id", "record_type", "created_at", "meta"]), _json
    ),
)
def test_arbitrary_json_only_ever_raises_event_parse_error(event_type, payload, extra):
    data = {"event_type": event_type, "id": "evt", "payload": payload}
    data.update({k: v for k, v in extra.items() if k != "meta"})
    document = {"data": data, "meta": extra.get("meta")}
    try:
        envelope = parse_envelope(json.dumps(document))
    except EventParseError as exc:
        assert exc.reason
    else:
        assert isinstance(envelope, Envelope)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_only_ever_raise_event_parse_error(raw):
    with contextlib.suppress(EventParseError):
        parse_envelope(raw)
