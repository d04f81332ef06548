"""Words and numbers for the operator: durations, times, hangup causes, call states."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import overload

from console.state.entities import Call, Conference

# Telnyx hangup_cause values (API-NOTES §4.3) in the words an operator uses.
_CAUSES = {
    "normal_clearing": "Completed",
    "call_rejected": "Rejected",
    "originator_cancel": "Cancelled by caller",
    "timeout": "Not answered in time",
    "time_limit": "Time limit reached",
    "user_busy": "Busy",
    "not_found": "Number not found",
    "no_answer": "No answer",
    "unspecified": "Ended (no reason given)",
}

# Who ended a call, by the leg's direction: Telnyx's "caller" of an outgoing leg is this
# console (it dialled), and the "callee" of an incoming one is this console too (it answered).
_SOURCES = {
    ("incoming", "caller"): "hung up by caller",
    ("incoming", "callee"): "ended here",
    ("outgoing", "caller"): "ended here",
    ("outgoing", "callee"): "hung up by the called party",
}

_STATES = {
    "ringing": "Ringing",
    "answered": "Answered",
    "bridged": "Bridged",
    "in conference": "In conference",
    "queued": "Queued",
    "parked": "Parked",
    "ended": "Ended",
}


def now() -> datetime:
    return datetime.now(UTC)


@overload
def as_aware(moment: datetime) -> datetime: ...
@overload
def as_aware(moment: None) -> None: ...
@overload
def as_aware(moment: datetime | None) -> datetime | None: ...
def as_aware(moment: datetime | None) -> datetime | None:
    """Naive datetimes from older journal rows are UTC; make them comparable with now()."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def to_datetime(value: object) -> datetime | None:
    """Unix seconds (the receiver's and journal's clock), ISO text or a datetime, as aware UTC."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return as_aware(value)
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    if isinstance(value, str):
        try:
            return as_aware(datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            return None
    return None


def seconds_between(start: datetime | None, end: datetime | None) -> float | None:
    start, end = as_aware(start), as_aware(end)
    if start is None or end is None:
        return None
    # Telnyx clocks and ours differ slightly: never show a negative duration.
    return max(0.0, (end - start).total_seconds())


def format_duration(secs: float | None) -> str:
    if secs is None:
        return "—"
    total = int(secs)
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes}:{seconds:02d}"


def format_age(secs: float | None) -> str:
    """'12 s ago', '3 min ago'; for the last-event indicator."""
    if secs is None:
        return "never"
    if secs < 60:
        return f"{int(secs)} s ago"
    if secs < 3600:
        return f"{int(secs // 60)} min ago"
    return f"{int(secs // 3600)} h ago"


def format_time(moment: datetime | None) -> str:
    moment = as_aware(moment)
    if moment is None:
        return ""
    return moment.astimezone().strftime("%H:%M:%S")


def hangup_text(cause: str | None, source: str | None = None, direction: str | None = None) -> str:
    """A readable reason a call ended, e.g. 'Completed (hung up by caller)'."""
    if not cause:
        return "Ended"
    text = _CAUSES.get(cause, cause.replace("_", " ").capitalize())
    if cause == "originator_cancel" and direction == "outgoing":
        return "Cancelled before it was answered"  # the console, not the far end, gave up
    side = _SOURCES.get((direction or "incoming", source or ""))
    if cause == "normal_clearing" and side:
        text = f"{text} ({side})"
    return text


def hangup_tooltip(
    cause: str | None, source: str | None, sip_cause: str | None, direction: str | None = None
) -> str:
    parts = [hangup_text(cause, source, direction)]
    if cause:
        parts.append(f"Telnyx cause: {cause}")
    if source and source != "unknown":
        parts.append(f"Ended by: {source}")
    if sip_cause and sip_cause != "unspecified":
        parts.append(f"SIP response: {sip_cause}")
    return "\n".join(parts)


def state_text(state: object, direction: str | None = None) -> str:
    value = str(getattr(state, "value", state))
    if value == "ringing" and direction == "outgoing":
        return "Dialling"
    return _STATES.get(value, value.capitalize())


def direction_text(direction: str | None) -> str:
    return {"incoming": "In", "outgoing": "Out"}.get(direction or "", "?")


def short_id(identifier: str | None, length: int = 8) -> str:
    """Call control ids are long; their tail is what differs between legs."""
    if not identifier:
        return ""
    return identifier if len(identifier) <= length else "…" + identifier[-length:]


def party(number: str | None, name: str | None = None) -> str:
    number = number or "unknown"
    if name and name != number:
        return f"{name} <{number}>"
    return number


# The console names the conferences it creates with these prefixes (console/operations):
# operators never typed them, so they are shown as the people in the conference instead.
_OWN_PREFIXES = ("console-call-", "console-conf-")


def who(call: Call) -> str:
    """The far party of a leg, as an operator names it: caller name, else the number."""
    if call.direction == "outgoing":
        return call.to_number or "unknown"
    return call.caller_name or call.from_number or "unknown"


def _names(calls: list[Call], most: int = 3) -> str:
    names = [who(c) for c in calls]
    if len(names) > most:
        return ", ".join(names[:most]) + f" +{len(names) - most}"
    return ", ".join(names)


#: Tells the console's own leg to the operator's phone (``session.ops.is_operator_leg``).
IsOperatorLeg = Callable[[str], bool]


def _present_calls(
    conference: Conference, calls: Mapping[str, Call], is_operator: IsOperatorLeg | None = None
) -> list[Call]:
    """Present participants' calls; the operator's own leg left out (they know they are there)."""
    present = (calls.get(p.call_control_id) for p in conference.present_participants())
    return [
        c
        for c in present
        if c is not None and not (is_operator is not None and is_operator(c.call_control_id))
    ]


def conference_title(
    conference: Conference, calls: Mapping[str, Call], is_operator: IsOperatorLeg | None = None
) -> str:
    """A conference as the operator knows it: its own name, or who is in it.

    ``console-call-…`` (a call the console moved into a conference of its own, to hold or mute
    it) reads "Call with Pat Caller"; ``console-conf-…`` (merged calls) and unnamed ones read as
    the people in them. The raw name belongs in the tooltip.
    """
    name = conference.name or ""
    if name and not name.startswith(_OWN_PREFIXES):
        return name
    members = _present_calls(conference, calls, is_operator)
    if name.startswith("console-call-"):
        return f"Call with {_names(members)}" if members else "Call (no one connected)"
    if members:
        return _names(members)
    return f"Conference {short_id(conference.conference_id)}"


def conference_place(
    call: Call,
    conference: Conference | None,
    calls: Mapping[str, Call],
    is_operator: IsOperatorLeg | None = None,
) -> str:
    """The calls table's "In" cell for a call in a conference: who else is there."""
    if conference is None:
        return f"Conference {short_id(call.conference_id)}"
    name = conference.name or ""
    if name and not name.startswith(_OWN_PREFIXES):
        return f"Conference {name}"
    others = [
        c
        for c in _present_calls(conference, calls, is_operator)
        if c.call_control_id != call.call_control_id
    ]
    operator_there = is_operator is not None and any(
        is_operator(p.call_control_id)
        for p in conference.present_participants()
        if p.call_control_id != call.call_control_id
    )
    if operator_there:  # the operator's own phone is connected to this call
        return "With you" + (f", {_names(others)}" if others else "")
    if others:
        return f"With {_names(others)}"
    if name.startswith("console-call-"):
        return ""  # a 1:1 call the console moved there to hold or mute it: nothing to say
    return f"Conference {short_id(conference.conference_id)}"


def far_party(call: Call) -> str:
    """Who is on the other end of a leg: the number dialled, or the caller."""
    if call.direction == "outgoing":
        return party(call.to_number)
    return party(call.from_number, call.caller_name)


def caller_words(call: Call) -> str:
    """'Pat Caller <+13125550142>' for tooltips and status tips."""
    return party(call.from_number, call.caller_name)
