"""First-run setup wizard: API key, webhook key, application, numbers, tunnel; checked as you go."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from console.config import ConfigError, Settings, validate_settings
from console.telnyx.errors import AuthenticationError, NetworkError, PermissionDeniedError
from console.tunnel import AgentNotFoundError, resolve_agent_path
from console.ui import theme
from console.ui.fields import secret_field
from console.ui.messages import describe_error
from console.ui.validation import (
    InvalidInput,
    check_country,
    check_https_url,
    check_public_key,
    normalize_number,
)

log = logging.getLogger(__name__)

API_KEYS_URL = "https://portal.telnyx.com/#/api-keys"
PUBLIC_KEY_URL = "https://portal.telnyx.com/#/api-keys/public-key"
APPLICATIONS_URL = "https://portal.telnyx.com/#/call-control/applications"
NGROK_AUTHTOKEN_URL = "https://dashboard.ngrok.com/get-started/your-authtoken"
NGROK_REGIONS = [("", "Automatic (closest)")] + [
    (code, code) for code in ("us", "eu", "ap", "au", "sa", "jp", "in")
]

# callable(api_key, base_url) -> TelnyxClient (or anything with .applications.list/.aclose)
ClientFactory = Callable[[str, str], Any]


def _default_client_factory(api_key: str, base_url: str) -> Any:
    from console.telnyx.client import TelnyxClient
    from console.telnyx.retry import RetryPolicy

    # One retry only: the operator is watching a spinner and can press Next again.
    return TelnyxClient(
        api_key, base_url=base_url, retry=RetryPolicy(max_attempts=2, max_total=10.0)
    )


# --- checks (pure; each returns the value or raises InvalidInput with the words to show) -------


def describe_key_error(exc: BaseException, base_url: str) -> str:
    """Why the API key check failed, with what to do about it."""
    if isinstance(exc, AuthenticationError):
        code = exc.code or "HTTP 401"
        return (
            f"The API key was refused by Telnyx ({code}). Copy it again from Mission Control "
            f"(Account settings → API Keys, {API_KEYS_URL}); a deleted or revoked key no "
            "longer works."
        )
    if isinstance(exc, PermissionDeniedError):
        return (
            f"This API key may not read Call Control applications ({exc.code or 'HTTP 403'}). "
            "Use a key of the account that owns the application."
        )
    if isinstance(exc, NetworkError):
        return (
            f"{describe_error(exc).rstrip('.')} ({base_url}). Check the network connection, "
            "proxy or firewall, then press Next to try again."
        )
    return f"The API key could not be checked: {describe_error(exc)}"


def check_webhook_public_key(text: str) -> str:
    """The account's webhook public key: base64 of a 32-byte Ed25519 key."""
    return check_public_key(text)


def parse_from_numbers(text: str, country: str | None) -> tuple[list[str], list[str]]:
    """(E.164 numbers, deduplicated; one problem per bad line) from one-number-per-line text."""
    numbers: list[str] = []
    problems: list[str] = []
    for index, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            number = normalize_number(line, country)
        except InvalidInput as exc:
            problems.append(f"Line {index}: {exc}")
            continue
        if number not in numbers:
            numbers.append(number)
    return numbers, problems


def settings_problem(name: str, value: Any) -> str | None:
    """What the Settings model says about one field's value, or None when it accepts it."""
    try:
        validate_settings({name: value})
    except ConfigError as exc:
        text = exc.problems[0] if exc.problems else exc.user_message
        text = text.removeprefix(f"{name}: ")
        return text[:1].upper() + text[1:]
    return None


def _mask(secret: str | None) -> str:
    if not secret:
        return "not set"
    return "••••" + secret[-4:] if len(secret) > 8 else "••••"


@dataclass(frozen=True)
class SetupResult:
    """What the wizard produced; ``apply_kwargs()`` fits ``session.apply_settings``."""

    settings: Settings
    api_key: str = field(repr=False)
    public_key: str = field(repr=False)
    ngrok_authtoken: str | None = field(default=None, repr=False)

    def apply_kwargs(self) -> dict[str, str | None]:
        # None leaves a secret as it is (e.g. an authtoken that comes from the environment).
        return {
            "api_key": self.api_key,
            "public_key": self.public_key,
            "ngrok_authtoken": self.ngrok_authtoken,
        }


