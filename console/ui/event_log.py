"""The event log dock: every webhook in arrival order, rejected ones in red, raw JSON on demand."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.ui import formatting as fmt
from console.ui import theme

log = logging.getLogger(__name__)

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 30
HEADERS = ["Received", "Type", "Call", "Attempt", "Delay", "Detail"]
COL_TIME, COL_TYPE, COL_CALL, COL_ATTEMPT, COL_DELAY, COL_DETAIL = range(6)
REJECTED = "rejected"
ALL_TYPES = "All types"


@dataclass
class LogEntry:
    received_at: datetime | None
    event_type: str
    call_control_id: str | None
    attempt: int | None
    raw: dict[str, Any] | str | None
    rejected: bool = False
    detail: str = ""
    delay_secs: float | None = None

    @property
    def pretty(self) -> str:
        raw: object = self.raw
        if isinstance(raw, str) and raw.startswith("{"):
            try:  # parsed only when the operator looks at it, not for every event logged
                raw = json.loads(raw)
            except ValueError:
                return str(raw)
        if isinstance(raw, dict):
            return json.dumps(raw, indent=2, sort_keys=False, ensure_ascii=False)
        return str(raw) if raw else ""


def entry_from_event(envelope, received=None) -> LogEntry:
    """A row for an accepted webhook (a parsed Envelope and the receiver's delivery facts)."""
    data = envelope.data
    # The body as received (kept as text until shown); a dump only when there is none.
    raw = getattr(received, "raw", None) or envelope.model_dump(
        mode="json", by_alias=True, exclude_none=True
    )
    received_at = fmt.to_datetime(getattr(received, "received_at", None)) or fmt.now()
    occurred = data.effective_occurred_at
    delay = getattr(received, "delivery_delay", None)
    if delay is None and occurred is not None:
        delay = fmt.seconds_between(occurred, received_at)
    attempt = getattr(received, "attempt", None) or envelope.attempt
    payload = data.payload
    detail = ""
    for name in ("hangup_cause", "reason", "status", "digit", "result", "queue", "conference_id"):
        value = getattr(payload, name, None)
        if value:
            detail = f"{name}={value}"
            break
    return LogEntry(
        received_at=received_at,
        event_type=envelope.event_type,
        call_control_id=payload.call_control_id,
        attempt=attempt,
        raw=raw,
        detail=detail,
        delay_secs=delay,
    )


def entry_from_rejection(rejection) -> LogEntry:
    """A row for a webhook the receiver refused (bad signature, stale timestamp, bad JSON)."""
    reason = getattr(rejection, "reason", "") or "rejected"
    detail = getattr(rejection, "detail", "") or ""
    status = getattr(rejection, "status", None)
    remote = getattr(rejection, "remote", None)
    raw = {
        "rejected": True,
        "reason": reason,
        "detail": detail,
        "status": status,
        "remote": remote,
    }
    for name in ("method", "path"):
        if getattr(rejection, name, None):
            raw[name] = getattr(rejection, name)
    body = getattr(rejection, "body_excerpt", None)
    if body:
        raw["body_excerpt"] = body if isinstance(body, str) else repr(body)
    text = reason + (f": {detail}" if detail else "")
    if status:
        text += f" (answered {status})"
    return LogEntry(
        received_at=fmt.to_datetime(getattr(rejection, "time", None)) or fmt.now(),
        event_type=REJECTED,
        call_control_id=None,
        attempt=None,
        raw=raw,
        rejected=True,
        detail=text + (f" from {remote}" if remote else ""),
    )


class EventLogModel(QAbstractTableModel):
    """Append-only, bounded: the oldest rows go in chunks so memory stays flat."""

    def __init__(self, max_rows: int = 5000, delay_ms: int = 30, parent: QObject | None = None):
        super().__init__(parent)
        self.max_rows = max_rows
        self._entries: list[LogEntry] = []
        self._incoming: list[LogEntry] = []
        self.event_types: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.flush)

    def entries(self) -> list[LogEntry]:
        return list(self._entries)

    def entry(self, row: int) -> LogEntry:
        return self._entries[row]

    def append(self, entry: LogEntry) -> None:
        """Queue a row; rows arriving together are inserted with one beginInsertRows."""
        self._incoming.append(entry)
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        self._timer.stop()
        if not self._incoming:
            return
        batch, self._incoming = self._incoming[-self.max_rows :], []
        # Known before rowsInserted fires, so the dock's type filter can offer them at once.
        self.event_types.update(e.event_type for e in batch if not e.rejected)
        first = len(self._entries)
        self.beginInsertRows(QModelIndex(), first, first + len(batch) - 1)
        self._entries.extend(batch)
        self.endInsertRows()
        # Trim in chunks of 10% so a busy log does not shift the whole list for every row.
        excess = len(self._entries) - self.max_rows
        if excess > 0:
            excess = max(excess, min(len(self._entries), self.max_rows // 10))
            self.beginRemoveRows(QModelIndex(), 0, excess - 1)
            del self._entries[:excess]
            self.endRemoveRows()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._entries):
            return None
        entry = self._entries[index.row()]
        col = index.column()
        if role == ENTRY_ROLE:
            return entry
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_TIME:
                return fmt.format_time(entry.received_at)
            if col == COL_TYPE:
                return "REJECTED" if entry.rejected else entry.event_type
            if col == COL_CALL:
                return fmt.short_id(entry.call_control_id)
            if col == COL_ATTEMPT:
                return "" if entry.attempt is None else str(entry.attempt)
            if col == COL_DELAY:
                return "" if entry.delay_secs is None else f"{entry.delay_secs:.1f} s"
            if col == COL_DETAIL:
                return entry.detail
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_CALL and entry.call_control_id:
                return entry.call_control_id
            if entry.rejected:
                return f"Rejected webhook: {entry.detail}"
            if col == COL_ATTEMPT and entry.attempt and entry.attempt > 1:
                return f"Telnyx retried this webhook (attempt {entry.attempt})"
        if entry.rejected:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(theme.color("rejected"))
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(theme.color("rejected_text"))
        return None


class EventFilterProxy(QSortFilterProxyModel):
    """Filters by event type (exact) and by text in the call id, type or detail."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._text = ""
        self._type: str | None = None

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().lower()
        self.endFilterChange()

    def set_event_type(self, event_type: str | None) -> None:
        self.beginFilterChange()
        self._type = event_type or None
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        entry: LogEntry = cast(EventLogModel, self.sourceModel()).entry(source_row)
        if self._type == REJECTED and not entry.rejected:
            return False
        if self._type not in (None, REJECTED) and entry.event_type != self._type:
            return False
        if not self._text:
            return True
        haystack = f"{entry.call_control_id or ''} {entry.event_type} {entry.detail}".lower()
        return self._text in haystack


class EventLogDock(QDockWidget):
    """The dock: filter row, the table, and a raw JSON pane for the selected event."""

    def __init__(self, max_rows: int = 5000, parent: QWidget | None = None):
        super().__init__("Event log", parent)
        self.setObjectName("eventLogDock")
        self.model = EventLogModel(max_rows=max_rows, parent=self)
        self.proxy = EventFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        self.filter_edit = QLineEdit(body)
        self.filter_edit.setPlaceholderText("Filter by call id, type or detail…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Event log filter")
        self.filter_edit.textChanged.connect(self.proxy.set_text)
        self.type_combo = QComboBox(body)
        self.type_combo.setAccessibleName("Event type filter")
        self.type_combo.setMinimumContentsLength(22)
        self.type_combo.addItem(ALL_TYPES, None)
        self.type_combo.addItem("Rejected webhooks", REJECTED)
        self.type_combo.currentIndexChanged.connect(self._on_type)
        self.raw_button = QToolButton(body)
        self.raw_button.setText("Raw JSON")
        self.raw_button.setCheckable(True)
        self.raw_button.setChecked(True)
        self.raw_button.setToolTip("Show the JSON of the selected event")
        self.raw_button.setAccessibleName("Show raw JSON")
        self.follow_button = QToolButton(body)
        self.follow_button.setText("Follow")
        self.follow_button.setCheckable(True)
        self.follow_button.setChecked(True)
        self.follow_button.setToolTip("Keep the newest event in view")
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.type_combo)
        bar.addWidget(self.follow_button)
        bar.addWidget(self.raw_button)
        layout.addLayout(bar)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, body)
        self.splitter.setObjectName("eventLogSplitter")
        self.view = QTableView(self.splitter)
        self.view.setObjectName("eventLogView")
        self.view.setAccessibleName("Event log")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(22)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Each column starts as wide as its usual content (Detail takes the rest); a saved
        # layout wins.
        cells, titles = self.view.fontMetrics(), header.fontMetrics()
        for col, sample in (
            (COL_TIME, "00:00:00"),
            (COL_TYPE, "conference.participant.joined"),
            (COL_CALL, "…Txs84rFDx"),
            (COL_ATTEMPT, "12"),
            (COL_DELAY, "12.3 s"),
        ):
            width = max(cells.horizontalAdvance(sample), titles.horizontalAdvance(HEADERS[col]))
            header.resizeSection(col, width + 18)
        self.raw_view = QPlainTextEdit(self.splitter)
        self.raw_view.setObjectName("rawJson")
        self.raw_view.setReadOnly(True)
        self.raw_view.setAccessibleName("Raw JSON of the selected event")
        self.raw_view.setPlaceholderText("Select an event to see its JSON.")
        self.raw_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout.addWidget(self.splitter, 1)
        self.setWidget(body)

        self.raw_button.toggled.connect(self.raw_view.setVisible)
        self.view.selectionModel().currentRowChanged.connect(self._show_raw)
        self.model.rowsInserted.connect(self._on_rows_inserted)

    # --- feeding --------------------------------------------------------------------------

    def add_event(self, envelope, received=None) -> None:
        try:
            self.model.append(entry_from_event(envelope, received))
        except Exception:  # a display problem must never lose the rest of the log
            log.exception("Could not show an event in the log")

    def add_rejection(self, rejection) -> None:
        self.model.append(entry_from_rejection(rejection))

    def load_history(self, journal, limit: int = 500) -> None:
        """Fill the log from the journal at start-up (oldest first)."""
        try:
            rows = list(journal.recent(limit))
        except Exception:
            log.exception("Could not read the event journal for the log")
            return
        # The journal answers newest first; the log shows arrival order.
        rows.sort(key=lambda r: fmt.to_datetime(getattr(r, "received_at", None)) or fmt.now())
        for row in rows:
            envelope = getattr(row, "envelope", row)
            try:
                if callable(envelope):  # JournalRecord.envelope() parses the stored body
                    envelope = envelope()
            except Exception:
                log.warning("Skipping an unreadable journal row in the event log")
                continue
            if hasattr(envelope, "data") and hasattr(envelope, "event_type"):
                self.add_event(envelope, row if hasattr(row, "received_at") else None)
        self.model.flush()

    # --- reacting -------------------------------------------------------------------------

    def _on_type(self, _index: int) -> None:
        self.proxy.set_event_type(self.type_combo.currentData())

    def _on_rows_inserted(self, _parent, _first, _last) -> None:
        known = {self.type_combo.itemData(i) for i in range(self.type_combo.count())}
        for event_type in sorted(self.model.event_types - known):
            self.type_combo.addItem(event_type, event_type)
        if self.follow_button.isChecked():
            self.view.scrollToBottom()

    def _show_raw(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entry = current.data(ENTRY_ROLE) if current.isValid() else None
        self.raw_view.setPlainText(entry.pretty if entry else "")

    def selected_entry(self) -> LogEntry | None:
        idx = self.view.currentIndex()
        return idx.data(ENTRY_ROLE) if idx.isValid() else None
