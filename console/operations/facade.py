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
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from console.errors import words_for
from console.operations.audit import AuditLog
from console.operations.conference_ops import ConferenceCommands
from console.operations.context import (
    DEFAULT_CONFIRM_TIMEOUT,
    DEFAULT_RING_TIMEOUT,
    LegEnded,
    OpsContext,
    ccid_of,
    hangup_reason,
)
from console.operations.errors import ConfirmationTimeout, OperationError
from console.operations.hold import ensure_conference, set_hold, set_mute
from console.operations.ids import (
    OPERATOR_TAG,
    new_operation_id,
    operator_step_id,
    own_conference_name,
    step_command_id,
)
from console.operations.transfer import AttendedTransfer, TransferRunner
from console.state.entities import Call, CallState, RecordingState
from console.telnyx.phone import normalize_destination, normalize_e164

if TYPE_CHECKING:
    from console.config import Settings
    from console.session_api import TelnyxApi
    from console.state.store import Store

log = logging.getLogger(__name__)

_DTMF = re.compile(r"^[0-9A-Da-d*#wW]+$")


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
        value = self._ctx.connection_id or self._ctx.settings.connection_id
        if not value:
            raise ValueError("Choose the Call Control application in Settings first.")
        return value

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

    def _operator_step(self, call_control_id: str, step: str) -> str:
        return operator_step_id(self._ctx.operator_id, call_control_id, step)

    @contextlib.asynccontextmanager
    async def _audited(self, what: str, target: str | None, **detail: Any) -> AsyncIterator[None]:
        try:
            yield
        except BaseException as exc:
            message = words_for(exc)
            self._ctx.audit.record(what, "failed", target=target, error=message, **detail)
            raise
        self._ctx.audit.record(what, "ok", target=target, **detail)

    # --- single calls ---------------------------------------------------------------------

    async def dial(self, to: str, from_: str | None = None) -> str:
        """Place an outbound call; returns its call_control_id (the row comes on call.initiated)."""
        ctx = self._ctx
        if not (to or "").strip():
            raise ValueError("Enter the number or SIP address to call.")
        if from_ is None or not from_.strip():
            from_ = ctx.from_number_for()
        elif from_ not in (ctx.settings.from_numbers or []):
            from_ = normalize_e164(from_, None)  # any other caller ID must be full E.164
        destination = normalize_destination(to, ctx.settings.default_country)
        async with self._audited("dial", None, to=destination, from_=from_):
            result = await ctx.client.calls.dial(
                connection_id=self.connection_id,
                to=destination,
                from_=from_,
                timeout_secs=ctx.ring_timeout,
            )
        return ccid_of(result)

    async def answer(self, call_control_id: str) -> None:
        """Answer a ringing call (returns once call.answered is in); connect the operator if set.

        "Answer can bring that phone into the call's conference": the call gets its own
        conference and the operator's endpoint is dialled into it (``conference_config``), so the
        operator talks to the caller, and hold/mute work on the call at once.
        """
        ctx = self._ctx
        call = ctx.require_call(call_control_id)
        if call.direction not in (None, "incoming"):
            raise ValueError("Only an incoming call can be answered.")
        if call.state is not CallState.RINGING:
            raise ValueError("That call is not ringing.")
        endpoint = ctx.settings.operator_endpoint
        async with self._audited("answer", call_control_id, operator_endpoint=endpoint):
            await ctx.client.calls.answer(
                call_control_id, command_id=self._operator_step(call_control_id, "answer")
            )
            # Return once call.answered is in: the next click (hold, transfer...) needs it.
            try:
                await ctx.wait_answered(call_control_id)
            except LegEnded as ended:
                raise OperationError(
                    f"The caller hung up ({hangup_reason(ended.call)}) as the call was answered."
                ) from None
            if endpoint:
                await self._connect_operator(
                    call_control_id, self._operator_step(call_control_id, "op")
                )

    async def _connect_operator(self, call_control_id: str, operation_id: str) -> str:
        """Put the call in its own conference and bring the operator's endpoint into it."""
        ctx = self._ctx
        try:
            call = await ctx.wait_answered(call_control_id)
        except LegEnded as ended:
            raise OperationError(
                f"The caller hung up ({hangup_reason(ended.call)}) before being connected."
            ) from None
        endpoint = ctx.settings.operator_endpoint
        if not endpoint:  # callers check first; the settings may have changed since
            raise OperationError("No operator endpoint is set in Settings.")
        conference = await ensure_conference(ctx, call, operation_id)
        if ctx.operator_leg_in(conference) is not None:
            return conference.conference_id  # already connected (a retried answer)
        try:
            await self._dial_into(
                conference.conference_id,
                endpoint,
                OPERATOR_TAG,
                operation_id,
                from_=ctx.from_number_for(call),
            )
        except OperationError as exc:
            raise OperationError(
                f"The call was answered, but your phone ({ctx.settings.operator_endpoint}) "
                f"could not be connected: {exc.user_message}"
            ) from None
        return conference.conference_id

    async def _dial_into(
        self, conference_id: str, to: str, tag: str, operation_id: str, *, from_: str
    ) -> str:
        """Dial a leg, wait for it to answer, then join it to the conference; returns the leg.

        Dial-then-join rather than ``conference_config``: the answer is confirmed before the
        leg joins (a busy or unanswered leg never touches the conference) and the outcome is
        reported to the operator in words.
        """
        ctx = self._ctx
        result = await ctx.client.calls.dial(
            connection_id=self.connection_id,
            to=to,
            from_=from_,
            timeout_secs=ctx.ring_timeout,
            client_state=tag,
            park_after_unbridge="self",
            command_id=step_command_id(operation_id, f"dial:{tag}"),
        )
        ccid = ccid_of(result)
        try:
            await ctx.wait_answered(ccid, within=ctx.ring_timeout + ctx.confirm_timeout)
        except LegEnded as ended:
            raise OperationError(f"{to} was {hangup_reason(ended.call)}") from None
        except ConfirmationTimeout:
            await self._hangup_quietly(ccid)
            raise OperationError(f"{to} did not answer") from None
        conference = ctx.conference(conference_id)
        if conference is None or not conference.is_live:
            await self._hangup_quietly(ccid)
            raise OperationError("the conference ended before the call was answered")
        await ctx.client.conferences.join(
            conference_id,
            call_control_id=ccid,
            beep_enabled="never",
            command_id=step_command_id(operation_id, f"join:{tag}"),
        )
        try:
            await ctx.wait_joined(conference_id, ccid)
        except LegEnded as ended:
            raise OperationError(f"{to} hung up ({hangup_reason(ended.call)})") from None
        return ccid

    async def reject(
        self, call_control_id: str, cause: Literal["CALL_REJECTED", "USER_BUSY"] = "CALL_REJECTED"
    ) -> None:
        ctx = self._ctx
        call = ctx.require_call(call_control_id)
        if call.state is not CallState.RINGING:
            raise ValueError("Only a ringing call can be rejected; hang it up instead.")
        async with self._audited("reject", call_control_id, cause=cause):
            await ctx.client.calls.reject(
                call_control_id, cause=cause, command_id=step_command_id(call_control_id, "reject")
            )

    async def hangup(self, call_control_id: str) -> None:
        """Hang up the leg; the operator's own leg in the call's conference goes with it."""
        ctx = self._ctx
        call = ctx.require_call(call_control_id)
        conference = ctx.live_conference_of(call)
        operator = None
        if ctx.is_own_conference(conference) and not ctx.is_operator_leg(call):
            operator = ctx.operator_leg_in(conference)
        async with self._audited("hang up", call_control_id):
            await ctx.client.calls.hangup(
                call_control_id, command_id=step_command_id(call_control_id, "hangup")
            )
            if operator is not None:
                await self._hangup_quietly(operator.call_control_id)

    async def _hangup_quietly(self, call_control_id: str) -> None:
        try:
            await self._ctx.client.calls.hangup(
                call_control_id, command_id=step_command_id(call_control_id, "hangup")
            )
        except Exception as exc:
            # The leg may have gone already (404/422): that is the wanted end state.
            if getattr(exc, "status_code", None) not in (404, 422):
                raise

    async def transfer(self, call_control_id: str, to: str) -> None:
        """Blind transfer to a number or SIP URI.

        A call in a conference first leaves it (``leave`` parks the leg) so Telnyx transfers a
        plain leg; the operator's own leg in the call's conference is then hung up.
        """
        ctx = self._ctx
        call = ctx.require_call(call_control_id)
        if call.state is CallState.QUEUED:
            raise ValueError("Pick the call from its queue before transferring it.")
        if ctx.is_operator_leg(call):
            raise ValueError("Select the caller's call, not your own leg, to transfer it.")
        destination = normalize_destination(to, ctx.settings.default_country)
        op = new_operation_id()
        async with self._audited("blind transfer", call_control_id, to=destination):
            conference = ctx.live_conference_of(call)
            operator = (
                ctx.operator_leg_in(conference) if ctx.is_own_conference(conference) else None
            )
            if conference is not None:
                await self._leave(conference.conference_id, call_control_id, op)
            await ctx.client.calls.transfer(
                call_control_id,
                to=destination,
                from_=ctx.from_number_for(call) if ctx.settings.from_numbers else None,
                command_id=step_command_id(op, "transfer"),
            )
            if operator is not None:
                await self._hangup_quietly(operator.call_control_id)
        ctx.transferred[call_control_id] = destination

    def transferred_to(self, call_control_id: str) -> str | None:
        """Where this console blind-transferred the call (asked of either leg), if it did."""
        return self._ctx.transferred_to(self._ctx.call(call_control_id))

    async def _leave(self, conference_id: str, call_control_id: str, op: str) -> None:
        ctx = self._ctx
        await ctx.client.conferences.leave(
            conference_id,
            call_control_id=call_control_id,
            command_id=step_command_id(op, f"leave:{call_control_id}"),
        )

        def gone() -> bool:
            return ctx.present(conference_id, call_control_id) is None

        await ctx.wait(gone, "the call left the conference")

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

    # --- recording (per call leg; see README in this package's docstring) -------------------

    async def record_start(self, call_control_id: str) -> None:
        """Record the leg (both directions, dual channel).

        Always per call, also in a conference: the leg's outbound audio is the conference mix,
        so the recording holds everyone the caller hears; ``call.recording.saved`` names the
        leg, so the recording lands on the row the operator acted on.
        """
        ctx = self._ctx
        call = ctx.require_call(call_control_id)
        self._require_connected(call, "recorded")
        if call.recording is not RecordingState.OFF:
            raise ValueError("That call is already being recorded.")
        async with self._audited("record start", call_control_id):
            await ctx.client.calls.record_start(
                call_control_id, format=self.recording_format, channels="dual"
            )
            ctx.mark_call_recording(call_control_id, RecordingState.RECORDING)

    async def record_stop(self, call_control_id: str) -> None:
        ctx = self._ctx
        call = ctx.require_call(call_control_id)
        if call.recording is RecordingState.OFF:
            raise ValueError("That call is not being recorded.")
        async with self._audited("record stop", call_control_id):
            await ctx.client.calls.record_stop(call_control_id)
            ctx.mark_call_recording(call_control_id, RecordingState.OFF)

    async def record_pause(self, call_control_id: str) -> None:
        ctx = self._ctx
        call = ctx.require_call(call_control_id)
        if call.recording is not RecordingState.RECORDING:
            raise ValueError("That call is not being recorded.")
        async with self._audited("record pause", call_control_id):
            await ctx.client.calls.record_pause(call_control_id)
            ctx.mark_call_recording(call_control_id, RecordingState.PAUSED)

    async def record_resume(self, call_control_id: str) -> None:
        ctx = self._ctx
        call = ctx.require_call(call_control_id)
        if call.recording is not RecordingState.PAUSED:
            raise ValueError("The recording of that call is not paused.")
        async with self._audited("record resume", call_control_id):
            await ctx.client.calls.record_resume(call_control_id)
            ctx.mark_call_recording(call_control_id, RecordingState.RECORDING)

    async def send_dtmf(self, call_control_id: str, digits: str) -> None:
        ctx = self._ctx
        digits = (digits or "").strip()
        if not _DTMF.match(digits):
            raise ValueError("DTMF digits are 0-9, A-D, * and # (w/W pause).")
        call = ctx.require_call(call_control_id)
        self._require_connected(call, "sent digits")
        async with self._audited("send DTMF", call_control_id, digits=len(digits)):
            await ctx.client.calls.send_dtmf(call_control_id, digits=digits)

    @staticmethod
    def _require_connected(call: Call, verb: str) -> None:
        if call.state in (CallState.RINGING, CallState.QUEUED):
            raise ValueError(f"Only an answered call can be {verb}.")

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

    async def pick_from_queue(self, call_control_id: str) -> None:
        """Take a waiting call out of its queue; with an operator endpoint, connect it to them."""
        ctx = self._ctx
        call = ctx.require_call(call_control_id)
        if call.state is not CallState.QUEUED:
            raise ValueError("That call is not waiting in a queue.")
        op = self._operator_step(call_control_id, "pick")
        async with self._audited("pick from queue", call_control_id, queue=call.queue_name):
            await ctx.client.calls.leave_queue(
                call_control_id, command_id=step_command_id(op, "leave_queue")
            )

            def dequeued() -> Call | None:
                current = ctx.call(call_control_id)
                if current is not None and current.state is CallState.ENDED:
                    raise LegEnded(current)
                return current if current and current.state is not CallState.QUEUED else None

            try:
                await ctx.wait(dequeued, "the call left its queue")
            except LegEnded as ended:
                raise OperationError(
                    f"The caller hung up ({hangup_reason(ended.call)}) while being picked."
                ) from None
            if ctx.settings.operator_endpoint:
                await self._connect_operator(call_control_id, op)

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
