"""``telnyx-console --self-test``: check an installation offscreen with a scripted call."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import importlib.util
import logging
import os
import pkgutil
import platform
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO, cast

import console
from console import APP_NAME, __version__
from console.paths import HOME_ENV

TOTAL_TIMEOUT = 60.0  # the whole run, so a broken installation never hangs a script
STEP_TIMEOUT = 10.0  # one awaited condition (a webhook arriving, a download)
# Beyond the asyncio timeout, in case something blocks the loop itself (a C call, a deadlock).
WATCHDOG_GRACE = 15.0


class CheckFailed(Exception):
    """An expected failure: its message is the whole explanation, no traceback needed."""


@dataclass
class Report:
    """Prints each check as it completes and counts the outcomes."""

    out: TextIO | None
    passed: int = 0
    failed: list[str] = field(default_factory=list)
    skipped: int = 0
    started: float = field(default_factory=time.monotonic)

    def line(self, text: str) -> None:
        if self.out is None:
            return
        try:
            print(text, file=self.out, flush=True)
        except OSError:
            self.out = None  # a closed pipe (`| head`): keep checking, stop printing

    def ok(self, text: str) -> None:
        self.passed += 1
        self.line(f"[ ok ] {text}")

    def fail(self, what: str, reason: str) -> None:
        self.failed.append(what)
        self.line(f"[FAIL] {what}: {reason}")

    def skip(self, what: str, reason: str) -> None:
        self.skipped += 1
        self.line(f"[skip] {what}: {reason}")

    def summary(self) -> int:
        elapsed = time.monotonic() - self.started
        if self.failed:
            self.line(
                f"self-test FAILED: {len(self.failed)} of {self.passed + len(self.failed)} checks "
                f"failed ({', '.join(self.failed)}) in {elapsed:.1f} s"
            )
            return 1
        skipped = f", {self.skipped} skipped" if self.skipped else ""
        self.line(f"self-test passed: {self.passed} checks{skipped} in {elapsed:.1f} s")
        return 0


def describe(exc: BaseException) -> str:
    """One readable line for an exception."""
    if isinstance(exc, CheckFailed):
        return str(exc)
    if isinstance(exc, TimeoutError):
        return str(exc) or "timed out"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def expected_errors() -> tuple[type[BaseException], ...]:
    """Failures a broken installation or environment produces: reported without a traceback."""
    kinds: list[type[BaseException]] = [CheckFailed, TimeoutError, OSError, ImportError]
    with contextlib.suppress(ImportError):
        from console.telnyx.errors import TelnyxError

        kinds.append(TelnyxError)
    with contextlib.suppress(ImportError):
        from console.events.journal import JournalError

        kinds.append(JournalError)
    with contextlib.suppress(ImportError):
        import httpx

        kinds.append(httpx.HTTPError)
    with contextlib.suppress(ImportError):
        import aiohttp

        kinds.append(aiohttp.ClientError)
    return tuple(kinds)


class LogCapture(logging.Handler):
    """Keeps the app's warnings out of the report; shown after it only if a check failed."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []
        self.ui_errors: list[str] = []
        self.muted = False

    @contextlib.contextmanager
    def mute(self) -> Iterator[None]:
        """For warnings a check provokes on purpose."""
        self.muted = True
        try:
            yield
        finally:
            self.muted = False

    def emit(self, record: logging.LogRecord) -> None:
        if self.muted:
            return
        with contextlib.suppress(Exception):
            self.lines.append(
                f"    {record.levelname.lower()} {record.name}: {record.getMessage()}"
            )

    def __enter__(self) -> LogCapture:
        root = logging.getLogger()
        self._saved = (root.handlers[:], root.level)
        root.handlers[:] = [self]
        root.setLevel(logging.WARNING)
        return self

    def __exit__(self, *exc_info: object) -> None:
        root = logging.getLogger()
        root.handlers[:], level = self._saved
        root.setLevel(level)


