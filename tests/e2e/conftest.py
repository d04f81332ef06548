"""End to end: the real MainWindow on a real demo ConsoleSession (simulator, receiver, journal,
store, client, operations), sped up, with demo traffic off. Nothing is faked.

The only seams used are ones the session offers: ``client_factory`` builds the ordinary
``TelnyxClient`` over an httpx transport that *records* each request before sending it for
real, so tests can tell what reached the simulator (and that nothing did).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from PySide6.QtCore import QSettings

from console.config import Settings
from console.secrets import SecretStore
from console.session import ConsoleSession
from console.simulator import Faults
from console.telnyx.client import TelnyxClient
from tests.support.qt import event_loop_tasks, qasync_loop, run_task  # noqa: F401  (fixtures)

SPEED = 50.0  # a 2 s ring takes 40 ms
START_STOP_MS = 20_000


@pytest.fixture(autouse=True)
def _loop(event_loop_tasks):  # noqa: F811
    """Every e2e test runs on the shared qasync loop. Torn down after the window and the
    session: by then the session's stop must have left no task running."""
    yield event_loop_tasks
    leftovers = [t for t in asyncio.all_tasks(event_loop_tasks) if not t.done()]
    assert leftovers == [], leftovers


@pytest.fixture(autouse=True)
def _no_errors_logged(caplog):
    """A failure must reach the operator as words, never as a logged traceback behind the UI."""
    caplog.set_level(logging.WARNING)
    yield
    errors = [
        f"{r.name}: {r.getMessage()}"
        for r in caplog.get_records("call")
        if r.levelno >= logging.ERROR
    ]
    assert errors == [], errors


@dataclass(frozen=True)
class SentRequest:
    method: str
    path: str  # e.g. /v2/calls/v3:abc/actions/answer
    body: dict[str, Any]


class RecordingTransport(httpx.AsyncBaseTransport):
    """A real HTTP transport that notes each request it sends (an observer, not a fake)."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.sent: list[SentRequest] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            body = json.loads(request.content) if request.content else {}
        except ValueError:
            body = {}
        self.sent.append(SentRequest(request.method, request.url.path, body))
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()

    def posts(self, suffix: str) -> list[SentRequest]:
        return [r for r in self.sent if r.method == "POST" and r.path.endswith(suffix)]


@pytest.fixture
def transport() -> RecordingTransport:
    return RecordingTransport()


@pytest.fixture
def session(qtbot, tmp_path, transport) -> Iterator[ConsoleSession]:
    def make_client(api_key: str, settings: Settings) -> TelnyxClient:
        return TelnyxClient(
            api_key,
            base_url=settings.api_base_url,
            default_country=settings.default_country,
            transport=transport,
        )

    console = ConsoleSession(
        Settings(tunnel_provider="none"),
        SecretStore(environ={}),
        demo=True,
        data_dir=tmp_path / "data",
        settings_path=tmp_path / "config" / "settings.json",
        receiver_port=0,
        simulator_options={"speed": SPEED, "faults": Faults(), "seed": 7},
        demo_traffic=False,
        client_factory=make_client,
    )
    run_task(qtbot, console.start(), timeout=START_STOP_MS)
    try:
        yield console
    finally:
        run_task(qtbot, console.stop(), timeout=START_STOP_MS)


@pytest.fixture
def window(qtbot, session, tmp_path):
    from console.ui.main_window import MainWindow

    qsettings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    w = MainWindow(session, qsettings=qsettings)
    qtbot.addWidget(w)
    w.show()
    yield w
    # Commands still running would outlive the session: let them finish first.
    qtbot.waitUntil(w.actions.idle, timeout=START_STOP_MS)
    w.close()
