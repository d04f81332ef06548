"""The first-run wizard against the in-process Telnyx simulator (and a failing transport)."""

from __future__ import annotations

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from console.config import Settings
from console.simulator import TelnyxSimulator
from console.telnyx.client import TelnyxClient
from console.telnyx.retry import RetryPolicy
from console.ui.setup_wizard import SetupResult, SetupWizard, parse_from_numbers
from tests.support.qt import run_task


@pytest.fixture
def sim(qtbot):
    simulator = TelnyxSimulator()
    run_task(qtbot, simulator.start(port=0))
    # A second application still on webhook API v1, as Telnyx creates them by default.
    simulator.world.applications.create_app(
        {"application_name": "Old v1 app", "webhook_event_url": "https://old.example.com/hook"}
    )
    yield simulator
    run_task(qtbot, simulator.stop())


def _factory(api_key: str, base_url: str) -> TelnyxClient:
    return TelnyxClient(api_key, base_url=base_url, retry=RetryPolicy(max_attempts=1))


@pytest.fixture
def wizard(qtbot, sim):
    w = SetupWizard(Settings(api_base_url=sim.base_url), client_factory=_factory, environ={})
    qtbot.addWidget(w)
    w.show()
    return w


def _next_enabled(w: SetupWizard) -> bool:
    return w.button(QWizard.WizardButton.NextButton).isEnabled()


def _press_next(qtbot, w: SetupWizard) -> None:
    qtbot.mouseClick(w.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)


def _pass_key_page(qtbot, w: SetupWizard, key: str) -> None:
    w.api_key_page.key_edit.setText(key)
    _press_next(qtbot, w)
    qtbot.waitUntil(lambda: w.currentPage() is w.public_key_page)


def test_api_key_is_masked_with_a_show_toggle(wizard):
    edit = wizard.api_key_page.key_edit
    assert edit.echoMode() == edit.EchoMode.Password
    edit.show_button.setChecked(True)
    assert edit.echoMode() == edit.EchoMode.Normal
    assert not _next_enabled(wizard)  # empty key


def test_wrong_key_shows_the_refusal_and_stays(qtbot, wizard):
    page = wizard.api_key_page
    page.key_edit.setText("KEY-not-the-right-one")
    _press_next(qtbot, wizard)
    assert page.checking and not _next_enabled(wizard)  # busy while Telnyx answers
    qtbot.waitUntil(lambda: page.check_task.done())
    assert wizard.currentPage() is page
    assert "refused by Telnyx (10009)" in page.message.text()
    assert page.message.isVisible()
    assert _next_enabled(wizard)  # may try again


def test_network_error_is_readable(qtbot, sim):
    def unreachable(api_key: str, base_url: str) -> TelnyxClient:
        def fail(request: httpx.Request) -> httpx.Response:
            raise httpx.ConnectError("Connection refused", request=request)

        return TelnyxClient(
            api_key,
            base_url=base_url,
            retry=RetryPolicy(max_attempts=1),
            transport=httpx.MockTransport(fail),
        )

    w = SetupWizard(Settings(), client_factory=unreachable, environ={})
    qtbot.addWidget(w)
    w.show()
    page = w.api_key_page
    page.key_edit.setText("KEYsomething")
    _press_next(qtbot, w)
    qtbot.waitUntil(lambda: page.check_task.done())
    text = page.message.text()
    assert w.currentPage() is page
    assert "Could not connect to Telnyx" in text and "Check the network" in text
    assert "Traceback" not in text


def test_editing_the_key_cancels_a_running_check(qtbot, wizard):
    page = wizard.api_key_page
    page.key_edit.setText(wizard_key := "KEY-first")
    _press_next(qtbot, wizard)
    task = page.check_task
    page.key_edit.setText(wizard_key + "x")
    qtbot.waitUntil(task.done)
    assert task.cancelled()
    assert not page.checking and page.verified_key is None
    assert wizard.currentPage() is page


