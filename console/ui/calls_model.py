"""Table model of calls: row order (ccids) here, everything else read from the store."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import datetime

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QFont, QIcon, QPainter, QPixmap

from console.state.changes import Changes
from console.state.entities import Call, CallState, RecordingState
from console.ui import formatting as fmt
from console.ui import icons, theme
from console.ui.pending import PendingOps

CCID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
CALL_ROLE = Qt.ItemDataRole.UserRole + 3
#: The flags cell's badges in words ("On hold · Muted"): the cell itself shows icons.
BADGES_ROLE = Qt.ItemDataRole.UserRole + 4

COL_DIRECTION, COL_FROM, COL_TO, COL_STATE, COL_DURATION, COL_FLAGS, COL_WHERE, COL_ENDED = range(8)
# Columns say what they hold: the other party (the caller, or the number dialled) takes the
# width; "Line" is the console's own number (always one of yours), kept narrow.
HEADERS = ["", "Call with", "Line", "State", "Time", "Flags", "Where", "Ended"]
_TIPS = {
    COL_DIRECTION: "Incoming or outgoing",
    COL_FROM: "The other party: the caller of an incoming call, the number an outgoing one dialled",
    COL_TO: "Your number the call uses: the one dialled by the caller, or your caller ID",
    COL_STATE: "What the call is doing now",
    COL_DURATION: "How long the call has been connected (ringing time before that)",
    COL_FLAGS: "On hold, muted, recording, in a conference, repaired by a resync",
    COL_WHERE: "Who the call is connected with: queue, conference or bridged party",
    COL_ENDED: "Why a recently ended call ended (kept for a short while)",
}
_ICON_SIZE = 16
DEFAULT_WARN_SECS = 300.0  # 5 minutes: the timer turns amber
DEFAULT_ALERT_SECS = 900.0  # 15 minutes: red, and the row is tinted


def is_up(call: Call | None) -> bool:
    """Live and answered: what hold, mute, transfer, DTMF need."""
    return call is not None and call.state not in (CallState.RINGING, CallState.ENDED)


def _arrival(call: Call) -> tuple[float, str]:
    started = fmt.as_aware(call.started_at)
    return (started.timestamp() if started else float("inf"), call.call_control_id)


def badges(call: Call, in_conference: bool = False) -> list[tuple[str, str, str]]:
    """(word, tooltip, icon name) for each flag the call carries."""
    out = []
    if call.on_hold:
        out.append(("On hold", "The caller hears hold music", "hold"))
    if call.muted:
        out.append(("Muted", "The caller's audio is muted", "mute"))
    if call.recording is RecordingState.RECORDING:
        out.append(("Recording", "Recording", "recording"))
    elif call.recording is RecordingState.PAUSED:
        out.append(("Recording paused", "Recording paused", "pause"))
    if in_conference:
        out.append(("Conference", "In a conference with others", "conference"))
    if call.repaired:
        out.append(("Repaired", "State corrected by a resync with the Telnyx API", "repaired"))
    if call.needs_resync:
        out.append(("Resyncing", "Learnt of mid-call; fetching its state from the API", "repaired"))
    return out


_strips: dict[tuple[str, ...], QIcon] = {}


def icon_strip(names: tuple[str, ...]) -> QIcon:
    """The badges' icons side by side, as one icon (a cell has one decoration)."""
    strip = _strips.get(names)
    if strip is None:
        gap = 3
        pixmap = QPixmap(len(names) * (_ICON_SIZE + gap) - gap, _ICON_SIZE)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        for i, name in enumerate(names):
            icons.icon(name).paint(painter, i * (_ICON_SIZE + gap), 0, _ICON_SIZE, _ICON_SIZE)
        painter.end()
        strip = _strips[names] = QIcon(pixmap)
    return strip


