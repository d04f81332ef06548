"""Request validation by the spec's rules: required, types, enums, limits, E.164, SIP, base64."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from . import errors
from .spec_rules import RULES

E164_RE = re.compile(r"^\+[1-9]\d{1,14}$")
SIP_URI_RE = re.compile(r"^sips?:[^@\s:;]+@[A-Za-z0-9.\-\[\]:]+(;\S*)?$", re.IGNORECASE)
DTMF_SUFFIX_RE = re.compile(r",[0-9A-Da-d*#wW]+$")
DIGITS_RE = re.compile(r"^[0-9A-Da-d*#wW]+$")

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
    "null": (type(None),),
}
_WORDS = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "array": "an array",
    "object": "an object",
    "null": "null",
}
BASE64_FIELDS = ("client_state", "target_leg_client_state")


def _type_ok(value: Any, json_type: str) -> bool:
    if json_type in ("integer", "number") and isinstance(value, bool):
        return False  # JSON true is not a number
    return isinstance(value, _JSON_TYPES.get(json_type, (object,)))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check(schema: str, body: Any) -> dict[str, Any]:
    """Validate ``body`` against the spec schema's top-level rules; return it (a dict)."""
    if body is None:
        body = {}
    if not isinstance(body, dict):
        raise errors.bad_request("The request body must be a JSON object.", status=422)
    rules = RULES[schema]
    for name in rules["required"]:
        if name not in body or _blank(body[name]):
            raise errors.missing(name)
    for name, value in body.items():
        rule = rules["fields"].get(name)
        if rule is None:
            continue  # unknown fields are ignored, as Telnyx does
        json_type, enum, limits = rule
        if value is None and not (isinstance(json_type, tuple) and "null" in json_type):
            continue  # an explicit null is treated as "not given"
        if json_type is not None:
            allowed = json_type if isinstance(json_type, tuple) else (json_type,)
            if not any(_type_ok(value, t) for t in allowed):
                raise errors.invalid_type(name, " or ".join(_WORDS.get(t, str(t)) for t in allowed))
        if enum is not None and value is not None and value not in enum:
            raise errors.invalid_enum(name, enum)
        if limits:
            _check_limits(name, value, limits)
    for name in BASE64_FIELDS:
        if name in body and body[name] is not None:
            check_base64(body[name], name)
    return body


def _check_limits(name: str, value: Any, limits: dict[str, Any]) -> None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        low, high = limits.get("minimum"), limits.get("maximum")
        if (low is not None and value < low) or (high is not None and value > high):
            raise errors.out_of_range(name, low if low is not None else "-", high or "-")
    if isinstance(value, str):
        low, high = limits.get("minLength"), limits.get("maxLength")
        if (low is not None and len(value) < low) or (high is not None and len(value) > high):
            raise errors.invalid_type(name, f"a string of {low or 0} to {high or 'any'} characters")


def check_base64(value: Any, field: str = "client_state") -> str:
    """client_state must be valid base64 (API-NOTES §6): error 90017 otherwise."""
    if not isinstance(value, str):
        raise errors.invalid_client_state(field)
    if value == "":
        return value
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise errors.invalid_client_state(field) from None
    return value


def is_e164(value: str) -> bool:
    return bool(E164_RE.match(value))


def is_sip_uri(value: str) -> bool:
    return bool(SIP_URI_RE.match(value))


def check_destination(value: Any, field: str, *, allow_sip: bool = True) -> None:
    """A number to dial: E.164 (with an optional ",digits" suffix) or, if allowed, a SIP URI."""
    if not isinstance(value, str):
        raise errors.invalid_type(field, "a string")
    if allow_sip and value.lower().startswith(("sip:", "sips:")):
        if not is_sip_uri(value):
            raise errors.TelnyxError(
                422,
                "10015",
                "Invalid SIP URI",
                f"The '{field}' parameter is not a valid SIP URI.",
                pointer=f"/{field}",
            )
        return
    if not is_e164(DTMF_SUFFIX_RE.sub("", value)):
        raise errors.not_e164(field)


def check_dial_to(value: Any) -> list[str]:
    """Dial's ``to``: a string or an array of DID/SIP URIs (spec CallRequest.to)."""
    if isinstance(value, list):
        if not value:
            raise errors.missing("to")
        for index, item in enumerate(value):
            check_destination(item, f"to/{index}")
            if isinstance(item, str) and DTMF_SUFFIX_RE.search(item) and not is_sip_uri(item):
                raise errors.not_e164(f"to/{index}")
        return list(value)
    check_destination(value, "to")
    return [value]


def check_digits(value: Any, field: str = "digits") -> str:
    if not isinstance(value, str) or not DIGITS_RE.match(value):
        raise errors.TelnyxError(
            422,
            "10015",
            "Invalid DTMF digits",
            "Valid digits are 0-9, A-D, *, and #; pauses w and W.",
            pointer=f"/{field}",
        )
    return value


def check_loop(value: Any, field: str = "loop") -> int | None:
    """Loopcount: an integer 1..100 or "infinity" (None = forever); error 90009 otherwise."""
    if value is None:
        return 1
    if value == "infinity":
        return None
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
        raise errors.invalid_loop(field)
    return value


def check_id_list(body: dict[str, Any], field: str = "call_control_ids") -> list[str] | None:
    """An optional array of call_control_ids; None when absent."""
    value = body.get(field)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise errors.invalid_type(field, "an array of strings")
    return value


def check_url(value: Any, field: str) -> str:
    if not isinstance(value, str) or not re.match(r"^https?://[^\s/]+", value):
        raise errors.TelnyxError(
            422, "10015", "Invalid URL", f"The '{field}' must be a valid URL.", pointer=f"/{field}"
        )
    return value
