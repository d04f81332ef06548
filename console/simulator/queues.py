"""Call queues: enqueue, leave and dequeue with their position and wait times."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import errors
from .entities import Call, Queue, QueuedCall, new_uuid

if TYPE_CHECKING:
    from .world import World


class QueueCommands:
    """Queue commands: the World's ``queueing`` part."""

    def __init__(self, world: World) -> None:
        self.world = world

    def create_queue(self, name: str, max_size: int) -> Queue:
        now = self.world.now()
        queue = Queue(new_uuid(), name, max_size, now, now)
        self.world.queues[name] = queue
        return queue

    def enqueue(self, call: Call, body: dict[str, Any]) -> None:
        name = body["queue_name"]
        if call.queue_name == name:
            raise errors.already_in_queue()
        if call.queue_name:
            raise errors.already_in_queue()
        queue = self.world.queues.get(name) or self.create_queue(
            name, int(body.get("max_size") or 100)
        )
        if len(queue.calls) >= queue.max_size:
            raise errors.queue_full(name)
        self.world.apply_common(call, body)
        self.world.bridges.detach(call)
        average = queue.average_wait(self.world.now())
        queued = QueuedCall(
            call.call_control_id, self.world.now(), bool(body.get("keep_after_hangup"))
        )
        queue.calls.append(queued)
        call.queue_name = name
        self.world.webhooks.emit(
            call,
            "call.enqueued",
            queue=name,
            current_position=len(queue.calls),
            queue_avg_wait_time_secs=average,
        )
        if body.get("max_wait_time_secs"):
            self.world.spawn_timer(
                call,
                "queue_timeout",
                body["max_wait_time_secs"],
                lambda: self.dequeue(call, "timeout") if call.queue_name == name else None,
                tracked=False,
            )

    def leave_queue(self, call: Call, body: dict[str, Any]) -> None:
        if not call.queue_name:
            raise errors.not_in_queue()
        self.world.apply_common(call, body)
        self.dequeue(call, "leave")

    def dequeue(self, call: Call, reason: str) -> None:
        queue = self.world.queues.get(call.queue_name or "")
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
        waited = int((self.world.now() - entry.enqueued_at).total_seconds()) if entry else 0
        self.world.webhooks.emit(
            call,
            "call.dequeued",
            queue=queue.name,
            queue_position=position,
            reason=reason,
            wait_time_secs=waited,
        )