def test_right_key_loads_the_applications_and_warns_about_v1(qtbot, wizard, sim):
    _pass_key_page(qtbot, wizard, sim.api_key)
    assert {a.id for a in wizard.applications} >= {sim.connection_id}
    assert len(wizard.applications) == 2

    page = wizard.public_key_page
    assert not _next_enabled(wizard)
    page.key_edit.setText("not base64 at all!")
    assert page.message.isVisible() and "base64" in page.message.text()
    assert not _next_enabled(wizard)
    page.key_edit.setText("AAAA")  # base64, but 3 bytes
    assert "32 bytes" in page.message.text()
    page.key_edit.setText(sim.public_key_b64)
    assert _next_enabled(wizard)
    _press_next(qtbot, wizard)

    apps = wizard.application_page
    assert wizard.currentPage() is apps
    assert apps.combo.count() == 2
    old = next(a for a in wizard.applications if a.application_name == "Old v1 app")
    apps.combo.setCurrentIndex(apps.combo.findData(old.id))
    assert "https://old.example.com/hook" in apps.details.text()
    assert apps.version_warning.isVisible()
    assert "switch it to version 2" in apps.version_warning.text()
    apps.combo.setCurrentIndex(apps.combo.findData(sim.connection_id))
    assert not apps.version_warning.isVisible()
    assert _next_enabled(wizard)


def _to_numbers_page(qtbot, w: SetupWizard, sim) -> None:
    _pass_key_page(qtbot, w, sim.api_key)
    w.public_key_page.key_edit.setText(sim.public_key_b64)
    _press_next(qtbot, w)
    w.application_page.combo.setCurrentIndex(w.application_page.combo.findData(sim.connection_id))
    _press_next(qtbot, w)
    assert w.currentPage() is w.numbers_page


def test_bad_from_numbers_show_one_message_per_line(qtbot, wizard, sim):
    _to_numbers_page(qtbot, wizard, sim)
    page = wizard.numbers_page
    page.numbers_edit.setPlainText("+1 312 555 0100\n12\n\nsip:bob@example.com")
    assert not _next_enabled(wizard)
    text = page.message.text()
    assert "Line 2:" in text and "Line 4:" in text and "Line 1" not in text
    page.numbers_edit.setPlainText("+1 312-555-0100\n(312) 555-0101\n+13125550100")
    assert _next_enabled(wizard)
    assert page.numbers == ["+13125550100", "+13125550101"]
    page.country_edit.setText("Q")
    assert not _next_enabled(wizard) and page.country_message.isVisible()


def test_parse_from_numbers_uses_the_default_country():
    numbers, problems = parse_from_numbers("020 7946 0958\n", "GB")
    assert numbers == ["+442079460958"] and problems == []
    numbers, problems = parse_from_numbers("020 7946 0958\n", None)
    assert numbers == [] and problems[0].startswith("Line 1:")


def test_tunnel_page_validates_each_provider(qtbot, wizard, sim, tmp_path):
    _to_numbers_page(qtbot, wizard, sim)
    _press_next(qtbot, wizard)
    page = wizard.tunnel_page
    assert wizard.currentPage() is page

    page.radios["manual"].setChecked(True)
    assert not page.ngrok_box.isEnabled() and page.manual_box.isEnabled()
    page.url_edit.setText("http://console.example.com")
    assert "https" in page.url_message.text() and not _next_enabled(wizard)
    page.url_edit.setText("console.example.com")
    assert page.url_message.isVisible() and not _next_enabled(wizard)
    page.url_edit.setText("https://console.example.com/")
    assert _next_enabled(wizard)

    page.radios["ngrok"].setChecked(True)
    assert "authtoken" in page.authtoken_message.text() and not _next_enabled(wizard)
    assert page.authtoken_edit.echoMode() == page.authtoken_edit.EchoMode.Password
    page.authtoken_edit.setText("2abcdefghijklmnop_token")
    page.domain_edit.setText("not a host")
    assert page.domain_message.isVisible() and not _next_enabled(wizard)
    page.domain_edit.setText("my-console.ngrok.app")
    page.agent_edit.setText(str(tmp_path / "missing-ngrok"))
    assert "not found" in page.agent_message.text() and not _next_enabled(wizard)
    agent = tmp_path / "ngrok"
    agent.write_text("#!/bin/sh\n")
    agent.chmod(0o755)
    page.agent_edit.setText(str(agent))
    page.region_combo.setCurrentText("eu")
    assert _next_enabled(wizard), page.problems

    page.radios["none"].setChecked(True)
    assert page.none_message.isVisible() and _next_enabled(wizard)


