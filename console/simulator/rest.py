"""What every route handler of the simulator shares: the simulator behind a request, the
Telnyx ``{"data": ...}`` body, lenient JSON reading, and two checks many commands make.

Apart from ``app.py`` so the route modules (``call_routes.py``, ``conference_routes.py``...)
can use them without importing the assembly that imports them.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import errors, validation

if TYPE_CHECKING:
    from .simulator import TelnyxSimulator

SIM_KEY = web.AppKey("simulator", object)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def sim_of(request: web.Request) -> TelnyxSimulator:
    return request.app[SIM_KEY]  # type: ignore[return-value]


def ok(data: Any, status: int = 200, meta: dict[str, Any] | None = None) -> web.Response:
    body: dict[str, Any] = {"data": data}
    if meta is not None:
        body["meta"] = meta
    return web.json_response(body, status=status)


async def read_json(request: web.Request) -> Any:
    raw = await request.read()
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise errors.bad_request("The request body is not valid JSON.") from None


def check_webhook_url(body: dict[str, Any]) -> None:
    for name in ("webhook_url", "webhook_url_failover"):
        if body.get(name):
            validation.check_url(body[name], name)


def check_range(body: dict[str, Any], name: str, low: int, high: int) -> None:
    value = body.get(name)
    if value is not None and not low <= value <= high:
        raise errors.out_of_range(name, low, high)
