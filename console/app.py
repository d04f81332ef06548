"""The Qt entry point: QApplication + qasync loop, the session's start/stop, the main window.

Shutdown never depends on ``aboutToQuit``: closing the window is intercepted, the session is
stopped (webhook URL restored, tunnel, simulator, client, receiver, journal) while the loop
still runs, and only then does ``run_app`` return. Under qasync, awaiting anything after
``aboutToQuit`` fails with "Event loop stopped before Future completed".
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from console import APP_NAME
from console.errors import words_for

if TYPE_CHECKING:
    from console.session_api import ConsoleApi

log = logging.getLogger(__name__)

ORGANIZATION = "telnyx-console"
DISPLAY_NAME = "Telnyx Console"
RESOURCES = Path(__file__).resolve().parents[1] / "resources"

OnReady = Callable[[Any, Any], None]


def run_app(demo: bool, *, on_ready: OnReady | None = None, log_level: str = "INFO") -> int:
    """Run the console until its window is closed; returns the process exit code.

    ``on_ready(window, session)`` is called once the window is shown (tests use it to close
    the window again).
    """
    _pause_collector()
    try:
        from console.ingest.spawn import discard_early, start_early

        _setup_logging(log_level)
        # The webhook receiver's process boots (aiohttp, pydantic) on the other core while this
        # one loads Qt, the settings, the session and the window; the session adopts it.
        start_early()
        try:
            return _run_qt(demo, on_ready)
        finally:
            discard_early()  # not adopted (the start failed before the session made its own)
    finally:
        _resume_collector()  # if the window was never shown


def _setup_logging(log_level: str) -> None:
    from console.logging_setup import setup_logging

    try:
        setup_logging(log_level)
    except OSError as exc:  # an unwritable log dir must not keep the console from starting
        logging.basicConfig(level=logging.INFO)
        log.error("file logging is off: %s", exc)


def _run_qt(demo: bool, on_ready: OnReady | None) -> int:
    _load_session_code()

    import qasync
    from PySide6.QtWidgets import QApplication

    from console.ui.last_resort import install as install_last_resort

    app = cast(QApplication, QApplication.instance() or QApplication(sys.argv))
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationDisplayName(DISPLAY_NAME)
    app.setWindowIcon(_app_icon())
    # The session must stop before Qt quits: the window's close is the only way out.
    app.setQuitOnLastWindowClosed(False)

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    controller = AppController(app, demo, on_ready=on_ready)
    # An exception escaping a Qt slot is logged and shown, never lost on stderr.
    restore_excepthook = install_last_resort(lambda: controller.window)
    try:
        with loop:
            loop.set_exception_handler(_log_loop_exception)
            _install_signal_handlers(loop, controller)
            loop.call_soon(controller.begin)
            code = loop.run_until_complete(controller.finished)
    finally:
        restore_excepthook()
    return code


# Whether run_app turned the cycle collector off for the start (see _pause_collector).
_collector_paused = False


def _pause_collector() -> None:
    """No cycle collections until the window is shown.

    Loading ~800 modules (pydantic models, Qt wrappers) triggers ~190 of them, ~60 ms of the
    start, and almost nothing they walk is garbage; the app collects once, then freezes the
    start-up objects, right after the window is shown (``_pace_collections``).
    """
    global _collector_paused
    if gc.isenabled():
        gc.disable()
        _collector_paused = True


def _resume_collector() -> None:
    global _collector_paused
    if _collector_paused:
        _collector_paused = False
        gc.enable()


def _load_session_code() -> None:
    """Import the Qt-free modules the session needs before PySide6 is imported.

    Once imported, PySide6's import hook reads the source of every module imported after it
    (looking for "PySide6"): ~0.1 s for these ~500 modules, none of which uses Qt.
    """
    # A failing import is raised again, and reported, where the session is made.
    with contextlib.suppress(Exception):
        import console.config
        import console.secrets
        import console.session  # noqa: F401


def _load_window_code() -> None:
    import console.ui.main_window  # noqa: F401


class AppController:
    """Builds the session and the window, and shuts both down in order."""

    def __init__(self, app: Any, demo: bool, *, on_ready: OnReady | None = None):
        self.app = app
        self.demo = demo
        self.on_ready = on_ready
        self.session: Any = None
        self.window: Any = None
        self.finished: asyncio.Future[int] = asyncio.get_event_loop().create_future()
        self._closing = False
        self._close_filter: Any = None
        self._task: asyncio.Task[None] | None = None
        self._shutdown_task: asyncio.Future[None] | None = None
        self._gc_task: asyncio.Task[None] | None = None

    def begin(self) -> None:
        self._task = asyncio.ensure_future(self._start())

    async def _start(self) -> None:
        from console.ingest.spawn import discard_early, start_early

        start_early()  # already started by run_app; not when the controller is made alone
        try:
            await self._start_session()
        finally:
            discard_early()  # not adopted (team mode, a failed start): it exits

    async def _start_session(self) -> None:
        from console.config import load_settings_or_defaults
        from console.secrets import SecretStore
        from console.session import ConsoleSession

        settings, notices = load_settings_or_defaults()
        secrets = SecretStore()
        if not secrets.backend_available:
            notices.append(secrets.backend_message)
        self.session = ConsoleSession(
            settings,
            secrets,
            demo=self.demo,
            notices=notices,
            ingest_mode="process",
            connect_in_background=True,  # the window opens while the tunnel and API answer
            history_after_window=True,  # an old journal's history fold waits for the window
        )
        # The window's modules load on a worker thread while the session starts: most of that
        # start is the ingest child booting in its own process, so the two use both cores.
        # (Only the import moves; every widget is still made on this thread.)
        loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="window-code")
        window_code = loader.submit(_load_window_code)
        loader.shutdown(wait=False)
        try:
            await self.session.start()
        except Exception as exc:
            log.exception("the console could not start")
            await self._show_fatal(exc)
            self._finish(1)
            return
        finally:
            # Waited for without a turn of the loop: the session's background start (tunnel,
            # webhook URL, resync) then runs once the window is shown, not in this wait.
            with contextlib.suppress(Exception):  # an import error is reported by _open_window
                window_code.result()
        try:
            self._open_window()
        except Exception as exc:
            log.exception("the main window could not be created")
            await self._show_fatal(exc)
            await self.shutdown(1)

    def _open_window(self) -> None:
        try:
            from console.ui.main_window import MainWindow
        except ImportError as exc:
            raise RuntimeError(f"The main window is not available in this build ({exc}).") from exc

        self.window = MainWindow(self.session)
        self._close_filter = _close_filter(self)
        self.window.installEventFilter(self._close_filter)
        self.window.show()
        from console.ui.lag_probe import LagProbe

        # How late the window's loop runs, for /metrics (the benchmarks read it there too).
        self.lag_probe = LagProbe(self.session.metrics.observe_loop_lag, self.window)
        self.lag_probe.start()
        self._gc_task = asyncio.ensure_future(self._pace_collections())
        # On the loop's next turn, once the window is shown and this start has returned.
        asyncio.get_event_loop().call_soon(self.session.window_shown)
        # The window already read the journal when it was built; this is a no-op then, and
        # fills the event log and history if the window was made before the journal opened.
        self.window.load_event_history()
        first_run = first_run_dialog(self.demo, self.session)
        if first_run is not None:
            opener = getattr(self.window, first_run, None)
            if opener is not None:
                opener()
        if self.on_ready is not None:
            self.on_ready(self.window, self.session)

    async def _pace_collections(self) -> None:
        """Full collections in the lulls between bursts of events (see ``gc_pacing``)."""
        from console.gc_pacing import GcPacer

        # What is loaded by now (modules, Qt wrappers, schemas: ~80,000 objects) lives as long
        # as the process. Frozen, it is no longer walked by every full collection, which
        # otherwise stalls the window for tens of milliseconds each time on top of the calls.
        # This first step runs once the window is shown: the collection (~60 ms) no longer
        # delays it.
        gc.collect()
        gc.freeze()
        _resume_collector()  # paused by run_app for the start

        pacer = GcPacer()
        pacer.take_over()
        try:
            while True:
                await asyncio.sleep(1.0)
                pacer.tick(self.session.feed.folded_events)
        finally:
            pacer.give_back()

    def request_close(self) -> None:
        """The window (or a signal) asks to quit: stop the session first, then leave."""
        if not self._closing and self._shutdown_task is None:
            self._shutdown_task = asyncio.ensure_future(self.shutdown(0))

    async def shutdown(self, code: int) -> None:
        if self._closing:
            return
        self._closing = True
        if self._gc_task is not None:
            self._gc_task.cancel()
        if self.session is not None:
            try:
                await self.session.stop()
            except Exception:
                log.exception("stopping the session failed")
        if self.window is not None:
            self.window.removeEventFilter(self._close_filter)
            self.window.close()  # runs the window's own closeEvent (layout saved)
        self._finish(code)

    def _finish(self, code: int) -> None:
        if not self.finished.done():
            self.finished.set_result(code)

    async def _show_fatal(self, exc: BaseException) -> None:
        """A readable message box (never a traceback), shown without a nested event loop."""
        from PySide6.QtWidgets import QMessageBox

        text = words_for(exc)
        box = QMessageBox(QMessageBox.Icon.Critical, DISPLAY_NAME, "The console could not start.")
        box.setInformativeText(text)
        box.setDetailedText("The log has the technical details.")
        done: asyncio.Future[None] = asyncio.get_event_loop().create_future()

        def closed(_result: int) -> None:
            if not done.done():
                done.set_result(None)

        box.finished.connect(closed)
        box.open()
        await done


def needs_setup(demo: bool, session: ConsoleApi) -> bool:
    """First run: a real (not demo) console without an API key (neither keyring nor env).

    The session makes its REST client only when it found a key, so no client means no key.
    """
    return not demo and session.client is None


def first_run_dialog(demo: bool, session: ConsoleApi) -> str | None:
    """The window method to call at start-up: the setup wizard on first run, else nothing."""
    return "open_setup_wizard" if needs_setup(demo, session) else None


def _close_filter(controller: AppController) -> Any:
    """A QObject event filter that turns the window's first close into an ordered shutdown."""
    from PySide6.QtCore import QEvent, QObject

    class CloseFilter(QObject):
        def eventFilter(self, watched: Any, event: Any) -> bool:
            if event.type() == QEvent.Type.Close and not controller._closing:
                event.ignore()
                controller.request_close()
                return True
            return False

    return CloseFilter()


def _app_icon() -> Any:
    from PySide6.QtGui import QIcon

    try:
        from console.ui.icons import app_icon

        icon = app_icon()
        if not icon.isNull():
            return icon
    except Exception:  # the UI package is optional here: fall back to the file
        log.debug("ui icons unavailable", exc_info=True)
    path = RESOURCES / "icons" / "app.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()


def _install_signal_handlers(loop: asyncio.AbstractEventLoop, controller: AppController) -> None:
    """Ctrl+C / SIGTERM close the console the same orderly way as the window's close button."""
    from PySide6.QtCore import QTimer

    # Python runs signal handlers only between bytecodes: a light heartbeat lets it do so
    # while Qt's C++ loop waits for events.
    heartbeat = QTimer(controller.app)
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start(500)
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, controller.request_close)
        except (NotImplementedError, RuntimeError, ValueError):
            with contextlib.suppress(ValueError):  # not the main thread: nothing to install
                signal.signal(
                    sig, lambda *_args: loop.call_soon_threadsafe(controller.request_close)
                )


def _log_loop_exception(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    exc = context.get("exception")
    log.error("unhandled error in the event loop: %s", context.get("message"), exc_info=exc)
