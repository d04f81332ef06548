"""Operations: every operator action as one async method (the UI's only way to act on calls).

Rules every method keeps:

* bad input or an action that makes no sense for the call's state → ``ValueError`` with a
  sentence for the operator; Telnyx's refusals → :class:`~console.telnyx.errors.TelnyxError`
  subclasses (the client's), multi-step failures → :class:`OperationError` subclasses;
* the store changes only through webhooks, except the facts Telnyx never sends a webhook for
  (participant mute/hold, recording start/pause/resume, whom we bridged), which are confirmed
  with the store's ``mark_*`` methods after Telnyx answered 200;
* a command that must not run twice carries a ``command_id`` derived from the action and its
  call (``answer`` of leg X is always the same id), so a double click or a retry is harmless;
* every action is written to the audit log (who, what, when, result).

The facade is the list of actions and the session's knobs; the work is done by
``call_commands.py`` (one call), ``conference_ops.py`` (several calls), ``hold.py`` (hold and
mute), ``transfer.py`` (attended transfer), all built from the steps in ``call_steps.py``.
"""

from __future__ import annotations

import logging
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from console.operations.audit import AuditLog
from console.operations.call_commands import CallCommands
from console.operations.call_steps import CallSteps
from console.operations.conference_ops import ConferenceCommands
from console.operations.context import (
    DEFAULT_CONFIRM_TIMEOUT,
    DEFAULT_RING_TIMEOUT,
    OpsContext,
)
from console.operations.hold import set_hold, set_mute
from console.operations.ids import new_operation_id, own_conference_name
from console.operations.transfer import AttendedTransfer, TransferRunner
from console.state.entities import Call
from console.telnyx.phone import normalize_destination

if TYPE_CHECKING:
    from console.config import Settings
    from console.session_api import TelnyxApi
    from console.state.store import Store

log = logging.getLogger(__name__)


