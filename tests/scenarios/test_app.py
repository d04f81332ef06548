"""console.app.run_app end to end, offscreen, in a child process (its own QApplication)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import asyncio, sys
    from console.app import run_app
    from console.secrets import use_in_memory_keyring

    seen = {}

    def on_ready(window, session):
        seen["receiver"] = session.receiver.url
        seen["setup_open"] = window.setup_wizard is not None
        if not DEMO:
            window.close()
            return
        seen["title"] = window.windowTitle()

        async def place_and_close():
            ccid = await session.simulator.place_inbound_call(from_="+13125550142")
            await session.simulator.wait_idle(10)
            # Delivered means journalled by the receiver process; the window folds it soon.
            for _ in range(200):
                if session.store.call(ccid) is not None:
                    break
                await asyncio.sleep(0.05)
            seen["call_known"] = session.store.call(ccid) is not None
            seen["ingest_pid"] = getattr(session.ingest, "pid", None)
            window.close()

        asyncio.ensure_future(place_and_close())

    with use_in_memory_keyring():
        code = run_app(demo=DEMO, on_ready=on_ready)
    leftovers = [t for t in asyncio.all_tasks(asyncio.get_event_loop()) if not t.done()]
    print("RESULT", code, seen, len(leftovers))
    sys.exit(code)
    """
)


def _run(tmp_path: Path, demo: bool, extra_env: dict[str, str] | None = None):
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "TELNYX_CONSOLE_HOME": str(tmp_path),
        "TELNYX_API_KEY": "",
        **(extra_env or {}),
    }
    script = CHILD.replace("DEMO", repr(demo))
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )


def test_demo_app_starts_and_stops_cleanly(tmp_path):
    pytest.importorskip("PySide6")
    result = _run(tmp_path, demo=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "RESULT 0" in result.stdout
    assert "'call_known': True" in result.stdout
    assert "'ingest_pid': None" not in result.stdout  # the app receives in a child process
    log = (tmp_path / "logs" / "console.log").read_text()
    assert "webhook receiver stopped" in log
    assert "Traceback" not in log


def test_first_run_opens_the_setup_wizard(tmp_path):
    pytest.importorskip("PySide6")
    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.json").write_text('{"receiver_port": 0, "tunnel_provider": "none"}')
    result = _run(tmp_path, demo=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "'setup_open': True" in result.stdout


def test_start_failure_is_a_message_and_a_nonzero_exit(tmp_path):
    pytest.importorskip("PySide6")
    config = tmp_path / "config"
    config.mkdir()
    # Another program holds the receiver port: start fails, readable box, exit code 1.
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        (config / "settings.json").write_text(
            f'{{"receiver_port": {port}, "tunnel_provider": "none"}}'
        )
        result = _run_closing_dialogs(tmp_path, {"QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 1, result.stderr[-3000:]
    box = next(line for line in result.stdout.splitlines() if line.startswith("BOX"))
    assert "another program" in box.lower() and "Traceback" not in box


def _run_closing_dialogs(tmp_path: Path, extra_env: dict[str, str]):
    """Run the app (not demo) with a timer that accepts the error box when it appears."""
    script = textwrap.dedent(
        """
        import sys
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication, QMessageBox
        from console.app import run_app
        from console.secrets import use_in_memory_keyring

        app = QApplication(sys.argv)

        def accept_boxes():
            for widget in app.topLevelWidgets():
                if isinstance(widget, QMessageBox) and widget.isVisible():
                    print("BOX", widget.informativeText())
                    widget.accept()

        timer = QTimer()
        timer.timeout.connect(accept_boxes)
        timer.start(50)
        with use_in_memory_keyring():
            sys.exit(run_app(demo=False))
        """
    )
    env = {**os.environ, "TELNYX_CONSOLE_HOME": str(tmp_path), **extra_env}
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
