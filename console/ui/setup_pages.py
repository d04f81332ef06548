"""The setup wizard's last account pages: the From numbers (with the default country) and the
summary of what Finish will save.

The key pages are in console/ui/setup_key_pages.py, the application page in
setup_app_page.py, the tunnel page in setup_tunnel_page.py (split up for issue 11).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWizardPage,
)

from console.ui.messages import describe_error
from console.ui.setup_checks import SetupResult, mask_secret, parse_from_numbers
from console.ui.setup_widgets import Message, hint_label
from console.ui.validation import InvalidInput, check_country

if TYPE_CHECKING:  # only for annotations: the wizard imports these pages
    from console.ui.setup_wizard import SetupWizard


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
