"""The operator's status: Available, Away (with a reason), Do not disturb, Wrap-up, Offline.

One :class:`Presence` value says who is in which status since when; the same value is what a
team's colleagues will see (``as_dict``/``from_dict`` carry it over the wire), so solo and team
mode share one model. :class:`StatusModel` holds the operator's own presence, tells listeners
when it changes, and runs the optional wrap-up timer: after a call, Wrap-up lasts until the
operator finishes the wrap-up or the timer runs out, then the status before it comes back.

The clock is injected (``clock()`` returns unix seconds) so tests move time by hand.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from console.desk.errors import DeskError

log = logging.getLogger(__name__)


class Status(StrEnum):
    AVAILABLE = "available"
    AWAY = "away"
    DND = "dnd"
    WRAP_UP = "wrap_up"
    OFFLINE = "offline"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def rings(self) -> bool:
        """Whether a ringing call pops up and plays the ringtone in this status.

        Away, Do not disturb and Offline are silent; Wrap-up still rings (a lone operator must
        not miss a caller while writing notes). Queue pick-ups are never affected: picking a
        waiting call is the operator's own choice.
        """
        return self in (Status.AVAILABLE, Status.WRAP_UP)


_LABELS = {
    Status.AVAILABLE: "Available",
    Status.AWAY: "Away",
    Status.DND: "Do not disturb",
    Status.WRAP_UP: "Wrap-up",
    Status.OFFLINE: "Offline",
}

#: Reasons offered for Away; the operator may type another.
AWAY_REASONS = ("Break", "Lunch", "Meeting", "Training")
MAX_REASON = 40


@dataclass(frozen=True)
class Presence:
    """Who is in which status, why, and since when (unix seconds)."""

    status: Status
    since: float
    reason: str = ""
    operator: str = ""
    call_key: str | None = None  # the call being wrapped up, in Wrap-up

    @property
    def label(self) -> str:
        if self.reason:
            return f"{self.status.label}: {self.reason}"
        return self.status.label

    def seconds_in(self, now: float) -> float:
        return max(0.0, now - self.since)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "since": self.since,
            "reason": self.reason,
            "operator": self.operator,
            "call_key": self.call_key,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Presence:
        """A presence read back (from the database or a colleague); unknown values refused."""
        try:
            status = Status(str(data["status"]))
            since = float(data["since"])
        except (KeyError, TypeError, ValueError) as exc:
            raise DeskError(f"Not a status: {data!r}") from exc
        call_key = data.get("call_key")
        return cls(
            status=status,
            since=since,
            reason=str(data.get("reason") or "")[:MAX_REASON],
            operator=str(data.get("operator") or ""),
            call_key=call_key if isinstance(call_key, str) else None,
        )


def format_time_in(seconds: float) -> str:
    """``4 min``, ``1 h 05 min``, ``12 s``: how long an operator has been in a status."""
    seconds = int(max(0.0, seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


Listener = Callable[[Presence], None]


class StatusModel:
    """The operator's own presence, its listeners and the wrap-up timer."""

    def __init__(
        self,
        *,
        operator: str = "",
        clock: Callable[[], float] = time.time,
        initial: Presence | None = None,
    ) -> None:
        self._clock = clock
        self._listeners: list[Listener] = []
        self._presence = initial or Presence(Status.AVAILABLE, clock(), operator=operator)
        if self._presence.status is Status.WRAP_UP:
            # A wrap-up does not survive a restart: its call and timer are gone.
            self._presence = Presence(Status.AVAILABLE, clock(), operator=operator)
        self._presence = replace(self._presence, operator=operator or self._presence.operator)
        self._before_wrap_up: Presence | None = None
        self._deadline: float | None = None

    @property
    def presence(self) -> Presence:
        return self._presence

    @property
    def status(self) -> Status:
        return self._presence.status

    @property
    def rings(self) -> bool:
        return self._presence.status.rings

    @property
    def wrap_up_deadline(self) -> float | None:
        return self._deadline

    def seconds_in_status(self) -> float:
        return self._presence.seconds_in(self._clock())

    def wrap_up_seconds_left(self) -> float | None:
        if self._deadline is None:
            return None
        return max(0.0, self._deadline - self._clock())

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def set(self, status: Status | str, reason: str = "") -> Presence:
        """Change status (the operator's choice; it ends any wrap-up timer)."""
        status = Status(status)
        reason = " ".join(reason.split())
        if len(reason) > MAX_REASON:
            raise DeskError(f"Keep the reason under {MAX_REASON} characters.")
        if status is not Status.AWAY:
            reason = ""
        self._before_wrap_up = None
        self._deadline = None
        return self._change(Presence(status, self._clock(), reason, self._presence.operator))

    def begin_wrap_up(self, call_key: str | None, timer_secs: float | None) -> Presence | None:
        """A handled call ended: enter Wrap-up when a timer is set (None or 0: no timer).

        An operator who chose Away, Do not disturb or Offline stays there: the timer only ever
        moves an Available operator, so a chosen status is never overridden.
        """
        if not timer_secs or timer_secs <= 0:
            return None
        if self.status not in (Status.AVAILABLE, Status.WRAP_UP):
            return None
        if self._before_wrap_up is None:
            self._before_wrap_up = self._presence
        self._deadline = self._clock() + float(timer_secs)
        return self._change(
            Presence(Status.WRAP_UP, self._clock(), "", self._presence.operator, call_key)
        )

    def end_wrap_up(self, call_key: str | None = None) -> Presence | None:
        """The wrap-up was finished: back to the status before it (if still in Wrap-up)."""
        if self.status is not Status.WRAP_UP:
            return None
        if call_key is not None and self._presence.call_key not in (None, call_key):
            return None  # finishing an older call's card leaves the current wrap-up running
        before = self._before_wrap_up
        self._before_wrap_up = None
        self._deadline = None
        status = before.status if before is not None else Status.AVAILABLE
        reason = before.reason if before is not None else ""
        return self._change(Presence(status, self._clock(), reason, self._presence.operator))

    def tick(self) -> Presence | None:
        """Call about once a second: ends a wrap-up whose timer ran out."""
        if self._deadline is not None and self._clock() >= self._deadline:
            return self.end_wrap_up()
        return None

    def _change(self, presence: Presence) -> Presence:
        if (presence.status, presence.reason, presence.call_key) == (
            self._presence.status,
            self._presence.reason,
            self._presence.call_key,
        ):
            return self._presence  # the same status again keeps its time
        self._presence = presence
        for listener in list(self._listeners):
            try:
                listener(presence)
            except Exception:
                # A broken view must not keep the status from reaching the others.
                log.exception("status listener %r failed", listener)
        return presence
