"""Reference receivers for ``app_as_wired``, each run in a process of its own.

``python benchmarks/_reference_servers.py null PORT`` — a do-nothing aiohttp server that
answers every POST with 200 after reading the body: the ceiling of an aiohttp receiver here.

``python benchmarks/_reference_servers.py flask PORT PUBLIC_KEY`` — the receiver of Telnyx's
documentation: Flask's own (threaded) server, and the official SDK's ``webhooks.unwrap`` to
verify the Ed25519 signature and parse the event; 200 when it verifies, 400 when not.

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


if __name__ == "__main__":
    if sys.argv[1] == "null":
        run_null(int(sys.argv[2]))
    else:
        run_flask(int(sys.argv[2]), sys.argv[3])
