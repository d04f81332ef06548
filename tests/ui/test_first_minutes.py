"""A newcomer's first minutes with a real session: nothing red before anything was typed."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from console.config import Settings
from console.secrets import SecretStore, use_in_memory_keyring
from console.session import ConsoleSession
from console.ui.main_window import MainWindow
from tests.e2e.conftest import session, transport, window  # noqa: F401  (fixtures)
from tests.e2e.operator import Operator
from tests.support.qt import run_task


def _red(top: QWidget) -> list[str]:
    """Every visible widget the stylesheet paints as an error, by its name and text."""
    found = []
    for widget in [top, *top.findChildren(QWidget)]:
        if widget.property("severity") == "error" and widget.isVisible():
            text = getattr(widget, "text", lambda: "")()
            found.append(f"{widget.objectName() or type(widget).__name__}: {text}")
    return found


def test_a_first_run_without_a_key_does_not_open_in_red(
    qtbot, qsettings, tmp_path, monkeypatch, caplog
):
    # (its own session: not the demo one the fixtures below make)
    caplog.set_level(logging.INFO)
    """The real ConsoleSession, as the app starts it on a fresh machine with no API key."""
    monkeypatch.setenv("TELNYX_CONSOLE_HOME", str(tmp_path))
    monkeypatch.delenv("TELNYX_API_KEY", raising=False)
    with use_in_memory_keyring():
        session = ConsoleSession(
            Settings(),  # the defaults a first run has: no settings file yet
            SecretStore(environ={}),
            data_dir=tmp_path / "data",
            settings_path=tmp_path / "config" / "settings.json",
            receiver_port=0,
        )
        run_task(qtbot, session.start(), timeout=15000)
        try:
            assert session.client is None  # the first-run case: no key anywhere
            window = MainWindow(session, qsettings=qsettings)
            qtbot.addWidget(window)
            window.show()
            qtbot.waitExposed(window)
            window.store_bridge.flush()
            assert _red(window) == []
            assert window.status.api_label.text() == "API: not set up"
            wizard = window.open_setup_wizard()
            qtbot.waitUntil(wizard.isVisible)
            assert _red(wizard) == []  # its first page asks; it does not scold
            wizard.reject()
            window.close()
        finally:
            run_task(qtbot, session.stop(), timeout=15000)
    # Nor in the terminal: nothing is an error before anything was set up.
    loud = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert loud == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_the_window_layout_file_is_private(tmp_path, monkeypatch):
    """layout.ini holds the recent numbers: 0600 like every other file of the console."""
    from console.ui.main_window import layout_settings

    monkeypatch.setenv("TELNYX_CONSOLE_HOME", str(tmp_path / "home"))
    old = os.umask(0o022)
    try:
        settings = layout_settings()
        settings.setValue("dialer/recent", ["+13125550142"])
        settings.sync()
    finally:
        os.umask(old)
    path = Path(settings.fileName())
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700


# --- the demo's support queue, on a real demo session (simulator, receiver, store) ---------


def test_a_queued_demo_caller_never_pops_up_and_can_be_picked(qtbot, window, session):  # noqa: F811
    from console.simulator import demo
    from console.state.entities import CallState

    op = Operator(qtbot, window, session)
    alerts = window.ring_alerts
    shown: list[str] = []
    alerts.popup.show_call = _spy(alerts.popup.show_call, shown)
    sim = session.simulator
    # What the demo's auto-attendant does for a support-line caller: answer, then enqueue.
    ccid = op.run(
        sim.place_inbound_call(from_="+13125550177", to=sim.from_numbers[1], ring_secs=600)
    )
    # The worst case: the window has already drawn the call ringing when the answer comes.
    op.wait(lambda: getattr(session.store.call(ccid), "state", None) is CallState.RINGING)
    window.store_bridge.flush()
    sim.call_command(ccid, "answer", {})
    sim.call_command(ccid, "enqueue", {"queue_name": demo.QUEUE_NAME})
    op.wait(lambda: getattr(session.store.call(ccid), "state", None) is CallState.QUEUED)
    window.store_bridge.flush()
    op.wait(lambda: not alerts.in_grace)
    assert shown == []  # never rang for the operator: the application took it
    window.select_waiter(demo.QUEUE_NAME, ccid)
    op.finish(op.press("pick"))
    op.wait(lambda: session.store.call(ccid).state is not CallState.QUEUED)

    # A caller for the operator still pops up, once the short grace has passed.
    ringing = op.inbound(from_="+13125550178")
    op.wait(lambda: alerts.popup.isVisible() and alerts.popup.ccid == ringing)
    assert shown == [ringing]
    op.act("reject", ringing)


def _spy(show_call, shown: list[str]):
    def spy(call, called, others=0):
        if not shown or shown[-1] != call.call_control_id:
            shown.append(call.call_control_id)
        show_call(call, called, others)

    return spy
