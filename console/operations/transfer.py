"""Attended (warm) transfer as tracked steps that either complete or roll back.

Shape: everything happens in the caller's conference (its own one, created if needed).

1. ``conference``  the caller is in a conference (see ``hold.ensure_conference``);
2. ``hold``        the caller is held there, hearing music;
3. ``dial``        a consult leg is dialled to the target (tagged ``console:consult:<id>``);
4. ``answered``    wait for the consult leg's ``call.answered`` (busy/no answer → roll back);
5. ``join``        the consult leg joins the conference: the operator (their endpoint leg is in
                   the same conference) talks to the target while the caller hears music.

Complete: the caller is unheld (caller and target now talk) and the operator's leg, if any, is
hung up. Cancel: the consult leg is hung up and the caller unheld. A failure of any step rolls
back what was done (hang up the consult leg, unhold the caller) and raises
:class:`TransferFailed` saying why, e.g. "the target was busy".

Every command that has a ``command_id`` gets ``uuid5(transfer_id + step)``: a retry of a step
(by the client, or by the operator pressing the button again) can never act twice.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from console.errors import words_for
from console.operations.context import LegEnded, OpsContext, ccid_of, hangup_reason
from console.operations.errors import (
    ConfirmationTimeout,
    OperationError,
    TransferCancelled,
    TransferFailed,
)
from console.operations.hold import ensure_conference
from console.operations.ids import CONSULT_TAG_PREFIX, new_operation_id, step_command_id
from console.state.entities import CallState

log = logging.getLogger(__name__)

AUDIT_WHAT = "attended transfer"


class TransferState(StrEnum):
    DIALLING = "dialling"  # caller held, consult leg ringing
    CONSULTING = "consulting"  # the target answered and is in the caller's conference
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    FAILED = "failed"  # rolled back; ``error`` says why

    @property
    def is_final(self) -> bool:
        return self in (TransferState.COMPLETED, TransferState.CANCELLED, TransferState.FAILED)


@dataclass
class AttendedTransfer:
    """One warm transfer, from start to its final state (the UI shows it from here)."""

    transfer_id: str
    caller_call_control_id: str
    target: str  # E.164 or SIP URI, as dialled
    state: TransferState = TransferState.DIALLING
    conference_id: str | None = None
    consult_call_control_id: str | None = None
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime | None = None
    error: str | None = None
    steps_done: list[str] = field(default_factory=list)
    cancel_requested: bool = False
    _settled: asyncio.Event = field(default_factory=asyncio.Event, repr=False)

    def command_id(self, step: str) -> str:
        return step_command_id(self.transfer_id, step)

    @property
    def caller_ccid(self) -> str:
        """Short names the window uses for the two legs."""
        return self.caller_call_control_id

    @property
    def consult_ccid(self) -> str | None:
        return self.consult_call_control_id

    @property
    def caller_held(self) -> bool:
        return "hold" in self.steps_done and "unhold" not in self.steps_done


class TransferRunner:
    """Runs the steps of attended transfers; one per Operations facade."""

    def __init__(self, ctx: OpsContext):
        self._ctx = ctx
        self.active: dict[str, AttendedTransfer] = {}

    # --- start ---------------------------------------------------------------------------

    async def start(self, caller_ccid: str, target: str) -> AttendedTransfer:
        ctx = self._ctx
        caller = ctx.require_call(caller_ccid)
        if caller.state is CallState.RINGING:
            raise ValueError("Answer the call before transferring it.")
        if ctx.is_operator_leg(caller):
            raise ValueError("Select the caller's call, not your own leg, to transfer it.")
        for other in self.active.values():
            if other.caller_call_control_id == caller_ccid and not other.state.is_final:
                raise ValueError("A transfer of this call is already in progress.")
        t = AttendedTransfer(new_operation_id(), caller_ccid, target)
        self.active[t.transfer_id] = t
        ctx.audit.record(AUDIT_WHAT, "started", target=caller_ccid, to=target, id=t.transfer_id)
        try:
            await self._run_start(t)
        except TransferCancelled:
            raise
        except (OperationError, LegEnded, ValueError) as exc:
            reason = _reason(exc)
            await self._roll_back(t, reason)
            raise TransferFailed(
                f"The transfer to {target} did not go ahead: {reason}. "
                "The caller is back and no longer on hold."
            ) from None
        except Exception as exc:
            # An API error (TelnyxError) or a bug: still never leave the caller on hold.
            await self._roll_back(t, _reason(exc))
            raise
        return t

    async def _run_start(self, t: AttendedTransfer) -> None:
        ctx = self._ctx
        caller = ctx.require_call(t.caller_call_control_id)
        conference = await ensure_conference(ctx, caller, t.transfer_id)
        t.conference_id = conference.conference_id
        t.steps_done.append("conference")

        await ctx.client.conferences.hold(
            t.conference_id,
            call_control_ids=[t.caller_call_control_id],
            audio_url=ctx.hold_music_url,
        )
        ctx.mark_participants(t.conference_id, [t.caller_call_control_id], on_hold=True)
        t.steps_done.append("hold")

        dialled = await ctx.client.calls.dial(
            connection_id=ctx.connection_id or ctx.settings.connection_id,
            to=t.target,
            from_=ctx.from_number_for(caller),
            timeout_secs=ctx.ring_timeout,
            park_after_unbridge="self",  # every console-tagged leg parks (see hold.py)
            client_state=CONSULT_TAG_PREFIX + t.transfer_id,  # the client base64-encodes it
            command_id=t.command_id("dial"),
        )
        t.consult_call_control_id = ccid_of(dialled)
        t.steps_done.append("dial")
        if t.cancel_requested:
            await self._hangup_consult(t, "cancel.hangup")

        try:
            await ctx.wait_answered(
                t.consult_call_control_id, within=ctx.ring_timeout + ctx.confirm_timeout
            )
        except LegEnded as ended:
            if t.cancel_requested:
                await self._finish_cancel(t)
                raise TransferCancelled("The transfer was cancelled; the caller is back.") from None
            raise OperationError(f"the target was {hangup_reason(ended.call)}") from None
        except ConfirmationTimeout:
            raise OperationError("the target did not answer") from None
        t.steps_done.append("answered")
        if t.cancel_requested:
            await self._finish_cancel(t)
            raise TransferCancelled("The transfer was cancelled; the caller is back.")

        await ctx.client.conferences.join(
            t.conference_id,
            call_control_id=t.consult_call_control_id,
            beep_enabled="never",
            command_id=t.command_id("join"),
        )
        try:
            await ctx.wait_joined(t.conference_id, t.consult_call_control_id)
        except LegEnded as ended:
            raise OperationError(
                f"the target hung up before being connected ({hangup_reason(ended.call)})"
            ) from None
        t.steps_done.append("join")
        t.state = TransferState.CONSULTING
        ctx.audit.record(
            AUDIT_WHAT,
            "consulting",
            target=t.caller_call_control_id,
            id=t.transfer_id,
            consult=t.consult_call_control_id,
        )

    # --- complete / cancel ----------------------------------------------------------------

    async def complete(self, t: AttendedTransfer) -> AttendedTransfer:
        ctx = self._ctx
        if t.state is not TransferState.CONSULTING:
            raise ValueError(f"This transfer cannot be completed now (it is {t.state}).")
        caller = ctx.call(t.caller_call_control_id)
        consult = ctx.call(t.consult_call_control_id or "")
        if consult is None or not consult.is_live:
            await self._roll_back(t, "the target hung up")
            raise TransferFailed(
                "The target hung up before the transfer was completed; "
                "the caller is back and no longer on hold."
            )
        if caller is None or not caller.is_live:
            self._finish(t, TransferState.FAILED, "the caller hung up")
            raise TransferFailed(
                "The caller hung up before the transfer was completed; "
                "you are still connected to the target."
            )
        assert t.conference_id is not None
        try:
            await ctx.client.conferences.unhold(
                t.conference_id, call_control_ids=[t.caller_call_control_id]
            )
            ctx.mark_participants(t.conference_id, [t.caller_call_control_id], on_hold=False)
            t.steps_done.append("unhold")
            operator = ctx.operator_leg_in(ctx.conference(t.conference_id))
            if operator is not None:
                await ctx.client.calls.hangup(
                    operator.call_control_id, command_id=t.command_id("operator.hangup")
                )
                t.steps_done.append("operator.hangup")
        except Exception as exc:
            ctx.audit.record(
                AUDIT_WHAT,
                "failed",
                target=t.caller_call_control_id,
                id=t.transfer_id,
                step="complete",
                error=_reason(exc),
            )
            raise
        self._finish(t, TransferState.COMPLETED)
        return t

    async def cancel(self, t: AttendedTransfer) -> AttendedTransfer:
        if t.state.is_final:
            return t
        if t.state is TransferState.DIALLING:
            # The start coroutine owns the steps: ask it to stop, end the ringing leg and
            # wait for it to roll back (it sees the consult leg's hangup).
            t.cancel_requested = True
            if t.consult_call_control_id is not None:
                await self._hangup_consult(t, "cancel.hangup")
            await t._settled.wait()
            return t
        await self._finish_cancel(t)
        return t

    async def _finish_cancel(self, t: AttendedTransfer) -> None:
        await self._hangup_consult(t, "cancel.hangup")
        await self._unhold_caller(t, "cancel.unhold")
        self._finish(t, TransferState.CANCELLED)

    # --- rollback -------------------------------------------------------------------------

    async def _roll_back(self, t: AttendedTransfer, reason: str) -> None:
        """Undo what was done, best effort: every undo step is attempted even if one fails."""
        problems = []
        for undo in (
            self._hangup_consult(t, "rollback.hangup"),
            self._unhold_caller(t, "rollback"),
        ):
            try:
                await undo
            except Exception as exc:  # keep undoing; report below
                problems.append(_reason(exc))
        self._finish(
            t,
            TransferState.FAILED,
            reason + (f" (undo: {'; '.join(problems)})" if problems else ""),
        )

    async def _hangup_consult(self, t: AttendedTransfer, step: str) -> None:
        ctx = self._ctx
        ccid = t.consult_call_control_id
        consult = ctx.call(ccid) if ccid else None
        if ccid is None or (consult is not None and not consult.is_live):
            return
        if step in t.steps_done:
            return
        try:
            await ctx.client.calls.hangup(ccid, command_id=t.command_id(step))
        except Exception as exc:
            # 404/422: the leg is already gone, which is what we wanted.
            if getattr(exc, "status_code", None) not in (404, 422):
                raise
        t.steps_done.append(step)

    async def _unhold_caller(self, t: AttendedTransfer, step: str) -> None:
        ctx = self._ctx
        if not t.caller_held or t.conference_id is None:
            return
        caller = ctx.call(t.caller_call_control_id)
        if caller is None or not caller.is_live:
            return
        await ctx.client.conferences.unhold(
            t.conference_id, call_control_ids=[t.caller_call_control_id]
        )
        ctx.mark_participants(t.conference_id, [t.caller_call_control_id], on_hold=False)
        t.steps_done.append("unhold")

    def _finish(self, t: AttendedTransfer, state: TransferState, error: str | None = None) -> None:
        t.state = state
        t.error = error
        t.finished_at = datetime.now(UTC)
        t._settled.set()
        result = {"completed": "ok", "cancelled": "cancelled", "failed": "rolled back"}[state]
        self._ctx.audit.record(
            AUDIT_WHAT,
            result,
            target=t.caller_call_control_id,
            id=t.transfer_id,
            to=t.target,
            consult=t.consult_call_control_id,
            steps=list(t.steps_done),
            error=error,
        )


def _reason(exc: BaseException) -> str:
    if isinstance(exc, LegEnded):
        return f"the target was {hangup_reason(exc.call)}"
    return words_for(exc).rstrip(".")
