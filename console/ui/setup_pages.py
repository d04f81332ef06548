"""The setup wizard's account pages: API key, webhook public key, application, numbers, summary."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from console.ui.fields import secret_field
from console.ui.messages import describe_error
from console.ui.setup_checks import (
    API_KEYS_URL,
    APPLICATIONS_URL,
    PUBLIC_KEY_URL,
    SetupResult,
    check_webhook_public_key,
    describe_key_error,
    mask_secret,
    parse_from_numbers,
)
from console.ui.setup_widgets import Message, busy_bar, field_row, hint_label
from console.ui.validation import InvalidInput, check_country

if TYPE_CHECKING:  # only for annotations: the wizard imports these pages
    from console.ui.setup_wizard import SetupWizard


class ApiKeyPage(QWizardPage):
    """The key is checked by listing the account's applications when the operator presses Next."""

    def __init__(self, owner: SetupWizard):
        super().__init__(owner)
        self.owner = owner
        self.setTitle("Telnyx API key")
        self.setSubTitle("The console acts on your calls with this key.")
        self.check_task: asyncio.Future | None = None
        self.verified_key: str | None = None
        self._checking = False

        hint = hint_label(
            self,
            f'Create or copy a key in Mission Control: <a href="{API_KEYS_URL}">Account '
            "settings → API Keys</a>. It is stored in the system keyring, never in a file.",
        )
        self.key_edit, row = secret_field(self, "Telnyx API key", "KEY0123456789ABCDEF…")
        self.key_edit.textChanged.connect(self._on_key_changed)
        api = QLabel(f"API address: {owner.base_settings.api_base_url}", self)
        api.setAccessibleName("API address")
        self.busy = busy_bar(self, "Checking the API key")
        self.message = Message(self, "API key check result")

        form = QFormLayout()
        form.addRow("API &key", row)
        layout = QVBoxLayout(self)
        if owner.secrets_problem:
            # Said first, before anything is typed: where the secrets will (not) be kept.
            self.keyring_message = Message(self, "Where secrets are kept")
            self.keyring_message.show_text(
                f"{owner.secrets_problem} The key typed here is checked but not saved; set it "
                "in the environment for the next start.",
                "warning",
            )
            layout.addWidget(self.keyring_message)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(api)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def key(self) -> str:
        return self.key_edit.text().strip()

    @property
    def checking(self) -> bool:
        return self._checking

    def isComplete(self) -> bool:
        return bool(self.key()) and not self._checking

    def validatePage(self) -> bool:
        key = self.key()
        if key and key == self.verified_key:
            return True
        self.start_check()
        return False  # the check moves on by itself when Telnyx accepts the key

    def _on_key_changed(self) -> None:
        if self.check_task is not None and not self.check_task.done():
            self.check_task.cancel()  # a result for an older key would be misleading
        self.verified_key = None
        self._set_checking(False)
        self.message.clear_text()

    def _set_checking(self, checking: bool) -> None:
        self._checking = checking
        self.busy.setVisible(checking)
        self.completeChanged.emit()

    def start_check(self) -> asyncio.Future | None:
        key = self.key()
        if not key or self._checking:
            return self.check_task
        self._set_checking(True)
        self.message.show_text("Checking the key with Telnyx…", "info")
        self.check_task = asyncio.ensure_future(self._check(key))
        return self.check_task

    async def _check(self, key: str) -> None:
        try:
            apps = await self.owner.fetch_applications(key)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self._set_checking(False)
            self.message.show_text(describe_key_error(exc, self.owner.base_settings.api_base_url))
            self.key_edit.setFocus()
            return
        self._set_checking(False)
        if key != self.key():
            return
        self.verified_key = key
        self.owner.set_applications(apps)
        self.message.show_text(
            f"Key accepted: {len(apps)} Call Control application(s) in the account.", "ok"
        )
        if self.owner.currentPage() is self:
            self.owner.next()


