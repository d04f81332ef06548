"""Exceptions raised by the Telnyx client, each with a message an operator can read.

The UI catches :class:`TelnyxError` (a :class:`console.errors.ConsoleError`) and shows its
``user_message`` (the same sentence as ``str(error)``)::

    TelnyxError
    ├── TelnyxInputError (also a ValueError)   bad input caught before any request is sent
    │   └── InvalidPhoneNumber                  (defined in console.telnyx.phone)
    ├── APIError                                Telnyx answered with an error status
    │   ├── BadRequestError                     400
    │   ├── AuthenticationError                 401  (wrong or revoked API key)
    │   ├── PermissionDeniedError               403
    │   ├── NotFoundError                       404
    │   ├── ConflictError                       409
    │   ├── UnprocessableEntityError            422  (.errors[i].field from source.pointer)
    │   ├── RateLimitError                      429  (.retry_after seconds, if sent)
    │   └── ServerError                         5xx
    └── NetworkError                            no usable answer: DNS, refused, reset, TLS...
        └── RequestTimeoutError                 connect/read/write/pool timeout

``APIError.errors`` holds every entry of Telnyx's ``{"errors": [{code, title, detail,
source}]}`` body as :class:`ErrorDetail`; ``APIError.code`` is the first entry's code (a string
of digits such as ``"90018"``), handy for ``if err.code == "90018"`` checks.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import httpx

from console.errors import ConsoleError


class TelnyxError(ConsoleError):
    """Base of every error the Telnyx client raises; ``message`` is its ``user_message``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class TelnyxInputError(TelnyxError, ValueError):
    """Input rejected locally, before any request was made (the request was never sent)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

    @classmethod
    def from_validation_error(cls, exc: Any, *, operation: str) -> TelnyxInputError:
        """Turn a pydantic ``ValidationError`` into one readable sentence per field."""
        by_field: dict[str, list[str]] = {}
        for err in exc.errors():
            # Drop pydantic's union-branch tags ("literal['x']", "constrained-int", "str").
            parts = [
                str(p) for p in err.get("loc", ()) if isinstance(p, int) or not _TAG.search(str(p))
            ]
            loc = ".".join(parts)
            kind = err.get("type", "")
            if kind == "missing":
                text = "is required"
            elif kind == "extra_forbidden":
                text = "is not a field of this request"
            else:
                text = err.get("msg", "invalid value")
            texts = by_field.setdefault(loc, [])
            if text not in texts:
                texts.append(text)
        problems = []
        for loc, texts in by_field.items():
            joined = " or ".join(texts)
            problems.append(f"{loc} {joined}" if joined.startswith("is ") else f"{loc}: {joined}")
        first = next(iter(by_field), None) or None
        return cls(f"Invalid {operation} request: " + "; ".join(problems), field=first)


_TAG = re.compile(r"^(str|int|float|bool|none)$|[^A-Za-z0-9_]")


@dataclass(frozen=True)
class ErrorDetail:
    """One entry of Telnyx's ``errors`` array."""

    code: str | None = None
    title: str | None = None
    detail: str | None = None
    pointer: str | None = None
    parameter: str | None = None
    meta: dict[str, Any] | None = None

    @property
    def field(self) -> str | None:
        """The request field this error points at (``/to`` -> ``to``; nested -> ``a.b``)."""
        if self.pointer:
            parts = [p.replace("~1", "/").replace("~0", "~") for p in self.pointer.split("/")]
            name = ".".join(p for p in parts if p)
            return name or None
        return self.parameter

    def describe(self) -> str:
        text = self.title or self.detail or "Unknown error"
        if self.code:
            text += f" ({self.code})"
        if self.detail and self.title and self.detail.strip(". ") != self.title.strip(". "):
            text += f": {self.detail}"
        field = self.field
        if field and field not in text:
            text += f" [field: {field}]"
        return text

    @classmethod
    def from_json(cls, raw: Any) -> ErrorDetail:
        if not isinstance(raw, dict):
            return cls(detail=str(raw))
        raw_source = raw.get("source")
        source: dict[str, Any] = raw_source if isinstance(raw_source, dict) else {}
        code = raw.get("code")
        meta = raw.get("meta")
        return cls(
            code=str(code) if code is not None else None,
            title=_str_or_none(raw.get("title")),
            detail=_str_or_none(raw.get("detail")),
            pointer=_str_or_none(source.get("pointer")),
            parameter=_str_or_none(source.get("parameter")),
            meta=meta if isinstance(meta, dict) else None,
        )


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


