"""The last-resort hook: an exception escaping a Qt slot is logged once and shown, not lost."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from console.tunnel.errors import TunnelConfigError
from console.ui import last_resort
from console.ui.main_window import MainWindow
from tests.ui.fakes import FakeSession


@pytest.fixture
def window(qtbot, qsettings):
    w = MainWindow(FakeSession(), qsettings=qsettings)
    qtbot.addWidget(w)
    w.show()
    return w


@pytest.fixture
def hooked():
    """Install the hook for one test (over pytest-qt's own) and always put the old one back."""
    uninstalls = []

    def install(target):
        uninstalls.append(last_resort.install(target))
        return sys.excepthook

    yield install
    for uninstall in reversed(uninstalls):
        uninstall()


def failing_button(qtbot, exc):
    """A real button whose clicked slot raises ``exc``: Qt, not the test, calls the hook."""
    button = QPushButton("Break")
    qtbot.addWidget(button)

    def slot():
        raise exc

    button.clicked.connect(slot)
    button.show()
    return button


def test_a_slot_exception_is_logged_once_and_shown_in_the_window(qtbot, window, hooked, caplog):
    hooked(lambda: window)
    button = failing_button(qtbot, RuntimeError("boom"))

    with caplog.at_level(logging.ERROR):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    expected = "Something went wrong: Unexpected error: RuntimeError: boom (details in the log)"
    qtbot.waitUntil(lambda: window.notifications.last_message == expected)
    assert window.notifications.isVisible()
    logged = [r for r in caplog.records if r.exc_info and r.exc_info[1] is not None]
    assert len(logged) == 1  # the hook and words_for share one traceback in the log
    assert str(logged[0].exc_info[1]) == "boom"


def test_a_console_error_reads_as_its_own_sentence(qtbot, window, hooked):
    hooked(lambda: window)
    button = failing_button(qtbot, TunnelConfigError("No ngrok authtoken is set."))

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    assert window.notifications.last_message == "Something went wrong: No ngrok authtoken is set."
    assert "Traceback" not in window.notifications.label.text()


def test_before_the_window_exists_a_non_modal_box_says_it(qtbot, hooked):
    hook = hooked(lambda: None)
    button = failing_button(qtbot, KeyError("calls"))

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # returns: nothing waits on the box

    def box():
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
        return next((b for b in boxes if b.isVisible()), None)

    qtbot.waitUntil(lambda: box() is not None)
    shown = box()
    assert shown.windowTitle() == last_resort.TITLE
    assert shown.text() == "Unexpected error: KeyError: 'calls' (details in the log)"
    assert not shown.isModal()
    assert shown in hook.boxes
    shown.accept()
    qtbot.waitUntil(lambda: shown not in hook.boxes)


def test_a_failure_while_reporting_is_logged_not_raised(qtbot, hooked, caplog):
    class BrokenWindow:
        def notify_error(self, text):
            raise RuntimeError("window already deleted")

    hooked(BrokenWindow)
    button = failing_button(qtbot, ValueError("bad digits"))

    with caplog.at_level(logging.ERROR):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    assert "the uncaught exception could not be shown" in caplog.text


def test_ctrl_c_keeps_its_meaning_and_uninstall_restores_the_old_hook(monkeypatch):
    seen = []
    monkeypatch.setattr(sys, "excepthook", lambda *args: seen.append(args[0]))
    previous = sys.excepthook
    uninstall = last_resort.install(lambda: None)
    assert sys.excepthook is not previous

    sys.excepthook(KeyboardInterrupt, KeyboardInterrupt(), None)
    assert seen == [KeyboardInterrupt]

    uninstall()
    assert sys.excepthook is previous


APP_CHILD = textwrap.dedent(
    """
    import asyncio, sys
    from PySide6.QtCore import QTimer
    from console.app import run_app
    from console.secrets import use_in_memory_keyring

    original = sys.excepthook
    seen = {}

    def on_ready(window, session):
        seen["installed"] = sys.excepthook is not original

        def broken_slot():
            raise RuntimeError("boom in a slot")

        async def read_and_close():
            for _ in range(200):
                if window.notifications.last_message:
                    break
                await asyncio.sleep(0.05)
            seen["shown"] = window.notifications.last_message
            window.close()

        QTimer.singleShot(0, broken_slot)
        asyncio.ensure_future(read_and_close())

    with use_in_memory_keyring():
        code = run_app(demo=True, on_ready=on_ready)
    seen["restored"] = sys.excepthook is original
    print("RESULT", code, seen)
    """
)


def test_the_app_installs_the_hook_for_its_run_and_restores_it(tmp_path):
    """The real console: an exception in a Qt callback reaches the window's notification area."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "TELNYX_CONSOLE_HOME": str(tmp_path),
        "TELNYX_API_KEY": "",
    }
    done = subprocess.run(
        [sys.executable, "-c", APP_CHILD],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    result = next((line for line in done.stdout.splitlines() if line.startswith("RESULT")), "")
    assert result, done.stderr[-3000:]
    assert "'installed': True" in result and "'restored': True" in result
    assert "Something went wrong: Unexpected error: RuntimeError: boom in a slot" in result
    log = (tmp_path / "logs" / "console.log").read_text(encoding="utf-8")
    assert "Uncaught exception (shown to the operator)" in log
    assert "Traceback" in log and "RuntimeError: boom in a slot" in log