class CallsModel(QAbstractTableModel):
    """Calls as rows. Updates are incremental: one changed call emits one row's dataChanged.

    Ended calls stay visible with their hangup cause for ``retention_secs``, then leave the
    model (only the model: the store and journal keep them).
    """

    def __init__(
        self,
        store,
        pending: PendingOps | None = None,
        retention_secs: float = 60.0,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.store = store
        self.pending = pending or PendingOps(self)
        self.retention_secs = retention_secs
        # The window sets this to the session's check for the operator's own phone leg.
        self.is_operator_leg: fmt.IsOperatorLeg | None = None
        #: ccid -> why the operator ended it ("Hung up by you"); the window shares the actions'.
        self.ended_notes: dict[str, str] = {}
        #: Where this console blind-transferred a call (the window sets it to the actions').
        self.transferred_to: Callable[[str], str | None] = lambda _ccid: None
        #: True while ended rows must not leave (the pointer is over the table): removing a
        #: row above the one aimed at would slide the target from under the pointer.
        self.hold_still: Callable[[], bool] = lambda: False
        #: The call timer turns amber, then red (and the row is tinted), at these ages.
        self.warn_after_secs = DEFAULT_WARN_SECS
        self.alert_after_secs = DEFAULT_ALERT_SECS
        self._held_since: dict[str, datetime] = {}  # when the console saw each call go on hold
        self._long: set[str] = set()  # live rows past alert_after_secs (tinted)
        self._rows: list[str] = []
        self._index: dict[str, int] = {}
        self._expiry: dict[str, float] = {}  # ccid -> monotonic time its ended row goes
        self.pending.changed.connect(self._on_pending)
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self.tick)
        self._ticker.start()
        self._load()

    # --- row bookkeeping ------------------------------------------------------------------

    def ccids(self) -> list[str]:
        return list(self._rows)

    def row_of(self, ccid: str) -> int | None:
        return self._index.get(ccid)

    def ccid_at(self, row: int) -> str:
        return self._rows[row]

    def _reindex(self, start: int = 0) -> None:
        for row in range(start, len(self._rows)):
            self._index[self._rows[row]] = row

    def _wanted(self, call: Call | None, clock: float) -> bool:
        if call is None:
            return False
        if call.is_live:
            return True
        ended = fmt.as_aware(call.ended_at)
        if ended is None:
            return self.retention_secs > 0
        return (fmt.now() - ended).total_seconds() < self.retention_secs

    def _load(self) -> None:
        clock = time.monotonic()
        wanted = [c for c in self.store.calls.values() if self._wanted(c, clock)]
        self._rows = [c.call_control_id for c in sorted(wanted, key=_arrival)]
        self._index = {ccid: row for row, ccid in enumerate(self._rows)}
        self._expiry = {}
        for ccid in self._rows:
            self._note_hold(ccid)
        for ccid in self._rows:
            call = self.store.call(ccid)
            if call is not None and not call.is_live:
                self._schedule_expiry(call, clock)

    def _schedule_expiry(self, call: Call, clock: float) -> None:
        ended = fmt.as_aware(call.ended_at)
        age = (fmt.now() - ended).total_seconds() if ended else 0.0
        self._expiry.setdefault(call.call_control_id, clock + max(0.0, self.retention_secs - age))

    # --- applying store changes -----------------------------------------------------------

    def apply_changes(self, changes: Changes) -> None:
        if changes.reset:
            self.beginResetModel()
            self._load()
            self.endResetModel()
            return
        calls = changes.calls
        if calls.removed:
            self._remove(calls.removed)
        clock = time.monotonic()
        fresh = [
            call
            for call in map(self.store.call, calls.added | calls.changed)
            if call is not None
            and call.call_control_id not in self._index
            and self._wanted(call, clock)
        ]
        # Appended in the order the calls started: the rows above never move.
        new = [call.call_control_id for call in sorted(fresh, key=_arrival)]
        if new:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._rows.extend(new)
            self._reindex(first)
            self.endInsertRows()
        last = self.columnCount() - 1
        for ccid in calls.changed | calls.added:
            self._note_hold(ccid)
            row = self._index.get(ccid)
            if row is None or ccid in new:
                continue
            call = self.store.call(ccid)
            if call is not None and not call.is_live:
                self._schedule_expiry(call, clock)
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))
        for ccid in new:
            call = self.store.call(ccid)
            if call is not None and not call.is_live:
                self._schedule_expiry(call, clock)

    def _note_hold(self, ccid: str) -> None:
        call = self.store.call(ccid)
        if call is not None and call.on_hold and call.is_live:
            self._held_since.setdefault(ccid, fmt.now())
        else:
            self._held_since.pop(ccid, None)

    def held_for(self, call: Call) -> float | None:
        """Seconds the call has been on hold (since the console saw it held)."""
        if not call.on_hold:
            self._held_since.pop(call.call_control_id, None)
            return None
        # Hold arrives as a participant change as often as a call change: start the clock
        # the first time the row is drawn held, too.
        since = self._held_since.setdefault(call.call_control_id, fmt.now())
        return fmt.seconds_between(since, fmt.now())

    def _remove(self, ccids: Iterable[str]) -> None:
        rows = sorted((self._index[c] for c in ccids if c in self._index), reverse=True)
        for row in rows:
            ccid = self._rows[row]
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            del self._index[ccid]
            self._expiry.pop(ccid, None)
            self._held_since.pop(ccid, None)
            self._long.discard(ccid)
            self._reindex(row)
            self.endRemoveRows()

    def set_retention(self, secs: float) -> None:
        self.retention_secs = secs

    def tick(self, clock: float | None = None) -> None:
        """Once a second: drop expired ended rows; repaint the duration cells of live rows."""
        clock = time.monotonic() if clock is None else clock
        expired = [ccid for ccid, at in self._expiry.items() if at <= clock]
        if expired and not self.hold_still():
            self._remove(expired)
        # One dataChanged per contiguous run of live rows, for the state (hold timer) and
        # time columns; a row that just became a long call is repainted whole (its tint).
        last = self.columnCount() - 1
        start = None
        for row, ccid in enumerate([*self._rows, None]):
            call = self.store.call(ccid) if ccid is not None else None
            live = call is not None and call.is_live
            if live and start is None:
                start = row
            elif not live and start is not None:
                self.dataChanged.emit(
                    self.index(start, COL_STATE), self.index(row - 1, COL_DURATION)
                )
                start = None
            if call is not None and ccid is not None:
                long = live and (self._duration(call) or 0.0) >= self.alert_after_secs
                if long != (ccid in self._long):
                    (self._long.add if long else self._long.discard)(ccid)
                    self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    def _on_pending(self, ccid: str) -> None:
        row = self._index.get(ccid)
        if row is not None:
            idx = self.index(row, COL_STATE)
            self.dataChanged.emit(idx, idx)

    # --- Qt model interface ---------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return _TIPS.get(section)
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        ccid = self._rows[index.row()]
        if role == CCID_ROLE:
            return ccid
        call = self.store.call(ccid)
        if call is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(call, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(call, col)
        if role == Qt.ItemDataRole.DecorationRole and col == COL_DIRECTION:
            return icons.icon("incoming" if call.direction == "incoming" else "outgoing")
        if role == Qt.ItemDataRole.DecorationRole and col == COL_STATE and ccid in self.pending:
            return icons.icon("pending")
        if role == Qt.ItemDataRole.DecorationRole and col == COL_FLAGS:
            names = tuple(name for _w, _t, name in self._badges(call))
            return icon_strip(names) if names else None
        if role == BADGES_ROLE:
            return " · ".join(word for word, _t, _n in self._badges(call))
        if role == Qt.ItemDataRole.ForegroundRole:
            if not call.is_live:
                return QBrush(theme.color("ended"))
            if col == COL_DURATION:
                level = self._timer_level(call)
                return QBrush(theme.color(level)) if level else None
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            tint = self._tint(call)
            return QBrush(theme.color(tint)) if tint else None
        if role == Qt.ItemDataRole.FontRole and col == COL_STATE and ccid in self.pending:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.AccessibleTextRole:
            shown = self.data(index, BADGES_ROLE) if col == COL_FLAGS else self._display(call, col)
            return f"{HEADERS[col] or _TIPS[col]}: {shown}"
        if role == SORT_ROLE:
            started = fmt.as_aware(call.started_at)
            return started.timestamp() if started else 0.0
        if role == CALL_ROLE:
            return call
        return None

    def _in_shared_conference(self, call: Call) -> bool:
        """In a conference with someone besides the operator's own phone: a call the console
        moved into a conference of its own (to hold or mute it) is still a 1:1 call."""
        conference = self.store.conferences.get(call.conference_id) if call.conference_id else None
        if conference is None or not conference.is_live:
            return False
        if not (conference.name or "").startswith("console-call-"):
            return True
        is_operator = self.is_operator_leg
        return any(
            p.call_control_id != call.call_control_id
            and not (is_operator is not None and is_operator(p.call_control_id))
            for p in conference.present_participants()
        )

    def _badges(self, call: Call) -> list[tuple[str, str, str]]:
        return badges(call, self._in_shared_conference(call))

    def _timer_level(self, call: Call) -> str | None:
        secs = self._duration(call) or 0.0
        if not is_up(call):
            return None  # ringing time is not talk time
        if secs >= self.alert_after_secs:
            return "timer_alert"
        if secs >= self.warn_after_secs:
            return "timer_warn"
        return None

    def _tint(self, call: Call) -> str | None:
        if not call.is_live:
            return None
        if call.state is CallState.RINGING and call.direction == "incoming":
            return "ringing"
        if call.on_hold:
            return "held"
        if (self._duration(call) or 0.0) >= self.alert_after_secs and is_up(call):
            return "long"
        return None

    def _display(self, call: Call, col: int) -> str:
        if col == COL_DIRECTION:
            return fmt.direction_text(call.direction)
        if col == COL_FROM:  # the other party
            if call.direction == "outgoing":
                return fmt.party(call.to_number)
            return fmt.party(call.from_number, call.caller_name)
        if col == COL_TO:  # the console's own number on this call
            return (call.from_number if call.direction == "outgoing" else call.to_number) or ""
        if col == COL_STATE:
            pending = self.pending.text(call.call_control_id)
            if pending:
                return pending  # the hourglass is an icon: a glyph drew as a box in some fonts
            if call.on_hold and call.is_live:
                return f"On hold {fmt.format_duration(self.held_for(call))}"
            text = fmt.state_text(call.state, call.direction)
            if call.state is CallState.IN_CONFERENCE and not self._in_shared_conference(call):
                # Moved into a conference of its own (to hold or mute it): still a 1:1 call.
                text = fmt.state_text(CallState.ANSWERED)
            if call.state is CallState.QUEUED and call.queue_position:
                text += f" (#{call.queue_position})"
            return text
        if col == COL_DURATION:
            return fmt.format_duration(self._duration(call))
        if col == COL_FLAGS:
            return ""  # icons (DecorationRole); the words are in the tooltip and BADGES_ROLE
        if col == COL_WHERE:
            if call.queue_name:
                return f"Queue {call.queue_name}"
            if call.conference_id:
                conference = self.store.conferences.get(call.conference_id)
                return fmt.conference_place(
                    call, conference, self.store.calls, self.is_operator_leg
                )
            target = self.transferred_to(call.call_control_id)
            if target and call.direction != "outgoing":
                return f"Transferred to {target}"
            if call.bridged_to:
                peer = self.store.call(call.bridged_to)
                return f"With {fmt.who(peer)}" if peer is not None else "With another call"
            return ""
        if col == COL_ENDED:
            return "" if call.is_live else self._ended_text(call)
        return ""

    def _ended_text(self, call: Call) -> str:
        note = self.ended_notes.get(call.call_control_id)
        return note or fmt.hangup_text(call.hangup_cause, call.hangup_source, call.direction)

    def _duration(self, call: Call) -> float | None:
        if call.is_live:
            return fmt.seconds_between(call.answered_at or call.started_at, fmt.now())
        if call.answered_at is None:
            return None
        return fmt.seconds_between(call.answered_at, call.ended_at)

    def _tooltip(self, call: Call, col: int) -> str | None:
        if col == COL_FLAGS:
            return "\n".join(f"{word}: {tip}" for word, tip, _n in self._badges(call)) or None
        if col == COL_ENDED and not call.is_live:
            tip = fmt.hangup_tooltip(
                call.hangup_cause, call.hangup_source, call.sip_hangup_cause, call.direction
            )
            note = self.ended_notes.get(call.call_control_id)
            return f"{note}\n{tip}" if note else tip
        if col == COL_WHERE and call.conference_id:
            conference = self.store.conferences.get(call.conference_id)
            name = conference.name if conference is not None and conference.name else ""
            if name.startswith("console-call-"):
                return f"Moved into its own conference ({name}) so it can be held or muted"
            return (
                f"Conference {name} ({call.conference_id})"
                if name
                else f"Conference {call.conference_id}"
            )
        if col in (COL_FROM, COL_DIRECTION, COL_STATE):
            tip = f"Call {call.call_control_id}\nStarted {fmt.format_time(call.started_at)}"
            if col == COL_FROM:  # the whole name and number when the column cuts them
                tip = f"{fmt.party(call.from_number, call.caller_name)}\n{tip}"
            return tip
        return None
