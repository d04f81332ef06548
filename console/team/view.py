"""What the UI needs from team mode, as one typed seam: :class:`TeamView`.

``session.team`` is a :class:`TeamView` in team mode and ``None`` in solo mode. The UI reads
plain frozen values from it (:class:`Colleague`, :class:`CallClaim`), subscribes once with
:meth:`TeamView.on_change` (called on the session's event loop thread, with what changed), and
calls the two team actions. Every failure the operator can cause or meet (a colleague without a
number, the broker down, a call taken by someone else) is raised as a
:class:`~console.errors.ConsoleError` child with ``user_message``; nothing else escapes.

Statuses are the desk's own :class:`~console.desk.status.Status` (Available, Away, Do not
disturb, Wrap-up, Offline): the operator's status in solo and team mode is one model, and a
colleague's is the same value as seen from here. "Offline" also means "no heartbeat for a
while" (their console crashed or lost its network).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from console.desk.status import Status, StatusModel
from console.operations.transfer import AttendedTransfer


class SupervisorMode(StrEnum):
    """How a supervisor joins a colleague's call (Telnyx ``supervisor_role``)."""

    MONITOR = "monitor"  # hears both sides, nobody hears the supervisor
    WHISPER = "whisper"  # only the colleague (the operator) hears the supervisor
    BARGE = "barge"  # everyone hears everyone

    @property
    def label(self) -> str:
        return _MODE_LABELS[self]


_MODE_LABELS = {
    SupervisorMode.MONITOR: "Listen",
    SupervisorMode.WHISPER: "Whisper",
    SupervisorMode.BARGE: "Barge in",
}


class TeamChange(StrEnum):
    """What :meth:`TeamView.on_change` reports as changed (re-read only that part)."""

    COLLEAGUES = "colleagues"  # someone's status or current call
    CLAIMS = "claims"  # a claim appeared, was renewed by someone else, or went
    BROKER = "broker"  # connected / disconnected (see :attr:`TeamView.broker_problem`)


@dataclass(frozen=True)
class Colleague:
    """Another operator on the team, as last heard (BLF on a PBX)."""

    operator: str
    status: Status
    reason: str = ""  # the Away reason, if any
    call_control_id: str | None = None  # the call they are on now
    supervisor: bool = False
    endpoint: str | None = None  # where a transfer to them rings (number or SIP URI)

    @property
    def on_call(self) -> bool:
        return self.call_control_id is not None

    @property
    def label(self) -> str:
        """``Available``, ``Away: Lunch``, ``Available · on a call``, ``Offline``."""
        words = f"{self.status.label}: {self.reason}" if self.reason else self.status.label
        if self.on_call and self.status is not Status.OFFLINE:
            words += " · on a call"
        return words

    @property
    def can_take_transfer(self) -> bool:
        return self.endpoint is not None and self.status in (Status.AVAILABLE, Status.WRAP_UP)


@dataclass(frozen=True)
class CallClaim:
    """Who is acting on a call right now, for the call's row: "Alex is answering"."""

    call_control_id: str
    operator: str
    action: str  # words that follow "Alex is …" (console.relay.ClaimAction)
    mine: bool  # claimed by this console

    @property
    def words(self) -> str:
        return f"{'You are' if self.mine else self.operator + ' is'} {self.action}"


#: ``listener(change)`` - called on the session's loop thread; keep it short (schedule a repaint).
TeamListener = Callable[[TeamChange], None]


class TeamView(Protocol):
    """Team mode, as the Team panel, the call rows and the settings page see it."""

    @property
    def operator(self) -> str:
        """This console's operator name (what colleagues see)."""
        ...

    @property
    def supervisor(self) -> bool:
        """Whether this operator may monitor, whisper to or barge into colleagues' calls."""
        ...

    @property
    def broker_connected(self) -> bool: ...

    @property
    def broker_problem(self) -> str | None:
        """``None`` when connected, else words for the status bar ("broker disconnected: …")."""
        ...

    def colleagues(self) -> list[Colleague]:
        """Everyone else on the team, by name, offline ones included."""
        ...

    def claims(self) -> dict[str, CallClaim]:
        """Every live claim by call control id (this console's too)."""
        ...

    def claim_of(self, call_control_id: str) -> CallClaim | None: ...

    def on_change(self, listener: TeamListener) -> Callable[[], None]:
        """Subscribe; returns the unsubscribe function."""
        ...

    def follow_status(self, status: StatusModel) -> None:
        """Share the desk's status model (``desk.status``) with the team from now on; until
        it is given, this operator shows as Available (or on a call)."""
        ...

    async def transfer_to_colleague(
        self, call_control_id: str, colleague: str, *, attended: bool
    ) -> AttendedTransfer | None:
        """Send the caller on ``call_control_id`` to ``colleague`` (by operator name).

        Blind (returns None): the caller is transferred to the colleague's endpoint at once.
        Attended: the caller is held and the colleague is dialled first; returns the
        :class:`AttendedTransfer` in CONSULTING state, to finish with
        ``session.ops.complete_attended_transfer`` or ``cancel_attended_transfer``. Raises a
        ``ConsoleError`` child with words when the colleague is unknown, offline, away, in
        Do not disturb or has no operator phone.
        """
        ...

    async def supervise(self, call_control_id: str, mode: SupervisorMode) -> None:
        """Join a colleague's call as supervisor, or switch mode in place if already joined.

        Only for :attr:`supervisor` operators. A call not yet in a conference is moved into its
        own one first (as hold does); the supervisor's endpoint is dialled into it with
        ``conference_config.supervisor_role`` (and ``whisper_call_control_ids`` = the
        colleague's leg for whisper); calling again with another mode switches in place with
        the conference ``update`` action.
        """
        ...

    async def stop_supervising(self, call_control_id: str) -> None:
        """Hang up this supervisor's leg on that call (no-op if not supervising it)."""
        ...
