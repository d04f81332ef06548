"""Generates console/telnyx/requests.py (the request models) from the Telnyx OpenAPI spec.

Usage: ``.venv/bin/python scripts/gen_request_models.py`` writes the file, formatted;
``--check`` only says whether the committed file is what the spec generates (a test runs that,
and the contract tests check the models against the spec as well).
"""

from __future__ import annotations

import json
import keyword
import sys
from typing import Any

from spec_source import ROOT, load_spec, ruff_format, write_or_check
from spec_source import resolve as resolve_in

TARGET = ROOT / "console" / "telnyx" / "requests.py"

# Request body schemas the console sends, in the order they appear in the output.
SCHEMAS = [
    # calls
    "CallRequest",
    "AnswerRequest",
    "RejectRequest",
    "HangupRequest",
    "TransferCallRequest",
    "BridgeRequest",
    "ReferRequest",
    "SendSIPInfoRequest",
    "StartRecordingRequest",
    "StopRecordingRequest",
    "PauseRecordingRequest",
    "ResumeRecordingRequest",
    "PlayAudioUrlRequest",
    "PlaybackStopRequest",
    "SpeakRequest",
    "SendDTMFRequest",
    "GatherUsingAudioRequest",
    "EnqueueRequest",
    "LeaveQueueRequest",
    "StartStreamingRequest",
    "StopStreamingRequest",
    "ClientStateUpdateRequest",
    "SwitchSupervisorRoleRequest",
    # conferences
    "CreateConferenceRequest",
    "EndConferenceRequest",
    "JoinConferenceRequest",
    "LeaveConferenceRequest",
    "ConferenceMuteRequest",
    "ConferenceUnmuteRequest",
    "ConferenceHoldRequest",
    "ConferenceUnholdRequest",
    "StartConferenceRecordingRequest",
    "StopRecordingConferenceRequest",
    "PauseConferenceRecordingRequest",
    "ResumeConferenceRecordingRequest",
    "ConferenceSpeakRequest",
    "ConferencePlayRequest",
    "ConferenceStopRequest",
    "ConferenceSendDTMFRequest",
    "UpdateConferenceRequest",
    "UpdateConferenceParticipantRequest",
    # queues
    "CreateQueueRequest",
    "UpdateQueueRequest",
    "UpdateQueuedCallRequest",
    # call control applications
    "CreateCallControlApplicationRequest",
    "UpdateCallControlApplicationRequest",
]

# One generation's state: generate() fills these afresh each time.
SPEC: dict[str, Any] = {}
NESTED: dict[str, str] = {}  # canonical JSON of an object schema -> generated class name
OUT_NESTED: list[str] = []


def resolve(ref: str) -> dict[str, Any]:
    return resolve_in(SPEC, ref)


def deref(schema: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    name = None
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = resolve(schema["$ref"])
    return schema, name


def pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.replace("-", "_").split("_"))


def py_name(name: str) -> str:
    return name + "_" if keyword.iskeyword(name) else name


def is_simple_object(schema: dict[str, Any]) -> bool:
    """An object whose properties are all scalars or lists of scalars (worth a typed model)."""
    props = schema.get("properties")
    if not props or "discriminator" in schema or "oneOf" in schema:
        return False
    for sub in props.values():
        sub, _ = deref(sub)
        kind = sub.get("type")
        if kind == "array":
            item, _ = deref(sub.get("items", {}))
            if item.get("type") not in ("string", "integer", "number", "boolean"):
                return False
        elif kind not in ("string", "integer", "number", "boolean"):
            return False
    return True


def constraints(schema: dict[str, Any]) -> list[str]:
    out = []
    for key, arg in (
        ("minLength", "min_length"),
        ("maxLength", "max_length"),
        ("minimum", "ge"),
        ("maximum", "le"),
        ("minItems", "min_length"),
        ("maxItems", "max_length"),
    ):
        if key in schema:
            out.append(f"{arg}={schema[key]!r}")
    return out


