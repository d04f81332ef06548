"""The simulated Telnyx cloud: call legs, bridges, conferences, queues, recordings and events.

Commands arrive here already validated (shape) from ``app.py``; this module checks the call's
state (90015/90018/90034...), changes it and emits the webhooks Telnyx documents for it.
Timers (ringing, talk time, playback length) run as tasks in simulated seconds.
"""

from __future__ import annotations

import random
from collections.abc import Coroutine
from datetime import datetime, timedelta
from typing import Any

from . import errors, phones
from .clock import SimClock, iso
from .delivery import Deliverer, Target
from .entities import (
    Activity,
    Application,
    Call,
    Conference,
    Participant,
    Queue,
    QueuedCall,
    Recording,
    new_call_control_id,
    new_numeric_id,
    new_uuid,
)
from .tasks import Tracker

COMMAND_ID_WINDOW = 60.0  # simulated seconds (docs: duplicates within 60 s are ignored)
STATUS_RETENTION = 600.0  # GET /calls/{id} works for 10 minutes after the call ended
INBOUND_RING_SECS = 30.0  # an unanswered inbound call rings out after this long
PLAYBACK_SECS = 3.0  # length of any audio file the simulator "plays"
CONFERENCE_LIFETIME = timedelta(hours=4)

# Conference events whose spec schema carries occurred_at inside payload, not in data.
PAYLOAD_OCCURRED_AT = {
    "conference.created",
    "conference.ended",
    "conference.floor.changed",
    "conference.participant.playback.started",
    "conference.participant.playback.ended",
    "conference.participant.speak.started",
    "conference.participant.speak.ended",
    "conference.playback.started",
    "conference.playback.ended",
    "conference.speak.started",
    "conference.speak.ended",
    "conference.recording.saved",
}
NO_CALL_IDS = {
    "conference.playback.started",
    "conference.playback.ended",
    "conference.speak.started",
    "conference.speak.ended",
}


