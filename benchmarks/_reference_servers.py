"""Reference receivers for ``app_as_wired``, each run in a process of its own.

``python benchmarks/_reference_servers.py null PORT`` — a do-nothing aiohttp server that
answers every POST with 200 after reading the body: the ceiling of an aiohttp receiver here.

``python benchmarks/_reference_servers.py flask PORT PUBLIC_KEY`` — the receiver of Telnyx's
documentation: Flask's own (threaded) server, and the official SDK's ``webhooks.unwrap`` to
verify the Ed25519 signature and parse the event; 200 when it verifies, 400 when not.

``python benchmarks/_reference_servers.py checks PORT PUBLIC_KEY`` — the do-nothing server plus
the console's checks of a delivery (its headers and Ed25519 signature, then the body parsed
into an event), answering 200: what verifying and parsing cost on top of aiohttp.

``python benchmarks/_reference_servers.py receiver PORT PUBLIC_KEY`` — the console's own
receiver (:class:`console.events.receiver.WebhookReceiver`: limits, checks, counters, its JSON
answer) over a journal that stores nothing and answers at once: the receiver without the disk.

``python benchmarks/_reference_servers.py ingest PORT PUBLIC_KEY`` — the console's own ingest
component alone (:class:`console.ingest.service.IngestService`: signature checks, the
group-committed journal fsync'd in a temporary folder, metrics), with nobody reading the
journal: what the console's receiver can do with no window beside it (the team relay's case).

Each prints ``ready`` once it listens.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any


def run_null(port: int) -> None:
    from aiohttp import web

    async def answer(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(text="ok")

    _serve_aiohttp(port, answer)


def run_checks(port: int, public_key: str) -> None:
    import time

    from aiohttp import web

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from console.events.request_body import parse_body
    from console.events.signature_gate import SignatureGate

    gate = SignatureGate(public_key, enabled=True)

    async def answer(request: web.Request) -> web.Response:
        signed = gate.check_headers(request.headers, time.time())
        body = await request.read()
        gate.check_body(body, signed)
        parse_body(body)
        return web.Response(text="ok")

    _serve_aiohttp(port, answer)


def run_receiver(port: int, public_key: str) -> None:
    import asyncio
    import signal

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from console.events.receiver import WebhookReceiver

    class Forgetful:
        """An ``EventJournal`` that stores nothing: each event gets the next seq at once."""

        def __init__(self) -> None:
            self.seq = 0

        async def commit(self, _envelope: object, _raw: object, _received_at: float) -> int:
            self.seq += 1
            return self.seq

    async def serve() -> None:
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        receiver = WebhookReceiver(Forgetful(), public_key=public_key, port=port)
        await receiver.start()
        print("ready", flush=True)
        await stop.wait()
        await receiver.stop()

    asyncio.run(serve())


def _serve_aiohttp(port: int, answer: Callable[[Any], Awaitable[Any]]) -> None:
    """Serve ``answer`` for every POST on ``port`` with aiohttp's own runner."""
    from aiohttp import web

    app = web.Application()
    app.router.add_post("/{tail:.*}", answer)

    async def started(_app: web.Application) -> None:
        print("ready", flush=True)

    app.on_startup.append(started)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


def run_flask(port: int, public_key: str) -> None:
    import logging

    import telnyx
    from flask import Flask, request

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    client = telnyx.Telnyx(api_key="unused", public_key=public_key)
    app = Flask(__name__)

    @app.post("/webhooks/telnyx")
    def webhook():  # type: ignore[no-untyped-def]
        try:
            client.webhooks.unwrap(request.get_data(as_text=True), headers=dict(request.headers))
        except ValueError:
            return "bad signature", 400
        return "", 200

    print("ready", flush=True)
    app.run(host="127.0.0.1", port=port, threaded=True)


def run_ingest(port: int, public_key: str) -> None:
    import asyncio
    import signal
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from console.ingest.config import IngestConfig
    from console.ingest.service import IngestService

    async def serve(folder: str) -> None:
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        config = IngestConfig(
            journal_path=str(Path(folder) / "journal.sqlite3"), port=port, public_key=public_key
        )
        service = IngestService(config)
        await service.start()
        print("ready", flush=True)
        await stop.wait()  # terminated: stop cleanly so the folder is removed
        await service.stop()

    with tempfile.TemporaryDirectory(prefix="ingest-reference-") as folder:
        asyncio.run(serve(folder))


if __name__ == "__main__":
    if sys.argv[1] == "null":
        run_null(int(sys.argv[2]))
    else:
        runs = {"checks": run_checks, "receiver": run_receiver, "ingest": run_ingest}
        runs.get(sys.argv[1], run_flask)(int(sys.argv[2]), sys.argv[3])
