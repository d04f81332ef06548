"""The simulator's own /_sim controls (not Telnyx API): place an inbound call, hang up from the
far end, read the truth, start an outage, demo traffic.

Apart from ``app.py`` because these are the test and demo levers, not the API being simulated.
"""

from __future__ import annotations

from aiohttp import web

from . import errors, validation
from .rest import ok, read_json, sim_of


async def sim_inbound(request: web.Request) -> web.Response:
    sim = sim_of(request)
    body = await read_json(request)
    if not isinstance(body, dict):
        raise errors.bad_request("The request body must be a JSON object.", status=422)
    source = body.get("from")
    if not isinstance(source, str) or not source:
        raise errors.missing("from")
    validation.check_destination(source, "from")
    hangup_after = body.get("hangup_after")
    if hangup_after is not None and (
        isinstance(hangup_after, bool) or not isinstance(hangup_after, int | float)
    ):
        raise errors.invalid_type("hangup_after", "a number of seconds")
    ccid = await sim.place_inbound_call(
        from_=source,
        to=body.get("to"),
        caller_name=body.get("caller_name") or "",
        hangup_after=hangup_after,
    )
    return ok({"call_control_id": ccid})


async def sim_remote_hangup(request: web.Request) -> web.Response:
    sim = sim_of(request)
    sim.remote_hangup(request.match_info["call_control_id"])
    return ok({"result": "ok"})


async def sim_truth(request: web.Request) -> web.Response:
    return web.json_response(sim_of(request).truth())


async def sim_outage(request: web.Request) -> web.Response:
    body = await read_json(request)
    duration = body.get("duration") if isinstance(body, dict) else None
    if not isinstance(duration, int | float) or duration <= 0:
        raise errors.missing("duration")
    sim_of(request).start_outage(float(duration))
    return ok({"result": "ok"})


async def sim_demo(request: web.Request) -> web.Response:
    sim = sim_of(request)
    if request.method == "DELETE":
        sim.stop_demo_traffic()
    else:
        body = await read_json(request)
        rate = body.get("rate", 2.0) if isinstance(body, dict) else 2.0
        if not isinstance(rate, int | float) or rate <= 0:
            raise errors.invalid_type("rate", "a positive number")
        sim.start_demo_traffic(rate=float(rate))
    return ok({"result": "ok"})


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_post("/_sim/inbound", sim_inbound)
    router.add_post("/_sim/calls/{call_control_id}/hangup", sim_remote_hangup)
    router.add_get("/_sim/truth", sim_truth)
    router.add_post("/_sim/outage", sim_outage)
    router.add_post("/_sim/demo", sim_demo)
    router.add_delete("/_sim/demo", sim_demo)
