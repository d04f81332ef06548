"""The steps that several operator actions are built from: the audit trail around an action,
dialling a leg into a conference, connecting the operator's endpoint, leaving a conference,
hanging up a leg that may be gone already.

``CallSteps`` is apart from the facade (``facade.py``) and from the single-call commands
(``call_commands.py``) because both of those and the several-call commands
(``conference_ops.py``) share these steps; it holds nothing but the :class:`OpsContext`.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from console.errors import words_for
from console.operations.context import LegEnded, OpsContext, ccid_of, hangup_reason
from console.operations.errors import ConfirmationTimeout, OperationError
from console.operations.hold import ensure_conference
from console.operations.ids import OPERATOR_TAG, operator_step_id, step_command_id
from console.state.entities import Call, CallState


class CallSteps:
    """Building blocks of the operator's actions, acting through one :class:`OpsContext`."""

    def __init__(self, ctx: OpsContext) -> None:
        self._ctx = ctx

    def connection_id(self) -> str:
        """The Call Control application to dial from; ``ValueError`` in words when unset."""
        value = self._ctx.connection_id or self._ctx.settings.connection_id
        if not value:
            raise ValueError("Choose the Call Control application in Settings first.")
        return value

    def operator_step(self, call_control_id: str, step: str) -> str:
        return operator_step_id(self._ctx.operator_id, call_control_id, step)

    @staticmethod
    def require_connected(call: Call, verb: str) -> None:
        if call.state in (CallState.RINGING, CallState.QUEUED):
            raise ValueError(f"Only an answered call can be {verb}.")

    @contextlib.asynccontextmanager
    async def audited(self, what: str, target: str | None, **detail: Any) -> AsyncIterator[None]:
        """Write the action to the audit log: "ok", or "failed" with the error in words."""
        try:
            yield
        except BaseException as exc:
            message = words_for(exc)
            self._ctx.audit.record(what, "failed", target=target, error=message, **detail)
            raise
        self._ctx.audit.record(what, "ok", target=target, **detail)

    async def connect_operator(self, call_control_id: str, operation_id: str) -> str:
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
            await self.dial_into(
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

    async def dial_into(
        self, conference_id: str, to: str, tag: str, operation_id: str, *, from_: str
    ) -> str:
        """Dial a leg, wait for it to answer, then join it to the conference; returns the leg.

        Dial-then-join rather than ``conference_config``: the answer is confirmed before the
        leg joins (a busy or unanswered leg never touches the conference) and the outcome is
        reported to the operator in words.
        """
        ctx = self._ctx
        result = await ctx.client.calls.dial(
            connection_id=self.connection_id(),
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
            await self.hangup_quietly(ccid)
            raise OperationError(f"{to} did not answer") from None
        conference = ctx.conference(conference_id)
        if conference is None or not conference.is_live:
            await self.hangup_quietly(ccid)
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

    async def hangup_quietly(self, call_control_id: str) -> None:
        try:
            await self._ctx.client.calls.hangup(
                call_control_id, command_id=step_command_id(call_control_id, "hangup")
            )
        except Exception as exc:
            # The leg may have gone already (404/422): that is the wanted end state.
            if getattr(exc, "status_code", None) not in (404, 422):
                raise

    async def leave(self, conference_id: str, call_control_id: str, op: str) -> None:
        ctx = self._ctx
        await ctx.client.conferences.leave(
            conference_id,
            call_control_id=call_control_id,
            command_id=step_command_id(op, f"leave:{call_control_id}"),
        )

        def gone() -> bool:
            return ctx.present(conference_id, call_control_id) is None

        await ctx.wait(gone, "the call left the conference")
