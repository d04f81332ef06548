"""Solo-mode safety of WebhookTarget on the simulator's REST API, with real receivers as consoles.

Two consoles on one application: the second does not take a live first console's webhook URL
silently, the URL memory never holds another console's URL as the original, and the operator's
own URL survives a take-over.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from console.events.journal import Journal
from console.events.receiver import WebhookReceiver
from console.operations.webhook_target import (
    WebhookHeldError,
    WebhookTarget,
    probe_receiver,
)
from console.simulator import TelnyxSimulator
from console.telnyx.client import TelnyxClient

pytestmark = pytest.mark.anyio

ORIGINAL_URL = "https://example.invalid/telnyx-hook"  # the operator's own URL, before any console


@pytest.fixture
async def sim() -> AsyncIterator[TelnyxSimulator]:
    async with TelnyxSimulator(webhook_url=ORIGINAL_URL) as simulator:
        yield simulator


@pytest.fixture
async def client(sim) -> AsyncIterator[TelnyxClient]:
    client = TelnyxClient(sim.api_key, base_url=sim.base_url)
    yield client
    await client.aclose()


@contextlib.asynccontextmanager
async def console_receiver(tmp_path: Path, name: str) -> AsyncIterator[WebhookReceiver]:
    """A console's real receiver on loopback (what its tunnel would forward to)."""
    journal = Journal(tmp_path / f"{name}.sqlite3", synchronous="NORMAL")
    receiver = WebhookReceiver(journal, verify_signatures=False)
    await receiver.start()
    try:
        yield receiver
    finally:
        await receiver.stop()
        journal.close()


async def webhook_url(client: TelnyxClient, sim: TelnyxSimulator) -> str | None:
    return (await client.applications.retrieve(sim.connection_id)).webhook_event_url


async def test_a_second_console_does_not_silently_take_a_live_consoles_url(sim, client, tmp_path):
    async with (
        console_receiver(tmp_path, "one") as one,
        console_receiver(tmp_path, "two") as two,
    ):
        first = WebhookTarget(tmp_path / "one.json")
        assert await first.point(client, sim.connection_id, one.url) == ORIGINAL_URL

        second = WebhookTarget(tmp_path / "two.json")
        with pytest.raises(WebhookHeldError) as held:
            await second.point(client, sim.connection_id, two.url)
        assert held.value.holder.url == one.url
        assert f"127.0.0.1:{one.port}" in held.value.user_message
        assert await webhook_url(client, sim) == one.url  # nothing changed
        assert second.pointed_url is None and not (tmp_path / "two.json").exists()

        # A reconnect of the first console's tunnel re-points its own URL without a question.
        assert await first.point(client, sim.connection_id, one.url) == ORIGINAL_URL


async def test_take_over_never_records_the_other_console_and_keeps_the_original(
    sim, client, tmp_path
):
    async with console_receiver(tmp_path, "one") as one:
        first = WebhookTarget(tmp_path / "one.json")
        await first.point(client, sim.connection_id, one.url)
        async with console_receiver(tmp_path, "two") as two:
            dead_two = two.url
            second = WebhookTarget(tmp_path / "two.json")
            previous = await second.point(client, sim.connection_id, two.url, take_over=True)
            assert previous is None  # console one's URL is not "the original"
            assert second.remembered_original is None
            assert await webhook_url(client, sim) == two.url

            # Console one exits first: it leaves console two's URL alone and forgets nothing.
            assert await first.restore(client) is None
            assert await webhook_url(client, sim) == two.url
            assert WebhookTarget(tmp_path / "one.json").remembered_original == ORIGINAL_URL
            # Console two exits: it has no original to restore, so it restores none.
            assert await second.restore(client) is None

    # Console one starts again: console two's dead URL is not taken for the original either.
    again = WebhookTarget(tmp_path / "one.json")
    async with console_receiver(tmp_path, "one-again") as one_again:
        assert await webhook_url(client, sim) == dead_two
        assert await again.point(client, sim.connection_id, one_again.url) == ORIGINAL_URL
        assert await again.restore(client) == ORIGINAL_URL
    assert await webhook_url(client, sim) == ORIGINAL_URL


async def test_a_dead_ngrok_tunnel_of_another_console_is_not_the_original(sim, client, tmp_path):
    dead_tunnel = "https://3f2a-203-0-113-7.ngrok-free.app/webhooks/telnyx"
    await client.applications.update(
        sim.connection_id, application_name="app", webhook_event_url=dead_tunnel
    )

    async def nobody_answers(_url: str) -> bool:  # the network boundary: the tunnel is gone
        return False

    target = WebhookTarget(tmp_path / "memory.json", probe=nobody_answers)
    assert await target.point(client, sim.connection_id, "https://mine.example/hook") is None
    assert await target.restore(client) is None
    assert await webhook_url(client, sim) == "https://mine.example/hook"


async def test_the_operators_own_url_is_remembered_even_when_it_is_down(sim, client, tmp_path):
    target = WebhookTarget(tmp_path / "memory.json")
    assert await target.point(client, sim.connection_id, "https://mine.example/hook") == (
        ORIGINAL_URL
    )
    assert await target.restore(client) == ORIGINAL_URL
    assert await webhook_url(client, sim) == ORIGINAL_URL


async def test_failover_url_is_set_and_put_back(sim, client, tmp_path):
    await client.applications.update(
        sim.connection_id,
        application_name="app",
        webhook_event_url=ORIGINAL_URL,
        webhook_event_failover_url="https://backup.example/hook",
    )
    target = WebhookTarget(tmp_path / "relay.json")
    await target.point(
        client,
        sim.connection_id,
        "https://relay-1.example/hook",
        failover_url="https://relay-2.example/hook",
        take_over=True,
    )
    app = await client.applications.retrieve(sim.connection_id)
    assert app.webhook_event_url == "https://relay-1.example/hook"
    assert app.webhook_event_failover_url == "https://relay-2.example/hook"
    await target.restore(client)
    app = await client.applications.retrieve(sim.connection_id)
    assert app.webhook_event_url == ORIGINAL_URL
    assert app.webhook_event_failover_url == "https://backup.example/hook"


async def test_probe_knows_a_console_receiver_from_other_servers(tmp_path):
    async with console_receiver(tmp_path, "one") as one:
        assert await probe_receiver(one.url)

    async def hello(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})  # healthy, but not a console receiver

    app = web.Application()
    app.router.add_get("/healthz", hello)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        assert not await probe_receiver(f"http://127.0.0.1:{port}/webhooks/telnyx")
    finally:
        await runner.cleanup()
    assert not await probe_receiver(f"http://127.0.0.1:{port}/webhooks/telnyx")  # refused
    assert not await probe_receiver("not a url")
