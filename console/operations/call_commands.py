"""The operator's actions on one call: dial, answer, reject, hang up, blind transfer, pick from
a queue, recording and DTMF.

``CallCommands`` does the work of the matching :class:`~console.operations.Operations` methods
(``facade.py``), which keeps the facade a short list of what the operator can do. It is built
from the shared steps in ``call_steps.py`` and acts through the :class:`OpsContext`; it never
imports the facade.
"""

from __future__ import annotations

import re
from typing import Literal

from console.operations.call_steps import CallSteps
from console.operations.context import LegEnded, OpsContext, ccid_of, hangup_reason
from console.operations.errors import OperationError
from console.operations.ids import new_operation_id, step_command_id
from console.state.entities import Call, CallState, RecordingState
from console.telnyx.phone import normalize_destination, normalize_e164

_DTMF = re.compile(r"^[0-9A-Da-d*#wW]+$")


class CallCommands:
    """Single-call actions (see the module docstring); the facade delegates to it."""

    def __init__(self, ctx: OpsContext, steps: CallSteps) -> None:
        self._ctx = ctx
        self._steps = steps

    async def dial(self, to: str, from_: str | None = None) -> str:
        ctx = self._ctx
        if not (to or "").strip():
            raise ValueError("Enter the number or SIP address to call.")
        if from_ is None or not from_.strip():
            from_ = ctx.from_number_for()
        elif from_ not in (ctx.settings.from_numbers or []):
            from_ = normalize_e164(from_, None)  # any other caller ID must be full E.164
        destination = normalize_destination(to, ctx.settings.default_country)
        async with self._steps.audited("dial", None, to=destination, from_=from_):
            result = await ctx.client.calls.dial(
                connection_id=self._steps.connection_id(),
                to=destination,
                from_=from_,
                timeout_secs=ctx.ring_timeout,
            )
        return ccid_of(result)

    async def answer(self, call_control_id: str) -> None:
        ctx, steps = self._ctx, self._steps
        call = ctx.require_call(call_control_id)
        if call.direction not in (None, "incoming"):
            raise ValueError("Only an incoming call can be answered.")
        if call.state is not CallState.RINGING:
            raise ValueError("That call is not ringing.")
        endpoint = ctx.settings.operator_endpoint
        async with steps.audited("answer", call_control_id, operator_endpoint=endpoint):
            await ctx.client.calls.answer(
                call_control_id, command_id=steps.operator_step(call_control_id, "answer")
            )
            # Return once call.answered is in: the next click (hold, transfer...) needs it.
            try:
                await ctx.wait_answered(call_control_id)
            except LegEnded as ended:
                raise OperationError(
                    f"The caller hung up ({hangup_reason(ended.call)}) as the call was answered."
                ) from None
            if endpoint:
                await steps.connect_operator(
                    call_control_id, steps.operator_step(call_control_id, "op")
                )

    async def reject(
        self, call_control_id: str, cause: Literal["CALL_REJECTED", "USER_BUSY"]
    ) -> None:
        ctx = self._ctx
        call = ctx.require_call(call_control_id)
        if call.state is not CallState.RINGING:
            raise ValueError("Only a ringing call can be rejected; hang it up instead.")
        async with self._steps.audited("reject", call_control_id, cause=cause):
            await ctx.client.calls.reject(
                call_control_id, cause=cause, command_id=step_command_id(call_control_id, "reject")
            )

    async def hangup(self, call_control_id: str) -> None:
        ctx = self._ctx
        call = ctx.require_call(call_control_id)
        conference = ctx.live_conference_of(call)
        operator = None
        if ctx.is_own_conference(conference) and not ctx.is_operator_leg(call):
            operator = ctx.operator_leg_in(conference)
        async with self._steps.audited("hang up", call_control_id):
            await ctx.client.calls.hangup(
                call_control_id, command_id=step_command_id(call_control_id, "hangup")
            )
            if operator is not None:
                await self._steps.hangup_quietly(operator.call_control_id)

    async def transfer(self, call_control_id: str, to: str) -> None:
        ctx, steps = self._ctx, self._steps
        call = ctx.require_call(call_control_id)
        if call.state is CallState.QUEUED:
            raise ValueError("Pick the call from its queue before transferring it.")
        if ctx.is_operator_leg(call):
            raise ValueError("Select the caller's call, not your own leg, to transfer it.")
        destination = normalize_destination(to, ctx.settings.default_country)
        op = new_operation_id()
        async with steps.audited("blind transfer", call_control_id, to=destination):
            conference = ctx.live_conference_of(call)
            operator = (
                ctx.operator_leg_in(conference) if ctx.is_own_conference(conference) else None
            )
            if conference is not None:
                await steps.leave(conference.conference_id, call_control_id, op)
            await ctx.client.calls.transfer(
                call_control_id,
                to=destination,
                from_=ctx.from_number_for(call) if ctx.settings.from_numbers else None,
                command_id=step_command_id(op, "transfer"),
            )
            if operator is not None:
                await steps.hangup_quietly(operator.call_control_id)
        ctx.transferred[call_control_id] = destination

    async def pick_from_queue(self, call_control_id: str) -> None:
        ctx, steps = self._ctx, self._steps
        call = ctx.require_call(call_control_id)
        if call.state is not CallState.QUEUED:
            raise ValueError("That call is not waiting in a queue.")
        op = steps.operator_step(call_control_id, "pick")
        async with steps.audited("pick from queue", call_control_id, queue=call.queue_name):
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
                await steps.connect_operator(call_control_id, op)

    # --- recording and digits (per call leg) ------------------------------------------------

    async def record_start(self, call_control_id: str, fmt: Literal["wav", "mp3"]) -> None:
        ctx = self._ctx
        call = ctx.require_call(call_control_id)
        self._steps.require_connected(call, "recorded")
        if call.recording is not RecordingState.OFF:
            raise ValueError("That call is already being recorded.")
        async with self._steps.audited("record start", call_control_id):
            await ctx.client.calls.record_start(call_control_id, format=fmt, channels="dual")
            ctx.mark_call_recording(call_control_id, RecordingState.RECORDING)

    async def record_stop(self, call_control_id: str) -> None:
        ctx = self._ctx
        call = ctx.require_call(call_control_id)
        if call.recording is RecordingState.OFF:
            raise ValueError("That call is not being recorded.")
        async with self._steps.audited("record stop", call_control_id):
            await ctx.client.calls.record_stop(call_control_id)
            ctx.mark_call_recording(call_control_id, RecordingState.OFF)

    async def record_pause(self, call_control_id: str) -> None:
        ctx = self._ctx
        call = ctx.require_call(call_control_id)
        if call.recording is not RecordingState.RECORDING:
            raise ValueError("That call is not being recorded.")
        async with self._steps.audited("record pause", call_control_id):
            await ctx.client.calls.record_pause(call_control_id)
            ctx.mark_call_recording(call_control_id, RecordingState.PAUSED)

    async def record_resume(self, call_control_id: str) -> None:
        ctx = self._ctx
        call = ctx.require_call(call_control_id)
        if call.recording is not RecordingState.PAUSED:
            raise ValueError("The recording of that call is not paused.")
        async with self._steps.audited("record resume", call_control_id):
            await ctx.client.calls.record_resume(call_control_id)
            ctx.mark_call_recording(call_control_id, RecordingState.RECORDING)

    async def send_dtmf(self, call_control_id: str, digits: str) -> None:
        ctx = self._ctx
        digits = (digits or "").strip()
        if not _DTMF.match(digits):
            raise ValueError("DTMF digits are 0-9, A-D, * and # (w/W pause).")
        call = ctx.require_call(call_control_id)
        self._steps.require_connected(call, "sent digits")
        async with self._steps.audited("send DTMF", call_control_id, digits=len(digits)):
            await ctx.client.calls.send_dtmf(call_control_id, digits=digits)