def test_finished_wizard_yields_settings_and_secrets(qtbot, wizard, sim, tmp_path):
    _to_numbers_page(qtbot, wizard, sim)
    wizard.numbers_page.numbers_edit.setPlainText("+1 312 555 0199\n+44 20 7946 0958")
    _press_next(qtbot, wizard)
    tunnel = wizard.tunnel_page
    tunnel.radios["ngrok"].setChecked(True)
    tunnel.authtoken_edit.setText("2abcdefghijklmnop_token")
    tunnel.domain_edit.setText("https://my-console.ngrok.app/")
    tunnel.region_combo.setCurrentText("eu")
    _press_next(qtbot, wizard)
    assert wizard.currentPage() is wizard.summary_page
    summary = wizard.summary_page.summary.text()
    assert sim.api_key not in summary and "2abcdefghijklmnop_token" not in summary
    assert sim.connection_id in summary

    with qtbot.waitSignal(wizard.finished_setup) as blocker:
        qtbot.mouseClick(
            wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton
        )
    result = blocker.args[0]
    assert isinstance(result, SetupResult)
    s = result.settings
    assert s.api_base_url == sim.base_url
    assert s.connection_id == sim.connection_id
    assert s.from_numbers == ["+13125550199", "+442079460958"]
    assert s.tunnel_provider == "ngrok"
    assert s.ngrok_domain == "my-console.ngrok.app" and s.ngrok_region == "eu"
    assert s.verify_signatures is True
    assert result.apply_kwargs() == {
        "api_key": sim.api_key,
        "public_key": sim.public_key_b64,
        "ngrok_authtoken": "2abcdefghijklmnop_token",
    }
    assert sim.api_key not in repr(result)
    assert wizard.settings == s and wizard.result() == QWizard.DialogCode.Accepted


def test_manual_tunnel_result_and_env_authtoken(qtbot, sim):
    w = SetupWizard(
        Settings(api_base_url=sim.base_url),
        client_factory=_factory,
        environ={"NGROK_AUTHTOKEN": "from-env-token"},
    )
    qtbot.addWidget(w)
    w.show()
    _to_numbers_page(qtbot, w, sim)
    _press_next(qtbot, w)
    assert w.tunnel_page.radios["ngrok"].isChecked()
    assert "NGROK_AUTHTOKEN" in w.tunnel_page.authtoken_message.text()
    assert _next_enabled(w)  # the environment supplies the token
    w.tunnel_page.radios["manual"].setChecked(True)
    w.tunnel_page.url_edit.setText("https://console.example.com/")
    _press_next(qtbot, w)
    with qtbot.waitSignal(w.finished_setup) as blocker:
        w.accept()
    result = blocker.args[0]
    assert result.settings.tunnel_provider == "manual"
    assert result.settings.manual_public_url == "https://console.example.com"
    assert result.settings.ngrok_domain is None
    assert result.ngrok_authtoken is None  # leaves any stored token alone
    assert result.settings.from_numbers == []


def test_reload_applications_and_cancel_closes_cleanly(qtbot, wizard, sim):
    _pass_key_page(qtbot, wizard, sim.api_key)
    wizard.public_key_page.key_edit.setText(sim.public_key_b64)
    _press_next(qtbot, wizard)
    sim.world.applications.create_app({"application_name": "New app", "webhook_event_url": ""})
    task = wizard.application_page.reload()
    assert not _next_enabled(wizard)
    qtbot.waitUntil(task.done)
    qtbot.waitUntil(lambda: _next_enabled(wizard))
    assert wizard.application_page.combo.count() == 3
    wizard.reject()
    assert wizard.setup_result is None


def test_every_control_has_an_accessible_name(wizard):
    from PySide6.QtWidgets import (
        QAbstractButton,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
        QProgressBar,
    )

    kinds = (QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QProgressBar)
    pages = [wizard.page(i) for i in wizard.pageIds()]
    controls = [c for page in pages for kind in kinds for c in page.findChildren(kind)]
    # A combo box's own line edit is named through the combo box.
    unnamed = [
        c for c in controls if not c.accessibleName() and not isinstance(c.parent(), QComboBox)
    ]
    assert controls and not unnamed, unnamed
