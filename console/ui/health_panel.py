"""Webhook health panel: the path from Telnyx to the console as an instrument, with a path test.

What each field says is worked out by ``health_words.py`` (Qt-free); this module lays the
fields out, colours them by meaning, ticks the last event's age, and runs the path test and
the resync.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from console.ui import theme
from console.ui.formatting import format_time
from console.ui.formatting import now as utc_now
from console.ui.health_words import SILENCE_ADVICE, health_fields, last_event, silence_headline
from console.ui.messages import describe_error

if TYPE_CHECKING:
    from console.operations.health import Health
    from console.session_api import ConsoleApi

log = logging.getLogger(__name__)

TICK_MS = 1000
# The loud banner stays red in both themes: it must not blend in.
_BANNER_STYLE = (
    "QLabel { background: #b00020; color: white; padding: 10px; "
    "border: 2px solid #7f0016; border-radius: 4px; }"
)


def _style(label: QLabel, kind: str) -> None:
    """Colour a value by what it means: "ok", "warning", "error" or "" (plain)."""
    if kind == "ok":
        label.setStyleSheet(f"color: {theme.color('ok').name()};")
    elif kind == "warning":
        bg, fg = theme.color("warning_bg").name(), theme.color("warning_fg").name()
        label.setStyleSheet(f"background: {bg}; color: {fg}; padding: 2px;")
    elif kind == "error":
        bg, fg = theme.color("error_bg").name(), theme.color("error_fg").name()
        label.setStyleSheet(f"background: {bg}; color: {fg}; padding: 2px;")
    else:
        label.setStyleSheet("")
    label.setProperty("kind", kind)


class HealthPanel(QWidget):
    """Reads ``session.health`` and re-renders on ``session.on_health``; ticks every second.

    ``session`` may be given later with :meth:`set_session`. ``now`` returns an aware datetime
    (tests pass a fixed clock).
    """

    path_test_finished = Signal(bool, str)  # ok, the text shown
    resync_finished = Signal(bool, str)
    _health_changed = Signal()  # marshals session callbacks onto the GUI thread

    def __init__(
        self,
        session: ConsoleApi | None = None,
        parent: QWidget | None = None,
        *,
        now: Callable[[], datetime] | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("healthPanel")
        self.setAccessibleName("Webhook health")
        self._now = now or utc_now
        self._session: ConsoleApi | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self.test_task: asyncio.Future | None = None
        self.resync_task: asyncio.Future | None = None
        self.values: dict[str, QLabel] = {}
        self._explain: dict[str, str] = {}  # what a value means, shown under it in the tooltip

        self.banner = QLabel(self)
        self.banner.setObjectName("silenceBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.setStyleSheet(_BANNER_STYLE)
        self.banner.setAccessibleName("Webhook silence warning")
        self.banner.hide()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, label in (
            ("tunnel", "Tunnel"),
            ("public_url", "Public URL"),
            ("webhook_url", "Application webhook"),
            ("receiver", "Receiver"),
            ("last_event", "Last event"),
            ("delay", "Delivery delay"),
            ("retries", "Retries seen"),
            ("duplicates", "Duplicates dropped"),
            ("rejected", "Rejected signatures"),
            ("verification", "Signature check"),
            ("api", "Telnyx API"),
            ("resync", "Last resync"),
        ):
            value = QLabel("—", self)
            # Long values (URLs, errors) wrap at word and "/" boundaries instead of being cut,
            # and can be selected and copied; the tooltip holds the full text.
            value.setWordWrap(True)
            value.setMinimumWidth(1)
            value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
            value.setAccessibleName(label)
            form.addRow(f"{label}:", value)
            self.values[key] = value
        self._explain["delay"] = "Time between the event happening at Telnyx and its arrival here"
        self._explain["retries"] = (
            "Deliveries Telnyx had to repeat (meta.attempt > 1): the console answered late or "
            "not at all"
        )
        for key, text in self._explain.items():
            self.values[key].setToolTip(text)

        self.test_button = QPushButton("&Test the path", self)
        self.test_button.setAccessibleName("Test the webhook path")
        self.test_button.setToolTip("Check Telnyx → tunnel → receiver, link by link")
        self.test_button.clicked.connect(self.test_path)
        self.resync_button = QPushButton("Res&ync now", self)
        self.resync_button.setAccessibleName("Resync now")
        self.resync_button.setToolTip("Fetch the live calls, conferences and queues from Telnyx")
        self.resync_button.clicked.connect(self.resync)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.resync_button)
        buttons.addStretch(1)

        self.test_result = QLabel(self)
        self.test_result.setWordWrap(True)
        self.test_result.setAccessibleName("Path test result")
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_result.hide()
        self.resync_result = QLabel(self)
        self.resync_result.setWordWrap(True)
        self.resync_result.setAccessibleName("Resync result")
        self.resync_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.resync_result.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.test_result)
        layout.addWidget(self.resync_result)
        layout.addStretch(1)

        self._health_changed.connect(self.refresh)
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self.set_session(session)

    # --- session --------------------------------------------------------------------------

    @property
    def session(self) -> ConsoleApi | None:
        return self._session

    def set_session(self, session: ConsoleApi | None) -> None:
        """Follow ``session`` (or nothing, with None); the previous one is let go."""
        self.detach()
        self._session = session
        if session is not None:
            panel = weakref.ref(self)

            def changed(*_args: Any) -> None:
                target = panel()
                if target is None:
                    return
                try:
                    target._health_changed.emit()
                except RuntimeError:  # the widget was deleted under us
                    self_unsubscribe()

            unsubscribe = session.on_health(changed)
            done = False

            def self_unsubscribe() -> None:
                nonlocal done
                if done or not callable(unsubscribe):
                    return
                done = True  # detach() and widget deletion may both ask
                try:
                    unsubscribe()
                except Exception:
                    log.warning("leaving the session's health listeners failed", exc_info=True)

            self._unsubscribe = self_unsubscribe
            self.destroyed.connect(lambda *_: self_unsubscribe())
        self.refresh()

    def detach(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _health(self) -> Health | None:
        return self._session.health if self._session is not None else None

    # --- rendering ------------------------------------------------------------------------

    def _set(self, key: str, text: str, kind: str = "") -> None:
        label = self.values[key]
        label.setText(text)
        label.setAccessibleDescription(text)
        explanation = self._explain.get(key)
        label.setToolTip(f"{text}\n\n{explanation}" if explanation else text)
        _style(label, kind)

    def refresh(self) -> None:
        """Render every field from the current health snapshot."""
        try:
            self._render(self._health())
        except Exception:
            # A malformed snapshot must not take the dock down; the log has the details.
            log.exception("rendering the health panel failed")
        self._update_buttons()

    def _render(self, health: Health | None) -> None:
        if health is None:
            for key in self.values:
                self._set(key, "—")
            self._set("tunnel", "Not started")
            self.banner.hide()
            return
        for key, text, kind in health_fields(health):
            self._set(key, text, kind)
        self._render_ticking(health)

    def _render_ticking(self, health: Health) -> None:
        """The parts that change with time alone: the age of the last event and the banner."""
        text, age = last_event(health, self._now)
        self._set("last_event", text)
        if health.silence_warning:
            headline, advice = silence_headline(age), SILENCE_ADVICE
            self.banner.setText(
                f'<span style="font-size: 14pt; font-weight: bold;">{headline}</span><br>{advice}'
            )
            self.banner.setAccessibleDescription(f"{headline}. {advice}")
            self.banner.show()
            _style(self.values["last_event"], "error")
        else:
            self.banner.hide()

    def tick(self) -> None:
        health = self._health()
        if health is None:
            return
        try:
            self._render_ticking(health)
        except Exception:
            log.exception("updating the health panel failed")

    def _update_buttons(self) -> None:
        has_session = self._session is not None
        self.test_button.setEnabled(has_session and not _running(self.test_task))
        self.resync_button.setEnabled(has_session and not _running(self.resync_task))

    # --- actions --------------------------------------------------------------------------

    def test_path(self) -> asyncio.Future | None:
        """Run ``session.test_webhook_path()`` in a task; the result appears with its time."""
        if self._session is None or _running(self.test_task):
            return self.test_task
        self.test_button.setEnabled(False)
        self.test_button.setText("Testing…")
        self._show_result(self.test_result, "Testing the webhook path…", "")
        self.test_task = asyncio.ensure_future(self._run_test(self._session))
        return self.test_task

    async def _run_test(self, session: ConsoleApi) -> None:
        try:
            result = await session.test_webhook_path()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            ok, text = False, f"Test failed: {describe_error(exc)}"
        else:
            text = str(result) if result else "The test gave no result."
            ok = "✘" not in text  # the path test marks each failed link with ✘
        finally:
            self.test_button.setText("&Test the path")
        stamped = f"{format_time(self._now())}  {text}"
        self._show_result(self.test_result, stamped, "ok" if ok else "error")
        self.test_task = None
        self._update_buttons()
        self.path_test_finished.emit(ok, stamped)

    def resync(self) -> asyncio.Future | None:
        """Run ``session.resync("operator")`` in a task."""
        if self._session is None or _running(self.resync_task):
            return self.resync_task
        self.resync_button.setEnabled(False)
        self._show_result(self.resync_result, "Resyncing with Telnyx…", "")
        self.resync_task = asyncio.ensure_future(self._run_resync(self._session))
        return self.resync_task

    async def _run_resync(self, session: ConsoleApi) -> None:
        try:
            await session.resync("operator")
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            ok, text = False, f"Resync failed: {describe_error(exc)}"
        else:
            ok, text = True, "Resynced with Telnyx."
        stamped = f"{format_time(self._now())}  {text}"
        self._show_result(self.resync_result, stamped, "ok" if ok else "error")
        self.resync_task = None
        self._update_buttons()
        self.resync_finished.emit(ok, stamped)

    @staticmethod
    def _show_result(label: QLabel, text: str, kind: str) -> None:
        label.setText(text)
        label.setAccessibleDescription(text)
        _style(label, kind)
        label.show()


def _running(task: asyncio.Future | None) -> bool:
    return task is not None and not task.done()
