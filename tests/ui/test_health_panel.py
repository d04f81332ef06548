"""The webhook health panel against a fake session (the real Health snapshot, fake operations)."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from console.config import Settings
from console.operations.health import Health
from console.telnyx.errors import NetworkError
from console.ui.formatting import format_time
from console.ui.health_panel import HealthPanel
from tests.support.fake_session import FakeSession as BaseFakeSession

T0 = datetime(2026, 5, 4, 12, 0, 0, tzinfo=UTC)


class FakeSession(BaseFakeSession):
    """The one fake session, started from ``health``; ``update`` changes it as the session does."""

    def __init__(self, health=None):
        super().__init__(health=health if health is not None else Health())
        self.path_result = "✔ The receiver listens at http://127.0.0.1:8765/webhooks/telnyx."

    @property
    def listeners(self):
        return self._health_cbs

    def update(self, **changes):
        self.health_changed(**changes)


class Clock:
    def __init__(self, moment: datetime):
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def clock():
    return Clock(T0)


@pytest.fixture
def session():
    return FakeSession(
        Health(
            receiver_url="http://127.0.0.1:8765/webhooks/telnyx",
            tunnel_state="up",
            tunnel_url="https://abc.ngrok.app",
            webhook_url="https://abc.ngrok.app/webhooks/telnyx",
            api_reachable=True,
            verification_enabled=True,
            last_event_at=T0 - timedelta(seconds=42),
            last_delivery_delay=0.4,
            retries_seen=3,
            rejected_count=2,
        )
    )


@pytest.fixture
def panel(qtbot, session, clock):
    widget = HealthPanel(session, now=clock)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _text(panel: HealthPanel, key: str) -> str:
    return panel.values[key].text()


def test_fields_render_from_health(panel):
    assert _text(panel, "tunnel") == "Up"
    assert _text(panel, "public_url") == "https://abc.ngrok.app"
    assert _text(panel, "webhook_url") == "https://abc.ngrok.app/webhooks/telnyx"
    assert _text(panel, "receiver") == "http://127.0.0.1:8765/webhooks/telnyx"
    assert _text(panel, "last_event").startswith("42 s ago")
    assert _text(panel, "delay") == "0.4 s"
    assert _text(panel, "retries") == "3"
    assert _text(panel, "rejected") == "2"
    assert panel.values["rejected"].property("kind") == "error"
    assert _text(panel, "verification") == "On"
    assert _text(panel, "api") == "Reachable"
    assert not panel.banner.isVisible()


def test_every_control_has_an_accessible_name(panel):
    from PySide6.QtWidgets import QLabel, QPushButton

    for widget in panel.findChildren(QPushButton) + list(panel.values.values()):
        assert widget.accessibleName(), widget
    labels = [w for w in panel.findChildren(QLabel) if w.accessibleName()]
    assert {panel.banner, panel.test_result, panel.resync_result} <= set(labels)


def test_updates_follow_on_health(qtbot, panel, session):
    session.update(
        tunnel_state="failed",
        tunnel_error="ngrok authtoken is not valid",
        api_reachable=False,
        api_last_error="Could not connect to Telnyx (api.telnyx.com)",
        verification_enabled=False,
        webhook_problem="Point the application's webhook at https://x by hand.",
    )
    qtbot.waitUntil(lambda: _text(panel, "tunnel").startswith("Failed"))
    assert "authtoken is not valid" in _text(panel, "tunnel")
    assert panel.values["tunnel"].property("kind") == "error"
    assert _text(panel, "api") == "Unreachable: Could not connect to Telnyx (api.telnyx.com)"
    assert _text(panel, "verification").startswith("Off")
    assert panel.values["verification"].property("kind") == "warning"
    assert "by hand" in _text(panel, "webhook_url")


def test_last_event_age_ticks(qtbot, panel, clock):
    clock.moment = T0 + timedelta(seconds=60)
    qtbot.waitUntil(lambda: _text(panel, "last_event").startswith("1 min ago"), timeout=3000)


def test_silence_warning_shows_the_banner(qtbot, panel, session):
    session.update(silence_warning=True)
    qtbot.waitUntil(panel.banner.isVisible)
    assert "No webhook event for 42 s while calls are live" in panel.banner.text()
    assert panel.values["last_event"].property("kind") == "error"
    session.update(silence_warning=False, last_event_at=T0)
    qtbot.waitUntil(lambda: not panel.banner.isVisible())


def test_the_path_test_shows_the_result_and_reenables(qtbot, panel, session):
    session.gate = asyncio.Event()
    qtbot.mouseClick(panel.test_button, Qt.MouseButton.LeftButton)
    assert not panel.test_button.isEnabled()
    assert panel.test_result.text() == "Testing the webhook path…"
    with qtbot.waitSignal(panel.path_test_finished) as blocker:
        session.gate.set()
    assert blocker.args[0] is True
    assert panel.test_result.text() == f"{format_time(T0)}  {session.path_result}"
    assert panel.test_result.property("kind") == "ok"
    assert panel.test_button.isEnabled()


def test_a_failing_link_is_marked(qtbot, panel, session):
    session.path_result = "✔ receiver\n✘ Telnyx did not deliver the test event."
    with qtbot.waitSignal(panel.path_test_finished) as blocker:
        panel.test_path()
    assert blocker.args[0] is False
    assert panel.test_result.property("kind") == "error"


def test_a_raising_path_test_gives_a_readable_message(qtbot, panel, session, caplog):
    session.path_error = NetworkError("Could not connect to Telnyx (api.telnyx.com): refused")
    with qtbot.waitSignal(panel.path_test_finished):
        panel.test_path()
    assert "Test failed: Could not connect to Telnyx" in panel.test_result.text()
    assert panel.test_button.isEnabled()

    session.path_error = KeyError("receiver")
    with caplog.at_level(logging.ERROR), qtbot.waitSignal(panel.path_test_finished):
        panel.test_path()
    text = panel.test_result.text()
    assert "Test failed: Unexpected error: KeyError" in text
    assert "Traceback" not in text
    assert any(r.exc_info for r in caplog.records)  # the details went to the log


def test_resync_now(qtbot, panel, session):
    with qtbot.waitSignal(panel.resync_finished) as blocker:
        qtbot.mouseClick(panel.resync_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0] is True and session.resync_reasons == ["operator"]
    assert "Resynced" in panel.resync_result.text()
    session.resync_error = ValueError("Choose the Call Control application in Settings first.")
    with qtbot.waitSignal(panel.resync_finished) as blocker:
        panel.resync()
    assert blocker.args[0] is False
    assert "Resync failed: Choose the Call Control application" in panel.resync_result.text()
    assert panel.resync_button.isEnabled()


def test_minimal_health_and_no_session(qtbot, clock):
    widget = HealthPanel(now=clock)
    qtbot.addWidget(widget)
    assert not widget.test_button.isEnabled() and not widget.resync_button.isEnabled()
    assert widget.test_path() is None
    # A snapshot with nothing known yet: the optional fields read as "not yet", never "None".
    minimal = Health(tunnel_state="reconnecting", silence_warning=True)
    fake = FakeSession(minimal)
    widget.set_session(fake)
    assert _text(widget, "tunnel") == "Reconnecting…"
    assert _text(widget, "last_event") == "None yet"
    assert _text(widget, "api") == "Not checked yet"
    assert "No webhook event yet" in widget.banner.text()
    assert widget.test_button.isEnabled()
    widget.set_session(None)
    assert fake.listeners == []  # let go of the old session


def test_with_a_real_demo_session(qtbot, tmp_path, monkeypatch):
    """The panel against the real ConsoleSession on the built-in simulator (no fakes)."""
    from console.secrets import SecretStore, use_in_memory_keyring
    from console.session import ConsoleSession
    from tests.support.qt import run_task

    monkeypatch.setenv("TELNYX_CONSOLE_HOME", str(tmp_path))
    with use_in_memory_keyring():
        console = ConsoleSession(
            Settings(tunnel_provider="none"),
            SecretStore(environ={}),
            demo=True,
            data_dir=tmp_path / "data",
            settings_path=tmp_path / "config" / "settings.json",
            receiver_port=0,
            simulator_options={"speed": 50, "seed": 7},
            demo_traffic=False,
        )
        run_task(qtbot, console.start(), timeout=15000)
        try:
            widget = HealthPanel(console)
            qtbot.addWidget(widget)
            assert _text(widget, "tunnel") == "Demo (simulator)"
            assert _text(widget, "receiver") == console.health.receiver_url
            with qtbot.waitSignal(widget.path_test_finished, timeout=15000) as blocker:
                qtbot.mouseClick(widget.test_button, Qt.MouseButton.LeftButton)
            assert blocker.args[0] is True, blocker.args[1]
            qtbot.waitUntil(lambda: not _text(widget, "last_event").startswith("None"))
            with qtbot.waitSignal(widget.resync_finished, timeout=15000) as blocker:
                widget.resync()
            assert blocker.args[0] is True, blocker.args[1]
            assert "operator" in _text(widget, "resync")
        finally:
            run_task(qtbot, console.stop(), timeout=15000)