class Operations:
    """The operator's actions on calls, conferences and queues (Qt-free, async)."""

    def __init__(
        self,
        client: TelnyxApi,
        store: Store,
        settings: Settings,
        *,
        audit: AuditLog | Path | str | None = None,
        hold_music_url: str | None = None,
        connection_id: str | None = None,
        confirm_timeout: float = DEFAULT_CONFIRM_TIMEOUT,
        ring_timeout: int = DEFAULT_RING_TIMEOUT,
        recording_format: Literal["wav", "mp3"] = "mp3",
        operator_id: str | None = None,
    ):
        if not isinstance(audit, AuditLog):
            audit = AuditLog(audit)
        self._ctx = OpsContext(
            client=client,
            store=store,
            settings=settings,
            audit=audit,
            hold_music_url=hold_music_url,
            connection_id=connection_id,
            confirm_timeout=confirm_timeout,
            ring_timeout=ring_timeout,
        )
        if operator_id:
            self._ctx.operator_id = operator_id
        self._steps = CallSteps(self._ctx)
        self._calls = CallCommands(self._ctx, self._steps)
        self._transfers = TransferRunner(self._ctx)
        self._several = ConferenceCommands(self)
        self.recording_format = recording_format

    # --- configuration --------------------------------------------------------------------

    @property
    def audit(self) -> AuditLog:
        return self._ctx.audit

    @property
    def settings(self) -> Settings:
        return self._ctx.settings

    @settings.setter
    def settings(self, settings: Settings) -> None:
        self._ctx.settings = settings

    @property
    def client(self) -> TelnyxApi:
        return self._ctx.client

    @client.setter
    def client(self, client: TelnyxApi) -> None:
        self._ctx.client = client  # a new API key or base URL: the session swaps the client

    @property
    def operator_id(self) -> str:
        """Who this console acts for (part of the command ids of the operator's own steps)."""
        return self._ctx.operator_id

    @operator_id.setter
    def operator_id(self, value: str) -> None:
        self._ctx.operator_id = value

    @property
    def hold_music_url(self) -> str | None:
        return self._ctx.hold_music_url

    @hold_music_url.setter
    def hold_music_url(self, url: str | None) -> None:
        self._ctx.hold_music_url = url

    @property
    def connection_id(self) -> str:
        return self._steps.connection_id()

    @connection_id.setter
    def connection_id(self, value: str | None) -> None:
        self._ctx.connection_id = value

    @property
    def transfers(self) -> list[AttendedTransfer]:
        """Attended transfers of this session, newest last (final ones included)."""
        return list(self._transfers.active.values())

    @property
    def attended_transfers(self) -> list[AttendedTransfer]:
        """The transfers still in progress (what the window's Complete/Cancel act on)."""
        return [t for t in self._transfers.active.values() if not t.state.is_final]

    async def aclose(self) -> None:
        """Called by the session on exit: a transfer still dialling is abandoned, not left
        half-done in the audit log."""
        for transfer in self._transfers.active.values():
            if not transfer.state.is_final:
                self._ctx.audit.record(
                    "attended transfer",
                    "abandoned at exit",
                    target=transfer.caller_call_control_id,
                    id=transfer.transfer_id,
                    state=str(transfer.state),
                )

    # --- helpers the UI may use -----------------------------------------------------------

    def is_operator_leg(self, call_control_id: str) -> bool:
        """True for the leg the console dialled to the operator's own endpoint."""
        return self._ctx.is_operator_leg(self._ctx.call(call_control_id))

    def operator_leg_of(self, call_control_id: str) -> str | None:
        call = self._ctx.call(call_control_id)
        conference = self._ctx.live_conference_of(call) if call else None
        leg = self._ctx.operator_leg_in(conference)
        return leg.call_control_id if leg else None

    def transferred_to(self, call_control_id: str) -> str | None:
        """Where this console blind-transferred the call (asked of either leg), if it did."""
        return self._ctx.transferred_to(self._ctx.call(call_control_id))

    # --- the shared steps, for conference_ops.py and team/operations.py (see call_steps.py) -

    def _operator_step(self, call_control_id: str, step: str) -> str:
        return self._steps.operator_step(call_control_id, step)

    def _audited(
        self, what: str, target: str | None, **detail: Any
    ) -> AbstractAsyncContextManager[None]:
        return self._steps.audited(what, target, **detail)

    async def _dial_into(
        self, conference_id: str, to: str, tag: str, operation_id: str, *, from_: str
    ) -> str:
        return await self._steps.dial_into(conference_id, to, tag, operation_id, from_=from_)

    async def _hangup_quietly(self, call_control_id: str) -> None:
        await self._steps.hangup_quietly(call_control_id)

    async def _leave(self, conference_id: str, call_control_id: str, op: str) -> None:
        await self._steps.leave(conference_id, call_control_id, op)

    @staticmethod
    def _require_connected(call: Call, verb: str) -> None:
        CallSteps.require_connected(call, verb)

    # --- single calls (call_commands.py) --------------------------------------------------

    async def dial(self, to: str, from_: str | None = None) -> str:
        """Place an outbound call; returns its call_control_id (the row comes on call.initiated)."""
        return await self._calls.dial(to, from_)

    async def answer(self, call_control_id: str) -> None:
        """Answer a ringing call (returns once call.answered is in); connect the operator if set.

        "Answer can bring that phone into the call's conference": the call gets its own
        conference and the operator's endpoint is dialled into it (``conference_config``), so the
        operator talks to the caller, and hold/mute work on the call at once.
        """
        await self._calls.answer(call_control_id)

    async def reject(
        self, call_control_id: str, cause: Literal["CALL_REJECTED", "USER_BUSY"] = "CALL_REJECTED"
    ) -> None:
        await self._calls.reject(call_control_id, cause)

    async def hangup(self, call_control_id: str) -> None:
        """Hang up the leg; the operator's own leg in the call's conference goes with it."""
        await self._calls.hangup(call_control_id)

    async def transfer(self, call_control_id: str, to: str) -> None:
        """Blind transfer to a number or SIP URI.

        A call in a conference first leaves it (``leave`` parks the leg) so Telnyx transfers a
        plain leg; the operator's own leg in the call's conference is then hung up.
        """
        await self._calls.transfer(call_control_id, to)

    async def pick_from_queue(self, call_control_id: str) -> None:
        """Take a waiting call out of its queue; with an operator endpoint, connect it to them."""
        await self._calls.pick_from_queue(call_control_id)

    # --- hold / mute (conference participants only; see hold.py) ---------------------------

    async def hold(self, call_control_id: str) -> None:
        async with self._audited("hold", call_control_id):
            await set_hold(self._ctx, call_control_id, True, new_operation_id())

    async def unhold(self, call_control_id: str) -> None:
        async with self._audited("unhold", call_control_id):
            await set_hold(self._ctx, call_control_id, False, new_operation_id())

    async def mute(self, call_control_id: str) -> None:
        async with self._audited("mute", call_control_id):
            await set_mute(self._ctx, call_control_id, True, new_operation_id())

    async def unmute(self, call_control_id: str) -> None:
        async with self._audited("unmute", call_control_id):
            await set_mute(self._ctx, call_control_id, False, new_operation_id())

    # --- recording and digits (per call leg; call_commands.py) -----------------------------

    async def record_start(self, call_control_id: str) -> None:
        """Record the leg (both directions, dual channel).

        Always per call, also in a conference: the leg's outbound audio is the conference mix,
        so the recording holds everyone the caller hears; ``call.recording.saved`` names the
        leg, so the recording lands on the row the operator acted on.
        """
        await self._calls.record_start(call_control_id, self.recording_format)

    async def record_stop(self, call_control_id: str) -> None:
        await self._calls.record_stop(call_control_id)

    async def record_pause(self, call_control_id: str) -> None:
        await self._calls.record_pause(call_control_id)

    async def record_resume(self, call_control_id: str) -> None:
        await self._calls.record_resume(call_control_id)

    async def send_dtmf(self, call_control_id: str, digits: str) -> None:
        await self._calls.send_dtmf(call_control_id, digits)

    # --- several calls (console/operations/conference_ops.py) --------------------------------

    async def bridge(self, a: str, b: str) -> None:
        """Connect two answered calls directly (no conference); leg A is parked, not hung up,
        when the bridge ends."""
        await self._several.bridge(a, b)

    async def merge(self, call_control_ids: list[str]) -> str:
        """Put the calls in one conference (an existing live one, or a new one); returns its
        id. Bridge partners come along; forward-only if a join fails."""
        return await self._several.merge(call_control_ids)

    async def add_participant(self, conference_id: str, to: str) -> str:
        """Call ``to`` and, once answered, join it to the conference; returns the new leg."""
        return await self._several.add_participant(conference_id, to)

    async def kick(self, conference_id: str, call_control_id: str) -> None:
        """Remove a participant and end their leg."""
        await self._several.kick(conference_id, call_control_id)

    async def end_conference(self, conference_id: str) -> None:
        """End the conference; Telnyx hangs up everyone still in it."""
        await self._several.end_conference(conference_id)

    # --- attended transfer (see transfer.py) ----------------------------------------------

    async def start_attended_transfer(self, call_control_id: str, to: str) -> AttendedTransfer:
        """Hold the caller, call the target, and connect the target to the operator.

        Returns once the target answered and is connected (state CONSULTING). If the target is
        busy, does not answer or anything fails, the transfer is rolled back (caller unheld)
        and :class:`~console.operations.errors.TransferFailed` says why.
        """
        destination = normalize_destination(to, self._ctx.settings.default_country)
        return await self._transfers.start(call_control_id, destination)

    async def complete_attended_transfer(self, transfer: AttendedTransfer) -> AttendedTransfer:
        return await self._transfers.complete(transfer)

    async def cancel_attended_transfer(self, transfer: AttendedTransfer) -> AttendedTransfer:
        return await self._transfers.cancel(transfer)

    # --- naming ---------------------------------------------------------------------------

    @staticmethod
    def own_conference_name(call_control_id: str) -> str:
        return own_conference_name(call_control_id)
