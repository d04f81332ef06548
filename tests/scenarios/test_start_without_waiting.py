"""The app's session opens without waiting for the network: with Telnyx slow to answer, start()
returns with the receiver up and commands ready, and the start-up resync lands once the API
answers. Telnyx is the simulator behind a gateway that holds every request until told."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import httpx
import pytest
from aiohttp import web

from console.config import Settings
from console.secrets import Secret, SecretStore
from console.session import ConsoleSession
from console.simulator import TelnyxSimulator

pytestmark = pytest.mark.anyio


class HoldingGateway:
    """Forwards to the simulator, each request held until ``release()``."""

    def __init__(self, upstream: str):
        self.upstream = upstream.rstrip("/")
        self.open = asyncio.Event()
        self.arrived = asyncio.Event()  # a request is waiting
        self.held = 0
        self.url = ""
        self._runner: web.AppRunner | None = None
        self._http = httpx.AsyncClient(timeout=10)

    async def _forward(self, request: web.Request) -> web.Response:
        self.held += 1
        self.arrived.set()
        await self.open.wait()
        path = request.path_qs.removeprefix("/v2")
        upstream = await self._http.request(
            request.method,
            self.upstream + path,
            content=await request.read(),
            headers={k: v for k, v in request.headers.items() if k.lower() != "host"},
        )
        return web.Response(
            status=upstream.status_code,
            body=upstream.content,
            content_type=upstream.headers.get("content-type", "application/json").split(";")[0],
        )

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/v2"

    def release(self) -> None:
        self.open.set()

    async def stop(self) -> None:
        self.open.set()
        await self._http.aclose()
        if self._runner is not None:
            await self._runner.cleanup()


@contextlib.asynccontextmanager
async def slow_telnyx() -> AsyncIterator[tuple[TelnyxSimulator, HoldingGateway]]:
    async with TelnyxSimulator() as sim:
        gateway = HoldingGateway(sim.base_url)
        await gateway.start()
        try:
            yield sim, gateway
        finally:
            await gateway.stop()


async def health_until(session: ConsoleSession, condition) -> None:
    changed = asyncio.Event()
    unsubscribe = session.on_health(changed.set)
    try:
        async with asyncio.timeout(10):
            while not condition(session.health):
                changed.clear()
                await changed.wait()
    finally:
        if callable(unsubscribe):
            unsubscribe()


def _session(sim: TelnyxSimulator, gateway: HoldingGateway, home) -> ConsoleSession:
    settings = Settings(
        api_base_url=gateway.url,
        connection_id=sim.connection_id,
        from_numbers=sim.from_numbers,
        tunnel_provider="none",
    )
    secrets = SecretStore(environ={})
    secrets.set(Secret.API_KEY, sim.api_key)
    secrets.set(Secret.PUBLIC_KEY, sim.public_key_b64)
    return ConsoleSession(
        settings,
        secrets,
        data_dir=home / "data",
        settings_path=home / "config" / "settings.json",
        receiver_port=0,
        connect_in_background=True,
    )


async def test_start_returns_while_the_api_is_slow_and_the_resync_lands_later(home):
    async with slow_telnyx() as (sim, gateway):
        session = _session(sim, gateway, home)
        await asyncio.wait_for(session.start(), 10)  # would hang on the held resync otherwise
        try:
            assert session.ops is not None and session.receiver.url
            async with httpx.AsyncClient(timeout=5) as http:
                # The receiver answers Telnyx already (an unsigned post is refused, promptly).
                answer = await http.post(session.receiver.url, content=b"{}")
                assert answer.status_code == 401
            await asyncio.wait_for(gateway.arrived.wait(), 10)  # the resync waits on the API
            assert session.health.last_resync_reason is None

            gateway.release()
            await health_until(session, lambda h: h.last_resync_reason == "start-up")
            assert session.health.last_resync_error is None
        finally:
            await session.stop()


async def test_stopping_while_the_api_still_holds_the_start_up_resync(home):
    async with slow_telnyx() as (sim, gateway):
        session = _session(sim, gateway, home)
        await session.start()
        await asyncio.wait_for(gateway.arrived.wait(), 10)
        await asyncio.wait_for(session.stop(), 10)  # the pending connect is cancelled, not awaited
        assert session.health.last_resync_reason is None
