"""The self-test's harness: how a check runs, fails and is reported, one line each.

Apart from :mod:`console.selftest` (what is checked and how the run is bounded) and
:mod:`console.selftest_scenario` (the scripted call) because both use it: a check that fails
is one ``[FAIL]`` line, an expected failure carries no traceback, an unexpected one keeps its
traceback for the bug report, and the app's log warnings are held back unless a check failed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import time
import traceback
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

STEP_TIMEOUT = 10.0  # one awaited condition (a webhook arriving, a download)


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
