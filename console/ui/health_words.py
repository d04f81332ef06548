"""What a webhook health snapshot says, field by field, in words and with a meaning.

Qt-free and apart from the panel (``health_panel.py``), which only lays the words out and
colours them: each field is (key, text, kind), kind being "ok", "warning", "error" or "" (plain),
so what the operator reads for a given :class:`~console.operations.health.Health` can be
followed (and tested) without a widget.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from console.ui.formatting import as_aware, format_age, format_time, seconds_between

if TYPE_CHECKING:
    from console.operations.health import Health

# Delivery slower than this is worth a second look (Telnyx retries after 2 s without a 2xx).
SLOW_DELIVERY_SECS = 5.0

TUNNEL_STATES = {
    "up": ("Up", "ok"),
    "starting": ("Starting…", "warning"),
    "reconnecting": ("Reconnecting…", "warning"),
    "down": ("Down", "error"),
    "failed": ("Failed", "error"),
    "demo": ("Demo (simulator)", ""),
}

SILENCE_ADVICE = (
    "Telnyx may not be reaching the console: calls can change without this window "
    "knowing. Check the tunnel, press “Test the path”, then “Resync now”."
)

Field = tuple[str, str, str]  # key, text, kind


def health_fields(health: Health) -> Iterator[Field]:
    """Every field but the last event's age (that one changes with time alone)."""
    state = str(health.tunnel_state or "down")
    text, kind = TUNNEL_STATES.get(state, (state.capitalize(), ""))
    tunnel_error = health.tunnel_error
    if tunnel_error and kind != "ok":
        text += f": {tunnel_error}"
    yield "tunnel", text, kind

    url = health.tunnel_url
    yield "public_url", url or "— (none: Telnyx cannot reach this computer)", ""
    webhook_url = health.webhook_url
    problem = health.webhook_problem
    if problem:
        yield "webhook_url", problem, "warning"
    else:
        yield "webhook_url", webhook_url or "—", ""
    yield "receiver", health.receiver_url or "Not listening", ""

    delay = health.last_delivery_delay
    if delay is None:
        yield "delay", "—", ""
    else:
        delay = max(0.0, float(delay))  # clocks differ slightly; never show a negative
        yield "delay", f"{delay:.1f} s", "warning" if delay > SLOW_DELIVERY_SECS else ""
    retries = health.retries_seen
    yield "retries", str(retries), "warning" if retries else ""
    duplicates = health.duplicates_seen
    yield "duplicates", str(duplicates), ""
    rejected = health.rejected_count
    yield "rejected", str(rejected), "error" if rejected else ""
    yield _verification(health)
    yield _api(health)
    yield _resync(health)


def _verification(health: Health) -> Field:
    key_problem = health.key_problem
    if not health.verification_enabled:
        text = "Off: events are not checked, anyone who knows the URL can send fake ones"
        return "verification", text, "warning"
    if key_problem:
        return "verification", f"On, but {key_problem}", "error"
    return "verification", "On", "ok"


def _api(health: Health) -> Field:
    reachable = health.api_reachable
    api_error = health.api_last_error
    if reachable is None:
        return "api", "Not checked yet" + (f" ({api_error})" if api_error else ""), ""
    if reachable:
        return "api", "Reachable", "ok"
    return "api", f"Unreachable: {api_error or 'no details'}", "error"


def _resync(health: Health) -> Field:
    resync_error = health.last_resync_error
    resync_at = health.last_resync_at
    reason = health.last_resync_reason
    if resync_error:
        return "resync", f"Failed ({reason or 'resync'}): {resync_error}", "error"
    if resync_at is not None:
        return "resync", f"{format_time(resync_at)} ({reason or 'resync'})", ""
    return "resync", "Not yet", ""


def last_event(health: Health, now: Callable[[], datetime]) -> tuple[str, float | None]:
    """The last event's age and time in words, and the age in seconds (None: no event yet)."""
    last = as_aware(health.last_event_at)
    if last is None:
        return "None yet", None
    age = seconds_between(last, now())
    return f"{format_age(age)} ({format_time(last)})", age


def silence_headline(age: float | None) -> str:
    """The banner's first line while calls are live and no event has come."""
    since = f"for {format_age(age).removesuffix(' ago')}" if age is not None else "yet"
    return f"⚠ No webhook event {since} while calls are live"
