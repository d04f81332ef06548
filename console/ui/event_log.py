"""The event log dock: every webhook in arrival order, rejected ones in red, raw JSON on demand.

The dock holds the filter row, the table and the raw JSON pane, and feeds the log from the
session and the journal; what a row holds is console/ui/event_log_entries.py's, the table model
and its filter console/ui/event_log_model.py's (split for issue 11).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFontDatabase
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
from console.ui.event_log_entries import (
    REJECTED,
    LogEntry,
    entry_from_event,
    entry_from_rejection,
)
from console.ui.event_log_model import (
    COL_ATTEMPT,
    COL_CALL,
    COL_DELAY,
    COL_TIME,
    COL_TYPE,
    ENTRY_ROLE,
    HEADERS,
    EventFilterProxy,
    EventLogModel,
)

log = logging.getLogger(__name__)

ALL_TYPES = "All types"


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
