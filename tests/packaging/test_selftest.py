"""``--self-test`` from source: the real scripted call, and how failures and hangs read."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tests.packaging.selftest_lines import EXPECTED_OK, assert_lines

ROOT = Path(__file__).resolve().parents[2]


def run(args: list[str], timeout: float = 100) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("TELNYX_CONSOLE_HOME", None)
    return subprocess.run(
        args, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env, check=False
    )


def driver(body: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the self-test in a fresh process with one step replaced by ``body``'s definitions."""
    code = "import sys, time, asyncio\nimport console.selftest as st\n" + textwrap.dedent(body)
    return run([sys.executable, "-c", code], timeout=timeout)


def test_self_test_from_source_passes():
    done = run([sys.executable, "-m", "console", "--self-test"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert_lines(done.stdout, EXPECTED_OK)
    assert "[FAIL]" not in done.stdout
    assert done.stdout.rstrip().splitlines()[-1].startswith("self-test passed: ")
    assert "Traceback" not in done.stderr


def test_a_failing_step_is_one_line_and_skips_what_depends_on_it():
    done = driver(
        """
        async def broken(self):
            raise st.CheckFailed("port 1 is not ours")
        st.Scenario.start_session = broken
        sys.exit(st.run_self_test())
        """
    )
    assert done.returncode == 1
    assert "[FAIL] console session: port 1 is not ours" in done.stdout
    assert "[skip] answer: needs the console session" in done.stdout
    assert "self-test FAILED: " in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_an_unexpected_error_keeps_its_traceback_for_the_bug_report():
    done = driver(
        """
        async def buggy(self):
            return {}["nope"]
        st.Scenario.start_session = buggy
        sys.exit(st.run_self_test())
        """
    )
    assert done.returncode == 1
    assert "[FAIL] console session: KeyError: 'nope'" in done.stdout
    assert "Traceback" in done.stderr


def test_a_hanging_step_is_bounded_by_the_total_timeout():
    started = time.monotonic()
    done = driver(
        """
        async def hangs(self):
            await asyncio.sleep(3600)
        st.Scenario.start_session = hangs
        sys.exit(st.run_self_test(timeout=2))
        """
    )
    assert time.monotonic() - started < 30
    assert done.returncode == 1
    assert "[FAIL] self-test: did not finish within 2 s" in done.stdout


def test_a_blocked_loop_is_ended_by_the_watchdog():
    done = driver(
        """
        async def blocks(self):
            time.sleep(3600)
        st.Scenario.start_session = blocks
        st.WATCHDOG_GRACE = 1
        sys.exit(st.run_self_test(timeout=1))
        """
    )
    assert done.returncode == 3
    assert "[FAIL] self-test: still running after 2 s; aborted" in done.stdout


def test_without_qt_the_call_is_still_checked_and_qt_named_as_the_failure():
    done = driver(
        """
        sys.modules["PySide6.QtWidgets"] = None  # what a missing libGL looks like to Python
        sys.exit(st.run_self_test())
        """
    )
    assert done.returncode == 1
    assert "[FAIL] Qt: cannot load Qt: " in done.stdout
    assert "[ ok ] hangup: store shows ended" in done.stdout
    assert "[skip] main window: needs Qt" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_without_stdout_the_report_goes_to_a_file(tmp_path):
    done = driver(
        f"""
        import tempfile
        tempfile.tempdir = {str(tmp_path)!r}
        sys.stdout = None  # a windowed build on Windows or macOS
        sys.exit(st.run_self_test())
        """
    )
    assert done.returncode == 0, done.stderr
    report = (tmp_path / "telnyx-console-self-test.txt").read_text(encoding="utf-8")
    assert report.splitlines()[-1].startswith("self-test passed: ")
