"""The settings dialog: inline validation, OK only when valid, applied through the session."""

from __future__ import annotations

import pytest

from console.config import ConfigError
from console.ui.settings_dialog import SettingsDialog


@pytest.fixture
def dialog(qtbot, session):
    d = SettingsDialog(session)
    qtbot.addWidget(d)
    d.open()
    qtbot.waitUntil(lambda: d.apps_task is not None and d.apps_task.done())
    return d


def test_applications_are_listed(dialog):
    names = [dialog.app_combo.itemText(i) for i in range(dialog.app_combo.count())]
    assert "Front desk (111)" in names
    assert "2 application(s)" in dialog.apps_status.text()


def test_application_listing_error_is_shown(qtbot, session):
    session.applications_error = ValueError("No API key is stored yet.")
    d = SettingsDialog(session)
    qtbot.addWidget(d)
    qtbot.waitUntil(lambda: d.apps_task.done())
    assert d.apps_status.text() == "Could not list applications: No API key is stored yet."
    assert d.ok_button.isEnabled()


def test_invalid_values_show_inline_messages_and_disable_ok(dialog):
    assert dialog.ok_button.isEnabled()
    dialog.country_edit.setText("U")
    assert not dialog.ok_button.isEnabled()
    assert "Two letters" in dialog.field_errors["default_country"].text()
    dialog.country_edit.setText("US")
    dialog.operator_edit.setText("operator@desk")
    assert not dialog.ok_button.isEnabled()
    assert "sip:" in dialog.field_errors["operator_endpoint"].text()
    dialog.operator_edit.setText("sip:operator@desk.example.com")
    assert dialog.ok_button.isEnabled()
    dialog.public_key_edit.setText("not-base64!")
    assert "base64" in dialog.field_errors["public_key"].text()
    dialog.public_key_edit.setText("")
    dialog.tunnel_combo.setCurrentIndex(dialog.tunnel_combo.findData("manual"))
    assert not dialog.ok_button.isEnabled()
    assert dialog.field_errors["manual_public_url"].text()
    dialog.public_url_edit.setText("https://console.example.com")
    assert dialog.ok_button.isEnabled()


def test_from_numbers_are_validated_as_e164(dialog):
    dialog.new_number_edit.setText("12")
    assert not dialog.add_number_button.isEnabled()
    assert dialog.field_errors["from_numbers"].text()
    dialog.new_number_edit.setText("+44 20 7946 0958")
    assert dialog.add_number_button.isEnabled()
    dialog.add_from_number()
    assert dialog.from_numbers()[-1] == "+442079460958"


def test_signature_warning_when_verification_is_off(dialog):
    assert dialog.verify_warning.isHidden()  # on the Webhooks tab
    dialog.verify_check.setChecked(False)
    assert not dialog.verify_warning.isHidden()


def test_ok_applies_through_the_session(qtbot, dialog, session):
    dialog.api_key_edit.setText("KEY123")
    assert dialog.api_key_edit.echoMode() == dialog.api_key_edit.EchoMode.Password
    dialog.app_combo.setCurrentIndex(dialog.app_combo.findData("222"))
    dialog.retention_spin.setValue(15)
    with qtbot.waitSignal(dialog.applied):
        dialog.accept()
    settings, secrets = session.applied[0]
    assert settings.connection_id == "222"
    assert settings.ended_call_retention_secs == 15
    assert secrets == {"api_key": "KEY123", "public_key": None, "ngrok_authtoken": None}


def test_apply_error_is_shown_inline_and_dialog_stays(qtbot, dialog, session):
    session.apply_error = ConfigError("The settings could not be saved: disk full.")
    dialog.accept()
    qtbot.waitUntil(lambda: dialog.apply_task is None)
    assert dialog.error_label.text() == "The settings could not be saved: disk full."
    assert dialog.isVisible()
    assert session.applied == []
