"""The wrap-up card: notes during a call, then a disposition, notes and tags when it ends.

A non-modal panel (in its own dock), never a dialog that takes the keyboard: when a handled
call ends, its card opens with the notes already written during the call, and the operator
picks a disposition and presses Done (Ctrl+Enter). Notes are saved as they are typed (after a
short pause), so nothing typed is lost if the operator moves on. Calls that ended while
another card was open wait in line ("2 more to wrap up").
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.desk import Desk, DeskError, format_time_in
from console.history import CallHistoryEntry, call_key
from console.ui import formatting as fmt
from console.ui.messages import describe_error

log = logging.getLogger(__name__)

DONE_SHORTCUT = "Ctrl+Return"
SAVE_DELAY_MS = 400
NO_CHOICE = "Choose a disposition…"


class WrapUpCard(QWidget):
    """Shows one call's wrap-up; ``finished(call_key)`` after Done."""

    finished = Signal(str)
    saved = Signal(str)  # call_key: notes or tags were saved (the wrap-up is not finished)

    def __init__(
        self,
        desk: Desk,
        name_of: Callable[[str | None], str | None] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.desk = desk
        self.name_of = name_of or (lambda _n: None)
        self.setObjectName("wrapUpCard")
        self.setAccessibleName("Wrap-up")
        self.entry: CallHistoryEntry | None = None
        self.live = False
        # Ended calls waiting their turn, by call key, oldest first: a burst of calls ending
        # behind the one shown queues each in O(1), not by a scan of those already waiting.
        self.pending: OrderedDict[str, CallHistoryEntry] = OrderedDict()
        self.last_error = ""

        self.title = QLabel("No call to wrap up.", self)
        self.title.setObjectName("wrapUpTitle")
        self.title.setWordWrap(True)
        self.title.setAccessibleName("Call being wrapped up")
        self.timer_label = QLabel("", self)
        self.timer_label.setAccessibleName("Wrap-up time left")
        self.timer_label.setVisible(False)
        self.disposition = QComboBox(self)
        self.disposition.setObjectName("dispositionCombo")
        self.disposition.setAccessibleName("Disposition")
        self.disposition.setToolTip(
            "What the call came to (the list is edited in Workflow settings)"
        )
        self.notes = QPlainTextEdit(self)
        self.notes.setObjectName("wrapUpNotes")
        self.notes.setAccessibleName("Call notes")
        self.notes.setPlaceholderText("Notes (saved as you type; searchable with Ctrl+F)")
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(40)  # the dock may be short: the notes field scrolls
        self.tags = QLineEdit(self)
        self.tags.setObjectName("wrapUpTags")
        self.tags.setAccessibleName("Tags")
        self.tags.setPlaceholderText("tags, separated by commas or spaces")
        self.error_label = QLabel("", self)
        self.error_label.setObjectName("inlineError")
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Wrap-up problem")
        self.error_label.setVisible(False)
        keys = QKeySequence(DONE_SHORTCUT).toString(QKeySequence.SequenceFormat.NativeText)
        self.done_button = QPushButton("&Done", self)
        self.done_button.setObjectName("wrapUpDone")
        self.done_button.setAccessibleName("Finish the wrap-up")
        self.done_button.setToolTip(f"Save the disposition, notes and tags ({keys})")
        self.done_button.clicked.connect(self.done)
        self.next_label = QLabel("", self)
        self.next_label.setAccessibleName("Calls waiting for wrap-up")

        form = QFormLayout()
        form.addRow("D&isposition", self.disposition)
        notes_label = QLabel("&Notes", self)
        notes_label.setBuddy(self.notes)
        tags_row = QFormLayout()
        tags_row.addRow("T&ags", self.tags)
        bottom = QHBoxLayout()
        bottom.addWidget(self.next_label, 1)
        bottom.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.timer_label)
        layout.addLayout(form)
        layout.addWidget(notes_label)
        layout.addWidget(self.notes, 1)  # the notes take the height the dock has
        layout.addLayout(tags_row)
        layout.addWidget(self.error_label)
        layout.addLayout(bottom)

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_notes)
        self.notes.textChanged.connect(self._typed)
        self.tags.textChanged.connect(self._typed)
        for sequence in (DONE_SHORTCUT, "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.done)
        self.reload_dispositions()
        self._show(None)

    # --- what the card shows -------------------------------------------------------------------

    @property
    def call_key(self) -> str | None:
        return call_key(self.entry) if self.entry is not None else None

    @property
    def busy(self) -> bool:
        """Showing an ended call whose wrap-up is not done: the card does not move on its own."""
        return self.entry is not None and not self.live

    def reload_dispositions(self) -> None:
        current = self.disposition.currentText()
        self.disposition.clear()
        self.disposition.addItem(NO_CHOICE)
        self.disposition.addItems(self.desk.dispositions.names())
        index = self.disposition.findText(current)
        self.disposition.setCurrentIndex(max(0, index))

    def show_live(self, entry: CallHistoryEntry) -> None:
        """Notes during a call (the card keeps an ended call's wrap-up in front)."""
        if self.busy:
            return
        if self.entry is not None and self.call_key == call_key(entry):
            self.entry = entry  # the same call, newer facts: keep what is being typed
            self.title.setText(self._title(entry, True))
            return
        self._show(entry, live=True)

    def add_ended(self, entry: CallHistoryEntry) -> None:
        """A handled call ended: show its wrap-up now, or queue it behind the one shown."""
        key = call_key(entry)
        existing = self.desk.wrapups.get(key)
        if existing is not None and existing.done:
            return
        if self.entry is not None and self.call_key == key:
            self.save_notes()
            self._show(entry, live=False)
            return
        if self.busy:
            self.pending.setdefault(key, entry)
            self._update_next()
            return
        self.save_notes()
        self._show(entry, live=False)

    def requeue_first(self, entry: CallHistoryEntry) -> None:
        """Put ``entry`` back at the head of the line (it steps aside for a live call)."""
        key = call_key(entry)
        self.pending[key] = entry
        self.pending.move_to_end(key, last=False)
        self._update_next()

    def _show(self, entry: CallHistoryEntry | None, live: bool = False) -> None:
        if self._save_timer.isActive():
            self.save_notes()  # typed moments ago for the call being left
        self._save_timer.stop()
        self.entry, self.live = entry, live
        self._error("")
        enabled = entry is not None
        for widget in (self.disposition, self.notes, self.tags):
            widget.setEnabled(enabled)
        self.done_button.setEnabled(enabled and not live)
        wrapup = self.desk.wrapups.get(call_key(entry)) if entry is not None else None
        for widget in (self.notes, self.tags):
            widget.blockSignals(True)
        self.notes.setPlainText(wrapup.notes if wrapup else "")
        self.tags.setText(" ".join(wrapup.tags) if wrapup else "")
        for widget in (self.notes, self.tags):
            widget.blockSignals(False)
        index = (
            self.disposition.findText(wrapup.disposition) if wrapup and wrapup.disposition else 0
        )
        self.disposition.setCurrentIndex(max(0, index))
        self.title.setText(self._title(entry, live))
        self._update_next()

    def _title(self, entry: CallHistoryEntry | None, live: bool) -> str:
        if entry is None:
            return "No call to wrap up."
        number = entry.from_number if entry.direction != "outgoing" else entry.to_number
        who = self.name_of(number) or fmt.party(number, entry.caller_name) or "unknown"
        verb = "Call with" if entry.direction != "outgoing" else "Call to"
        if live:
            return f"{verb} {who} — in progress: notes are kept with the call."
        return f"{verb} {who}, ended {fmt.format_time(entry.ended_at)}: wrap it up."

    def _update_next(self) -> None:
        count = len(self.pending)
        self.next_label.setText(f"{count} more to wrap up" if count else "")

    def set_time_left(self, seconds: float | None) -> None:
        self.timer_label.setVisible(seconds is not None)
        self.timer_label.setText(
            "" if seconds is None else f"Wrap-up time left: {format_time_in(seconds)}"
        )

    # --- saving --------------------------------------------------------------------------------

    def _typed(self) -> None:
        if self.entry is not None:
            self._save_timer.start()

    def save_notes(self) -> None:
        """Keep what was typed (without finishing): the notes belong to the call at once."""
        self._save_timer.stop()
        if self.entry is None:
            return
        try:
            wrapup = self.desk.save_notes(self.entry, self.notes.toPlainText(), self.tags.text())
        except DeskError as exc:
            self._error(exc.user_message)
        except Exception as exc:
            self._error(f"The notes could not be saved: {describe_error(exc)}")
        else:
            self.saved.emit(wrapup.call_key)

    def done(self) -> bool:
        if self.entry is None or self.live:
            return False
        choice = self.disposition.currentText()
        if self.disposition.currentIndex() <= 0:
            self._error("Choose a disposition first (the notes are kept).")
            self.save_notes()
            self.disposition.setFocus()
            return False
        try:
            wrapup = self.desk.complete_wrap_up(
                self.entry, choice, self.notes.toPlainText(), self.tags.text()
            )
        except DeskError as exc:
            self._error(exc.user_message)
            return False
        except Exception as exc:
            self._error(f"The wrap-up could not be saved: {describe_error(exc)}")
            return False
        self.finished.emit(wrapup.call_key)
        self._show(self.pending.popitem(last=False)[1] if self.pending else None)
        return True

    def _error(self, text: str) -> None:
        self.last_error = text
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))
