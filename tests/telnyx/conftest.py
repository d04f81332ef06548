"""Fixtures for the Telnyx client tests: a recording MockTransport and a client wired to it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from console.telnyx import RetryPolicy, TelnyxClient

BASE_URL = "http://telnyx.test/v2"

Responder = Callable[[httpx.Request], httpx.Response]


def ok(data: Any = None, status: int = 200, **kw: Any) -> httpx.Response:
    body = {"data": {"result": "ok"} if data is None else data}
    return httpx.Response(status, json=body, **kw)


@dataclass
class Recorder:
    """Answers requests from a queue of responses (the last one repeats) and records them."""

    responses: list[Responder | httpx.Response | Exception] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if not self.responses:
            return ok()
        item = self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]
        if isinstance(item, Exception):
            raise item
        if isinstance(item, httpx.Response):
            return httpx.Response(
                item.status_code, headers=item.headers, content=item.content, request=request
            )
        return item(request)

    def reply(self, *items: Responder | httpx.Response | Exception) -> Recorder:
        self.responses = list(items)
        return self

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    def body(self, index: int = -1) -> Any:
        content = self.requests[index].content
        return json.loads(content) if content else None


@dataclass
class FakeSleep:
    delays: list[float] = field(default_factory=list)
    now: float = 0.0

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        self.now += delay

    def clock(self) -> float:
        return self.now


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def sleeper() -> FakeSleep:
    return FakeSleep()


@pytest.fixture
def make_client(recorder: Recorder, sleeper: FakeSleep):
    clients: list[TelnyxClient] = []

    def factory(**overrides: Any) -> TelnyxClient:
        kwargs: dict[str, Any] = {
            "api_key": "KEY_test",
            "base_url": BASE_URL,
            "default_country": "US",
            "retry": RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05, max_total=5),
            "transport": httpx.MockTransport(recorder.handler),
            "sleep": sleeper,
            "clock": sleeper.clock,
        }
        kwargs.update(overrides)
        client = TelnyxClient(**kwargs)
        clients.append(client)
        return client

    return factory


@pytest.fixture
async def client(make_client):
    c = make_client()
    async with c:
        yield c
