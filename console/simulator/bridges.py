"""Transfers, bridges and what happens to a leg when its bridge breaks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import errors
from .calls import our_side
from .entities import Call

if TYPE_CHECKING:
    from .world import World


class BridgeCommands:
    """Transfer, refer and bridge commands: the World's ``bridges`` part."""

    def __init__(self, world: World) -> None:
        self.world = world

    def unbridged(self, peer: Call) -> None:
        """The other side of a bridge went away: park, hold or hang up (the default)."""
        peer.bridged_with = None
        if peer.ended:
            return
        if peer.park_after_unbridge:
            return
        if peer.hold_after_unbridge:
            peer.on_hold = True
            return
        self.world.legs.end(peer, "normal_clearing", our_side(peer))

    def detach(self, call: Call, dequeue_reason: str = "bridged") -> None:
        """Take a leg out of its queue, conference or bridge before it is bridged elsewhere."""
        if call.queue_name:
            self.world.queueing.dequeue(call, dequeue_reason)
        if call.conference_id:
            self.world.conferencing.leave_conference(call)
        if call.bridged_with:
            peer = self.world.calls.get(call.bridged_with)
            call.bridged_with = None
            if peer is not None:
                self.unbridged(peer)
        call.on_hold = False

    def transfer(self, call: Call, body: dict[str, Any]) -> Call:
        if not call.answered and call.direction == "outgoing":
            raise errors.not_answered()
        self.world.apply_common(call, body)
        leg = self.world.legs.new_call(
            direction="outgoing",
            from_=body.get("from") or call.from_,
            to=body["to"],
            connection_id=call.connection_id,
            session_id=call.call_session_id,
            caller_name=body.get("from_display_name") or "",
            client_state=body.get("target_leg_client_state") or "",
        )
        leg.transfer_from = call.call_control_id
        leg.webhook_url = body.get("webhook_url") or call.webhook_url
        call.transfer_park_after_unbridge = body.get("park_after_unbridge") == "self"
        self.world.legs.ring_outbound(leg, int(body.get("timeout_secs") or 30))
        return leg

    def complete_transfer(self, original: Call, leg: Call) -> None:
        self.detach(original)
        if not original.answered:
            original.answered = True  # the transfer answers a parked inbound call
            original.answered_at = self.world.now()
        original.park_after_unbridge = original.transfer_park_after_unbridge
        self._link(original, leg)

    def _link(self, a: Call, b: Call) -> None:
        a.bridged_with, b.bridged_with = b.call_control_id, a.call_control_id
        a.on_hold = b.on_hold = False
        self.world.webhooks.emit(a, "call.bridged")
        self.world.webhooks.emit(b, "call.bridged")

    def bridge(self, call: Call, body: dict[str, Any]) -> None:
        if not call.answered:
            raise errors.not_answered()
        if body.get("queue"):
            queue = self.world.queues.get(body["queue"])
            if queue is None or not queue.calls:
                raise errors.unable("The queue is empty or does not exist.", pointer="/queue")
            other = self.world.live_call(queue.calls[0].call_control_id)
        else:
            other = self.world.live_call(body["call_control_id"], "/call_control_id")
        if other is call:
            raise errors.unable("A call cannot be bridged with itself.", pointer="/call_control_id")
        if not other.answered:
            raise errors.not_answered()
        if body.get("prevent_double_bridge") and other.bridged_with:
            raise errors.unable("The target call is already bridged.", pointer="/call_control_id")
        self.world.apply_common(call, body)
        self.detach(other)
        self.detach(call)
        call.park_after_unbridge = body.get("park_after_unbridge") == "self"
        call.hold_after_unbridge = bool(body.get("hold_after_unbridge"))
        self._link(call, other)

    def refer(self, call: Call, body: dict[str, Any]) -> None:
        self.world.apply_common(call, body)
        self.world.webhooks.emit(call, "call.refer.started", sip_notify_response=100)
        self.world.spawn_timer(
            call,
            "refer",
            1.0,
            lambda: self.world.webhooks.emit(call, "call.refer.completed", sip_notify_response=200),
        )
