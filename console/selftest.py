"""``telnyx-console --self-test``: check an installation offscreen with a scripted call.

This module holds what is checked before the call (Qt, every module importing, the keyring) and
how the run is bounded (a total timeout, and a watchdog for a blocked loop). The scripted call
is in :mod:`console.selftest_scenario`, the harness that runs and reports each check in
:mod:`console.selftest_report`; ``Scenario`` and ``CheckFailed`` are importable from here too.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import pkgutil
import platform
import sys
import tempfile
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TextIO, cast

import console
from console import APP_NAME, __version__
from console.paths import HOME_ENV
from console.selftest_report import CheckFailed, Checks, LogCapture, Report, describe
from console.selftest_scenario import Scenario

TOTAL_TIMEOUT = 60.0  # the whole run, so a broken installation never hangs a script
# Beyond the asyncio timeout, in case something blocks the loop itself (a C call, a deadlock).
WATCHDOG_GRACE = 15.0


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
