#!/usr/bin/env python3
"""A stand-in for the ngrok v3 agent, playing exactly the part pyngrok 9 relies on (stdlib only).

pyngrok runs ``<agent> start --none --log stdout [--config P] [--authtoken T] [--region R]``,
reads logfmt lines until ``starting web service`` (addr=), ``client session established`` and
``tunnel session started``, probes ``GET /api/endpoints``, then ``POST /api/endpoints
{name, upstream: {url}, [url]}`` and reads ``public_url``/``url``; ``GET``/``DELETE
/api/endpoints/<name>``. Also: ``--version``, ``config add-authtoken``, ``/api/tunnels``,
``/api/status``.

Each endpoint also gets a local "public" listener that forwards HTTP to its upstream; its
address is in the endpoint's ``fake_forward_url`` so tests can prove the whole chain. With
``FAKE_NGROK_LOCAL_URL=1`` that address *is* the public URL the agent reports, so anything given
the public URL (a simulated Telnyx delivering webhooks) really goes through the fake tunnel.

Behaviour is steered by environment variables (``<X>_STARTS`` = comma-separated start numbers
the behaviour applies to, counted in ``FAKE_NGROK_STATE_DIR``; unset = every start):

FAKE_NGROK_STATE_DIR      append one JSON line per start to ``starts.jsonl`` (pid, argv, region)
FAKE_NGROK_FAIL           print this reason as an ``lvl=eror`` startup error, exit 1
FAKE_NGROK_HANG           print nothing, never become ready
FAKE_NGROK_EXIT_AFTER     exit (code 3) this many seconds after its first endpoint is created
FAKE_NGROK_DROP_AFTER     remove the endpoints this many seconds after they are created
FAKE_NGROK_VALID_TOKEN    the only accepted authtoken (default: any non-empty one)
FAKE_NGROK_ALLOW_ANONYMOUS=1  start without an authtoken
FAKE_NGROK_LOCAL_URL=1    report the local forwarder (http://127.0.0.1:<port>) as public URL
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERSION = "3.99.0-fake"
START_NUMBER = 0


def env(name: str) -> str | None:
    """The value of FAKE_NGROK_<name> if it applies to this start."""
    value = os.environ.get(f"FAKE_NGROK_{name}")
    starts = os.environ.get(f"FAKE_NGROK_{name}_STARTS")
    if value is None:
        return None
    if starts and str(START_NUMBER) not in [s.strip() for s in starts.split(",")]:
        return None
    return value


def log(lvl: str, msg: str, **fields: object) -> None:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S%z")
    parts = [f"t={now}", f"lvl={lvl}", f'msg="{msg}"']
    for key, value in fields.items():
        text = str(value).replace('"', "'").replace("\n", " ")
        parts.append(f'{key}="{text}"' if " " in text or not text else f"{key}={text}")
    # If the console is gone, stay up: like an orphaned agent that has nothing to log.
    with contextlib.suppress(OSError):
        print(" ".join(parts), flush=True)


def option(argv: list[str], name: str) -> str | None:
    return argv[argv.index(name) + 1] if name in argv and argv.index(name) + 1 < len(argv) else None


def read_token(argv: list[str]) -> str | None:
    token = option(argv, "--authtoken")
    config_path = option(argv, "--config")
    if token or not config_path:
        return token
    try:
        with open(config_path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        return None
    try:
        data = json.loads(text)
        return (data.get("agent") or {}).get("authtoken") or data.get("authtoken") or None
    except ValueError:
        match = re.search(r"authtoken:\s*['\"]?([^'\"\s]+)", text)
        return match.group(1) if match else None


class Agent:
    def __init__(self) -> None:
        self.endpoints: dict[str, dict] = {}
        self.lock = threading.Lock()
        self.first_endpoint = threading.Event()

    def create(self, body: dict) -> tuple[int, dict]:
        name = body.get("name") or f"endpoint-{secrets.token_hex(4)}"
        upstream = (body.get("upstream") or {}).get("url") or body.get("addr")
        if not upstream:
            return 400, {"status_code": 400, "msg": "upstream url is required"}
        with self.lock:
            if name in self.endpoints:
                return 400, {
                    "status_code": 400,
                    "msg": "invalid tunnel configuration",
                    "details": {"err": f"endpoint {name!r} already exists"},
                }
            forward = start_forwarder(upstream)
            forward_url = f"http://127.0.0.1:{forward.server_address[1]}"
            url = body.get("url") or (
                forward_url
                if env("LOCAL_URL") is not None
                else f"https://fake-{secrets.token_hex(6)}.ngrok.test"
            )
            endpoint = {
                "name": name,
                "ID": secrets.token_hex(8),
                "uri": f"/api/endpoints/{name}",
                "url": url,
                "public_url": url,
                "proto": url.split("://")[0],
                "upstream": {"url": upstream, "protocol": "http1"},
                "fake_forward_url": forward_url,
            }
            endpoint["_server"] = forward
            self.endpoints[name] = endpoint
        log("info", "started tunnel", obj="tunnels", name=name, addr=upstream, url=url)
        self.first_endpoint.set()
        drop = env("DROP_AFTER")
        if drop is not None:
            timer = threading.Timer(float(drop), self.drop, args=(name,))
            timer.daemon = True
            timer.start()
        return 201, public(endpoint)

    def drop(self, name: str) -> None:
        with self.lock:
            endpoint = self.endpoints.pop(name, None)
        if endpoint is not None:
            endpoint["_server"].shutdown()
            log("eror", "tunnel session dropped", obj="tunnels", name=name, err="fake drop")


def public(endpoint: dict) -> dict:
    return {k: v for k, v in endpoint.items() if not k.startswith("_")}


def start_forwarder(upstream: str) -> ThreadingHTTPServer:
    class Forward(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def relay(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
            request = urllib.request.Request(
                upstream.rstrip("/") + self.path, data=body, headers=headers, method=self.command
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    status, payload, reply_headers = (
                        response.status,
                        response.read(),
                        response.headers,
                    )
            except urllib.error.HTTPError as exc:
                status, payload, reply_headers = exc.code, exc.read(), exc.headers
            except OSError:
                status, payload, reply_headers = 502, b"ERR_NGROK_8012 upstream unreachable", {}
            self.send_response(status)
            for key, value in reply_headers.items():
                if key.lower() not in (
                    "content-length",
                    "transfer-encoding",
                    "connection",
                    "date",
                    "server",
                ):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = relay

    server = ThreadingHTTPServer(("127.0.0.1", 0), Forward)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def make_api_handler(agent: Agent) -> type[BaseHTTPRequestHandler]:
    class Api(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def reply(self, status: int, data: dict | None) -> None:
            payload = b"" if data is None else json.dumps(data).encode()
            self.send_response(status)
            if data is not None:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def not_found(self) -> None:
            self.reply(404, {"status_code": 404, "msg": "Tunnel not found", "error_code": 100})

        def do_GET(self) -> None:
            path = self.path.split("?")[0].rstrip("/")
            with agent.lock:
                items = [public(e) for e in agent.endpoints.values()]
            if path in ("/api/endpoints", "/api/tunnels"):
                key = path.rsplit("/", 1)[1]
                self.reply(200, {key: items, "uri": path})
            elif path.startswith(("/api/endpoints/", "/api/tunnels/")):
                name = path.rsplit("/", 1)[1]
                match = [e for e in items if e["name"] == name]
                self.reply(200, match[0]) if match else self.not_found()
            elif path == "/api/status":
                self.reply(200, {"status": "online", "agent_version": VERSION, "uri": path})
            elif path == "/api/requests/http":
                self.reply(200, {"requests": [], "uri": path})
            else:
                self.not_found()

        def do_POST(self) -> None:
            path = self.path.rstrip("/")
            if path not in ("/api/endpoints", "/api/tunnels"):
                return self.not_found()
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                return self.reply(400, {"status_code": 400, "msg": "invalid JSON"})
            self.reply(*agent.create(body))

        def do_DELETE(self) -> None:
            path = self.path.rstrip("/")
            if not path.startswith(("/api/endpoints/", "/api/tunnels/")):
                return self.not_found()
            name = path.rsplit("/", 1)[1]
            with agent.lock:
                endpoint = agent.endpoints.pop(name, None)
            if endpoint is None:
                return self.not_found()
            endpoint["_server"].shutdown()
            log("info", "stopped tunnel", obj="tunnels", name=name)
            self.reply(204, None)

    return Api


def record_start(argv: list[str]) -> int:
    state_dir = os.environ.get("FAKE_NGROK_STATE_DIR")
    if not state_dir:
        return 1
    os.makedirs(state_dir, exist_ok=True)
    path = os.path.join(state_dir, "starts.jsonl")
    try:
        with open(path, encoding="utf-8") as handle:
            number = sum(1 for _ in handle) + 1
    except FileNotFoundError:
        number = 1
    entry = {"n": number, "pid": os.getpid(), "argv": argv, "region": option(argv, "--region")}
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry) + "\n")
    return number


def start(argv: list[str]) -> int:
    global START_NUMBER
    START_NUMBER = record_start(argv)
    if env("HANG") is not None:
        while True:
            time.sleep(60)

    agent = Agent()
    api = ThreadingHTTPServer(("127.0.0.1", 0), make_api_handler(agent))
    # Serve before announcing the address: pyngrok probes the API right after the last line.
    threading.Thread(target=api.serve_forever, daemon=True).start()
    log(
        "info",
        "no configuration paths supplied" if "--config" not in argv else "open config file",
        path=option(argv, "--config") or "",
    )
    log(
        "info",
        "starting web service",
        obj="web",
        addr=f"127.0.0.1:{api.server_address[1]}",
        allow_hosts="[]",
    )

    token = read_token(argv)
    valid = os.environ.get("FAKE_NGROK_VALID_TOKEN")
    reason = env("FAIL")
    if reason is None and not token and not os.environ.get("FAKE_NGROK_ALLOW_ANONYMOUS"):
        reason = (
            "authentication failed: Usage of ngrok requires a verified account and "
            "authtoken. ERR_NGROK_4018"
        )
    elif reason is None and valid is not None and token != valid:
        # The real agent echoes the bad token back: callers must redact it.
        reason = (
            "authentication failed: The authtoken you specified does not look like a "
            f"proper ngrok authtoken. Your authtoken: {token} ERR_NGROK_105"
        )
    if reason is not None:
        log("eror", "failed to reconnect session", obj="tunnels.session", err=reason)
        sys.stderr.write(f"ERROR:  {reason}\n")
        return 1

    log(
        "info",
        "client session established",
        obj="tunnels.session",
        region=option(argv, "--region") or "us",
    )
    log("info", "tunnel session started", obj="tunnels.session")

    exit_after = env("EXIT_AFTER")
    if exit_after is not None:
        # Counted from the first endpoint, not from start-up: pyngrok must get to open it first.
        agent.first_endpoint.wait()
        time.sleep(float(exit_after))
        log("crit", "fake agent exiting on request", obj="fake")
        os._exit(3)
    while True:
        time.sleep(60)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("help", "-h", "--help"):
        print("NAME:\n  ngrok - fake ngrok agent for tests")
        return 0
    if argv[0] in ("--version", "version", "-v"):
        print(f"ngrok version {VERSION}")
        return 0
    if argv[:2] == ["config", "add-authtoken"] and len(argv) > 2:
        path = option(argv, "--config") or os.path.expanduser("~/.config/ngrok/ngrok.yml")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump({"version": "3", "agent": {"authtoken": argv[2]}}, handle)
        print(f"Authtoken saved to configuration file: {path}")
        return 0
    if argv[:2] == ["config", "check"]:
        print(f"Valid configuration file at {option(argv, '--config')}")
        return 0
    if argv[0] == "start":
        return start(argv)
    sys.stderr.write(f"ERROR:  unknown command {argv[0]!r} (fake ngrok)\n")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
