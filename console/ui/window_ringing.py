"""The main window's ringing: the alerts (popup, ringtone, taskbar flash, tray) wired to the
call actions, and one Do-not-disturb once the workflow's status selector exists.

Split out of console/ui/main_window.py (issue 11): how a ringing call reaches the operator is
wired here from the pieces the window built, which are passed in (this module does not know
the window).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from console.ui.actions import CallActions
from console.ui.pending import PendingOps
from console.ui.ringer import AudioOutput
from console.ui.ringing import DEMO_RING_GRACE_MS, RingAlerts, RingStatus
from console.ui.status_bar import StatusBar
from console.ui.tray import Tray


def build_ring_alerts(
    window: QWidget,
    actions: CallActions,
    pending: PendingOps,
    qsettings: QSettings,
    tray: Tray,
    status: StatusBar,
    call_menu: QMenu,
    *,
    demo: bool,
    audio_output: AudioOutput | None,
) -> RingAlerts:
    """The ring alerts of ``window``: the popup answers and rejects through ``actions``, the
    Do-not-disturb toggle sits at the end of the Call menu and answers its shortcut anywhere."""
    ring_alerts = RingAlerts(
        window,
        actions.ringing,
        lambda ccid: ccid in pending,
        qsettings,
        lambda title, text: tray.notify(title, text),  # as hooked later (names)
        audio_output,
        grace_ms=DEMO_RING_GRACE_MS if demo else 0,
    )
    popup = ring_alerts.popup
    popup.set_keys(actions.answer.shortcut(), actions.reject.shortcut())
    popup.answer_clicked.connect(actions.answer_call)
    popup.reject_clicked.connect(actions.reject_call)
    ring_alerts.notice.connect(status.set_sound_problem)
    call_menu.addSeparator()
    call_menu.addAction(ring_alerts.dnd_action)
    window.addAction(ring_alerts.dnd_action)
    return ring_alerts


def ring_by_status(
    window: QWidget,
    ring_alerts: RingAlerts,
    call_menu: QMenu,
    status: RingStatus,
    dnd_action: QAction,
) -> None:
    """One Do-not-disturb: the operator's status decides what rings, its toggle (with the
    same shortcut) takes the place of the ringing's own in the Call menu."""
    replaced = ring_alerts.follow_status(status, dnd_action)
    call_menu.insertAction(replaced, dnd_action)
    call_menu.removeAction(replaced)
    window.removeAction(replaced)
    replaced.setShortcut(QKeySequence())  # one action answers Ctrl+Shift+N
    replaced.deleteLater()
