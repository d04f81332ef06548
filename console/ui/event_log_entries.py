"""What a row of the event log holds: one webhook as received, accepted or refused.

A row is built from an accepted webhook (the parsed envelope and the receiver's delivery facts:
attempt, delay) or from a refusal (bad signature, stale timestamp, bad JSON, with what was
posted); its body stays as received text and is pretty-printed only when the operator looks.

Split out of console/ui/event_log.py (issue 11): the entries know nothing of Qt's models or the
dock; console/ui/event_log_model.py shows them, console/ui/event_log.py is the dock.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from console.events.models import payload_field
from console.ui import formatting as fmt

REJECTED = "rejected"


@dataclass
class LogEntry:
    received_at: datetime | None
    event_type: str
    call_control_id: str | None
    attempt: int | None
    raw: dict[str, Any] | str | None
    rejected: bool = False
    detail: str = ""
    delay_secs: float | None = None

    @property
    def pretty(self) -> str:
        raw: object = self.raw
        if isinstance(raw, str) and raw.startswith("{"):
            try:  # parsed only when the operator looks at it, not for every event logged
                raw = json.loads(raw)
            except ValueError:
                return str(raw)
        if isinstance(raw, dict):
            return json.dumps(raw, indent=2, sort_keys=False, ensure_ascii=False)
        return str(raw) if raw else ""


def entry_from_event(envelope, received=None) -> LogEntry:
    """A row for an accepted webhook (a parsed Envelope and the receiver's delivery facts)."""
    data = envelope.data
    # The body as received (kept as text until shown); a dump only when there is none.
    raw = getattr(received, "raw", None) or envelope.model_dump(
        mode="json", by_alias=True, exclude_none=True
    )
    received_at = fmt.to_datetime(getattr(received, "received_at", None)) or fmt.now()
    occurred = data.effective_occurred_at
    delay = getattr(received, "delivery_delay", None)
    if delay is None and occurred is not None:
        delay = fmt.seconds_between(occurred, received_at)
    attempt = getattr(received, "attempt", None) or envelope.attempt
    payload = data.payload
    detail = ""
    for name in ("hangup_cause", "reason", "status", "digit", "result", "queue", "conference_id"):
        value = payload_field(payload, name)
        if value:
            detail = f"{name}={value}"
            break
    return LogEntry(
        received_at=received_at,
        event_type=envelope.event_type,
        call_control_id=payload.call_control_id,
        attempt=attempt,
        raw=raw,
        detail=detail,
        delay_secs=delay,
    )


def entry_from_rejection(rejection) -> LogEntry:
    """A row for a webhook the receiver refused (bad signature, stale timestamp, bad JSON)."""
    reason = getattr(rejection, "reason", "") or "rejected"
    detail = getattr(rejection, "detail", "") or ""
    status = getattr(rejection, "status", None)
    remote = getattr(rejection, "remote", None)
    raw = {
        "rejected": True,
        "reason": reason,
        "detail": detail,
        "status": status,
        "remote": remote,
    }
    for name in ("method", "path"):
        if getattr(rejection, name, None):
            raw[name] = getattr(rejection, name)
    body = getattr(rejection, "body_excerpt", None)
    if body:
        raw["body_excerpt"] = body if isinstance(body, str) else repr(body)
    text = reason + (f": {detail}" if detail else "")
    if status:
        text += f" (answered {status})"
    return LogEntry(
        received_at=fmt.to_datetime(getattr(rejection, "time", None)) or fmt.now(),
        event_type=REJECTED,
        call_control_id=None,
        attempt=None,
        raw=raw,
        rejected=True,
        detail=text + (f" from {remote}" if remote else ""),
    )