# --- small widgets -------------------------------------------------------------------------


class Message(QLabel):
    """An inline message under a field: hidden when empty, coloured by kind."""

    def __init__(self, parent: QWidget, name: str):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAccessibleName(name)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind = ""
        self.hide()

    def show_text(self, text: str, kind: str = "error") -> None:
        """``kind``: "error", "warning", "ok" or "info"."""
        self.kind = kind if text else ""
        self.setText(text)
        self.setAccessibleDescription(text)
        if kind == "error":
            style = f"color: {theme.color('error_fg').name()};"
        elif kind == "warning":
            bg, fg = theme.color("warning_bg").name(), theme.color("warning_fg").name()
            style = f"background: {bg}; color: {fg}; padding: 4px;"
        elif kind == "ok":
            style = f"color: {theme.color('ok').name()};"
        else:
            style = ""
        self.setStyleSheet(style)
        self.setVisible(bool(text))

    def clear_text(self) -> None:
        self.show_text("")


def _row(parent: QWidget, main: QWidget, side: QWidget) -> QWidget:
    """A field with a button beside it, as one widget so the form label's mnemonic works."""
    row = QWidget(parent)
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(main, 1)
    layout.addWidget(side)
    return row


def _busy_bar(parent: QWidget, name: str) -> QProgressBar:
    bar = QProgressBar(parent)
    bar.setRange(0, 0)  # indeterminate: we cannot know how long Telnyx takes
    bar.setTextVisible(False)
    bar.setMaximumHeight(8)
    bar.setAccessibleName(name)
    bar.hide()
    return bar


