"""The setup wizard's tunnel page: ngrok, a manual https proxy or no tunnel, checked as typed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from console.tunnel import AgentNotFoundError, resolve_agent_path
from console.ui.fields import secret_field
from console.ui.setup_checks import settings_problem
from console.ui.setup_widgets import Message, field_row, hint_label
from console.ui.validation import InvalidInput, check_https_url

if TYPE_CHECKING:  # only for annotations: the wizard imports this page
    from console.ui.setup_wizard import SetupWizard

NGROK_AUTHTOKEN_URL = "https://dashboard.ngrok.com/get-started/your-authtoken"
NGROK_REGIONS = [("", "Automatic (closest)")] + [
    (code, code) for code in ("us", "eu", "ap", "au", "sa", "jp", "in")
]


class TunnelPage(QWizardPage):
    """How Telnyx reaches this computer: ngrok, the operator's own https proxy, or nothing."""

    def __init__(self, owner: SetupWizard):
        super().__init__(owner)
        self.owner = owner
        self.setTitle("Tunnel")
        self.setSubTitle("Telnyx delivers call events over the internet to this computer.")
        base = owner.base_settings
        self.problems: dict[str, str] = {}

        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        choices = [
            ("ngrok", "ngro&k: a public https address for this computer (recommended)"),
            ("manual", "&Manual: my own https reverse proxy forwards to this computer"),
            ("none", "N&one: no tunnel (Telnyx cannot reach this computer; no live events)"),
        ]
        for value, text in choices:
            radio = QRadioButton(text, self)
            radio.setAccessibleName(f"Tunnel: {value}")
            self.group.addButton(radio)
            self.radios[value] = radio
            radio.toggled.connect(self._validate)

        self.ngrok_box = QGroupBox("ngrok", self)
        self.ngrok_box.setAccessibleName("ngrok settings")
        self.authtoken_edit, token_row = secret_field(
            self.ngrok_box, "ngrok authtoken", "from the ngrok dashboard"
        )
        self.authtoken_edit.textChanged.connect(self._validate)
        self.authtoken_message = Message(self.ngrok_box, "ngrok authtoken problem")
        self.region_combo = QComboBox(self.ngrok_box)
        self.region_combo.setEditable(True)
        self.region_combo.setAccessibleName("ngrok region")
        for code, label in NGROK_REGIONS:
            self.region_combo.addItem(label, code)
        if base.ngrok_region:
            self.region_combo.setCurrentText(base.ngrok_region)
        self.region_combo.currentTextChanged.connect(self._validate)
        self.region_message = Message(self.ngrok_box, "ngrok region problem")
        self.domain_edit = QLineEdit(base.ngrok_domain or "", self.ngrok_box)
        self.domain_edit.setAccessibleName("ngrok reserved domain")
        self.domain_edit.setPlaceholderText("my-console.ngrok.app (optional: keeps the URL)")
        self.domain_edit.textChanged.connect(self._validate)
        self.domain_message = Message(self.ngrok_box, "ngrok domain problem")
        self.agent_edit = QLineEdit(base.ngrok_path, self.ngrok_box)
        self.agent_edit.setAccessibleName("ngrok agent path")
        self.agent_edit.setPlaceholderText("empty: look for ngrok on PATH")
        self.agent_edit.textChanged.connect(self._validate)
        self.browse_button = QPushButton("Bro&wse…", self.ngrok_box)
        self.browse_button.setAccessibleName("Choose the ngrok agent")
        self.browse_button.clicked.connect(self._browse_agent)
        self.agent_message = Message(self.ngrok_box, "ngrok agent problem")
        self.file_picker: QFileDialog | None = None
        ngrok_form = QFormLayout(self.ngrok_box)
        ngrok_form.addRow("Auth&token", token_row)
        ngrok_form.addRow("", self.authtoken_message)
        ngrok_form.addRow("&Region", self.region_combo)
        ngrok_form.addRow("", self.region_message)
        ngrok_form.addRow("Reserved &domain", self.domain_edit)
        ngrok_form.addRow("", self.domain_message)
        ngrok_form.addRow("A&gent", field_row(self.ngrok_box, self.agent_edit, self.browse_button))
        ngrok_form.addRow("", self.agent_message)

        self.manual_box = QGroupBox("Manual public URL", self)
        self.manual_box.setAccessibleName("Manual tunnel settings")
        self.url_edit = QLineEdit(base.manual_public_url or "", self.manual_box)
        self.url_edit.setAccessibleName("Public URL")
        self.url_edit.setPlaceholderText("https://console.example.com")
        self.url_edit.textChanged.connect(self._validate)
        self.url_message = Message(self.manual_box, "Public URL problem")
        manual_form = QFormLayout(self.manual_box)
        manual_form.addRow("Public &URL", self.url_edit)
        manual_form.addRow("", self.url_message)
        manual_form.addRow(
            hint_label(
                self.manual_box,
                f"Forward it to this computer's receiver port ({base.receiver_port}), path "
                f"{base.receiver_path}.",
            )
        )
        self.none_message = Message(self, "No tunnel warning")

        # The ngrok fields and their messages do not fit small screens: let them scroll.
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        for radio in self.radios.values():
            layout.addWidget(radio)
        layout.addWidget(self.ngrok_box)
        layout.addWidget(self.manual_box)
        layout.addWidget(self.none_message)
        layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        QVBoxLayout(self).addWidget(scroll)
        self.radios.get(base.tunnel_provider, self.radios["ngrok"]).setChecked(True)
        self._validate()

    def provider(self) -> str:
        return next((k for k, r in self.radios.items() if r.isChecked()), "ngrok")

    def region(self) -> str | None:
        index = self.region_combo.findText(self.region_combo.currentText())
        if index >= 0:
            return self.region_combo.itemData(index) or None
        return self.region_combo.currentText().strip() or None

    def _browse_agent(self) -> None:
        # open(), not getOpenFileName(): a nested modal loop would stall the asyncio tasks.
        picker = QFileDialog(self, "Choose the ngrok agent")
        picker.setFileMode(QFileDialog.FileMode.ExistingFile)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.fileSelected.connect(self.agent_edit.setText)
        self.file_picker = picker
        picker.open()

    def _validate(self, *_args: Any) -> None:
        provider = self.provider()
        self.ngrok_box.setEnabled(provider == "ngrok")
        self.manual_box.setEnabled(provider == "manual")
        problems: dict[str, str] = {}
        agent_note = ""
        if provider == "ngrok":
            if not self.authtoken_edit.text().strip() and not self.owner.env_authtoken:
                problems["authtoken"] = (
                    f"ngrok needs your authtoken: copy it from {NGROK_AUTHTOKEN_URL}."
                )
            for key, name, value in (
                ("region", "ngrok_region", self.region()),
                ("domain", "ngrok_domain", self.domain_edit.text().strip() or None),
            ):
                problem = settings_problem(name, value)
                if problem:
                    problems[key] = problem
            agent = self.agent_edit.text().strip()
            try:
                resolve_agent_path(agent or None)
            except AgentNotFoundError as exc:
                # The tunnel's message names the settings key; here the field is "Agent".
                text = str(exc).replace("set 'ngrok_path' in Settings", "choose it under Agent")
                if agent:
                    problems["agent"] = text
                else:
                    # Not blocking: the operator may install ngrok before the first start.
                    agent_note = text
        elif provider == "manual":
            try:
                check_https_url(self.url_edit.text())
            except InvalidInput as exc:
                problems["url"] = str(exc)
        self.problems = problems
        for key, label in (
            ("authtoken", self.authtoken_message),
            ("region", self.region_message),
            ("domain", self.domain_message),
            ("url", self.url_message),
        ):
            label.show_text(problems.get(key, ""))
        if "agent" in problems:
            self.agent_message.show_text(problems["agent"])
        else:
            self.agent_message.show_text(agent_note, "warning")
        if provider == "ngrok" and self.owner.env_authtoken and not self.authtoken_edit.text():
            self.authtoken_message.show_text(
                "Using the authtoken from the NGROK_AUTHTOKEN environment variable.", "info"
            )
        self.none_message.show_text(
            "Without a tunnel Telnyx cannot deliver events here: calls will not appear live. "
            "Choose this only if this computer is itself reachable by Telnyx over https."
            if provider == "none"
            else "",
            "warning",
        )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self.problems

    def values(self) -> dict[str, Any]:
        provider = self.provider()
        values: dict[str, Any] = {"tunnel_provider": provider}
        if provider == "ngrok":
            values.update(
                ngrok_region=self.region(),
                ngrok_domain=self.domain_edit.text().strip() or None,
                ngrok_path=self.agent_edit.text().strip(),
            )
        elif provider == "manual":
            values["manual_public_url"] = self.url_edit.text().strip()
        return values

    def authtoken(self) -> str | None:
        if self.provider() != "ngrok":
            return None
        return self.authtoken_edit.text().strip() or None
