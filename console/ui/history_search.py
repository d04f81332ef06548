"""The history panel's search row: the search box, the optional date range, and their bounds.

Apart from the panel (``history_panel.py``), which reads pages and shows them: this holds what
the operator asked for (text and whole local days), waits for typing to pause before asking
for a new search, and turns the chosen days into the epoch bounds the history table takes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import cast

from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import QCheckBox, QDateEdit, QLabel, QLineEdit, QWidget

SEARCH_DELAY_MS = 300  # typing pauses this long before the query runs


class HistorySearch:
    """The search row's widgets (children of ``parent``); ``run()`` reads the search again."""

    def __init__(self, parent: QWidget, run: Callable[[], None]):
        self._run = run
        self.timer = QTimer(parent)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(run)

        self.search = QLineEdit(parent)
        self.search.setPlaceholderText("Number or call id")
        self.search.setAccessibleName("Search call history")
        self.search.setToolTip("Part of a phone number, or a call control, leg or session id")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self.timer.start())
        self.search.returnPressed.connect(run)

        self.range_check = QCheckBox("Between", parent)
        self.range_check.setAccessibleName("Limit history to a date range")
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addDays(-7), parent)
        self.date_to = QDateEdit(today, parent)
        for edit, name in ((self.date_from, "From date"), (self.date_to, "To date")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
            edit.setEnabled(False)
            edit.dateChanged.connect(lambda _d: self.timer.start())
        self.range_check.toggled.connect(self._range_toggled)
        self.and_label = QLabel("and", parent)

    def widgets(self) -> list[QWidget]:
        """In the order the row shows them (the box takes the spare width)."""
        return [self.search, self.range_check, self.date_from, self.and_label, self.date_to]

    def _range_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self._run()

    def text(self) -> str:
        return self.search.text()

    def filtered(self) -> bool:
        """Whether the list is narrowed (by text or by days)."""
        return bool(self.search.text().strip()) or self.range_check.isChecked()

    def date_range(self) -> tuple[float | None, float | None]:
        """The chosen days as (since, until) epoch seconds; (None, None) without a range."""
        if not self.range_check.isChecked():
            return None, None
        start, end = self.date_from.date(), self.date_to.date()
        if end < start:
            start, end = end, start
        return _local_bound(start, end=False), _local_bound(end, end=True)

    def set_date_range(self, start: QDate | None, end: QDate | None = None) -> None:
        """Limit to whole local days (None clears the range); reads the search again."""
        if start is None:
            self.range_check.setChecked(False)
            return
        self.timer.stop()
        self.date_from.setDate(start)
        self.date_to.setDate(end or start)
        if self.range_check.isChecked():
            self._run()
        else:
            self.range_check.setChecked(True)


def _local_bound(day: QDate, end: bool) -> float:
    """Local midnight at the start of ``day`` (or of the day after, for an end bound)."""
    moment = datetime.combine(cast(date, day.toPython()), time.min).astimezone()
    if end:
        moment += timedelta(days=1)
    return moment.timestamp() - (0.000001 if end else 0.0)
