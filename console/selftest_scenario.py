"""The self-test's scripted call: a demo-mode ConsoleSession (the app's own wiring) taking an
inbound call through answer, recording, download and hang-up, a tampered webhook, and the main
window following it offscreen.

Apart from :mod:`console.selftest` because it is the one long check, with its own steps and
state; the session, the simulator and the UI are imported inside the steps, so a build that
lacks one of them still reports every other check.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from console.selftest_report import STEP_TIMEOUT, CheckFailed, Checks, LogCapture, wait_for


class Scenario:
    """A demo-mode ConsoleSession (the app's own wiring) and a scripted call through it."""

    CALLER = "+15550100001"

    def __init__(self, checks: Checks, home: Path, logs: LogCapture) -> None:
        self.checks = checks
        self.home = home
        self.logs = logs
        self.session: Any = None
        self.started = False
        self.call_done = False
        self.ccid = ""
        self.recording_url = ""
        self.window: Any = None
        self.window_error: Exception | None = None

    # Each step returns its detail text or raises; run() stops the script at the first failure.
    async def start_session(self) -> str:
        from console.config import Settings
        from console.secrets import InMemoryKeyring, SecretStore
        from console.session import ConsoleSession

        # Everything in the throwaway home; secrets in memory, never the operator's keyring.
        self.session = ConsoleSession(
            Settings(tunnel_provider="none", operator_endpoint=None),
            SecretStore(backend=InMemoryKeyring(), environ={}),
            demo=True,
            data_dir=self.home / "data",
            settings_path=self.home / "config" / "settings.json",
            receiver_port=0,
            simulator_options={"speed": 1.0},  # real time: a slow machine must not ring out
            demo_traffic=False,
        )
        await self.session.start()
        self.started = True
        return "demo mode, data in a temporary folder"

    async def simulator(self) -> str:
        sim = self.session.simulator
        app = await self.session.client.applications.retrieve(sim.connection_id)
        if app.webhook_event_url != self.session.receiver.url:
            raise CheckFailed(
                f"application webhook URL is {app.webhook_event_url!r}, "
                f"not the receiver's {self.session.receiver.url}"
            )
        return f"listening on {sim.base_url}; the REST client reads its application"

    async def receiver(self) -> str:
        receiver = self.session.receiver
        if not receiver.verification_enabled or receiver.key_problem:
            raise CheckFailed(f"signatures are not checked: {receiver.key_problem or 'off'}")
        return f"listening on {receiver.url}, verifying Ed25519 signatures"

    def _call(self) -> Any:
        return self.session.store.call(self.ccid)

    async def inbound_call(self) -> str:
        from console.state.entities import CallState

        self.ccid = await self.session.simulator.place_inbound_call(
            from_=self.CALLER, caller_name="Self Test"
        )
        call = await wait_for(self._call, "the signed call.initiated webhook")
        if call.state is not CallState.RINGING:
            raise CheckFailed(f"store shows {call.state}, expected ringing")
        return f"from {self.CALLER} rings (webhook verified, journalled, in the store)"

    async def answer(self) -> str:
        from console.state.entities import CallState

        await self.session.ops.answer(self.ccid)
        await wait_for(lambda: self._call().state is CallState.ANSWERED, "call.answered")
        return "store shows answered"

    async def record(self) -> str:
        from console.state.entities import RecordingState

        await self.session.ops.record_start(self.ccid)
        if self._call().recording is not RecordingState.RECORDING:
            raise CheckFailed(f"store shows recording {self._call().recording} after start")
        await asyncio.sleep(0.3)  # a recording of some length, so the WAV has samples
        await self.session.ops.record_stop(self.ccid)
        recording = await wait_for(
            lambda: next((r for r in self._call().recordings if r.url), None),
            "call.recording.saved",
        )
        self.recording_url = recording.url
        return f"saved at {recording.url}"

    async def download(self) -> str:
        import httpx

        async with httpx.AsyncClient(timeout=STEP_TIMEOUT) as http:
            response = await http.get(self.recording_url)
        if response.status_code != 200:
            raise CheckFailed(f"GET {self.recording_url} answered {response.status_code}")
        body = response.content
        if body[:4] != b"RIFF" or body[8:12] != b"WAVE":
            raise CheckFailed(f"download is not a WAV file ({len(body)} bytes)")
        return f"WAV, {len(body)} bytes"

    async def hangup(self) -> str:
        from console.state.entities import CallState

        await self.session.ops.hangup(self.ccid)
        await wait_for(lambda: self._call().state is CallState.ENDED, "call.hangup")
        self.call_done = True
        return f"store shows ended, cause {self._call().hangup_cause or 'unknown'}"

    async def journalled(self) -> str:
        journal = self.session.journal
        count = journal.count()
        if count < 4:
            raise CheckFailed(f"journal holds {count} events, expected at least 4")
        actions = [entry.what for entry in self.session.ops.audit.entries()]
        return f"{count} events in {journal.path.name}; audit log: {', '.join(actions)}"

    async def tampered_webhook(self) -> str:
        """A delivery whose body changed after signing must be refused and not journalled."""
        import json

        import httpx

        from console.events.signature import SignatureError, sign, verify

        journal, sim = self.session.journal, self.session.simulator
        before = journal.count()
        body = json.dumps(
            {
                "data": {
                    "record_type": "event",
                    "event_type": "call.hangup",
                    "id": "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
                    "occurred_at": "2024-01-01T00:00:00.000000Z",
                    "payload": {"call_control_id": self.ccid or "v3:selftest"},
                }
            }
        ).encode()
        headers = sign(body, sim.keypair)  # the trusted key, as Telnyx signs
        tampered = body.replace(b"call.hangup", b"call.answered")
        try:
            verify(tampered, headers, sim.public_key_b64)
        except SignatureError as exc:
            reason = exc.reason
        else:
            raise CheckFailed("signature.verify accepted a body changed after signing")
        with self.logs.mute():  # the receiver's warning about it is the expected outcome
            async with httpx.AsyncClient(timeout=STEP_TIMEOUT) as http:
                response = await http.post(
                    self.session.receiver.url,
                    content=tampered,
                    headers={**headers, "content-type": "application/json"},
                )
        if response.status_code < 400:
            raise CheckFailed(f"receiver accepted it with HTTP {response.status_code}")
        if journal.count() != before:
            raise CheckFailed("receiver refused it but journalled it anyway")
        return f"refused ({reason}; receiver answered HTTP {response.status_code})"

    def open_window(self) -> None:
        """Open the main window before the call, so it follows the call as the app's UI would."""
        from PySide6.QtCore import QSettings

        from console.ui.main_window import MainWindow

        # Its own settings file, so the operator's saved window layout is left alone.
        qsettings = QSettings(str(self.home / "window.ini"), QSettings.Format.IniFormat)
        try:
            self.window = MainWindow(self.session, qsettings=qsettings)
            self.window.resize(1280, 800)
        except Exception as exc:
            self.window_error = exc

    async def main_window(self) -> str:
        if self.window is None and self.window_error is None:
            self.open_window()  # the script stopped before the call; the window is still checked
        if self.window_error is not None:
            raise self.window_error
        window = self.window
        try:
            await asyncio.sleep(0.1)  # let queued model updates run
            if self.logs.ui_errors:
                raise CheckFailed(f"the UI logged an error: {self.logs.ui_errors[0]}")
            pixmap = window.grab()
            if shot := os.environ.get("TELNYX_CONSOLE_SELFTEST_SHOT"):
                pixmap.save(shot)  # for a developer checking what the window looked like
            if pixmap.isNull() or pixmap.width() == 0:
                raise CheckFailed("the window rendered an empty image")
            size = f"rendered offscreen at {pixmap.width()}x{pixmap.height()}"
            return f"followed the call; {size}" if self.call_done else size
        finally:
            window.close()
            window.deleteLater()
            self.window = None

    async def run(self, qt_ok: bool) -> None:
        check, report = self.checks.arun, self.checks.report
        call_steps: list[tuple[str, Callable[[], Awaitable[str]]]] = [
            ("inbound call", self.inbound_call),
            ("answer", self.answer),
            ("recording", self.record),
            ("recording download", self.download),
            ("hangup", self.hangup),
            ("journal", self.journalled),
        ]
        window_wanted = qt_ok and importlib.util.find_spec("console.ui.main_window") is not None
        try:
            blocker = None
            if not await check("console session", self.start_session):
                blocker = "the console session"
                report.skip("simulator", f"needs {blocker}")
                report.skip("receiver", f"needs {blocker}")
            else:
                simulator_ok = await check("simulator", self.simulator)
                receiver_ok = await check("receiver", self.receiver)
                if not (simulator_ok and receiver_ok):
                    blocker = "the simulator and receiver"
                elif window_wanted:
                    self.open_window()  # before the call, so it follows it as the app's UI would
            for what, step in call_steps:
                if blocker is None and not await check(what, step):
                    blocker = f"the {what} step"
                    continue
                if blocker is not None:
                    report.skip(what, f"needs {blocker}")
            if self.started:
                await check("tampered webhook", self.tampered_webhook)
            else:
                report.skip("tampered webhook", "needs the console session")
            if not qt_ok:
                report.skip("main window", "needs Qt")
            elif not window_wanted:
                report.skip("main window", "console.ui.main_window is not in this build")
            elif not self.started:
                report.skip("main window", "needs the console session")
            else:
                await check("main window", self.main_window)
        finally:
            if self.window is not None:
                self.window.close()
            if self.session is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(self.session.stop(), 10)
