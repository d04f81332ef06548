"""The aiohttp application: Telnyx's REST API under /v2, recording media, and /_sim controls.

This module holds what wraps every route (Telnyx error bodies, auth and injected faults) and
the assembly; the routes live by resource family in ``call_routes.py``,
``conference_routes.py``, ``queue_routes.py``, ``application_routes.py``,
``recording_routes.py`` and ``control_routes.py``, sharing the helpers in ``rest.py``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiohttp import web

from . import (
    application_routes,
    call_routes,
    conference_routes,
    control_routes,
    errors,
    queue_routes,
    recording_routes,
)
from .call_routes import CALL_ACTIONS
from .rest import SIM_KEY, Handler, sim_of

if TYPE_CHECKING:
    from .simulator import TelnyxSimulator

#: CALL_ACTIONS: the call commands the simulator implements (tests read them from here).
__all__ = ["CALL_ACTIONS", "build_app"]

log = logging.getLogger(__name__)


# --- middlewares ---------------------------------------------------------------------------


@web.middleware
async def telnyx_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every failure becomes a Telnyx error body; nothing a client sends can crash the server."""
    try:
        return await handler(request)
    except errors.TelnyxError as exc:
        return exc.response()
    except web.HTTPNotFound:
        return errors.not_found(f"No route for {request.method} {request.path}").response()
    except web.HTTPMethodNotAllowed:
        return errors.TelnyxError(
            405, "10015", "Method not allowed", f"{request.method} is not allowed here."
        ).response()
    except web.HTTPException:
        raise
    except Exception:
        log.exception("simulator handler failed on %s %s", request.method, request.path)
        return errors.internal_error().response()


@web.middleware
async def auth_and_faults(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.path.startswith(("/v2", "/_sim")):
        return await handler(request)
    sim = sim_of(request)
    header = request.headers.get("Authorization", "")
    if header != f"Bearer {sim.api_key}":
        raise errors.unauthorized()
    if request.path.startswith("/v2"):
        sim.rest_faults(request)
    return await handler(request)


# --- assembly ----------------------------------------------------------------------------------


def build_app(sim: TelnyxSimulator) -> web.Application:
    app = web.Application(middlewares=[telnyx_errors, auth_and_faults], client_max_size=4 * 2**20)
    app[SIM_KEY] = sim
    for family in (
        call_routes,
        conference_routes,
        queue_routes,
        application_routes,
        recording_routes,
        control_routes,
    ):
        family.add_routes(app.router)
    return app