def _hint(parent: QWidget, text: str) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setOpenExternalLinks(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setAccessibleName("Hint")
    return label


# --- pages ---------------------------------------------------------------------------------


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

        hint = _hint(
            self,
            f'Create or copy a key in Mission Control: <a href="{API_KEYS_URL}">Account '
            "settings → API Keys</a>. It is stored in the system keyring, never in a file.",
        )
        self.key_edit, row = secret_field(self, "Telnyx API key", "KEY0123456789ABCDEF…")
        self.key_edit.textChanged.connect(self._on_key_changed)
        api = QLabel(f"API address: {owner.base_settings.api_base_url}", self)
        api.setAccessibleName("API address")
        self.busy = _busy_bar(self, "Checking the API key")
        self.message = Message(self, "API key check result")

        form = QFormLayout()
        form.addRow("API &key", row)
        layout = QVBoxLayout(self)
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
        hint = _hint(
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
        self.busy = _busy_bar(self, "Loading the applications")
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.details.setAccessibleName("Application details")
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.version_warning = Message(self, "Webhook version warning")
        self.message = Message(self, "Application problem")
        note = _hint(
            self,
            "When it starts, the console points this application's webhook URL at its tunnel "
            "(and puts it back on exit if Settings say so).",
        )
        form = QFormLayout()
        form.addRow("&Application", _row(self, self.combo, self.reload_button))
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
        form.addRow("&Numbers", self.numbers_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(
            _hint(
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
            ("ngrok", "&ngrok: a public https address for this computer (recommended)"),
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
        self.browse_button = QPushButton("&Browse…", self.ngrok_box)
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
        ngrok_form.addRow("A&gent", _row(self.ngrok_box, self.agent_edit, self.browse_button))
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
            _hint(
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
            _hint(
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
            f"API key: {_mask(result.api_key)} (checked with {s.api_base_url})",
            f"Webhook public key: {result.public_key[:8]}… (signatures verified)",
            f"Application: {app_name}",
            f"From numbers: {', '.join(s.from_numbers) or 'none'} (default country "
            f"{s.default_country})",
            f"Tunnel: {tunnel}",
        ]
        if s.tunnel_provider == "ngrok":
            token = result.ngrok_authtoken
            lines.append(
                f"ngrok authtoken: {_mask(token)}"
                if token
                else "ngrok authtoken: from NGROK_AUTHTOKEN"
            )
        return "\n".join(lines)

    def isComplete(self) -> bool:
        return self.built is not None


class SetupWizard(QWizard):
    """Shown with ``open()``. On Finish it emits ``finished_setup(SetupResult)``; it saves nothing.

    ``settings`` is the starting point (api_base_url and any fields the wizard does not ask
    about are kept). ``client_factory(api_key, base_url)`` builds the client used to check the
    key; tests point it at the simulator.
    """

    finished_setup = Signal(object)  # SetupResult

    def __init__(
        self,
        settings: Settings | None = None,
        parent: QWidget | None = None,
        *,
        client_factory: ClientFactory | None = None,
        environ: dict[str, str] | None = None,
    ):
        super().__init__(parent)
        self.base_settings = settings or Settings()
        self._client_factory = client_factory or _default_client_factory
        env = os.environ if environ is None else environ
        self.env_authtoken = bool(env.get("NGROK_AUTHTOKEN", "").strip())
        self.applications: list[Any] = []
        self.setup_result: SetupResult | None = None
        self.setWindowTitle("Set up the Telnyx console")
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, False)

        self.api_key_page = ApiKeyPage(self)
        self.public_key_page = PublicKeyPage(self)
        self.application_page = ApplicationPage(self)
        self.numbers_page = NumbersPage(self)
        self.tunnel_page = TunnelPage(self)
        self.summary_page = SummaryPage(self)
        for page in (
            self.api_key_page,
            self.public_key_page,
            self.application_page,
            self.numbers_page,
            self.tunnel_page,
            self.summary_page,
        ):
            self.addPage(page)
        for which, name in (
            (QWizard.WizardButton.BackButton, "Back"),
            (QWizard.WizardButton.NextButton, "Next"),
            (QWizard.WizardButton.FinishButton, "Finish"),
            (QWizard.WizardButton.CancelButton, "Cancel"),
        ):
            self.button(which).setAccessibleName(name)
        self.resize(700, 600)

    # --- data ------------------------------------------------------------------------------

    @property
    def api_key(self) -> str:
        return self.api_key_page.verified_key or ""

    @property
    def public_key(self) -> str:
        return self.public_key_page.public_key or ""

    @property
    def ngrok_authtoken(self) -> str | None:
        return self.tunnel_page.authtoken()

    @property
    def settings(self) -> Settings | None:
        return self.setup_result.settings if self.setup_result else None

    async def fetch_applications(self, api_key: str) -> list[Any]:
        """Every Call Control application the key can see (a temporary client, closed after)."""
        client = self._client_factory(api_key, self.base_settings.api_base_url)
        try:
            return list(await client.applications.list())
        finally:
            try:
                await client.aclose()
            except Exception:
                log.warning("closing the setup client failed", exc_info=True)

    def set_applications(self, apps: list[Any]) -> None:
        self.applications = list(apps)
        if self.currentPage() is self.application_page:
            self.application_page.fill(self.applications)

    def build_result(self) -> SetupResult:
        """The Settings and secrets from every page; ConfigError/ValueError when invalid."""
        app = self.application_page.selected()
        if app is None:
            raise ValueError("Choose the Call Control application.")
        if not self.api_key:
            raise ValueError("The API key has not been checked.")
        data = self.base_settings.model_dump()
        # Fields of the other tunnel kinds go back to their defaults, so nothing stale remains.
        data.update(
            connection_id=app.id,
            from_numbers=self.numbers_page.numbers,
            default_country=self.numbers_page.country or self.base_settings.default_country,
            manual_public_url=None,
            ngrok_region=None,
            ngrok_domain=None,
            ngrok_path="",
            verify_signatures=True,
        )
        data.update(self.tunnel_page.values())
        settings = validate_settings(data)
        return SetupResult(
            settings=settings,
            api_key=self.api_key,
            public_key=check_webhook_public_key(self.public_key),
            ngrok_authtoken=self.ngrok_authtoken,
        )

    # --- closing ---------------------------------------------------------------------------

    def accept(self) -> None:
        try:
            result = self.build_result()
        except Exception as exc:
            self.summary_page.message.show_text(
                f"These settings cannot be used: {describe_error(exc)}"
            )
            return
        self.setup_result = result
        self.finished_setup.emit(result)
        super().accept()

    def done(self, result: int) -> None:
        for task in (self.api_key_page.check_task, self.application_page.reload_task):
            if task is not None and not task.done():
                task.cancel()
        super().done(result)
