"""The simulator's /v2/call_control_applications routes (the application whose webhook URL the
console points at its receiver).

Apart from ``app.py`` so each resource family of the API reads on its own.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from . import errors, validation
from .pagination import page_numbers
from .rest import check_range, ok, read_json, sim_of


def _check_app(body: dict[str, Any]) -> None:
    validation.check_url(body["webhook_event_url"], "webhook_event_url")
    if body.get("webhook_event_failover_url"):
        validation.check_url(body["webhook_event_failover_url"], "webhook_event_failover_url")
    check_range(body, "webhook_timeout_secs", 0, 30)


def _app(request: web.Request):
    app = sim_of(request).world.apps.get(request.match_info["id"])
    if app is None:
        raise errors.not_found("The call control application does not exist.")
    return app


async def list_apps(request: web.Request) -> web.Response:
    sim = sim_of(request)
    apps = sorted(sim.world.apps.values(), key=lambda a: a.created_at)
    contains = request.query.get("filter[application_name][contains]")
    if contains and contains != "null":
        apps = [a for a in apps if contains.lower() in a.fields["application_name"].lower()]
    page, meta = page_numbers(request, apps)
    return ok([a.to_api() for a in page], meta=meta)


async def create_app(request: web.Request) -> web.Response:
    sim = sim_of(request)
    body = validation.check("CreateCallControlApplicationRequest", await read_json(request))
    _check_app(body)
    app = sim.world.applications.create_app(dict(body))
    return ok(app.to_api(), status=201)


async def get_app(request: web.Request) -> web.Response:
    return ok(_app(request).to_api())


async def update_app(request: web.Request) -> web.Response:
    sim = sim_of(request)
    app = _app(request)
    body = validation.check("UpdateCallControlApplicationRequest", await read_json(request))
    _check_app(body)
    return ok(sim.world.applications.update_app(app, dict(body)).to_api())


async def delete_app(request: web.Request) -> web.Response:
    sim = sim_of(request)
    app = _app(request)
    del sim.world.apps[app.id]
    return ok(app.to_api())


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/v2/call_control_applications", list_apps)
    router.add_post("/v2/call_control_applications", create_app)
    router.add_get("/v2/call_control_applications/{id}", get_app)
    router.add_patch("/v2/call_control_applications/{id}", update_app)
    router.add_delete("/v2/call_control_applications/{id}", delete_app)
