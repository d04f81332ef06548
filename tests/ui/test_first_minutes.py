"""A newcomer's first minutes with a real session: nothing red before anything was typed."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from console.config import Settings
from console.secrets import SecretStore, use_in_memory_keyring
from console.session import ConsoleSession
from console.ui.main_window import MainWindow
from tests.support.qt import run_task


def _red(window: QWidget) -> list[str]:
    """Every visible widget the stylesheet paints as an error, by its name and text."""
    found = []
    for widget in [window, *window.findChildren(QWidget)]:
        if widget.property("severity") == "error" and widget.isVisible():
            text = getattr(widget, "text", lambda: "")()
            found.append(f"{widget.objectName() or type(widget).__name__}: {text}")
    return found


def test_a_first_run_without_a_key_does_not_open_in_red(qtbot, qsettings, tmp_path, monkeypatch):
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
