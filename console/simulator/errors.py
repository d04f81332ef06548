"""Telnyx error bodies (``{"errors": [{code, title, detail, source}]}``) as an exception."""

from __future__ import annotations

from typing import Any

from aiohttp import web

DOCS = "https://developers.telnyx.com/docs/overview/errors/"


class TelnyxError(Exception):
    """A request the simulator refuses the way Telnyx would. ``code`` is a digit string."""

    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        detail: str = "",
        *,
        pointer: str | None = None,
        parameter: str | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(f"{status} {code} {title}: {detail}")
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail or title
        self.pointer = pointer
        self.parameter = parameter
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {
            "code": self.code,
            "title": self.title,
            "detail": self.detail,
            "meta": {"url": DOCS + self.code},
        }
        if self.pointer is not None:
            error["source"] = {"pointer": self.pointer}
        elif self.parameter is not None:
            error["source"] = {"parameter": self.parameter}
        return {"errors": [error]}

    def response(self) -> web.Response:
        return web.json_response(self.body(), status=self.status, headers=self.headers)


# --- the codes of API-NOTES §5.3 and the spec's UnprocessableEntityResponse examples ---------


def unauthorized() -> TelnyxError:
    return TelnyxError(
        401,
        "10009",
        "Authentication failed",
        "The required authentication headers were either invalid or not included in the request.",
    )


def too_many_requests(retry_after: int = 1) -> TelnyxError:
    return TelnyxError(
        429,
        "10011",
        "Too many requests",
        "You have exceeded the maximum number of allowed requests.",
        headers={"Retry-After": str(retry_after)},
    )


def bad_request(detail: str, pointer: str | None = None, status: int = 400) -> TelnyxError:
    return TelnyxError(status, "10015", "Bad Request", detail, pointer=pointer)


def missing(field: str) -> TelnyxError:
    return TelnyxError(
        422,
        "10004",
        "Missing required parameter",
        f"The '{field}' parameter is required and cannot be blank.",
        pointer=f"/{field}",
    )


def invalid_enum(field: str, allowed: list[Any]) -> TelnyxError:
    values = ", ".join(str(v) for v in sorted(allowed, key=str))
    return TelnyxError(
        422,
        "10032",
        "Invalid enumerated value",
        f"The value must be one of: {values}.",
        pointer=f"/{field}",
    )


def invalid_type(field: str, expected: str) -> TelnyxError:
    return TelnyxError(
        422,
        "10015",
        "Bad Request",
        f"The '{field}' parameter must be {expected}.",
        pointer=f"/{field}",
    )


def out_of_range(field: str, low: Any, high: Any) -> TelnyxError:
    return TelnyxError(
        422,
        "10033",
        "Value outside of range",
        f"The value is outside of allowed range {low} to {high}",
        pointer=f"/{field}",
    )


def not_e164(field: str) -> TelnyxError:
    return TelnyxError(
        422,
        "10016",
        "Phone number must be in +E164 format",
        f"The '{field}' parameter must be in E164 format.",
        pointer=f"/{field}",
    )


def invalid_client_state(field: str = "client_state") -> TelnyxError:
    return TelnyxError(
        422,
        "90017",
        "Invalid value for client_state",
        "client_state must be a valid Base-64 encoded string.",
        pointer=f"/{field}",
    )


def invalid_loop(field: str = "loop") -> TelnyxError:
    return TelnyxError(
        422,
        "90009",
        "Invalid value for loop",
        "loop must be an integer between 1 and 100 or the string 'infinity'.",
        pointer=f"/{field}",
    )


def invalid_connection_id() -> TelnyxError:
    return TelnyxError(
        422,
        "10015",
        "Invalid value for connection_id (Call Control App ID)",
        "The requested connection_id (Call Control App ID) is either invalid or does not exist. "
        "Only Call Control Apps with valid webhook URL are accepted.",
        pointer="/connection_id",
    )


def invalid_call_control_id(pointer: str = "/call_control_id") -> TelnyxError:
    return TelnyxError(
        422,
        "90015",
        "Invalid Call Control ID",
        "The call_control_id provided was not valid.",
        pointer=pointer,
    )


def call_ended() -> TelnyxError:
    return TelnyxError(
        422,
        "90018",
        "Call has already ended",
        "This call is no longer active and can't receive commands.",
    )


def conference_ended() -> TelnyxError:
    return TelnyxError(
        422,
        "90019",
        "Conference has already ended",
        "This conference is no longer active and can't receive commands.",
    )


def not_answered() -> TelnyxError:
    return TelnyxError(
        422,
        "90034",
        "Call not answered yet",
        "This call can't receive this command because it has not been answered yet.",
    )


def not_in_queue() -> TelnyxError:
    return TelnyxError(422, "90035", "Call not in queue", "The call is not in a queue.")


def queue_full(name: str) -> TelnyxError:
    return TelnyxError(
        422, "90036", "Queue full", f"The '{name}' queue is full and can't accept more calls."
    )


def already_in_queue() -> TelnyxError:
    return TelnyxError(
        422, "90038", "Call already in queue", "Call can't be added to a queue it's already in."
    )


def join_not_allowed(detail: str) -> TelnyxError:
    return TelnyxError(422, "90044", "Conference join not allowed", detail)


def conference_not_found(status: int = 404) -> TelnyxError:
    return TelnyxError(status, "90058", "Invalid conference_id", "The conference does not exist.")


def conference_name_taken() -> TelnyxError:
    return TelnyxError(
        422,
        "90033",
        "Unable to execute command",
        "Conference with given name already exists and it's active.",
        pointer="/name",
    )


def answer_outbound() -> TelnyxError:
    return TelnyxError(
        422,
        "90102",
        "Call answer command cannot be issued for outbound calls",
        "Only incoming calls can be answered.",
    )


def not_found(detail: str = "Resource not found", pointer: str | None = None) -> TelnyxError:
    return TelnyxError(404, "10007", "Resource not found", detail, pointer=pointer)


def recording_not_found() -> TelnyxError:
    return TelnyxError(
        404,
        "10005",
        "Recording not found",
        "The recording could not be found. Please check the recording_id and try again.",
        pointer="/recording_id",
    )


def unable(detail: str, pointer: str | None = None) -> TelnyxError:
    """A command that does not fit the call's present state (no dedicated code is documented)."""
    return TelnyxError(422, "10015", "Bad Request", detail, pointer=pointer)


def internal_error() -> TelnyxError:
    return TelnyxError(
        500, "10010", "Internal server error", "An unexpected error occurred (simulated)."
    )


def service_unavailable() -> TelnyxError:
    return TelnyxError(
        503, "10012", "Service unavailable", "The service is temporarily unavailable (simulated)."
    )
