"""The solo-mode webhook guard, in words: another console holds the application's webhook URL.

When the session found the Call Control application pointed at another live console's tunnel
(or a team's relay), it did not take the URL (``health.webhook_held_by`` names the holder).
:class:`WebhookGuardBar` says so above the calls, in a bar that never blocks the window, and
offers the two ways out:

* **Take over** (after a confirmation, since the other console then stops receiving):
  ``session.take_over_webhook()``;
* **Join a team**: the Settings dialog on its Team page, so the consoles share one relay.

The bar goes away by itself once the session no longer reports a holder.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from console.ui.messages import action_failed

if TYPE_CHECKING:
    from console.session_api import ConsoleApi

log = logging.getLogger(__name__)


def held_words(holder: str) -> str:
    return (
        f"⚠ Another console (or a team relay) receives this application's webhooks at {holder}, "
        "so this console does not hear its calls. Take over only if that console is no longer "
        "used (it would stop receiving), or join a team so that you share the calls."
    )


class WebhookGuardBar(QFrame):
    """A non-modal bar: who holds the webhook URL, with Take over and Join a team."""

    def __init__(self, window: Any, session: ConsoleApi, parent: QWidget | None = None):
        super().__init__(parent)
        self.host = window
        self.session = session
        self.holder: str | None = None
        self.task: asyncio.Future | None = None
        self.setObjectName("webhookGuard")
        self.setProperty("severity", "warning")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Webhook URL held by another console")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.take_button = QPushButton("Ta&ke over…", self)
        self.take_button.setToolTip(
            "Point the application's webhooks at this console (the other console stops "
            "receiving them)"
        )
        self.join_button = QPushButton("&Join a team…", self)
        self.join_button.setToolTip("Settings → Team: share the calls through a relay instead")
        self.take_button.clicked.connect(self.ask_take_over)
        self.join_button.clicked.connect(self.join_team)
        layout = QHBoxLayout(self)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.take_button)
        layout.addWidget(self.join_button)
        self.hide()

    def refresh(self) -> None:
        holder = self.session.health.webhook_held_by
        if self.session.team is not None:
            holder = None  # a team console never points the URL
        if holder == self.holder:
            return
        self.holder = holder
        if holder:
            self.label.setText(held_words(holder))
            self.take_button.setEnabled(self.task is None)
            self.show()
        else:
            self.hide()

    def ask_take_over(self) -> None:
        holder = self.holder or "another console"
        self.host.confirm(
            "Take over the webhooks?",
            f"The console at {holder} will stop receiving this application's calls and events "
            "until it points the webhooks back. Take them over?",
            "Take over",
            self.take_over,
        )

    def take_over(self) -> asyncio.Future:
        self.take_button.setEnabled(False)
        self.task = asyncio.ensure_future(self._take_over())
        return self.task

    async def _take_over(self) -> None:
        try:
            await self.session.take_over_webhook()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self.host.notify_error(action_failed("Take over the webhooks", exc))
        else:
            if self.session.health.webhook_held_by:
                self.host.notify_error("The webhooks are still held by another console.")
            else:
                self.host.show_status("This console receives the application's webhooks now.")
        finally:
            self.task = None
            self.take_button.setEnabled(True)
            self.refresh()

    def join_team(self) -> None:
        dialog = self.host.open_settings()
        show_tab = getattr(dialog, "show_team_tab", None)
        if callable(show_tab):
            show_tab()
