"""Ringing that cannot be missed: popup, ringtone, taskbar flash and tray, or none of them.

One place decides, from the store, whether anything rings: an incoming call still ringing
that no command is answering. Do-not-disturb silences all four; the calls table still shows
the call (tinted), so nothing is lost, only quiet.

Once the operator's workflow is installed, its status is the one model of "may it ring"
(Away, Do not disturb and Offline are quiet): ``follow_status`` hands the decision and the
Do-not-disturb action over to it, so there is one toggle and one remembered state.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from console.state.entities import Call
from console.ui.ring_popup import RingPopup
from console.ui.ringer import AudioOutput, Ringer
from console.ui.ringing_calls import RingingCalls

#: In demo mode a call must ring this long before it pops up: the demo's auto-attendant
#: answers support-line callers (and queues them) within a moment, and the operator should
#: not see a popup and hear a ring blip for a call that was never theirs to answer.
DEMO_RING_GRACE_MS = 400


def called_words(call: Call) -> str:
    """What the caller reached: a queue, else the number they dialled."""
    if call.queue_name:
        return f"Waiting in queue {call.queue_name}"
    return f"Called {call.to_number}" if call.to_number else "Incoming call"


class RingStatus(Protocol):
    """The operator's status as far as ringing cares (``console.desk.StatusModel``)."""

    @property
    def rings(self) -> bool: ...

    def subscribe(self, listener: Callable[[Any], None]) -> Callable[[], None]: ...


class RingAlerts(QObject):
    """Keeps the popup, the ringtone and the alerts true to the ringing calls."""

    notice = Signal(str)  # e.g. "no audio device": the window shows it once

    def __init__(
        self,
        window: QWidget,
        ringing: RingingCalls,
        is_pending: Callable[[str], bool],
        qsettings: QSettings,
        notify_tray: Callable[[str, str], None],
        output: AudioOutput | None = None,
        *,
        grace_ms: int = 0,
    ):
        super().__init__(window)
        # A call rings for the operator once it has been ringing ``grace_ms`` (0: at once).
        self.grace_secs = max(grace_ms, 0) / 1000.0
        self._ringing_since: dict[str, float] = {}
        self._grace_timer = QTimer(self)
        self._grace_timer.setSingleShot(True)
        self._grace_timer.timeout.connect(self.update)
        self.window = window
        self.ringing = ringing  # the window keeps it true to the store's changes
        self.is_pending = is_pending
        self.qsettings = qsettings
        self.notify_tray = notify_tray
        self.popup = RingPopup(window)
        self.ringer = Ringer(output, notice=self.notice.emit)
        self.alerted: set[str] = set()  # calls the taskbar and tray were told about
        self.dnd_action = QAction("Do not &disturb", self)
        self.dnd_action.setObjectName("action_do_not_disturb")
        self.dnd_action.setCheckable(True)
        self.dnd_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.dnd_action.setStatusTip("Silence the ring popup, ringtone and taskbar flash")
        self.dnd_action.setToolTip("Do not disturb (Ctrl+Shift+N)\nRinging calls stay in the table")
        self.dnd_action.setChecked(_flag(qsettings.value("ringing/dnd"), False))
        self.dnd_action.toggled.connect(self._on_dnd)
        self.status: RingStatus | None = None
        self._unfollow: Callable[[], None] | None = None
        self.configure()
        self.ringer.do_not_disturb = self.dnd_action.isChecked()

    def follow_status(self, status: RingStatus, dnd_action: QAction) -> QAction:
        """From now on ``status`` decides whether calls ring, and ``dnd_action`` (the status
        selector's toggle) replaces this object's own; returns the action it replaced, for the
        window to swap in its menus."""
        replaced = self.dnd_action
        replaced.toggled.disconnect(self._on_dnd)
        self.status = status
        self.dnd_action = dnd_action
        self._unfollow = status.subscribe(lambda *_a: self._status_changed())
        self._status_changed()
        return replaced

    def _status_changed(self) -> None:
        self.ringer.do_not_disturb = self.do_not_disturb
        self.update()

    def configure(self) -> None:
        """Volume and device from the desk preferences (Settings → Desk)."""
        volume = _number(self.qsettings.value("ringing/volume"), 80.0) / 100.0
        device = self.qsettings.value("ringing/device") or None
        self.ringer.configure(volume, str(device) if device else None)

    @property
    def do_not_disturb(self) -> bool:
        if self.status is not None:
            return not self.status.rings
        return self.dnd_action.isChecked()

    def _on_dnd(self, on: bool) -> None:
        self.qsettings.setValue("ringing/dnd", on)
        self.ringer.do_not_disturb = on
        self.update()

    def ringing_calls(self) -> list[Call]:
        return [c for c in self.ringing.calls() if not self.is_pending(c.call_control_id)]

    @property
    def in_grace(self) -> bool:
        """A ringing call is waiting out the grace before it pops up."""
        return self._grace_timer.isActive()

    def _past_grace(self, calls: list[Call]) -> list[Call]:
        """The calls that have rung long enough; a timer comes back for the others."""
        if self.grace_secs <= 0:
            return calls
        now = time.monotonic()
        since = {c.call_control_id: self._ringing_since.get(c.call_control_id, now) for c in calls}
        self._ringing_since = since
        due = [c for c in calls if now - since[c.call_control_id] >= self.grace_secs]
        waiting = [since[c.call_control_id] + self.grace_secs - now for c in calls if c not in due]
        if waiting:
            self._grace_timer.start(max(1, int(min(waiting) * 1000) + 1))
        return due

    def update(self) -> None:
        calls = [] if self.do_not_disturb else self._past_grace(self.ringing_calls())
        if not calls:
            self.popup.dismiss()
            self.ringer.stop()
            return
        first = calls[0]
        self.popup.show_call(first, called_words(first), len(calls) - 1)
        self.ringer.start()
        for call in calls:
            if call.call_control_id not in self.alerted:
                self.alerted.add(call.call_control_id)
                QApplication.alert(self.window)  # flash the taskbar entry until looked at
                self.notify_tray("Incoming call", f"Incoming call from {self.popup.who(call)}")

    def close(self) -> None:
        self._grace_timer.stop()
        if self._unfollow is not None:
            self._unfollow()
            self._unfollow = None
        self.ringer.stop()
        self.popup.dismiss()


def _flag(value: object, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.lower() in ("1", "true", "yes")
    return default


def _number(value: object, default: float) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
