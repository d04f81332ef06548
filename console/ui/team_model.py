"""The Team panel's Qt model: one row per colleague, their status, call and time in status.

Apart from the panel (``team_panel.py``), which holds the widgets and the buttons: the model
keeps the rows in the team's order, remembers since when this console has seen each colleague
in their activity (machines' clocks are never compared), and words the live claims.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush

from console.desk.status import Status
from console.state.entities import Call
from console.team.view import CallClaim, Colleague
from console.ui import formatting as fmt
from console.ui import theme
from console.ui.team_status import activity, activity_words, dot_color, dot_icon

HEADERS = ["Colleague", "Status", "Call", "For"]
COL_NAME, COL_STATUS, COL_CALL, COL_SINCE = range(4)
_TIPS = {
    COL_NAME: "The colleague's operator name (⚑ = supervisor)",
    COL_STATUS: "Their status, as their console shares it",
    COL_CALL: "The call they are on or acting on",
    COL_SINCE: "How long they have been in this status (as seen by this console)",
}
COLLEAGUE_ROLE = Qt.ItemDataRole.UserRole + 1

CallLookup = Callable[[str], Call | None]


class ColleaguesModel(QAbstractTableModel):
    """One row per colleague, by name; rows stay put when only a status changes."""

    def __init__(self, call_of: CallLookup = lambda _ccid: None, parent=None):
        super().__init__(parent)
        self.call_of = call_of
        self.claims: dict[str, CallClaim] = {}
        self._rows: list[Colleague] = []
        # operator -> (activity, monotonic time this console saw it start)
        self._since: dict[str, tuple[str, float]] = {}
        self.clock: Callable[[], float] = time.monotonic

    # --- data in ------------------------------------------------------------------------

    def set_colleagues(self, colleagues: list[Colleague]) -> None:
        now = self.clock()
        for colleague in colleagues:
            key = activity(colleague)
            seen = self._since.get(colleague.operator)
            if seen is None or seen[0] != key:
                self._since[colleague.operator] = (key, now)
        if [c.operator for c in colleagues] == [c.operator for c in self._rows]:
            self._rows = list(colleagues)
            if self._rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 3))
            return
        self.beginResetModel()
        self._rows = list(colleagues)
        self.endResetModel()

    def set_claims(self, claims: dict[str, CallClaim]) -> None:
        self.claims = dict(claims)
        if self._rows:
            last = len(self._rows) - 1
            self.dataChanged.emit(self.index(0, COL_CALL), self.index(last, COL_CALL))

    def tick(self) -> None:
        if self._rows:
            last = len(self._rows) - 1
            self.dataChanged.emit(self.index(0, COL_SINCE), self.index(last, COL_SINCE))

    # --- reading ------------------------------------------------------------------------

    def colleagues(self) -> list[Colleague]:
        return list(self._rows)

    def colleague_at(self, row: int) -> Colleague | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, operator: str) -> int | None:
        for row, colleague in enumerate(self._rows):
            if colleague.operator == operator:
                return row
        return None

    def seconds_in_status(self, operator: str) -> float | None:
        seen = self._since.get(operator)
        return None if seen is None else max(0.0, self.clock() - seen[1])

    def call_words(self, colleague: Colleague) -> str:
        claim = next((c for c in self.claims.values() if c.operator == colleague.operator), None)
        if (
            claim is not None
            and not claim.mine
            and claim.call_control_id != (colleague.call_control_id)
        ):
            return f"{claim.action.capitalize()} {self._party(claim.call_control_id)}"
        if colleague.call_control_id is None or colleague.status is Status.OFFLINE:
            return ""
        return f"With {self._party(colleague.call_control_id)}"

    def _party(self, ccid: str) -> str:
        call = self.call_of(ccid)
        return fmt.who(call) if call is not None else "a call"

    # --- Qt model -----------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return _TIPS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        colleague = self.colleague_at(index.row()) if index.isValid() else None
        if colleague is None:
            return None
        col = index.column()
        if role == COLLEAGUE_ROLE:
            return colleague
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(colleague, col)
        if role == Qt.ItemDataRole.DecorationRole and col == COL_STATUS:
            return dot_icon(activity(colleague))
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_STATUS:
            return QBrush(dot_color(activity(colleague)))
        if role == Qt.ItemDataRole.ForegroundRole and colleague.status is Status.OFFLINE:
            return QBrush(theme.color("ended"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(colleague)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{HEADERS[col]}: {self._display(colleague, col) or 'none'}"
        return None

    def _display(self, colleague: Colleague, col: int) -> str:
        if col == COL_NAME:
            return colleague.operator + (" ⚑" if colleague.supervisor else "")
        if col == COL_STATUS:
            return activity_words(colleague)
        if col == COL_CALL:
            return self.call_words(colleague)
        if col == COL_SINCE:
            return fmt.format_duration(self.seconds_in_status(colleague.operator))
        return ""

    def _tooltip(self, colleague: Colleague) -> str:
        lines = [f"{colleague.operator}: {activity_words(colleague)}"]
        if colleague.supervisor:
            lines.append("Supervisor")
        lines.append(
            f"Transfers ring {colleague.endpoint}"
            if colleague.endpoint
            else "No phone set: transfers to them are not possible"
        )
        return "\n".join(lines)