class Checks:
    """Runs named checks; a failing check is one ``[FAIL]`` line, never an escaping exception."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.expected = expected_errors()

    def _failed(self, what: str, exc: BaseException) -> None:
        self.report.fail(what, describe(exc))
        if not isinstance(exc, self.expected) and sys.stderr is not None:
            # Not an installation problem but a bug: the traceback belongs in the bug report.
            traceback.print_exception(exc, file=sys.stderr)

    def run(self, what: str, fn: Callable[[], str]) -> bool:
        try:
            detail = fn()
        except Exception as exc:
            self._failed(what, exc)
            return False
        self.report.ok(f"{what}: {detail}" if detail else what)
        return True

    async def arun(self, what: str, fn: Callable[[], Awaitable[str]]) -> bool:
        try:
            detail = await fn()
        except Exception as exc:
            self._failed(what, exc)
            return False
        self.report.ok(f"{what}: {detail}" if detail else what)
        return True


async def wait_for(predicate: Callable[[], Any], what: str, within: float = STEP_TIMEOUT) -> Any:
    """Poll ``predicate`` until it returns something truthy; CheckFailed after ``within`` s."""
    deadline = time.monotonic() + within
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise CheckFailed(f"{what} did not happen within {within:.0f} s")
        await asyncio.sleep(0.02)


# --- checks that need no event loop -----------------------------------------------------------


def check_modules() -> str:
    """Import every console module, as a frozen build must contain them all."""
    names = sorted(
        info.name
        for info in pkgutil.walk_packages(console.__path__, "console.")
        if not info.name.endswith("__main__")
    )
    broken = []
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as exc:
            broken.append(f"{name} ({describe(exc)})")
    if broken:
        raise CheckFailed(f"{len(broken)} of {len(names)} failed: " + "; ".join(broken))
    return f"{len(names)} modules"


def load_qt() -> tuple[Any, str]:
    """A QApplication on the offscreen platform, or CheckFailed naming the missing library."""
    try:
        from PySide6 import QtCore
        from PySide6.QtWidgets import QApplication
    except ImportError as exc:
        hint = ""
        if sys.platform.startswith("linux"):
            hint = " (on Debian: apt-get install libgl1 libegl1 libxkbcommon0 libfontconfig1)"
        raise CheckFailed(f"cannot load Qt: {describe(exc)}{hint}") from None
    app = cast(QApplication, QApplication.instance() or QApplication([APP_NAME]))
    # Closing the test window must not quit the application (and stop the loop under us).
    app.setQuitOnLastWindowClosed(False)
    return app, f"Qt {QtCore.qVersion()}, platform {app.platformName()}"


def check_keyring() -> str:
    """Where secrets would be kept; no keyring is a fact to know, not a failure."""
    from console.secrets import ENV_VARS, SecretStore

    def probe() -> None:
        try:
            store = SecretStore()
            if store.backend_available:
                result.append(f"system keyring ({store.backend.name})")
            else:
                names = ", ".join(ENV_VARS.values())
                result.append(f"none found; secrets can only come from the environment ({names})")
        except Exception as exc:
            result.append(exc)

    result: list[str | Exception] = []
    # Discovery may talk to DBus; a thread with a deadline keeps a stuck bus from hanging us.
    worker = threading.Thread(target=probe, daemon=True)
    worker.start()
    worker.join(5)
    if not result:
        raise CheckFailed("the system keyring did not answer within 5 s")
    if isinstance(result[0], Exception):
        raise CheckFailed(f"the keyring failed: {describe(result[0])}")
    return result[0]


# --- the scripted call --------------------------------------------------------------------------


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


# --- running it -------------------------------------------------------------------------------


def _output() -> tuple[TextIO | None, Path | None]:
    """stdout, or a report file when there is none (a windowed build on Windows or macOS)."""
    if sys.stdout is not None:
        return sys.stdout, None
    path = Path(tempfile.gettempdir()) / f"{APP_NAME}-self-test.txt"
    return path.open("w", encoding="utf-8"), path


def _run_loop(coro_factory: Callable[[], Awaitable[None]], app: Any) -> None:
    """Run under qasync when Qt loaded (the app's own loop), else plain asyncio."""
    if app is None:
        asyncio.run(coro_factory())  # type: ignore[arg-type]
        return
    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(coro_factory())
    finally:
        loop.close()
        asyncio.set_event_loop(None)


def _run_checks(report: Report, checks: Checks, logs: LogCapture, timeout: float) -> None:
    frozen = "frozen build" if getattr(sys, "frozen", False) else "from source"
    report.ok(
        f"{APP_NAME} {__version__} ({frozen}), Python {platform.python_version()} "
        f"on {platform.system()} {platform.machine()}"
    )
    app: Any = None

    def qt() -> str:
        nonlocal app
        app, detail = load_qt()
        return detail

    qt_ok = checks.run("Qt", qt)
    checks.run("console modules import", check_modules)
    checks.run("keyring", check_keyring)
    # ignore_cleanup_errors: on Windows a file still held open must not turn into a traceback.
    with tempfile.TemporaryDirectory(
        prefix=f"{APP_NAME}-selftest-", ignore_cleanup_errors=True
    ) as home:
        # Journal, settings and logs of the test go to a throwaway home, not the operator's.
        os.environ[HOME_ENV] = home
        scenario = Scenario(checks, Path(home), logs)

        async def bounded() -> None:
            try:
                await asyncio.wait_for(scenario.run(qt_ok), timeout)
            except TimeoutError:
                report.fail("self-test", f"did not finish within {timeout:.0f} s")

        try:
            _run_loop(bounded, app)
        except Exception as exc:
            checks._failed("event loop", exc)


def run_self_test(timeout: float = TOTAL_TIMEOUT) -> int:
    """Run every check, print one line each and a summary; 0 only if everything held."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out, report_file = _output()
    report = Report(out)
    checks = Checks(report)

    def watchdog() -> None:
        report.fail("self-test", f"still running after {timeout + WATCHDOG_GRACE:.0f} s; aborted")
        os._exit(3)

    timer = threading.Timer(timeout + WATCHDOG_GRACE, watchdog)
    timer.daemon = True
    timer.start()
    previous_home = os.environ.get(HOME_ENV)
    try:
        with LogCapture() as logs:
            _run_checks(report, checks, logs, timeout)
    finally:
        timer.cancel()
        if previous_home is None:
            os.environ.pop(HOME_ENV, None)
        else:
            os.environ[HOME_ENV] = previous_home
    status = report.summary()
    if status and logs.lines:
        report.line("warnings logged during the self-test:")
        for text in logs.lines:
            report.line(text)
    if report_file is not None and out is not None:
        out.close()
    return status