class PublicKeyPage(QWizardPage):
    def __init__(self, owner: SetupWizard):
        super().__init__(owner)
        self.owner = owner
        self.setTitle("Webhook public key")
        self.setSubTitle("The console checks that every webhook really comes from Telnyx.")
        hint = hint_label(
            self,
            "Copy it from Mission Control: "
            f'<a href="{PUBLIC_KEY_URL}">Account settings → Keys &amp; Credentials → Public '
            "Key</a>. It is one key per account: 44 characters of base64 ending in “=”.",
        )
        self.key_edit = QLineEdit(self)  # a public key is not secret: no masking
        self.key_edit.setAccessibleName("Webhook public key")
        self.key_edit.setPlaceholderText("e.g. 3ZJY6Jx1pRyQ…=")
        self.key_edit.textChanged.connect(self._validate)
        self.message = Message(self, "Public key problem")
        form = QFormLayout()
        form.addRow("&Public key", self.key_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.public_key: str | None = None

    def _validate(self) -> None:
        text = self.key_edit.text()
        try:
            self.public_key = check_webhook_public_key(text)
        except InvalidInput as exc:
            self.public_key = None
            # An empty field is not an error yet: Next is disabled and the hint says what to do.
            self.message.show_text(str(exc) if text.strip() else "")
        else:
            self.message.show_text("The key has the right form.", "ok")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.public_key is not None


class ApplicationPage(QWizardPage):
    def __init__(self, owner: SetupWizard):
        super().__init__(owner)
        self.owner = owner
        self.setTitle("Call Control application")
        self.setSubTitle("The application whose calls this console handles.")
        self.reload_task: asyncio.Future | None = None
        self.combo = QComboBox(self)
        self.combo.setAccessibleName("Call Control application")
        self.combo.currentIndexChanged.connect(self._on_selected)
        self.reload_button = QPushButton("&Reload", self)
        self.reload_button.setAccessibleName("Reload the applications")
        self.reload_button.clicked.connect(self.reload)
        self.busy = busy_bar(self, "Loading the applications")
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.details.setAccessibleName("Application details")
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.version_warning = Message(self, "Webhook version warning")
        self.message = Message(self, "Application problem")
        note = hint_label(
            self,
            "When it starts, the console points this application's webhook URL at its tunnel "
            "(and puts it back on exit if Settings say so).",
        )
        form = QFormLayout()
        form.addRow("&Application", field_row(self, self.combo, self.reload_button))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.busy)
        layout.addWidget(self.details)
        layout.addWidget(self.version_warning)
        layout.addWidget(self.message)
        layout.addWidget(note)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.fill(self.owner.applications)

    def fill(self, apps: list[Any]) -> None:
        previous = self.combo.currentData() or self.owner.base_settings.connection_id
        self.combo.blockSignals(True)
        self.combo.clear()
        for app in apps:
            self.combo.addItem(f"{app.application_name or '(no name)'} — {app.id}", app.id)
        index = self.combo.findData(previous)
        self.combo.setCurrentIndex(index if index >= 0 else (0 if apps else -1))
        self.combo.blockSignals(False)
        if not apps:
            self.message.show_text(
                "This account has no Call Control application yet. Create one in Mission "
                f"Control ({APPLICATIONS_URL}; any webhook URL will do, the console replaces "
                "it), then press Reload."
            )
        else:
            self.message.clear_text()
        self._on_selected()

    def selected(self) -> Any | None:
        app_id = self.combo.currentData()
        return next((a for a in self.owner.applications if a.id == app_id), None)

    def _on_selected(self) -> None:
        app = self.selected()
        if app is None:
            self.details.setText("")
            self.version_warning.clear_text()
        else:
            version = app.webhook_api_version or "1"  # Telnyx's default when absent
            self.details.setText(
                f"Webhook URL now: {app.webhook_event_url or '(none)'}\n"
                f"Webhook API version: {version}"
            )
            if version != "2":
                self.version_warning.show_text(
                    f"This application sends webhook API version {version}. The console will "
                    "switch it to version 2 when it starts (version 1 events have another "
                    "shape and signature, which the console cannot read).",
                    "warning",
                )
            else:
                self.version_warning.clear_text()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        loading = self.reload_task is not None and not self.reload_task.done()
        return self.selected() is not None and not loading

    def reload(self) -> asyncio.Future | None:
        if self.reload_task is not None and not self.reload_task.done():
            return self.reload_task
        self.reload_button.setEnabled(False)
        self.busy.show()
        self.reload_task = asyncio.ensure_future(self._reload())
        self.completeChanged.emit()
        return self.reload_task

    async def _reload(self) -> None:
        try:
            apps = await self.owner.fetch_applications(self.owner.api_key)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self.message.show_text(describe_key_error(exc, self.owner.base_settings.api_base_url))
        else:
            self.owner.set_applications(apps)
            self.fill(apps)
        finally:
            self.reload_button.setEnabled(True)
            self.busy.hide()
            # The task counts as running until this returns: re-evaluate once it is done.
            asyncio.get_running_loop().call_soon(self.completeChanged.emit)


