"""The simulated Telnyx cloud: the World that holds every leg, conference, queue and recording.

Commands arrive here already validated (shape) from ``app.py``; World checks the call's
state (90015/90018/90034...), changes it and emits the webhooks Telnyx documents for it.
Timers (ringing, talk time, playback length) run as tasks in simulated seconds.
World holds the shared state, timers and id lookups; the commands live in one named part per
subject, each a plain object that reaches the others through its ``world``:

- ``legs`` (calls.py): dial, inbound arrival, answer, reject, hangup
- ``bridges`` (bridges.py): transfer, refer, bridge, what a broken bridge does
- ``call_media`` (call_media.py): playback, speak, gather, streaming on one leg
- ``recorder`` (recordings.py): call and conference recordings
- ``queueing`` (queues.py): enqueue, leave, dequeue
- ``conferencing`` (conferences.py): conferences and their participants
- ``applications`` (applications.py): Call Control applications
- ``webhooks`` (events.py): the event envelopes and where they are delivered
- ``dedupe`` (dedupe.py): recent command_ids
"""

from __future__ import annotations

import random
from collections.abc import Coroutine
from datetime import datetime
from typing import Any

from . import errors
from .applications import ApplicationCommands
from .bridges import BridgeCommands
from .call_media import CallMediaCommands
from .calls import INBOUND_RING_SECS, CallLegCommands
from .clock import SimClock
from .conferences import ConferenceCommands
from .dedupe import CommandDedupe
from .delivery import Deliverer
from .entities import Activity, Application, Call, Conference, Queue, Recording
from .events import WebhookEmitter
from .queues import QueueCommands
from .recordings import RecordingCommands
from .tasks import Tracker

__all__ = ["INBOUND_RING_SECS", "STATUS_RETENTION", "World"]

STATUS_RETENTION = 600.0  # GET /calls/{id} works for 10 minutes after the call ended


class World:
    """The simulated account: its state, and the parts that command it (see the module doc)."""

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
        # Annotated because each part imports World back: a checker cannot infer across that.
        self.dedupe: CommandDedupe = CommandDedupe(clock)
        self.webhooks: WebhookEmitter = WebhookEmitter(self)
        self.applications: ApplicationCommands = ApplicationCommands(self)
        self.legs: CallLegCommands = CallLegCommands(self)
        self.bridges: BridgeCommands = BridgeCommands(self)
        self.call_media: CallMediaCommands = CallMediaCommands(self)
        self.recorder: RecordingCommands = RecordingCommands(self)
        self.queueing: QueueCommands = QueueCommands(self)
        self.conferencing: ConferenceCommands = ConferenceCommands(self)

    # --- timers ---------------------------------------------

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

    def take_activity(self, owner: Call | Conference) -> Activity | None:
        """Detach and cancel the owner's playback/speak; the caller emits its ``*.ended``."""
        activity = owner.activity
        if activity is None:
            return None
        owner.activity = None
        if activity.task is not None:
            activity.task.cancel()
        return activity

    def end_activity_after(
        self, owner: Call | Conference, activity: Activity, seconds: float, stop: Any
    ) -> None:
        """Call ``stop()`` after ``seconds`` unless another playback/speak replaced ``activity``."""

        async def finish() -> None:
            await self.clock.sleep(seconds)
            if owner.activity is activity:
                activity.task = None  # finished, not cancelled: nothing left to cancel
                stop()

        activity.task = self.tracker.spawn(finish())

    def apply_common(self, call: Call, body: dict[str, Any]) -> None:
        """What every call command does first: take the client_state it carries, if any."""
        if body.get("client_state") is not None:
            call.client_state = body["client_state"]

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