class APIError(TelnyxError):
    """Telnyx answered with an HTTP error status (or an unreadable body)."""

    default_summary = "Telnyx rejected the request"

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        errors: list[ErrorDetail] | None = None,
        method: str | None = None,
        url: str | None = None,
        body: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.errors = errors or []
        self.method = method
        self.url = url
        self.body = body

    @property
    def code(self) -> str | None:
        return self.errors[0].code if self.errors else None


class BadRequestError(APIError):
    default_summary = "Telnyx could not understand the request"


class AuthenticationError(APIError):
    default_summary = "Telnyx did not accept the API key; check it in Settings"


class PermissionDeniedError(APIError):
    default_summary = "This API key is not allowed to do that"


class NotFoundError(APIError):
    default_summary = "Telnyx does not know that call, conference, queue or resource"


class ConflictError(APIError):
    default_summary = "The request conflicts with the current state of the resource"


class UnprocessableEntityError(APIError):
    default_summary = "Telnyx refused the command"

    @property
    def field_errors(self) -> dict[str, list[str]]:
        """Messages grouped by the request field they point at."""
        grouped: dict[str, list[str]] = {}
        for err in self.errors:
            if err.field:
                grouped.setdefault(err.field, []).append(err.describe())
        return grouped


class RateLimitError(APIError):
    default_summary = "Too many requests to Telnyx; slow down and try again"

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(APIError):
    default_summary = "Telnyx had an internal problem; try again shortly"


class NetworkError(TelnyxError):
    """No usable HTTP answer: the request failed on the network."""

    def __init__(self, message: str, *, method: str | None = None, url: str | None = None):
        super().__init__(message)
        self.method = method
        self.url = url


class RequestTimeoutError(NetworkError):
    """Telnyx did not answer in time (the command may or may not have been carried out)."""


_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP-date); None if unusable."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        from datetime import UTC, datetime
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


def error_from_response(response: httpx.Response) -> APIError:
    """Build the matching :class:`APIError` subclass from an error response."""
    status = response.status_code
    cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else APIError)
    text = _safe_text(response)
    details = _parse_error_body(text)
    if details:
        message = "; ".join(d.describe() for d in details)
    else:
        reason = response.reason_phrase or "error"
        message = f"{cls.default_summary} (HTTP {status} {reason})"
        snippet = " ".join(text.split())[:200] if text else ""
        if snippet and not snippet.startswith("<"):
            message += f": {snippet}"
    kwargs: dict[str, Any] = {
        "status_code": status,
        "errors": details,
        "method": response.request.method if _has_request(response) else None,
        "url": str(response.request.url) if _has_request(response) else None,
        "body": text,
    }
    if cls is RateLimitError:
        return RateLimitError(
            message, retry_after=parse_retry_after(response.headers.get("retry-after")), **kwargs
        )
    return cls(message, **kwargs)


def _has_request(response: httpx.Response) -> bool:
    try:
        response.request  # noqa: B018 - raises RuntimeError when unset
    except RuntimeError:
        return False
    return True


def _safe_text(response: httpx.Response) -> str:
    try:
        return response.text
    except (UnicodeDecodeError, httpx.ResponseNotRead):
        return ""


def _parse_error_body(text: str) -> list[ErrorDetail]:
    if not text.strip():
        return []
    try:
        body = json.loads(text)
    except ValueError:
        return []
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list):
            return [ErrorDetail.from_json(e) for e in errors if e]
        # Some gateways answer {"error": "..."} or {"message": "..."}.
        for key in ("error", "message", "detail"):
            if isinstance(body.get(key), str):
                return [ErrorDetail(detail=body[key])]
    return []
