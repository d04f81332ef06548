"""Operations in team mode: claim the call first, then act; and the supervisor's leg.

:class:`TeamOperations` is the solo :class:`~console.operations.Operations` with two changes:

* answering and picking from a queue first claim the call in the team's claim bucket
  (:class:`~console.relay.ClaimBook`); a console that loses the claim raises
  :class:`~console.relay.ClaimTaken` ("Taken by Alex") and sends nothing to Telnyx. The claim is
  kept (and renewed by the claim book) after a successful pick-up and released when the call
  hangs up (:class:`~console.team.mode.TeamMode` watches for that) or at once when the pick-up
  fails;
* :meth:`TeamOperations.supervise` dials the supervisor's own endpoint into the colleague's
  call conference with ``supervisor_role`` (join) and switches roles in place with the
  conference ``update`` action (``UpdateConferenceRequest``: ``call_control_id`` and
  ``supervisor_role`` required, ``whisper_call_control_ids`` optional).

Command ids of the operator's own steps carry the operator id (set from the settings), so two
consoles never send the same id for different intentions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Literal

from console.operations import Operations
from console.operations.context import LegEnded, ccid_of, hangup_reason
from console.operations.errors import ConfirmationTimeout, OperationError
from console.operations.ids import CONSOLE_TAG_PREFIX, operator_step_id, step_command_id
from console.relay.claims import ClaimAction, ClaimBook
from console.state.entities import Call, Conference
from console.team.view import SupervisorMode

log = logging.getLogger(__name__)

SUPERVISOR_TAG = f"{CONSOLE_TAG_PREFIX}supervisor"
Role = Literal["barge", "monitor", "whisper"]
_ROLES: dict[SupervisorMode, Role] = {
    SupervisorMode.MONITOR: "monitor",
    SupervisorMode.WHISPER: "whisper",
    SupervisorMode.BARGE: "barge",
}


class TeamOperations(Operations):
    """:class:`Operations` whose pick-ups claim the call first (see the module docstring)."""

    def __init__(self, *args: Any, claims: ClaimBook, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.claims = claims
        #: Called with the call control id once this console holds a call (presence follows).
        self.on_claimed: Callable[[str], None] = lambda _ccid: None
        #: supervised caller ccid -> (conference id, this supervisor's leg)
        self.supervising: dict[str, tuple[str, str]] = {}

    async def answer(self, call_control_id: str) -> None:
        async with self.claims.holding(call_control_id, ClaimAction.ANSWERING):
            await super().answer(call_control_id)
        self.on_claimed(call_control_id)

    async def pick_from_queue(self, call_control_id: str) -> None:
        async with self.claims.holding(call_control_id, ClaimAction.PICKING_UP):
            await super().pick_from_queue(call_control_id)
        self.on_claimed(call_control_id)

    # --- supervisor ---------------------------------------------------------------------

    async def supervise(self, call_control_id: str, mode: SupervisorMode, endpoint: str) -> None:
        """Join the call's conference as supervisor in ``mode``, or switch to it in place."""
        ctx = self._ctx
        call = ctx.require_call(call_control_id)
        conference = ctx.live_conference_of(call)
        if conference is None:
            raise OperationError(
                "That call is not in a conference, so it cannot be supervised: the operator on "
                "it needs an operator phone set in Settings (answering then connects it in a "
                "conference)."
            )
        whisper_to = self._colleague_legs(conference)
        if mode is SupervisorMode.WHISPER and not whisper_to:
            raise OperationError("Nobody on that call can be whispered to: no operator is on it.")
        role = _ROLES[mode]
        extra: dict[str, Any] = {}
        if mode is SupervisorMode.WHISPER:
            extra["whisper_call_control_ids"] = whisper_to
        joined = self.supervising.get(call_control_id)
        if joined is not None and ctx.present(joined[0], joined[1]) is not None:
            step = self._operator_step(call_control_id, f"supervise:{joined[1]}:{role}")
            async with self._audited("supervise", call_control_id, mode=role):
                await ctx.client.conferences.update(
                    joined[0],
                    call_control_id=joined[1],
                    supervisor_role=role,
                    command_id=step,
                    **extra,
                )
            return
        operation = operator_step_id(ctx.operator_id, call_control_id, "supervisor")
        async with self._audited("supervise", call_control_id, mode=role, endpoint=endpoint):
            leg = await self._dial_supervisor(conference, call, endpoint, operation)
            await ctx.client.conferences.join(
                conference.conference_id,
                call_control_id=leg,
                beep_enabled="never",
                supervisor_role=role,
                command_id=step_command_id(operation, f"join:{leg}"),
                **extra,
            )
            try:
                await ctx.wait_joined(conference.conference_id, leg)
            except LegEnded as ended:
                raise OperationError(
                    f"Your phone hung up ({hangup_reason(ended.call)}) before joining."
                ) from None
        self.supervising[call_control_id] = (conference.conference_id, leg)

    async def stop_supervising(self, call_control_id: str) -> None:
        joined = self.supervising.pop(call_control_id, None)
        if joined is not None:
            await self.hangup(joined[1])

    def _colleague_legs(self, conference: Conference) -> list[str]:
        """The operator legs in the conference that are not this supervisor's."""
        ours = {leg for _conf, leg in self.supervising.values()}
        legs = []
        for participant in conference.present_participants():
            leg = self._ctx.call(participant.call_control_id)
            if leg is None or not leg.is_live or leg.call_control_id in ours:
                continue
            if self._ctx.is_operator_leg(leg):
                legs.append(leg.call_control_id)
        return legs

    async def _dial_supervisor(
        self, conference: Conference, call: Call, endpoint: str, operation: str
    ) -> str:
        ctx = self._ctx
        result = await ctx.client.calls.dial(
            connection_id=self.connection_id,
            to=endpoint,
            from_=ctx.from_number_for(call),
            timeout_secs=ctx.ring_timeout,
            client_state=SUPERVISOR_TAG,
            command_id=step_command_id(operation, f"dial:{conference.conference_id}"),
        )
        leg = ccid_of(result)
        try:
            await ctx.wait_answered(leg, within=ctx.ring_timeout + ctx.confirm_timeout)
        except LegEnded as ended:
            raise OperationError(f"Your phone was {hangup_reason(ended.call)}.") from None
        except ConfirmationTimeout:
            await self._hangup_quietly(leg)
            raise OperationError("Your phone did not answer.") from None
        return leg