class World:
    def __init__(
        self,
        *,
        clock: SimClock,
        deliverer: Deliverer,
        tracker: Tracker,
        rng: random.Random,
        media_base: str = "",
    ):
        self.clock = clock
        self.deliverer = deliverer
        self.tracker = tracker
        self.rng = rng
        self.media_base = media_base
        self.apps: dict[str, Application] = {}
        self.calls: dict[str, Call] = {}
        self.conferences: dict[str, Conference] = {}
        self.queues: dict[str, Queue] = {}
        self.recordings: dict[str, Recording] = {}
        self._commands: dict[tuple[str, str, str], tuple[float, Any]] = {}

    # --- helpers ---------------------------------------------

    def now(self) -> datetime:
        return self.clock.now()

    def spawn_timer(
        self, owner: Call | Conference, name: str, delay: float, coro_fn: Any, *, tracked=True
    ) -> None:
        """Run ``coro_fn()`` after ``delay`` simulated seconds unless cancelled first."""
        old = owner.timers.pop(name, None)
        if old is not None:
            old.cancel()

        async def runner() -> None:
            await self.clock.sleep(delay)
            owner.timers.pop(name, None)
            result = coro_fn()
            if isinstance(result, Coroutine):
                await result

        owner.timers[name] = self.tracker.spawn(runner(), tracked=tracked)

    def cancel_timers(self, owner: Call | Conference, *, keep: tuple[str, ...] = ()) -> None:
        for name in list(owner.timers):
            if name not in keep:
                owner.timers.pop(name).cancel()

    # command_id: "Telnyx will ignore any command with the same command_id for the same
    # call_control_id" (dial: any dial; conference commands: the same conference), 60 s window.

    def duplicate(self, scope: str, target: str, command_id: Any) -> Any | None:
        if not isinstance(command_id, str) or not command_id:
            return None
        seen = self._commands.get((scope, target, command_id))
        if seen is None:
            return None
        when, response = seen
        if self.clock.seconds() - when > COMMAND_ID_WINDOW:
            del self._commands[(scope, target, command_id)]
            return None
        return response

    def remember(self, scope: str, target: str, command_id: Any, response: Any) -> None:
        if isinstance(command_id, str) and command_id:
            self._commands[(scope, target, command_id)] = (self.clock.seconds(), response)

    # --- lookups ---------------------------------------------

    def app(self, connection_id: Any) -> Application:
        app = self.apps.get(connection_id) if isinstance(connection_id, str) else None
        if app is None or not app.fields.get("webhook_event_url"):
            raise errors.invalid_connection_id()
        return app

    def known_call(self, call_control_id: str, pointer: str = "/call_control_id") -> Call:
        """The call, alive or ended (ended calls are kept for STATUS_RETENTION)."""
        call = self.calls.get(call_control_id)
        if call is None:
            raise errors.invalid_call_control_id(pointer)
        if call.ended and call.end_time is not None:
            age = (self.now() - call.end_time).total_seconds()
            if age > STATUS_RETENTION:
                raise errors.invalid_call_control_id(pointer)
        return call

    def live_call(self, call_control_id: str, pointer: str = "/call_control_id") -> Call:
        call = self.known_call(call_control_id, pointer)
        if call.ended:
            raise errors.call_ended()
        return call

    def answered_call(self, call_control_id: str) -> Call:
        call = self.live_call(call_control_id)
        if not call.answered:
            raise errors.not_answered()
        return call

    def conference(self, conference_id: str, *, status: int = 404) -> Conference:
        conf = self.conferences.get(conference_id)
        if conf is None:
            raise errors.conference_not_found(status)
        return conf

    def live_conference(self, conference_id: str, *, status: int = 404) -> Conference:
        conf = self.conference(conference_id, status=status)
        if conf.ended:
            raise errors.conference_ended()
        return conf

    # --- events ---------------------------------------------

    def target_for(self, call: Call | None, connection_id: str) -> Target:
        app = self.apps.get(connection_id)
        fields = app.fields if app else {}
        url = (call.webhook_url if call else None) or fields.get("webhook_event_url")
        failover = (call.webhook_failover_url if call else None) or fields.get(
            "webhook_event_failover_url"
        )
        return Target(
            url=url,
            failover_url=failover or None,
            api_version=str(fields.get("webhook_api_version", "2")),
            timeout=fields.get("webhook_timeout_secs") or None,
        )

    def _submit(
        self, key: str, data: dict[str, Any], call: Call | None, connection_id: str
    ) -> None:
        self.deliverer.submit(key, data, lambda: self.target_for(call, connection_id))

    def common(self, call: Call) -> dict[str, Any]:
        return {
            "call_control_id": call.call_control_id,
            "call_leg_id": call.call_leg_id,
            "call_session_id": call.call_session_id,
            "connection_id": call.connection_id,
            "client_state": call.client_state,
        }

    def emit(self, call: Call, event_type: str, **fields: Any) -> dict[str, Any]:
        payload = self.common(call)
        payload.update({"from": call.from_, "to": call.to})
        payload.update({k.rstrip("_"): v for k, v in fields.items() if v is not None})
        data = {
            "record_type": "event",
            "event_type": event_type,
            "id": new_uuid(),
            "occurred_at": iso(self.now()),
            "payload": payload,
        }
        self._submit(call.call_control_id, data, call, call.connection_id)
        return data

    def emit_conf(
        self, conf: Conference, event_type: str, call: Call | None = None, **fields: Any
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {"connection_id": conf.connection_id}
        if call is not None and event_type not in NO_CALL_IDS:
            payload.update(self.common(call))
        payload["conference_id"] = conf.id
        payload.update({k: v for k, v in fields.items() if v is not None})
        data: dict[str, Any] = {"record_type": "event", "event_type": event_type, "id": new_uuid()}
        occurred = iso(self.now())
        if event_type in PAYLOAD_OCCURRED_AT:
            payload["occurred_at"] = occurred
        else:
            data["occurred_at"] = occurred
        data["payload"] = payload
        key = call.call_control_id if call is not None else conf.id
        self._submit(key, data, call, conf.connection_id)
        return data

    # --- applications ---------------------------------------------

    def create_app(self, fields: dict[str, Any]) -> Application:
        now = self.now()
        defaults: dict[str, Any] = {
            "active": True,
            "anchorsite_override": "Latency",
            "call_cost_in_webhooks": False,
            "dtmf_type": "RFC 2833",
            "first_command_timeout": False,
            "first_command_timeout_secs": 30,
            "inbound": {
                "channel_limit": None,
                "shaken_stir_enabled": False,
                "sip_subdomain": None,
                "sip_subdomain_receive_settings": "from_anyone",
            },
            "outbound": {"channel_limit": None, "outbound_voice_profile_id": None},
            "redact_dtmf_debug_logging": False,
            "tags": [],
            "webhook_api_version": "1",  # the spec's default; the console must ask for "2"
            "webhook_event_failover_url": "",
            "webhook_timeout_secs": None,
        }
        defaults.update(fields)
        # inbound/outbound objects in the spec have non-nullable types; drop None members
        for key in ("inbound", "outbound"):
            defaults[key] = {k: v for k, v in defaults[key].items() if v is not None}
        app = Application(new_numeric_id(), defaults, now, now)
        self.apps[app.id] = app
        return app

    def update_app(self, app: Application, fields: dict[str, Any]) -> Application:
        for key in ("inbound", "outbound"):
            if isinstance(fields.get(key), dict):
                merged = {**app.fields.get(key, {}), **fields.pop(key)}
                app.fields[key] = {k: v for k, v in merged.items() if v is not None}
        app.fields.update(fields)
        app.updated_at = self.now()
        return app

    # --- call legs ---------------------------------------------

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
            start_time=self.now(),
            caller_name=caller_name,
            client_state=client_state,
        )
        self.calls[call.call_control_id] = call
        return call

    def dial(self, body: dict[str, Any], destinations: list[str]) -> Call:
        app = self.app(body["connection_id"])
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
        self.emit(
            call,
            "call.initiated",
            direction="outgoing",
            state="bridging",
            caller_id_name=call.caller_name or call.from_,
            start_time=iso(call.start_time),
        )
        self._ring_outbound(call, int(body.get("timeout_secs") or 30))
        limit = body.get("time_limit_secs") or 14400
        self.spawn_timer(
            call,
            "time_limit",
            limit,
            lambda: self.end(call, "time_limit", "unknown"),
            tracked=False,
        )
        if body.get("record") == "record-from-answer":
            call.recording = self._new_call_recording(
                call, body.get("record_format") or "mp3", body.get("record_channels") or "dual"
            )
        return call

    def _ring_outbound(self, call: Call, timeout_secs: int) -> None:
        outcome = phones.resolve(call.to)
        call.outcome = outcome
        if outcome.kind == "no_answer" or (outcome.answers and outcome.ring_secs >= timeout_secs):
            self.spawn_timer(
                call,
                "ring",
                timeout_secs,
                lambda: self.end(call, "timeout", "caller", sip="unspecified"),
            )
        elif outcome.answers:
            self.spawn_timer(call, "ring", outcome.ring_secs, lambda: self._remote_answer(call))
        else:
            cause, source = phones.FAILURE_CAUSES[outcome.kind]
            self.spawn_timer(
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
            call.recording.started_at = call.answered_at or self.now()
        original = self.calls.get(call.transfer_from or "")
        if original is not None and original.alive:
            self._complete_transfer(original, call)
        if call.outcome is not None and call.outcome.hangup_after is not None:
            self.spawn_timer(
                call,
                "remote_hangup",
                call.outcome.hangup_after,
                lambda: self.end(call, "normal_clearing", "callee"),
            )

    def _mark_answered(self, call: Call) -> None:
        call.answered = True
        call.answered_at = self.now()
        self.cancel_timers(call, keep=("time_limit",))
        self.emit(call, "call.answered", state="answered", start_time=iso(call.start_time))

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
        self.emit(
            call,
            "call.initiated",
            direction="incoming",
            state="parked",
            caller_id_name=caller_name or from_,
            start_time=iso(call.start_time),
            connection_codecs="G722,PCMU,PCMA,G729,OPUS",
            offered_codecs="PCMU,PCMA,G722",
        )
        self.spawn_timer(
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
        self._apply_common(call, body)
        call.webhook_url = body.get("webhook_url") or call.webhook_url
        self._mark_answered(call)
        result: dict[str, Any] = {"result": "ok"}
        if body.get("record") == "record-from-answer":
            call.recording = self._new_call_recording(
                call, body.get("record_format") or "mp3", body.get("record_channels") or "dual"
            )
            result["recording_id"] = call.recording.id
        self.spawn_timer(
            call,
            "time_limit",
            14400,
            lambda: self.end(call, "time_limit", "unknown"),
            tracked=False,
        )
        if call.hangup_after is not None:
            self.spawn_timer(
                call,
                "remote_hangup",
                call.hangup_after,
                lambda: self.end(call, "normal_clearing", "caller"),
                tracked=call.hangup_after_tracked,
            )
        return result

    def _apply_common(self, call: Call, body: dict[str, Any]) -> None:
        if body.get("client_state") is not None:
            call.client_state = body["client_state"]

    def reject(self, call: Call, body: dict[str, Any]) -> None:
        if call.direction != "incoming":
            raise errors.unable("Only incoming calls can be rejected.")
        if call.answered:
            raise errors.unable("The call has already been answered.")
        self._apply_common(call, body)
        if body["cause"] == "USER_BUSY":
            self.end(call, "user_busy", "callee", sip="486")
        else:
            self.end(call, "call_rejected", "callee", sip="603")

    def hangup(self, call: Call, body: dict[str, Any]) -> None:
        self._apply_common(call, body)
        if not call.answered and call.direction == "outgoing":
            self.end(call, "originator_cancel", "caller", sip="487")
        else:
            self.end(call, "normal_clearing", self._our_side(call))

    @staticmethod
    def _our_side(call: Call) -> str:
        # The API speaks for the Telnyx side of the leg: the caller of an outgoing leg,
        # the callee of an incoming one.
        return "caller" if call.direction == "outgoing" else "callee"

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
        self.cancel_timers(call)
        self._stop_activity(call, "call_hangup")
        if call.queue_name:
            self._dequeue(call, "hangup")
        if call.conference_id:
            self._leave_conference(call, hung_up=True)
        call.ended = True
        call.end_time = self.now()
        call.hangup_cause, call.hangup_source = cause, source
        answered = call.answered
        self.emit(
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
            self._save_call_recording(call)
        if call.streaming:
            call.streaming = False
        peer = self.calls.get(call.bridged_with or "")
        call.bridged_with = None
        if peer is not None:
            self._unbridged(peer)
        # a transfer still ringing for this leg is cancelled with it
        for leg in list(self.calls.values()):
            if leg.transfer_from == call.call_control_id and leg.alive and not leg.answered:
                self.end(leg, "originator_cancel", "caller", sip="487")

    def _quality_stats(self) -> dict[str, Any]:
        packets = self.rng.randint(500, 5000)
        return {
            "inbound": {
                "jitter_max_variance": f"{self.rng.uniform(0.5, 4):.2f}",
                "jitter_packet_count": "0",
                "mos": f"{self.rng.uniform(4.1, 4.5):.2f}",
                "packet_count": str(packets),
                "skip_packet_count": str(self.rng.randint(0, 20)),
            },
            "outbound": {"packet_count": str(packets), "skip_packet_count": "0"},
        }

    def _unbridged(self, peer: Call) -> None:
        """The other side of a bridge went away: park, hold or hang up (the default)."""
        peer.bridged_with = None
        if peer.ended:
            return
        if peer.park_after_unbridge:
            return
        if peer.hold_after_unbridge:
            peer.on_hold = True
            return
        self.end(peer, "normal_clearing", self._our_side(peer))

    def _detach(self, call: Call, dequeue_reason: str = "bridged") -> None:
        """Take a leg out of its queue, conference or bridge before it is bridged elsewhere."""
        if call.queue_name:
            self._dequeue(call, dequeue_reason)
        if call.conference_id:
            self._leave_conference(call)
        if call.bridged_with:
            peer = self.calls.get(call.bridged_with)
            call.bridged_with = None
            if peer is not None:
                self._unbridged(peer)
        call.on_hold = False

    # --- transfer and bridge ---------------------------------------------

    def transfer(self, call: Call, body: dict[str, Any]) -> Call:
        if not call.answered and call.direction == "outgoing":
            raise errors.not_answered()
        self._apply_common(call, body)
        leg = self.new_call(
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
        self.emit(
            leg,
            "call.initiated",
            direction="outgoing",
            state="bridging",
            caller_id_name=leg.caller_name or leg.from_,
            start_time=iso(leg.start_time),
        )
        self._ring_outbound(leg, int(body.get("timeout_secs") or 30))
        return leg

    def _complete_transfer(self, original: Call, leg: Call) -> None:
        self._detach(original)
        if not original.answered:
            original.answered = True  # the transfer answers a parked inbound call
            original.answered_at = self.now()
        original.park_after_unbridge = original.transfer_park_after_unbridge
        self._link(original, leg)

    def _link(self, a: Call, b: Call) -> None:
        a.bridged_with, b.bridged_with = b.call_control_id, a.call_control_id
        a.on_hold = b.on_hold = False
        self.emit(a, "call.bridged")
        self.emit(b, "call.bridged")

    def bridge(self, call: Call, body: dict[str, Any]) -> None:
        if not call.answered:
            raise errors.not_answered()
        if body.get("queue"):
            queue = self.queues.get(body["queue"])
            if queue is None or not queue.calls:
                raise errors.unable("The queue is empty or does not exist.", pointer="/queue")
            other = self.live_call(queue.calls[0].call_control_id)
        else:
            other = self.live_call(body["call_control_id"], "/call_control_id")
        if other is call:
            raise errors.unable("A call cannot be bridged with itself.", pointer="/call_control_id")
        if not other.answered:
            raise errors.not_answered()
        if body.get("prevent_double_bridge") and other.bridged_with:
            raise errors.unable("The target call is already bridged.", pointer="/call_control_id")
        self._apply_common(call, body)
        self._detach(other)
        self._detach(call)
        call.park_after_unbridge = body.get("park_after_unbridge") == "self"
        call.hold_after_unbridge = bool(body.get("hold_after_unbridge"))
        self._link(call, other)

    # --- media on a call ---------------------------------------------

    def _stop_activity(self, call: Call, status: str) -> None:
        activity = call.activity
        if activity is None:
            return
        call.activity = None
        if activity.task is not None:
            activity.task.cancel()
        if activity.kind == "speak":
            self.emit(
                call, "call.speak.ended", status="completed" if status == "cancelled" else status
            )
        else:
            self.emit(
                call,
                "call.playback.ended",
                media_url=activity.media_url,
                media_name=activity.media_name,
                overlay=activity.overlay,
                status=status,
            )

    def playback_start(self, call: Call, body: dict[str, Any], loops: int | None) -> None:
        self._apply_common(call, body)
        self._stop_activity(call, "cancelled")
        media_url = body.get("audio_url")
        if media_url is None and body.get("playback_content"):
            media_url = "data:audio"  # inline base64 audio has no URL
        activity = Activity(
            "playback", media_url, body.get("media_name"), bool(body.get("overlay"))
        )
        call.activity = activity
        self.emit(
            call,
            "call.playback.started",
            media_url=activity.media_url,
            media_name=activity.media_name,
            overlay=activity.overlay,
        )
        if loops is not None:

            async def finish() -> None:
                await self.clock.sleep(PLAYBACK_SECS * loops)
                if call.activity is activity:
                    activity.task = None
                    self._stop_activity(call, "completed")

            activity.task = self.tracker.spawn(finish())

    def playback_stop(self, call: Call, body: dict[str, Any]) -> None:
        self._apply_common(call, body)
        self._stop_activity(call, "cancelled")

    def speak(self, call: Call, body: dict[str, Any]) -> None:
        self._apply_common(call, body)
        self._stop_activity(call, "cancelled")
        activity = Activity("speak")
        call.activity = activity
        self.emit(call, "call.speak.started")
        seconds = max(1.0, 0.06 * len(str(body["payload"])))

        async def finish() -> None:
            await self.clock.sleep(seconds)
            if call.activity is activity:
                activity.task = None
                self._stop_activity(call, "completed")

        activity.task = self.tracker.spawn(finish())

    def gather_using_audio(self, call: Call, body: dict[str, Any]) -> None:
        self._apply_common(call, body)
        self._stop_activity(call, "cancelled")
        media_url, media_name = body.get("audio_url"), body.get("media_name")
        valid = body.get("valid_digits") or "0123456789#*"
        maximum = body.get("maximum_digits") or 128
        minimum = body.get("minimum_digits") or 1
        terminator = body.get("terminating_digit") or "#"
        pressed = call.gather_digits

        async def run() -> None:
            if media_url or media_name:
                activity = Activity("playback", media_url, media_name)
                call.activity = activity
                self.emit(call, "call.playback.started", media_url=media_url, media_name=media_name)
                await self.clock.sleep(PLAYBACK_SECS)
                if call.activity is not activity or call.ended:
                    return
                call.activity = None
                self.emit(
                    call,
                    "call.playback.ended",
                    media_url=media_url,
                    media_name=media_name,
                    status="completed",
                )
            digits = ""
            for digit in pressed:
                await self.clock.sleep(0.3)
                if call.ended:
                    return
                self.emit(call, "call.dtmf.received", digit=digit)
                if digit == terminator:
                    break
                digits += digit
                if len(digits) >= maximum:
                    break
            ok = minimum <= len(digits) <= maximum and all(d in valid for d in digits)
            status = "valid" if ok else ("timeout" if not digits else "invalid")
            self.emit(call, "call.gather.ended", digits=digits, status=status)

        call.timers["gather"] = self.tracker.spawn(run())

    def refer(self, call: Call, body: dict[str, Any]) -> None:
        self._apply_common(call, body)
        self.emit(call, "call.refer.started", sip_notify_response=100)
        self.spawn_timer(
            call,
            "refer",
            1.0,
            lambda: self.emit(call, "call.refer.completed", sip_notify_response=200),
        )

    def streaming_start(self, call: Call, body: dict[str, Any]) -> None:
        self._apply_common(call, body)
        call.streaming = True
        self.emit(call, "streaming.started", stream_url=body.get("stream_url") or "")

    def streaming_stop(self, call: Call, body: dict[str, Any]) -> None:
        self._apply_common(call, body)
        if call.streaming:
            call.streaming = False
            self.emit(call, "streaming.stopped", stream_url="")

    # --- recordings ---------------------------------------------

    def _new_call_recording(self, call: Call, fmt: str, channels: str) -> Recording:
        return Recording(
            id=new_uuid(),
            source="call",
            format=fmt,
            channels=channels,
            started_at=self.now(),
            connection_id=call.connection_id,
            call_control_id=call.call_control_id,
            call_leg_id=call.call_leg_id,
            call_session_id=call.call_session_id,
            from_=call.from_,
            to=call.to,
        )

    def record_start(self, call: Call, body: dict[str, Any]) -> None:
        if call.recording is not None:
            raise errors.unable("A recording is already in progress on this call.")
        self._apply_common(call, body)
        call.recording = self._new_call_recording(call, body["format"], body["channels"])

    def _recording_of(self, holder: Call | Conference, recording_id: Any) -> Recording:
        recording = holder.recording
        if recording is None:
            raise errors.unable("There is no recording in progress.")
        if recording_id and recording_id != recording.id:
            raise errors.unable("No such recording in progress.", pointer="/recording_id")
        return recording

    def record_stop(self, call: Call, body: dict[str, Any]) -> None:
        self._recording_of(call, body.get("recording_id"))
        self._apply_common(call, body)
        self._save_call_recording(call)

    def record_pause(self, holder: Call | Conference, body: dict[str, Any]) -> None:
        recording = self._recording_of(holder, body.get("recording_id"))
        if recording.paused_since is None:
            recording.paused_since = self.now()

    def record_resume(self, holder: Call | Conference, body: dict[str, Any]) -> None:
        recording = self._recording_of(holder, body.get("recording_id"))
        if recording.paused_since is not None:
            recording.paused_secs += (self.now() - recording.paused_since).total_seconds()
            recording.paused_since = None

    def _finish(self, recording: Recording) -> None:
        recording.ended_at = self.now()
        if recording.paused_since is not None:
            recording.paused_secs += (recording.ended_at - recording.paused_since).total_seconds()
            recording.paused_since = None
        self.recordings[recording.id] = recording

    def _save_call_recording(self, call: Call) -> None:
        recording = call.recording
        if recording is None:
            return
        call.recording = None
        if not call.answered:
            return  # nothing was recorded on a call that never had audio
        self._finish(recording)
        recording.client_state = call.client_state
        urls = recording.urls(self.media_base)
        self.emit(
            call,
            "call.recording.saved",
            recording_id=recording.id,
            format=recording.format,
            channels=recording.channels,
            recording_started_at=iso(recording.started_at),
            recording_ended_at=iso(recording.ended_at or recording.started_at),
            start_time=iso(recording.started_at),
            end_time=iso(recording.ended_at or recording.started_at),
            recording_urls=urls,
            public_recording_urls=urls,
        )

    # --- queues ---------------------------------------------

    def create_queue(self, name: str, max_size: int) -> Queue:
        now = self.now()
        queue = Queue(new_uuid(), name, max_size, now, now)
        self.queues[name] = queue
        return queue

    def enqueue(self, call: Call, body: dict[str, Any]) -> None:
        name = body["queue_name"]
        if call.queue_name == name:
            raise errors.already_in_queue()
        if call.queue_name:
            raise errors.already_in_queue()
        queue = self.queues.get(name) or self.create_queue(name, int(body.get("max_size") or 100))
        if len(queue.calls) >= queue.max_size:
            raise errors.queue_full(name)
        self._apply_common(call, body)
        self._detach(call)
        average = queue.average_wait(self.now())
        queued = QueuedCall(call.call_control_id, self.now(), bool(body.get("keep_after_hangup")))
        queue.calls.append(queued)
        call.queue_name = name
        self.emit(
            call,
            "call.enqueued",
            queue=name,
            current_position=len(queue.calls),
            queue_avg_wait_time_secs=average,
        )
        if body.get("max_wait_time_secs"):
            self.spawn_timer(
                call,
                "queue_timeout",
                body["max_wait_time_secs"],
                lambda: self._dequeue(call, "timeout") if call.queue_name == name else None,
                tracked=False,
            )

    def leave_queue(self, call: Call, body: dict[str, Any]) -> None:
        if not call.queue_name:
            raise errors.not_in_queue()
        self._apply_common(call, body)
        self._dequeue(call, "leave")

    def _dequeue(self, call: Call, reason: str) -> None:
        queue = self.queues.get(call.queue_name or "")
        call.queue_name = None
        timer = call.timers.pop("queue_timeout", None)
        if timer is not None:
            timer.cancel()
        if queue is None:
            return
        position = queue.position(call.call_control_id) or 0
        entry = queue.calls[position - 1] if position else None
        if entry is not None:
            queue.calls.remove(entry)
        waited = int((self.now() - entry.enqueued_at).total_seconds()) if entry else 0
        self.emit(
            call,
            "call.dequeued",
            queue=queue.name,
            queue_position=position,
            reason=reason,
            wait_time_secs=waited,
        )

    # --- conferences ---------------------------------------------

    def create_conference(self, call: Call, body: dict[str, Any]) -> Conference:
        name = body["name"]
        for other in self.conferences.values():
            if other.name == name and not other.ended:
                raise errors.conference_name_taken()
        if call.conference_id:
            raise errors.join_not_allowed("The call is already in a conference.")
        now = self.now()
        minutes = body.get("duration_minutes")
        conf = Conference(
            id=new_uuid(),
            name=name,
            connection_id=call.connection_id,
            created_at=now,
            expires_at=now + (timedelta(minutes=minutes) if minutes else CONFERENCE_LIFETIME),
            creator_call_control_id=call.call_control_id,
            creator_call_session_id=call.call_session_id,
            region=body.get("region"),
            max_participants=body.get("max_participants"),
        )
        if body.get("start_conference_on_create") is False:
            conf.status = "init"
        self.conferences[conf.id] = conf
        self._apply_common(call, body)
        self._detach(call)
        self.emit_conf(conf, "conference.created", call)
        self._add_participant(conf, call, {})
        if minutes:
            self.spawn_timer(
                conf,
                "duration",
                minutes * 60,
                lambda: self.end_conference(conf, "time_exceeded"),
                tracked=False,
            )
        return conf

    def join(self, conf: Conference, call: Call, body: dict[str, Any]) -> None:
        existing = conf.participants.get(call.call_control_id)
        if existing is not None and existing.status == "joined":
            raise errors.join_not_allowed("The call is already a participant of this conference.")
        if call.conference_id:
            raise errors.join_not_allowed("The call is already in another conference.")
        if conf.max_participants and len(conf.joined()) >= conf.max_participants:
            raise errors.TelnyxError(
                422,
                "90032",
                "Maximum number of participants reached",
                f"The maximum allowed value of `max_participants` has been reached at "
                f"{conf.max_participants}.",
            )
        self._apply_common(call, body)
        self._detach(call)
        self._add_participant(conf, call, body)

    def _add_participant(self, conf: Conference, call: Call, body: dict[str, Any]) -> None:
        now = self.now()
        participant = Participant(
            id=new_uuid(),
            call_control_id=call.call_control_id,
            call_leg_id=call.call_leg_id,
            conference_id=conf.id,
            created_at=now,
            updated_at=now,
            muted=bool(body.get("mute")),
            on_hold=bool(body.get("hold")),
            end_conference_on_exit=bool(body.get("end_conference_on_exit")),
            soft_end_conference_on_exit=bool(body.get("soft_end_conference_on_exit")),
            whisper_call_control_ids=list(body.get("whisper_call_control_ids") or []),
            supervisor_role=body.get("supervisor_role") or "none",
            beep_enabled=body.get("beep_enabled"),
        )
        if conf.status == "init":
            if body.get("start_conference_on_enter"):
                conf.status = "in_progress"
                for other in conf.joined():
                    if other.held_for_start:
                        other.on_hold = other.held_for_start = False
                        other.updated_at = now
            else:
                # "If the conference isn't started all participants that join are put on hold"
                participant.on_hold = participant.held_for_start = True
        conf.participants[call.call_control_id] = participant
        conf.updated_at = now
        call.conference_id = conf.id
        self.emit_conf(conf, "conference.participant.joined", call)

    def leave(self, conf: Conference, call: Call, body: dict[str, Any]) -> None:
        participant = conf.participants.get(call.call_control_id)
        if participant is None or participant.status != "joined":
            raise errors.unable("The call is not a participant of this conference.")
        self._leave_conference(call)

    def _leave_conference(self, call: Call, *, hung_up: bool = False) -> None:
        conf = self.conferences.get(call.conference_id or "")
        call.conference_id = None
        if conf is None:
            return
        participant = conf.participants.get(call.call_control_id)
        if participant is None or participant.status != "joined":
            return
        participant.status = "left"
        participant.updated_at = conf.updated_at = self.now()
        self.emit_conf(conf, "conference.participant.left", call)
        if conf.ended:
            return
        if participant.end_conference_on_exit:
            self.end_conference(conf, "host_left", hang_up=True, by=call)
        elif participant.soft_end_conference_on_exit:
            self.end_conference(conf, "host_left", by=call)
        elif not conf.joined():
            self.end_conference(conf, "all_left")

    def end_conference(
        self, conf: Conference, reason: str, *, hang_up: bool = False, by: Call | None = None
    ) -> None:
        if conf.ended:
            return
        conf.status = "completed"  # set first so leaving participants don't end it again
        conf.end_reason = reason
        if by is not None:
            conf.ended_by = {
                "call_control_id": by.call_control_id,
                "call_session_id": by.call_session_id,
            }
        self.cancel_timers(conf)
        self._stop_conf_activity(conf)
        if conf.recording is not None:
            self._save_conf_recording(conf)
        for participant in conf.joined():
            call = self.calls[participant.call_control_id]
            if hang_up:
                self.end(call, "normal_clearing", self._our_side(call))
            else:
                self._leave_conference(call)  # "leave" returns the leg to parked
        conf.updated_at = self.now()
        # The webhook's reason enum has no ended_via_api: the API end reports all_left
        # there while the REST resource says ended_via_api.
        webhook_reason = "all_left" if reason == "ended_via_api" else reason
        creator = self.calls.get(conf.creator_call_control_id)
        self.emit_conf(conf, "conference.ended", creator, reason=webhook_reason)

    def _targets(self, conf: Conference, ids: list[str] | None) -> list[Participant]:
        if not ids:
            return conf.joined()  # "When empty all participants will be ..." (spec)
        chosen = []
        for index, ccid in enumerate(ids):
            participant = conf.participants.get(ccid)
            if participant is None or participant.status != "joined":
                raise errors.invalid_call_control_id(f"/call_control_ids/{index}")
            chosen.append(participant)
        return chosen

    def set_flag(self, conf: Conference, ids: list[str] | None, flag: str, value: bool) -> None:
        now = self.now()
        for participant in self._targets(conf, ids):
            setattr(participant, flag, value)
            if flag == "on_hold":
                participant.held_for_start = False
            participant.updated_at = now

    def conference_record_start(self, conf: Conference, body: dict[str, Any]) -> None:
        if conf.recording is not None:
            raise errors.unable("A recording is already in progress on this conference.")
        creator = self.calls.get(conf.creator_call_control_id)
        conf.recording = Recording(
            id=new_uuid(),
            source="conference",
            format=body["format"],
            channels=body.get("channels") or "single",
            started_at=self.now(),
            connection_id=conf.connection_id,
            conference_id=conf.id,
            call_control_id=conf.creator_call_control_id,
            call_session_id=conf.creator_call_session_id,
            call_leg_id=creator.call_leg_id if creator else None,
            initiated_by="StartConferenceRecordingAPI",
        )

    def conference_record_stop(self, conf: Conference, body: dict[str, Any]) -> None:
        self._recording_of(conf, body.get("recording_id"))
        self._save_conf_recording(conf)

    def _save_conf_recording(self, conf: Conference) -> None:
        recording = conf.recording
        if recording is None:
            return
        conf.recording = None
        self._finish(recording)
        urls = recording.urls(self.media_base)
        creator = self.calls.get(conf.creator_call_control_id)
        self.emit_conf(
            conf,
            "conference.recording.saved",
            creator,
            recording_id=recording.id,
            format=recording.format,
            channels=recording.channels,
            recording_started_at=iso(recording.started_at),
            recording_ended_at=iso(recording.ended_at or recording.started_at),
            recording_urls=urls,
            public_recording_urls=urls,
        )

    def _stop_conf_activity(self, conf: Conference) -> None:
        activity = conf.activity
        if activity is None:
            return
        conf.activity = None
        if activity.task is not None:
            activity.task.cancel()
        kind = "speak" if activity.kind == "speak" else "playback"
        fields: dict[str, Any] = {"creator_call_session_id": conf.creator_call_session_id}
        if kind == "playback":
            fields.update(media_url=activity.media_url, media_name=activity.media_name)
        self.emit_conf(conf, f"conference.{kind}.ended", **fields)

    def conference_media(
        self, conf: Conference, kind: str, body: dict[str, Any], loops: int | None
    ):
        self._stop_conf_activity(conf)
        activity = Activity(kind, body.get("audio_url"), body.get("media_name"))
        conf.activity = activity
        fields: dict[str, Any] = {"creator_call_session_id": conf.creator_call_session_id}
        if kind == "playback":
            fields.update(media_url=activity.media_url, media_name=activity.media_name)
            seconds = None if loops is None else PLAYBACK_SECS * loops
        else:
            seconds = max(1.0, 0.06 * len(str(body.get("payload", ""))))
        self.emit_conf(conf, f"conference.{kind}.started", **fields)
        if seconds is not None:

            async def finish() -> None:
                await self.clock.sleep(seconds)
                if conf.activity is activity:
                    activity.task = None
                    self._stop_conf_activity(conf)

            activity.task = self.tracker.spawn(finish())

    def conference_stop(self, conf: Conference) -> None:
        self._stop_conf_activity(conf)

    # --- truth ---------------------------------------------

    def truth(self) -> dict[str, Any]:
        now = self.now()
        calls = {}
        for call in self.calls.values():
            if call.ended:
                continue
            calls[call.call_control_id] = {
                "state": call.state(),
                "direction": call.direction,
                "from": call.from_,
                "to": call.to,
                "caller_name": call.caller_name,
                "answered": call.answered,
                "bridged_with": call.bridged_with,
                "conference_id": call.conference_id,
                "queue": call.queue_name,
                "recording": call.recording is not None,
                "on_hold": call.on_hold,
                "client_state": call.client_state,
                "call_session_id": call.call_session_id,
                "duration_secs": call.duration_secs(now),
            }
        conferences = {}
        for conf in self.conferences.values():
            conferences[conf.id] = {
                "name": conf.name,
                "status": conf.status,
                "end_reason": conf.end_reason,
                "recording": conf.recording is not None,
                "participants": {
                    p.call_control_id: {"muted": p.muted, "on_hold": p.on_hold, "status": p.status}
                    for p in conf.participants.values()
                },
            }
        return {
            "calls": calls,
            "ended_calls": {
                c.call_control_id: {
                    "hangup_cause": c.hangup_cause,
                    "hangup_source": c.hangup_source,
                }
                for c in self.calls.values()
                if c.ended
            },
            "conferences": conferences,
            "queues": {
                name: [q.call_control_id for q in queue.calls]
                for name, queue in self.queues.items()
            },
            "recordings": sorted(self.recordings),
            "applications": {
                app.id: app.fields.get("webhook_event_url") for app in self.apps.values()
            },
        }
