"""The Settings dialog's Team page and the solo-mode webhook guard in the real window.

Validation is checked on the dialog's own fields; the keyring write goes through a real
(unstarted) ConsoleSession and SecretStore, on the tests' in-memory keyring.
"""

from __future__ import annotations

import os
import stat

from console.config import Settings
from console.secrets import Secret, SecretStore
from console.session import ConsoleSession
from console.ui.main_window import MainWindow
from console.ui.settings_dialog import SettingsDialog
from tests.ui.fakes import FakeSession


def open_dialog(qtbot, session) -> SettingsDialog:
    dialog = SettingsDialog(session)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(lambda: dialog.apps_task is not None and dialog.apps_task.done())
    return dialog


def error(dialog, key: str) -> str:
    label = dialog.field_errors[key]
    return label.text() if label.isVisibleTo(dialog) else ""


def choose_team(dialog) -> None:
    page = dialog.team_page
    page.mode_combo.setCurrentIndex(page.mode_combo.findData("team"))


def test_team_mode_needs_a_broker_and_a_name(qtbot, session):
    dialog = open_dialog(qtbot, session)
    dialog.show_team_tab()
    assert dialog.tabs.currentWidget() is dialog.team_page
    assert dialog.ok_button.isEnabled()  # solo, as saved
    choose_team(dialog)
    assert error(dialog, "broker_url") == "Team mode needs the team broker's URL."
    assert error(dialog, "operator_name") == "Team mode needs your name (colleagues see it)."
    assert not dialog.ok_button.isEnabled()

    page = dialog.team_page
    page.operator_name_edit.setText("Alex Smith")
    page.broker_url_edit.setText("http://broker.example.com")
    assert "is not a nats://host:port" in error(dialog, "broker_url")
    page.broker_url_edit.setText("nats://alex:hunter2@broker.example.com:4222")
    assert "not in the URL" in error(dialog, "broker_url")
    page.broker_url_edit.setText("tls://broker.example.com:4222")
    page.operator_id_edit.setText("alex smith!")
    assert "only letters, digits" in error(dialog, "operator_id")
    assert not dialog.ok_button.isEnabled()
    page.operator_id_edit.clear()
    assert page.operator_id_edit.placeholderText() == "from your name: alex-smith"
    assert error(dialog, "broker_url") == "" and error(dialog, "operator_name") == ""
    assert dialog.ok_button.isEnabled()
    # No operator phone: said as a warning (colleagues cannot transfer to this operator).
    assert "cannot transfer calls to you" in page.phone_note.text()


def test_ok_saves_team_settings_and_hands_the_password_to_the_session(qtbot, session):
    dialog = open_dialog(qtbot, session)
    choose_team(dialog)
    page = dialog.team_page
    page.broker_url_edit.setText("tls://broker.example.com:4222")
    page.broker_user_edit.setText("alex")
    page.broker_secret_edit.setText("s3cret")
    page.operator_name_edit.setText("Alex")
    page.supervisor_check.setChecked(True)
    with qtbot.waitSignal(dialog.applied):
        dialog.accept()
    settings, secrets = session.applied[0]
    assert (settings.mode, settings.broker_url, settings.broker_user) == (
        "team",
        "tls://broker.example.com:4222",
        "alex",
    )
    assert settings.operator_name == "Alex" and settings.supervisor is True
    assert secrets["broker_password"] == "s3cret"


def test_the_broker_password_goes_to_the_keyring_never_the_file(qtbot, tmp_path):
    path = tmp_path / "settings.toml"
    secrets = SecretStore()
    real = ConsoleSession(Settings(), secrets, data_dir=tmp_path / "data", settings_path=path)
    dialog = open_dialog(qtbot, real)
    assert "Add the Telnyx API key" in dialog.apps_status.text()
    choose_team(dialog)
    page = dialog.team_page
    page.broker_url_edit.setText("nats://127.0.0.1:4222")
    page.broker_secret_edit.setText("token-xyz-123")
    page.operator_name_edit.setText("Sam")
    with qtbot.waitSignal(dialog.applied):
        dialog.accept()
    assert secrets.get(Secret.BROKER_PASSWORD) == "token-xyz-123"
    text = path.read_text()
    assert '"mode": "team"' in text and '"operator_name": "Sam"' in text
    assert "token-xyz-123" not in text
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


# --- the solo-mode webhook guard --------------------------------------------------------------


class GuardedSession(FakeSession):
    def __init__(self):
        super().__init__()
        self.team = None
        self.took_over = 0

    async def take_over_webhook(self) -> None:
        self.took_over += 1
        self.health_changed(webhook_held_by=None, webhook_problem=None)


def test_a_held_webhook_url_is_said_with_take_over_and_join(qtbot, qsettings):
    session = GuardedSession()
    window = MainWindow(session, qsettings=qsettings)
    qtbot.addWidget(window)
    window.show()
    bar = window.team_ui.guard_bar
    assert bar.isHidden()
    session.health_changed(webhook_held_by="abc123.ngrok.app", webhook_problem="held")
    qtbot.waitUntil(bar.isVisible)
    assert "abc123.ngrok.app" in bar.label.text()
    assert "join a team" in bar.label.text()

    bar.join_button.click()  # non-modal: the settings open on the Team page
    dialog = window.settings_dialog
    assert dialog is not None and dialog.tabs.currentWidget() is dialog.team_page
    qtbot.waitUntil(lambda: dialog.apps_task is not None and dialog.apps_task.done())
    dialog.reject()

    bar.take_button.click()  # asks first: the other console would go deaf
    confirm = window.last_confirm
    assert confirm is not None and "stop receiving" in confirm.findChild(type(bar.label)).text()
    assert session.took_over == 0
    confirm.yes_button.click()
    qtbot.waitUntil(lambda: session.took_over == 1)
    qtbot.waitUntil(bar.isHidden)
    assert "receives the application's webhooks now" in window.status.currentMessage()
