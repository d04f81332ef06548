"""The main window's dialogs: Settings and the setup wizard, opened non-modally and applied,
and the prompts and confirmations the call actions ask through the window.

Split out of MainWindow (issue 11) so the window composes widgets and this module owns the
dialogs' lifecycle: one Settings and one wizard at a time, ``open()`` never ``exec()`` (the
asyncio loop keeps running), the setup applied in a task whose failure becomes words.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget
from shiboken6 import Shiboken

from console.ui.messages import describe_error
from console.ui.prompts import ConfirmDialog, PromptDialog

if TYPE_CHECKING:
    from console.session_api import ConsoleApi


class DialogHost(Protocol):
    """What the dialogs need from the window."""

    session: ConsoleApi
    qsettings: QSettings

    @property
    def closed(self) -> bool: ...
    def show_status(self, text: str) -> None: ...
    def notify_error(self, text: str) -> None: ...
    def notify_info(self, text: str) -> None: ...
    def refresh_from_settings(self, message: str) -> None: ...


def fit_to_screen(dialog: QWidget, anchor: QWidget) -> None:
    """A dialog never taller or wider than the screen it opens on (150 % scaling included)."""
    screen = anchor.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    area = screen.availableGeometry()
    dialog.resize(dialog.size().boundedTo(area.size() * 0.95))


class WindowDialogs(QObject):
    """Opens Settings and the setup wizard over ``window`` and applies what they produce."""

    def __init__(self, window: QWidget, host: DialogHost):
        super().__init__(window)
        self.window = window
        self.host = host
        self.settings_dialog: Any = None
        self.setup_wizard: Any = None
        self.setup_task: asyncio.Future | None = None
        # The last prompt and confirmation opened (end-to-end tests answer them).
        self.last_prompt: PromptDialog | None = None
        self.last_confirm: ConfirmDialog | None = None

    # --- what the call actions ask ----------------------------------------------------------

    def open_prompt(self, title, label, validate, on_value, placeholder="") -> PromptDialog:
        dialog = PromptDialog(title, label, validate, placeholder, self.window)
        dialog.submitted.connect(on_value)
        dialog.finished.connect(dialog.deleteLater)  # the owner frees it, so tests can hold it
        self.last_prompt = dialog
        dialog.open()  # not exec(): the asyncio loop keeps running underneath
        return dialog

    def confirm(
        self, title: str, text: str, yes_text: str, on_yes: Callable[[], None]
    ) -> ConfirmDialog:
        dialog = ConfirmDialog(title, text, yes_text, self.window)
        dialog.confirmed.connect(on_yes)
        dialog.finished.connect(dialog.deleteLater)
        self.last_confirm = dialog
        dialog.open()  # not exec(): the asyncio loop keeps running underneath
        return dialog

    # --- settings -------------------------------------------------------------------------

    def open_settings(self):
        from console.ui.settings_dialog import SettingsDialog

        if self.settings_dialog is not None and Shiboken.isValid(self.settings_dialog):
            self.settings_dialog.raise_()
            return self.settings_dialog
        dialog = SettingsDialog(self.host.session, self.window, desk=self.host.qsettings)
        dialog.applied.connect(lambda _settings: self.host.refresh_from_settings("Settings saved"))
        dialog.finished.connect(dialog.deleteLater)
        self.settings_dialog = dialog
        fit_to_screen(dialog, self.window)
        dialog.open()  # not exec(): the asyncio loop keeps running underneath
        return dialog

    # --- first-run setup ------------------------------------------------------------------

    def open_setup_wizard(self):
        """Open the setup wizard; never in demo mode. Returns it or None."""
        from console.ui.setup_wizard import SetupWizard

        session = self.host.session
        if session.demo:
            self.host.show_status("The setup wizard is not available in demo mode.")
            return None
        if self.setup_wizard is not None and Shiboken.isValid(self.setup_wizard):
            self.setup_wizard.raise_()
            self.setup_wizard.activateWindow()
            return self.setup_wizard
        secrets = session.secrets
        problem = None
        if not secrets.backend_available:
            problem = secrets.backend_message or None
        wizard = SetupWizard(session.settings, self.window, secrets_problem=problem)
        wizard.finished_setup.connect(self.apply_setup)
        wizard.finished.connect(wizard.deleteLater)
        self.setup_wizard = wizard
        fit_to_screen(wizard, self.window)
        wizard.open()
        return wizard

    def apply_setup(self, result) -> asyncio.Future:
        self.host.show_status("Saving the new setup…")
        self.setup_task = asyncio.ensure_future(self._run_setup(result))
        return self.setup_task

    async def _run_setup(self, result) -> None:
        host = self.host
        try:
            notes = await host.session.apply_settings(result.settings, **result.apply_kwargs())
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if not host.closed:
                host.notify_error(
                    f"The setup could not be applied: {describe_error(exc)} "
                    "Run File → Setup wizard… again to retry."
                )
            return
        if host.closed:
            return
        host.refresh_from_settings("Setup complete: the console uses your Telnyx account.")
        for note in notes or ():
            host.notify_info(note)

    def close(self) -> None:
        if self.setup_task is not None and not self.setup_task.done():
            self.setup_task.cancel()
