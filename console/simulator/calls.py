"""Call legs and their lifecycle: dial, inbound arrival, answer, reject and hangup."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import errors, phones
from .clock import iso
from .entities import Call, new_call_control_id, new_uuid

if TYPE_CHECKING:
    from .world import World

INBOUND_RING_SECS = 30.0  # an unanswered inbound call rings out after this long


def our_side(call: Call) -> str:
    """The hangup_source when the API hangs up ``call``."""
    # The API speaks for the Telnyx side of the leg: the caller of an outgoing leg,
    # the callee of an incoming one.
    return "caller" if call.direction == "outgoing" else "callee"


class CallLegCommands:
    """Call legs: the World's ``legs`` part."""

    def __init__(self, world: World) -> None:
        self.world = world

    def new_call(
        self,
        *,
        direction: str,
        from_: str,
        to: str,
        connection_id: str,
        session_id: str | None = None,
        caller_name: str = "",
        client_state: str = "",
    ) -> Call:
        call = Call(
            call_control_id=new_call_control_id(),
            call_leg_id=new_uuid(),
            call_session_id=session_id or new_uuid(),
            connection_id=connection_id,
            direction=direction,
            from_=from_,
            to=to,
            start_time=self.world.now(),
            caller_name=caller_name,
            client_state=client_state,
        )
        self.world.calls[call.call_control_id] = call
        return call

    def dial(self, body: dict[str, Any], destinations: list[str]) -> Call:
        app = self.world.app(body["connection_id"])
        call = self.new_call(
            direction="outgoing",
            from_=body["from"],
            to=destinations[0],
            connection_id=app.id,
            caller_name=body.get("from_display_name") or "",
            client_state=body.get("client_state") or "",
        )
        call.webhook_url = body.get("webhook_url") or None
        call.park_after_unbridge = body.get("park_after_unbridge") == "self"
        self.ring_outbound(call, int(body.get("timeout_secs") or 30))
        limit = body.get("time_limit_secs") or 14400
        self.world.spawn_timer(
            call,
            "time_limit",
            limit,
            lambda: self.end(call, "time_limit", "unknown"),
            tracked=False,
        )
        if body.get("record") == "record-from-answer":
            call.recording = self.world.recorder.new_call_recording(
                call, body.get("record_format") or "mp3", body.get("record_channels") or "dual"
            )
        return call

    def ring_outbound(self, call: Call, timeout_secs: int) -> None:
        """Announce a new outgoing leg (a dial or a transfer's target) and start it ringing."""
        self.world.webhooks.emit(
            call,
            "call.initiated",
            direction="outgoing",
            state="bridging",
            caller_id_name=call.caller_name or call.from_,
            start_time=iso(call.start_time),
        )
        outcome = phones.resolve(call.to)
        call.outcome = outcome
        if outcome.kind == "no_answer" or (outcome.answers and outcome.ring_secs >= timeout_secs):
            self.world.spawn_timer(
                call,
                "ring",
                timeout_secs,
                lambda: self.end(call, "timeout", "caller", sip="unspecified"),
            )
        elif outcome.answers:
            self.world.spawn_timer(
                call, "ring", outcome.ring_secs, lambda: self._remote_answer(call)
            )
        else:
            cause, source = phones.FAILURE_CAUSES[outcome.kind]
            self.world.spawn_timer(
                call,
                "ring",
                outcome.ring_secs,
                lambda: self.end(call, cause, source, outcome.sip_code),
            )

    def _remote_answer(self, call: Call) -> None:
        if call.ended:
            return
        self._mark_answered(call)
        if call.recording is not None and call.recording.ended_at is None:
            call.recording.started_at = call.answered_at or self.world.now()
        original = self.world.calls.get(call.transfer_from or "")
        if original is not None and original.alive:
            self.world.bridges.complete_transfer(original, call)
        if call.outcome is not None and call.outcome.hangup_after is not None:
            self.world.spawn_timer(
                call,
                "remote_hangup",
                call.outcome.hangup_after,
                lambda: self.end(call, "normal_clearing", "callee"),
            )

    def _mark_answered(self, call: Call) -> None:
        call.answered = True
        call.answered_at = self.world.now()
        self.world.cancel_timers(call, keep=("time_limit",))
        self.world.webhooks.emit(
            call, "call.answered", state="answered", start_time=iso(call.start_time)
        )

    def place_inbound(
        self,
        *,
        from_: str,
        to: str,
        connection_id: str,
        caller_name: str = "",
        hangup_after: float | None = None,
        ring_secs: float = INBOUND_RING_SECS,
        tracked: bool = True,
        gather_digits: str = phones.GATHER_DIGITS,
    ) -> Call:
        call = self.new_call(
            direction="incoming",
            from_=from_,
            to=to,
            connection_id=connection_id,
            caller_name=caller_name,
        )
        call.hangup_after = hangup_after
        call.hangup_after_tracked = tracked
        call.gather_digits = gather_digits
        self.world.webhooks.emit(
            call,
            "call.initiated",
            direction="incoming",
            state="parked",
            caller_id_name=caller_name or from_,
            start_time=iso(call.start_time),
            connection_codecs="G722,PCMU,PCMA,G729,OPUS",
            offered_codecs="PCMU,PCMA,G722",
        )
        self.world.spawn_timer(
            call,
            "ring_out",
            ring_secs,
            lambda: self.end(call, "originator_cancel", "caller", sip="487"),
            tracked=False,
        )
        return call

    def answer(self, call: Call, body: dict[str, Any]) -> dict[str, Any]:
        if call.direction != "incoming":
            raise errors.answer_outbound()
        if call.answered:
            raise errors.unable("The call has already been answered.")
        self.world.apply_common(call, body)
        call.webhook_url = body.get("webhook_url") or call.webhook_url
        self._mark_answered(call)
        result: dict[str, Any] = {"result": "ok"}
        if body.get("record") == "record-from-answer":
            call.recording = self.world.recorder.new_call_recording(
                call, body.get("record_format") or "mp3", body.get("record_channels") or "dual"
            )
            result["recording_id"] = call.recording.id
        self.world.spawn_timer(
            call,
            "time_limit",
            14400,
            lambda: self.end(call, "time_limit", "unknown"),
            tracked=False,
        )
        if call.hangup_after is not None:
            self.world.spawn_timer(
                call,
                "remote_hangup",
                call.hangup_after,
                lambda: self.end(call, "normal_clearing", "caller"),
                tracked=call.hangup_after_tracked,
            )
        return result

    def reject(self, call: Call, body: dict[str, Any]) -> None:
        if call.direction != "incoming":
            raise errors.unable("Only incoming calls can be rejected.")
        if call.answered:
            raise errors.unable("The call has already been answered.")
        self.world.apply_common(call, body)
        if body["cause"] == "USER_BUSY":
            self.end(call, "user_busy", "callee", sip="486")
        else:
            self.end(call, "call_rejected", "callee", sip="603")

    def hangup(self, call: Call, body: dict[str, Any]) -> None:
        self.world.apply_common(call, body)
        if not call.answered and call.direction == "outgoing":
            self.end(call, "originator_cancel", "caller", sip="487")
        else:
            self.end(call, "normal_clearing", our_side(call))

    def remote_hangup(self, call: Call) -> None:
        """The far end hangs up (a caller giving up, a callee putting the phone down)."""
        if call.ended:
            return
        if not call.answered and call.direction == "incoming":
            self.end(call, "originator_cancel", "caller", sip="487")
        else:
            far = "callee" if call.direction == "outgoing" else "caller"
            self.end(call, "normal_clearing", far)

    def end(self, call: Call, cause: str, source: str, sip: str = "unspecified") -> None:
        """Hang up a leg and everything that hangs off it, with the webhooks in Telnyx order."""
        if call.ended:
            return
        self.world.cancel_timers(call)
        self.world.call_media.stop_activity(call, "call_hangup")
        if call.queue_name:
            self.world.queueing.dequeue(call, "hangup")
        if call.conference_id:
            self.world.conferencing.leave_conference(call)
        call.ended = True
        call.end_time = self.world.now()
        call.hangup_cause, call.hangup_source = cause, source
        answered = call.answered
        self.world.webhooks.emit(
            call,
            "call.hangup",
            state="hangup",
            hangup_cause=cause,
            hangup_source=source,
            sip_hangup_cause=sip,
            start_time=iso(call.start_time),
            call_quality_stats=self._quality_stats() if answered else None,
        )
        if call.recording is not None:
            self.world.recorder.save_call_recording(call)
        if call.streaming:
            call.streaming = False
        peer = self.world.calls.get(call.bridged_with or "")
        call.bridged_with = None
        if peer is not None:
            self.world.bridges.unbridged(peer)
        # a transfer still ringing for this leg is cancelled with it
        for leg in list(self.world.calls.values()):
            if leg.transfer_from == call.call_control_id and leg.alive and not leg.answered:
                self.end(leg, "originator_cancel", "caller", sip="487")

    def _quality_stats(self) -> dict[str, Any]:
        packets = self.world.rng.randint(500, 5000)
        return {
            "inbound": {
                "jitter_max_variance": f"{self.world.rng.uniform(0.5, 4):.2f}",
                "jitter_packet_count": "0",
                "mos": f"{self.world.rng.uniform(4.1, 4.5):.2f}",
                "packet_count": str(packets),
                "skip_packet_count": str(self.world.rng.randint(0, 20)),
            },
            "outbound": {"packet_count": str(packets), "skip_packet_count": "0"},
        }
