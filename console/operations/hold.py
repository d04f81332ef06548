"""Hold and mute: Call Control has them only for conference participants (API-NOTES §3).

A call that needs hold or mute is moved into its own conference (named ``console-call-…``),
transparently: the store shows the same call row, now IN_CONFERENCE with hold/mute badges.

* Plain answered/parked leg: ``POST /conferences`` created *from* the leg (the leg is its first
  participant), music on hold = the settings' URL (or the simulator's in demo mode).
* Bridged pair A↔B: the conference is created from one leg and the other is joined to it, so
  the two keep talking, now as conference participants. Leaving a bridge hangs the *other* leg
  up unless it was bridged with ``park_after_unbridge: self``; the console sets that on the
  legs it bridges or dials (and tags them ``console:…`` in client_state so this survives a
  restart), and creates the conference from the leg whose peer parks (``move_order``). A bridge
  made outside the console, where neither leg is known to park, is refused with a reason
  instead of hanging up the other party.
* Already in a conference: nothing to move.

Who is acted on: with the operator's own endpoint in the call's conference (see
``facade.answer``), Mute mutes the operator leg and Hold holds the other party (the caller);
otherwise both act on the selected leg. Every command names its legs explicitly in
``call_control_ids``: an empty list would act on everyone.
"""

from __future__ import annotations

import logging

from console.operations.context import LegEnded, OpsContext, conference_id_of, hangup_reason
from console.operations.errors import OperationError
from console.operations.ids import own_conference_name, step_command_id
from console.state.entities import Call, CallState, Conference

log = logging.getLogger(__name__)


def move_order(ctx: OpsContext, call: Call) -> tuple[Call, Call | None]:
    """(the leg to create the conference from, its bridge peer to join after) for ``call``.

    Moving one leg of a bridge into a conference breaks the bridge, and Telnyx hangs the other
    leg up unless that leg was bridged with ``park_after_unbridge: self``. So the conference
    is created from the leg whose *peer* parks; a bridge where neither leg is known to park
    (made outside the console) is refused rather than risk hanging up the other party.
    """
    if call.state is not CallState.BRIDGED:
        return call, None
    target = ctx.transferred_to(call)
    if target is not None:  # the console made this bridge, by a blind transfer
        raise ValueError(
            f"This call was transferred to {target} and is connected there: moving it into a "
            "conference (needed for hold, mute or merge) would cut that connection."
        )
    if not call.bridged_to:
        return call, None
    peer = ctx.call(call.bridged_to)
    if peer is None or not peer.is_live:
        return call, None
    if ctx.parks_after_unbridge(peer):
        return call, peer
    if ctx.parks_after_unbridge(call):
        return peer, call
    raise ValueError(
        "This call was bridged outside the console: moving it into a conference (needed for "
        "hold, mute or merge) would hang up the other party."
    )


async def ensure_conference(ctx: OpsContext, call: Call, operation_id: str) -> Conference:
    """The live conference the leg is in; else its own new one (with its bridge peer joined)."""
    current = ctx.live_conference_of(call)
    if current is not None:
        return current
    if call.state is CallState.RINGING:
        raise ValueError("Answer the call first: a ringing call cannot be held or muted.")
    if call.state is CallState.QUEUED:
        raise ValueError("Pick the call from its queue first.")
    first, second = move_order(ctx, call)
    name = own_conference_name(call.call_control_id)
    created = await ctx.client.conferences.create(
        call_control_id=first.call_control_id,
        name=name,
        hold_audio_url=ctx.hold_music_url,
        beep_enabled="never",
        command_id=step_command_id(operation_id, "conference.create"),
    )
    conference_id = conference_id_of(created)
    ctx.note_conference_name(conference_id, name)
    try:
        await ctx.wait_joined(conference_id, first.call_control_id)
    except LegEnded as ended:
        raise OperationError(
            f"The call ended ({hangup_reason(ended.call)}) while it was moved into a conference."
        ) from None
    if second is not None:
        await _bring_peer(ctx, conference_id, second, operation_id)
    conference = ctx.conference(conference_id)
    assert conference is not None  # wait_joined saw it
    return conference


async def _bring_peer(ctx: OpsContext, conference_id: str, peer: Call, operation_id: str) -> None:
    current = ctx.call(peer.call_control_id)
    if current is None or not current.is_live:
        raise OperationError(
            "The call is now in a conference, but the party it was bridged to has hung up."
        )
    await ctx.client.conferences.join(
        conference_id,
        call_control_id=peer.call_control_id,
        beep_enabled="never",
        command_id=step_command_id(operation_id, "conference.join-peer"),
    )
    try:
        await ctx.wait_joined(conference_id, peer.call_control_id)
    except LegEnded as ended:
        raise OperationError(
            "The call is now in a conference, but the party it was bridged to "
            f"ended ({hangup_reason(ended.call)})."
        ) from None


def hold_targets(ctx: OpsContext, call: Call, conference: Conference) -> list[str]:
    """Hold acts on the selected party; selecting the operator's own leg holds the others."""
    if not ctx.is_operator_leg(call):
        return [call.call_control_id]
    others = [
        p.call_control_id
        for p in conference.present_participants()
        if p.call_control_id != call.call_control_id
    ]
    if not others:
        raise ValueError("There is nobody else in the call to hold.")
    return others


def mute_targets(ctx: OpsContext, call: Call, conference: Conference) -> list[str]:
    """Mute silences the operator when the operator's endpoint is in the call's own conference."""
    operator = ctx.operator_leg_in(conference) if ctx.is_own_conference(conference) else None
    if operator is not None:
        return [operator.call_control_id]
    return [call.call_control_id]


async def set_hold(ctx: OpsContext, call_control_id: str, on_hold: bool, operation_id: str) -> str:
    """Hold or unhold; returns the conference id. Confirms in the store after the 200."""
    call = ctx.require_call(call_control_id)
    if on_hold:
        conference = await ensure_conference(ctx, call, operation_id)
    else:
        live = ctx.live_conference_of(call)
        if live is None:
            raise ValueError("That call is not on hold.")
        conference = live
    targets = hold_targets(ctx, call, conference)
    if on_hold:
        await ctx.client.conferences.hold(
            conference.conference_id, call_control_ids=targets, audio_url=ctx.hold_music_url
        )
    else:
        await ctx.client.conferences.unhold(conference.conference_id, call_control_ids=targets)
    ctx.mark_participants(conference.conference_id, targets, on_hold=on_hold)
    return conference.conference_id


async def set_mute(ctx: OpsContext, call_control_id: str, muted: bool, operation_id: str) -> str:
    """Mute or unmute; returns the conference id. Confirms in the store after the 200."""
    call = ctx.require_call(call_control_id)
    if muted:
        conference = await ensure_conference(ctx, call, operation_id)
    else:
        live = ctx.live_conference_of(call)
        if live is None:
            raise ValueError("That call is not muted.")
        conference = live
    targets = mute_targets(ctx, call, conference)
    if muted:
        await ctx.client.conferences.mute(conference.conference_id, call_control_ids=targets)
    else:
        await ctx.client.conferences.unmute(conference.conference_id, call_control_ids=targets)
    ctx.mark_participants(conference.conference_id, targets, muted=muted)
    return conference.conference_id