def annotate(schema: dict[str, Any], owner: str, field: str) -> tuple[str, str]:
    """(pydantic annotation, TypedDict annotation) for a property schema."""
    schema, ref_name = deref(schema)
    if ref_name == "Loopcount":
        # The spec types it string|integer; its description narrows it to 1-100 or "infinity".
        return (
            'Literal["infinity"] | Annotated[int, Field(ge=1, le=100)]',
            'Literal["infinity"] | int',
        )
    if "oneOf" in schema or "anyOf" in schema:
        branches = [deref(s)[0] for s in schema.get("oneOf", schema.get("anyOf"))]
        scalar = ("string", "integer", "number", "boolean")
        if all(
            b.get("type") in scalar
            or (b.get("type") == "array" and deref(b.get("items", {}))[0].get("type") in scalar)
            for b in branches
        ):
            joined = " | ".join(annotate(b, owner, field)[0] for b in branches)
            return joined, joined
        return "dict[str, Any]", "dict[str, Any]"
    kind = schema.get("type")
    nullable = False
    if isinstance(kind, list):
        nullable = "null" in kind
        kind = next(k for k in kind if k != "null")
    if "enum" in schema:
        values = [v for v in schema["enum"] if v is not None]
        ann = "Literal[" + ", ".join(json.dumps(v) for v in values) + "]"
        typed = ann
    elif kind == "string":
        ann = typed = "str"
    elif kind == "integer":
        ann = typed = "int"
    elif kind == "number":
        ann = typed = "float"
    elif kind == "boolean":
        ann = typed = "bool"
    elif kind == "array":
        inner, inner_typed = annotate(schema.get("items", {}), owner, field)
        ann, typed = f"list[{inner}]", f"list[{inner_typed}]"
    elif kind == "object" or "properties" in schema:
        if is_simple_object(schema):
            cls = nested_model(schema, ref_name or owner + pascal(field))
            ann, typed = cls, f"{cls} | dict[str, Any]"
        else:
            ann = typed = "dict[str, Any]"
    else:
        ann = typed = "Any"
    cons = constraints(schema)
    if cons and (kind == "array" or "enum" not in schema):
        ann = f"Annotated[{ann}, Field({', '.join(cons)})]"
    if nullable:
        ann, typed = f"{ann} | None", f"{typed} | None"
    return ann, typed


def nested_model(schema: dict[str, Any], name: str) -> str:
    key = json.dumps(
        {k: v for k, v in schema.items() if k not in ("description", "example")},
        sort_keys=True,
    )
    if key in NESTED:
        return NESTED[key]
    NESTED[key] = name
    OUT_NESTED.append(render_model(name, schema, with_params=False))
    return name


def render_model(name: str, schema: dict[str, Any], *, with_params: bool) -> str:
    required = set(schema.get("required", []))
    doc = f"Schema ``{name}`` of spec3.yml." if with_params else f"Nested object ``{name}``."
    model_lines = [f"class {name}(RequestModel):", f'    """{doc}"""', ""]
    params_lines = [f"class {name}Params(TypedDict, total=False):", ""]
    for prop, sub in sorted(schema.get("properties", {}).items()):
        ann, typed = annotate(sub, name, prop)
        attr = py_name(prop)
        alias = f'alias="{prop}"' if attr != prop else ""
        if prop in required:
            default = f" = Field({alias})" if alias else ""
            model_lines.append(f"    {attr}: {ann}{default}")
            params_lines.append(f"    {attr}: Required[{typed}]")
        else:
            default = f" = Field(None, {alias})" if alias else " = None"
            model_lines.append(f"    {attr}: {ann} | None{default}")
            params_lines.append(f"    {attr}: {typed} | None")
    if not schema.get("properties"):
        model_lines.append("    pass")
    out = "\n".join(model_lines) + "\n"
    if with_params:
        out += "\n\n" + "\n".join(params_lines) + "\n"
    return out


HEADER = '''"""Request bodies of the operations the console sends, generated from spec3.yml.

Do not edit by hand: run ``scripts/gen_request_models.py``. Each ``XxxRequest`` model
mirrors the spec schema of the same name (field names, types, enums, limits and ``required``);
``XxxRequestParams`` is the matching ``TypedDict`` the resource methods take as ``**params`` so
editors and type checkers know every keyword. ``from`` is spelt ``from_`` in Python.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Required, TypedDict

from pydantic import BaseModel, ConfigDict, Field


class RequestModel(BaseModel):
    """Base of every request body: unknown fields are an error, aliases are used on the wire."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def to_wire(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

'''


def generate(spec: dict[str, Any]) -> str:
    """The text of requests.py for ``spec``, formatted as committed."""
    SPEC.clear()
    SPEC.update(spec)
    NESTED.clear()
    OUT_NESTED.clear()
    schemas = SPEC["components"]["schemas"]
    top = [render_model(name, schemas[name], with_params=True) for name in SCHEMAS]
    body = HEADER + "\n\n" + "\n\n".join(OUT_NESTED + top)
    body += "\n\nREQUEST_MODELS: dict[str, type[RequestModel]] = {\n"
    body += "".join(f'    "{n}": {n},\n' for n in SCHEMAS) + "}\n"
    return ruff_format(body, TARGET)


def main(argv: list[str]) -> int:
    return write_or_check(TARGET, generate(load_spec()), argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
