"""Reference receivers for ``app_as_wired``, each run in a process of its own.

``python benchmarks/_reference_servers.py null PORT`` — a do-nothing aiohttp server that
answers every POST with 200 after reading the body: the ceiling of an aiohttp receiver here.

``python benchmarks/_reference_servers.py flask PORT PUBLIC_KEY`` — the receiver of Telnyx's
documentation: Flask's own (threaded) server, and the official SDK's ``webhooks.unwrap`` to
verify the Ed25519 signature and parse the event; 200 when it verifies, 400 when not.

``python benchmarks/_reference_servers.py ingest PORT PUBLIC_KEY`` — the console's own ingest
component alone (:class:`console.ingest.service.IngestService`: signature checks, the
group-committed journal fsync'd in a temporary folder, metrics), with nobody reading the
journal: what the console's receiver can do with no window beside it (the team relay's case).

Each prints ``ready`` once it listens.
"""

from __future__ import annotations

import sys


def run_null(port: int) -> None:
    from aiohttp import web

    async def answer(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(text="ok")

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
    from pathlib import Path

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
    elif sys.argv[1] == "ingest":
        run_ingest(int(sys.argv[2]), sys.argv[3])
    else:
        run_flask(int(sys.argv[2]), sys.argv[3])
