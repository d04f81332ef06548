"""Operations on several calls at once: bridge, merge into a conference, add, kick, end.

``ConferenceCommands`` does the work of ``Operations.bridge``/``merge``/``add_participant``/
``kick``/``end_conference`` (console/operations/facade.py), with the facade's audit trail and
single-call steps (leaving a conference, dialling into one). A merge is forward-only: if a
join fails, the calls already joined stay and the error says which call could not join.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from console.operations.context import LegEnded, conference_id_of, hangup_reason
from console.operations.errors import OperationError
from console.operations.hold import move_order
from console.operations.ids import (
    BRIDGE_TAG,
    CONSOLE_TAG_PREFIX,
    PARTICIPANT_TAG,
    new_operation_id,
    step_command_id,
)
from console.state.entities import Call
from console.telnyx.phone import normalize_destination

if TYPE_CHECKING:
    from console.operations.facade import Operations

MERGE_CONFERENCE_PREFIX = "console-conf-"


class ConferenceCommands:
    def __init__(self, ops: Operations) -> None:
        self._ops = ops

    async def bridge(self, a: str, b: str) -> None:
        """Connect two answered calls directly (no conference).

        ``park_after_unbridge: self`` keeps leg A up (parked) when the bridge ends or is
        broken by moving B into a conference, instead of hanging it up.
        """
        ops = self._ops
        ctx = ops._ctx
        if a == b:
            raise ValueError("Choose two different calls to bridge.")
        for ccid in (a, b):
            call = ctx.require_call(ccid)
            ops._require_connected(call, "bridged")
            if ctx.live_conference_of(call) is not None:
                raise ValueError("One of the calls is in a conference: use Merge instead.")
        leg_a = ctx.require_call(a)
        tag = None if (leg_a.client_state or "").startswith(CONSOLE_TAG_PREFIX) else BRIDGE_TAG
        async with ops._audited("bridge", a, other=b):
            await ctx.client.calls.bridge(
                a,
                call_control_id=b,
                park_after_unbridge="self",
                client_state=tag,
                command_id=step_command_id(new_operation_id(), "bridge"),
            )
            ctx.parking.add(a)
            ctx.note_bridge(a, b)

    async def merge(self, call_control_ids: list[str]) -> str:
        """Put the calls in one conference; returns its id.

        If one of them is already in a live conference the others join that one; otherwise a
        conference is created from the first. A call's bridge partner comes along (so the two
        keep talking), moved in the order that does not hang either up (``hold.move_order``).
        Forward-only by design: if a join fails, the calls already joined stay (taking them out
        again would only park them in silence) and the error says which call could not join.
        """
        ops = self._ops
        ctx = ops._ctx
        ccids = list(dict.fromkeys(c for c in call_control_ids if c))
        if len(ccids) < 2:
            raise ValueError("Choose at least two calls to merge.")
        calls = [ctx.require_call(c) for c in ccids]
        for call in calls:
            ops._require_connected(call, "merged")
        ordered = self._merge_order(calls)
        op = new_operation_id()
        async with ops._audited("merge", ccids[0], calls=[c.call_control_id for c in ordered]):
            conference = next(
                (c for c in map(ctx.live_conference_of, ordered) if c is not None), None
            )
            if conference is None:
                name = MERGE_CONFERENCE_PREFIX + op[:12]
                created = await ctx.client.conferences.create(
                    call_control_id=ordered[0].call_control_id,
                    name=name,
                    hold_audio_url=ctx.hold_music_url,
                    beep_enabled="never",
                    command_id=step_command_id(op, "create"),
                )
                conference_id = conference_id_of(created)
                ctx.note_conference_name(conference_id, name)
                await self._joined_or_fail(conference_id, ordered[0].call_control_id)
            else:
                conference_id = conference.conference_id
            for call in ordered:
                ccid = call.call_control_id
                if ctx.present(conference_id, ccid) is not None:
                    continue
                current = ctx.live_conference_of(ctx.call(ccid) or call)
                if current is not None:
                    await ops._leave(current.conference_id, ccid, op)
                await ctx.client.conferences.join(
                    conference_id,
                    call_control_id=ccid,
                    beep_enabled="never",
                    command_id=step_command_id(op, f"join:{ccid}"),
                )
                await self._joined_or_fail(conference_id, ccid)
        return conference_id

    def _merge_order(self, calls: list[Call]) -> list[Call]:
        """The calls plus their bridge partners, each pair ordered so neither is hung up."""
        ops = self._ops
        ctx = ops._ctx
        ordered: list[Call] = []
        for call in calls:
            if ctx.live_conference_of(call) is None:
                first, second = move_order(ctx, call)
                pair = [first] if second is None else [first, second]
            else:
                pair = [call]
            for leg in pair:
                if all(leg.call_control_id != o.call_control_id for o in ordered):
                    ordered.append(leg)
        return ordered

    async def _joined_or_fail(self, conference_id: str, call_control_id: str) -> None:
        ops = self._ops
        try:
            await ops._ctx.wait_joined(conference_id, call_control_id)
        except LegEnded as ended:
            raise OperationError(
                f"A call ended ({hangup_reason(ended.call)}) before it joined the conference."
            ) from None

    async def add_participant(self, conference_id: str, to: str) -> str:
        """Call ``to`` and, once answered, join it to the conference; returns the new leg.

        Returns when the new party is in the conference; busy/no answer raises
        :class:`OperationError` saying so (the conference is untouched).
        """
        ops = self._ops
        ctx = ops._ctx
        ctx.require_conference(conference_id)
        destination = normalize_destination(to, ctx.settings.default_country)
        op = new_operation_id()
        async with ops._audited("add participant", conference_id, to=destination):
            try:
                return await ops._dial_into(
                    conference_id, destination, PARTICIPANT_TAG, op, from_=ctx.from_number_for()
                )
            except OperationError as exc:
                raise OperationError(f"Could not add {destination}: {exc.user_message}.") from None

    async def kick(self, conference_id: str, call_control_id: str) -> None:
        """Remove a participant and end their leg: what operators mean by "kick".

        A plain hangup does both (Telnyx reports participant.left and call.hangup); ``leave``
        alone would park the leg in silence, still billed.
        """
        ops = self._ops
        ctx = ops._ctx
        ctx.require_conference(conference_id)
        ctx.require_call(call_control_id)
        if ctx.present(conference_id, call_control_id) is None:
            raise ValueError("That call is not in this conference.")
        async with ops._audited("kick", call_control_id, conference=conference_id):
            await ctx.client.calls.hangup(
                call_control_id, command_id=step_command_id(call_control_id, "hangup")
            )

    async def end_conference(self, conference_id: str) -> None:
        """End the conference; Telnyx hangs up everyone still in it."""
        ops = self._ops
        ctx = ops._ctx
        ctx.require_conference(conference_id)
        async with ops._audited("end conference", conference_id):
            await ctx.client.conferences.end(
                conference_id, command_id=step_command_id(conference_id, "end")
            )
