"""The simulator's /v2/queues routes: the queues and the calls waiting in them.

Apart from ``app.py`` so each resource family of the API reads on its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import errors, validation
from .clock import iso
from .pagination import page_numbers
from .rest import ok, read_json, sim_of

if TYPE_CHECKING:
    from .simulator import TelnyxSimulator


def _queue(request: web.Request):
    queue = sim_of(request).world.queues.get(request.match_info["queue_name"])
    if queue is None:
        raise errors.not_found("The queue does not exist.")
    return queue


def _queue_call(sim: TelnyxSimulator, queue, ccid: str) -> dict[str, Any]:
    now = sim.world.now()
    position = queue.position(ccid)
    entry = queue.calls[position - 1]
    call = sim.world.calls[ccid]
    return {
        "record_type": "queue_call",
        "call_control_id": call.call_control_id,
        "call_leg_id": call.call_leg_id,
        "call_session_id": call.call_session_id,
        "connection_id": call.connection_id,
        "from": call.from_,
        "to": call.to,
        "enqueued_at": iso(entry.enqueued_at),
        "is_alive": call.alive,
        "queue_id": queue.id,
        "queue_position": position,
        "wait_time_secs": int((now - entry.enqueued_at).total_seconds()),
    }


async def list_queues(request: web.Request) -> web.Response:
    sim = sim_of(request)
    now = sim.world.now()
    queues = sorted(sim.world.queues.values(), key=lambda q: q.created_at)
    page, meta = page_numbers(request, queues)
    return ok([q.to_api(now) for q in page], meta=meta)


async def create_queue(request: web.Request) -> web.Response:
    sim = sim_of(request)
    body = validation.check("CreateQueueRequest", await read_json(request))
    if body["queue_name"] in sim.world.queues:
        raise errors.TelnyxError(
            422, "10015", "Bad Request", "A queue with this name exists.", pointer="/queue_name"
        )
    queue = sim.world.queueing.create_queue(body["queue_name"], int(body.get("max_size") or 300))
    return ok(queue.to_api(sim.world.now()))


async def get_queue(request: web.Request) -> web.Response:
    return ok(_queue(request).to_api(sim_of(request).world.now()))


async def update_queue(request: web.Request) -> web.Response:
    sim = sim_of(request)
    queue = _queue(request)
    body = validation.check("UpdateQueueRequest", await read_json(request))
    queue.max_size = body["max_size"]
    queue.updated_at = sim.world.now()
    return ok(queue.to_api(sim.world.now()))


async def delete_queue(request: web.Request) -> web.Response:
    sim = sim_of(request)
    queue = _queue(request)
    for entry in list(queue.calls):
        call = sim.world.calls.get(entry.call_control_id)
        if call is not None and call.queue_name == queue.name and call.alive:
            sim.world.queueing.leave_queue(call, {})
    del sim.world.queues[queue.name]
    return web.Response(status=204)


async def list_queue_calls(request: web.Request) -> web.Response:
    sim = sim_of(request)
    queue = _queue(request)
    page, meta = page_numbers(request, [q.call_control_id for q in queue.calls])
    return ok([_queue_call(sim, queue, ccid) for ccid in page], meta=meta)


def _queued(request: web.Request):
    queue = _queue(request)
    ccid = request.match_info["call_control_id"]
    if queue.position(ccid) is None:
        raise errors.not_found("The call is not in this queue.")
    return queue, ccid


async def get_queue_call(request: web.Request) -> web.Response:
    queue, ccid = _queued(request)
    return ok(_queue_call(sim_of(request), queue, ccid))


async def update_queue_call(request: web.Request) -> web.Response:
    queue, ccid = _queued(request)
    body = validation.check("UpdateQueuedCallRequest", await read_json(request))
    if body.get("keep_after_hangup") is not None:
        queue.calls[queue.position(ccid) - 1].keep_after_hangup = body["keep_after_hangup"]
    return web.Response(status=204)


async def remove_queue_call(request: web.Request) -> web.Response:
    sim = sim_of(request)
    queue, ccid = _queued(request)
    call = sim.world.calls.get(ccid)
    if call is not None and call.queue_name == queue.name:
        sim.world.queueing.leave_queue(call, {})
    else:
        queue.calls.pop(queue.position(ccid) - 1)
    return web.Response(status=204)


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/v2/queues", list_queues)
    router.add_post("/v2/queues", create_queue)
    router.add_get("/v2/queues/{queue_name}", get_queue)
    router.add_post("/v2/queues/{queue_name}", update_queue)
    router.add_delete("/v2/queues/{queue_name}", delete_queue)
    router.add_get("/v2/queues/{queue_name}/calls", list_queue_calls)
    router.add_get("/v2/queues/{queue_name}/calls/{call_control_id}", get_queue_call)
    router.add_patch("/v2/queues/{queue_name}/calls/{call_control_id}", update_queue_call)
    router.add_delete("/v2/queues/{queue_name}/calls/{call_control_id}", remove_queue_call)