class NumbersPage(QWizardPage):
    def __init__(self, owner: SetupWizard):
        super().__init__(owner)
        self.owner = owner
        self.setTitle("From numbers")
        self.setSubTitle("The Telnyx numbers your outbound calls show as caller ID.")
        base = owner.base_settings
        self.country_edit = QLineEdit(base.default_country, self)
        self.country_edit.setMaxLength(2)
        self.country_edit.setAccessibleName("Default country")
        self.country_edit.setToolTip("Numbers typed without + are read as numbers of this country")
        self.country_edit.textChanged.connect(self._validate)
        self.country_message = Message(self, "Default country problem")
        self.numbers_edit = QPlainTextEdit("\n".join(base.from_numbers), self)
        self.numbers_edit.setAccessibleName("From numbers, one per line")
        self.numbers_edit.setPlaceholderText("+13125550100\n+44 20 7946 0958")
        self.numbers_edit.setTabChangesFocus(True)
        self.numbers_edit.textChanged.connect(self._validate)
        self.message = Message(self, "From numbers problems")
        form = QFormLayout()
        form.addRow("Default &country", self.country_edit)
        form.addRow("", self.country_message)
        form.addRow("N&umbers", self.numbers_edit)  # Alt+N is the wizard's Next
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint_label(
                self, "One number per line, numbers you own at Telnyx. Spaces and dashes are fine."
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.message)
        self.numbers: list[str] = []
        self.country: str | None = None
        self.problems: list[str] = []
        self._validate()

    def _validate(self) -> None:
        try:
            self.country = check_country(self.country_edit.text())
        except InvalidInput as exc:
            self.country = None
            self.country_message.show_text(str(exc))
        else:
            self.country_message.clear_text()
        self.numbers, self.problems = parse_from_numbers(
            self.numbers_edit.toPlainText(), self.country
        )
        if self.problems:
            self.message.show_text("\n".join(self.problems))
        elif not self.numbers:
            self.message.show_text(
                "No from number: you can answer calls but not dial out until you add one "
                "(also possible later in Settings).",
                "info",
            )
        else:
            self.message.show_text(f"Will use: {', '.join(self.numbers)}", "ok")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.country is not None and not self.problems


class SummaryPage(QWizardPage):
    def __init__(self, owner: SetupWizard):
        super().__init__(owner)
        self.owner = owner
        self.setTitle("Summary")
        self.setSubTitle("Nothing is saved until you press Finish.")
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Summary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = Message(self, "Setup problem")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(
            hint_label(
                self,
                "On Finish the console saves these settings, keeps the keys in the system "
                "keyring, starts the tunnel and points the application's webhook at it.",
            )
        )
        self.built: SetupResult | None = None

    def initializePage(self) -> None:
        try:
            self.built = self.owner.build_result()
        except Exception as exc:
            self.built = None
            self.summary.setText("")
            self.message.show_text(f"These settings cannot be used: {describe_error(exc)}")
        else:
            self.message.clear_text()
            self.summary.setText(self._describe(self.built))
        self.completeChanged.emit()

    def _describe(self, result: SetupResult) -> str:
        s = result.settings
        app = self.owner.application_page.selected()
        app_name = f"{app.application_name} ({s.connection_id})" if app else s.connection_id
        tunnel = {
            "ngrok": "ngrok"
            + (f", domain {s.ngrok_domain}" if s.ngrok_domain else "")
            + (f", region {s.ngrok_region}" if s.ngrok_region else ", automatic region")
            + f", agent {s.ngrok_path or 'ngrok on PATH'}",
            "manual": f"manual, {s.manual_public_url}",
            "none": "none (no live events from Telnyx)",
        }[s.tunnel_provider]
        lines = [
            f"API key: {mask_secret(result.api_key)} (checked with {s.api_base_url})",
            f"Webhook public key: {result.public_key[:8]}… (signatures verified)",
            f"Application: {app_name}",
            f"From numbers: {', '.join(s.from_numbers) or 'none'} (default country "
            f"{s.default_country})",
            f"Tunnel: {tunnel}",
        ]
        if s.tunnel_provider == "ngrok":
            token = result.ngrok_authtoken
            lines.append(
                f"ngrok authtoken: {mask_secret(token)}"
                if token
                else "ngrok authtoken: from NGROK_AUTHTOKEN"
            )
        return "\n".join(lines)

    def isComplete(self) -> bool:
        return self.built is not None
