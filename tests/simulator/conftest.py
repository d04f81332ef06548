"""Fixtures for the simulator's tests: a recording webhook receiver, the simulator, a client."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from aiohttp import web

from console.events.signature import SignatureError, verify
from console.simulator import Faults, TelnyxSimulator
from tests.support.openapi import (
    match_path,
    require_spec,
    response_validator,
    validator_for_pointer,
    webhook_validator,
)

SPEED = 100.0  # a 2 s ring takes 20 ms; an unanswered inbound call rings out in 300 ms


@dataclass
class Received:
    body: dict[str, Any]
    headers: dict[str, str]
    path: str

    @property
    def data(self) -> dict[str, Any]:
        return self.body["data"]

    @property
    def event_type(self) -> str:
        return self.data["event_type"]

    @property
    def payload(self) -> dict[str, Any]:
        return self.data["payload"]

    @property
    def attempt(self) -> int:
        return self.body["meta"]["attempt"]


@dataclass
class Receiver:
    """A tiny webhook endpoint: verifies each signature, stores the body, answers as told."""

    public_key: str | None = None
    received: list[Received] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)  # answers to give first, then 200
    url: str = ""
    _changed: asyncio.Condition | None = None

    async def handle(self, request: web.Request) -> web.Response:
        raw = await request.read()
        if self.public_key is not None:
            try:
                verify(raw, dict(request.headers), self.public_key)
            except SignatureError as exc:
                self.rejected.append(exc.reason)
                return web.Response(status=401)
        self.received.append(Received(json.loads(raw), dict(request.headers), request.path))
        assert self._changed is not None
        async with self._changed:
            self._changed.notify_all()
        status = self.statuses.pop(0) if self.statuses else 200
        return web.Response(status=status)

    def events(self, event_type: str | None = None, ccid: str | None = None) -> list[Received]:
        return [
            r
            for r in self.received
            if "data" in r.body
            and (event_type is None or r.event_type == event_type)
            and (ccid is None or r.payload.get("call_control_id") == ccid)
        ]

    def types_for(self, ccid: str) -> list[str]:
        return [r.event_type for r in self.events(ccid=ccid)]

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0) -> Any:  # noqa: ASYNC109
        """Wait until ``predicate()`` is truthy, re-checking on every delivery (no polling)."""
        assert self._changed is not None
        async with asyncio.timeout(timeout), self._changed:
            while not (result := predicate()):
                await self._changed.wait()
        return result

    async def wait_event(
        self, event_type: str, ccid: str | None = None, count: int = 1
    ) -> Received:
        found = await self.wait_for(lambda: len(self.events(event_type, ccid)) >= count)
        assert found
        return self.events(event_type, ccid)[count - 1]


async def start_receiver(path: str = "/webhooks") -> tuple[Receiver, web.AppRunner]:
    receiver = Receiver(_changed=asyncio.Condition())
    app = web.Application()
    app.router.add_post("/{tail:.*}", receiver.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    receiver.url = f"http://{host}:{port}{path}"
    return receiver, runner


def assert_webhooks_match_spec(receiver: Receiver) -> None:
    """Every received webhook validates against its event's schema in spec3.yml."""
    require_spec()
    for item in receiver.received:
        if "data" not in item.body:
            continue
        errors = list(webhook_validator(item.event_type).iter_errors(item.body))
        assert not errors, f"{item.event_type}: {[e.message for e in errors][:3]}"
        meta = item.body["meta"]
        assert meta["attempt"] >= 1 and meta["delivered_to"]


class Api:
    """httpx against the simulator; every JSON response is checked against the spec."""

    def __init__(self, client: httpx.AsyncClient):
        self.client = client
        self.checked = 0

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = await self.client.request(method, path, **kwargs)
        self.check(method, response)
        return response

    def check(self, method: str, response: httpx.Response) -> None:
        template = match_path(method, response.request.url.path)
        assert template is not None, f"{method} {response.request.url.path} not in the spec"
        key = _status_key(method, template, response)
        if key is None:  # an error status the operation does not document: Telnyx's error body
            validator = validator_for_pointer("/components/schemas/call-control_Errors")
        else:
            validator = response_validator(method, template, key)
        if validator is None and response.status_code >= 400:
            # documented without a body (e.g. applications' 422): still Telnyx's error body
            validator = validator_for_pointer("/components/schemas/call-control_Errors")
        if validator is None:
            assert not response.content
            return
        errors = list(validator.iter_errors(response.json()))
        assert not errors, f"{method} {template} {response.status_code}: {errors[0].message}"
        self.checked += 1

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.request("GET", path, **kwargs)

    async def post(self, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return await self.request("POST", path, json=json if json is not None else {}, **kwargs)

    async def patch(self, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return await self.request("PATCH", path, json=json or {}, **kwargs)

    async def put(self, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return await self.request("PUT", path, json=json or {}, **kwargs)

    async def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.request("DELETE", path, **kwargs)


def _status_key(method: str, template: str, response: httpx.Response) -> str | None:
    from tests.support.openapi import operation

    responses = operation(method, template)["responses"]
    key = str(response.status_code)
    if key in responses:
        return key
    # Undocumented statuses (e.g. 429, 5xx, 401 where not listed) fall back to "default",
    # or to any documented error response: all share the Telnyx error schema.
    if "default" in responses:
        return "default"
    for candidate in ("422", "404", "401"):
        if candidate in responses and "content" in _resolved(responses[candidate]):
            return candidate
    assert response.status_code >= 400, f"{method} {template} documents no {key} response"
    return None


def _resolved(response: dict[str, Any]) -> dict[str, Any]:
    from tests.support.openapi import _resolve

    if "$ref" in response:
        return _resolve(tuple(response["$ref"].lstrip("#/").split("/")))
    return response


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    receiver, runner = await start_receiver()
    try:
        yield receiver
    finally:
        await runner.cleanup()
    assert not receiver.rejected, f"bad signatures: {receiver.rejected}"
    assert_webhooks_match_spec(receiver)


@pytest.fixture
def faults() -> Faults:
    return Faults()


@pytest.fixture
async def sim(receiver: Receiver, faults: Faults) -> AsyncIterator[TelnyxSimulator]:
    simulator = TelnyxSimulator(webhook_url=receiver.url, speed=SPEED, faults=faults, seed=7)
    receiver.public_key = simulator.public_key_b64
    await simulator.start()
    try:
        yield simulator
    finally:
        await simulator.stop()


@pytest.fixture
async def api(sim: TelnyxSimulator) -> AsyncIterator[Api]:
    headers = {"Authorization": f"Bearer {sim.api_key}"}
    async with httpx.AsyncClient(base_url=sim.base_url + "/", headers=headers) as client:
        yield Api(client)
