"""One search box (Ctrl+F): live calls, past calls and contacts, by name, number, note or
disposition, as the operator types.

Results come in three groups. Enter (or a double-click) on a live call selects it in the calls
table; on a past call or a contact it calls them back, through the dialer so the From number is
chosen as the dialer does. The box is non-modal: the operator can keep it open beside the calls.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.desk import Desk, match_live
from console.ui import formatting as fmt
from console.ui.messages import describe_error
from console.ui.workflow_caller_panel import when_text

log = logging.getLogger(__name__)

SEARCH_SHORTCUT = "Ctrl+F"
SEARCH_DELAY_MS = 150
KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # "live" | "call" | "contact"
VALUE_ROLE = Qt.ItemDataRole.UserRole + 2  # ccid for live, number for the others


#: Contacts whose numbers a live call is matched against by name (more: a text too broad).
LIVE_NAME_MATCHES = 1000


class SearchDialog(QDialog):
    live_chosen = Signal(str)  # call control id
    number_chosen = Signal(str)  # a number to call back

    def __init__(self, desk: Desk, store, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.store = store
        self.setObjectName("searchDialog")
        self.setWindowTitle("Search calls and contacts")
        self.setAccessibleName("Search calls and contacts")
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("searchEdit")
        self.edit.setAccessibleName("Search live calls, history and contacts")
        self.edit.setPlaceholderText("Name, number, note or disposition…")
        self.edit.setClearButtonEnabled(True)
        self.results = QTreeWidget(self)
        self.results.setObjectName("searchResults")
        self.results.setAccessibleName("Search results")
        self.results.setHeaderLabels(["Result", "Details"])
        self.results.setRootIsDecorated(False)
        self.results.setAllColumnsShowFocus(True)
        self.results.itemActivated.connect(lambda item, _col: self.choose(item))
        self.status = QLabel("", self)
        self.status.setAccessibleName("Search status")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.edit)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        self.resize(640, 440)
        self.groups: dict[str, QTreeWidgetItem] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run)
        self.edit.textChanged.connect(lambda _t: self._timer.start())
        self.edit.returnPressed.connect(self._enter)
        self.edit.installEventFilter(self)

    def open_for(self, text: str = "") -> None:
        if text:
            self.edit.setText(text)
        self.show()
        self.raise_()
        self.activateWindow()
        self.edit.setFocus()
        self.edit.selectAll()

    # --- searching ----------------------------------------------------------------------------

    def run(self) -> None:
        self._timer.stop()
        text = self.edit.text().strip()
        self.results.clear()
        self.groups = {}
        if not text:
            self.status.setText("Type to search live calls, past calls, notes and contacts.")
            return
        try:
            name_of = self.desk.name_for
            live_ids = match_live(self.store.live_calls(), text, self._names_matching(text))
            found = self.desk.search(text)
        except Exception as exc:
            self.status.setText(f"The search failed: {describe_error(exc)}")
            return
        for ccid in live_ids:
            call = self.store.call(ccid)
            if call is None:
                continue
            number = call.to_number if call.direction == "outgoing" else call.from_number
            who = name_of(number) or fmt.party(number, call.caller_name)
            state = fmt.state_text(call.state, call.direction)
            self._add("live", "Live calls", who, state, ccid)
        for hit in found.calls:
            entry = hit.entry
            who = hit.contact_name or fmt.party(hit.number, entry.caller_name) or hit.number
            parts = [when_text(entry.when), fmt.direction_text(entry.direction)]
            if hit.wrapup is not None and hit.wrapup.summary:
                parts.append(hit.wrapup.summary)
            item = self._add("call", "Past calls", who, " · ".join(parts), hit.number)
            if hit.wrapup is not None and hit.wrapup.notes:
                item.setToolTip(1, hit.wrapup.notes)
        for contact in found.contacts:
            number = contact.numbers[0].dial_string if contact.numbers else ""
            detail = " · ".join(p for p in (contact.organisation, number) if p)
            self._add("contact", "Contacts", contact.name, detail, number)
        total = len(live_ids) + len(found.calls) + len(found.contacts)
        self.status.setText(
            f"{total} result{'s' if total != 1 else ''}. Enter: select a live call, or call back."
            if total
            else f"Nothing found for “{text}”."
        )
        self.results.resizeColumnToContents(0)
        first = self._first()
        if first is not None:
            self.results.setCurrentItem(first)

    def _names_matching(self, text: str) -> Callable[[str], str | None]:
        """Contact names for the numbers of the contacts ``text`` finds (one indexed query).

        Asking the book about every live call's numbers instead cost two lookups per call:
        with 5,000 live calls, most of a second per search. A contact whose name does not
        match cannot make a call match by name, so these are the only names that matter.
        """
        names = {
            number.dial_string: contact.display_name
            for contact in self.desk.contacts.search(text, limit=LIVE_NAME_MATCHES)
            for number in contact.numbers
        }
        return names.get

    def _add(self, kind: str, group: str, who: str, detail: str, value: str) -> QTreeWidgetItem:
        parent = self.groups.get(group)
        if parent is None:
            parent = QTreeWidgetItem([group, ""])
            parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = parent.font(0)
            font.setBold(True)
            parent.setFont(0, font)
            self.results.addTopLevelItem(parent)
            parent.setExpanded(True)
            self.groups[group] = parent
        item = QTreeWidgetItem([who, detail])
        item.setData(0, KIND_ROLE, kind)
        item.setData(0, VALUE_ROLE, value)
        parent.addChild(item)
        return item

    def items(self, kind: str | None = None) -> list[QTreeWidgetItem]:
        out = []
        for group in self.groups.values():
            for i in range(group.childCount()):
                child = group.child(i)
                if child is not None and (kind is None or child.data(0, KIND_ROLE) == kind):
                    out.append(child)
        return out

    def _first(self) -> QTreeWidgetItem | None:
        found = self.items()
        return found[0] if found else None

    # --- choosing -----------------------------------------------------------------------------

    def _enter(self) -> None:
        if self._timer.isActive():
            self.run()
        item = self.results.currentItem() or self._first()
        if item is not None:
            self.choose(item)

    def choose(self, item: QTreeWidgetItem) -> None:
        kind, value = item.data(0, KIND_ROLE), item.data(0, VALUE_ROLE)
        if not kind or not value:
            return
        if kind == "live":
            self.live_chosen.emit(str(value))
        else:
            self.number_chosen.emit(str(value))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                found = self.items()
                if found:
                    current = self.results.currentItem()
                    index = found.index(current) if current in found else -1
                    step = 1 if event.key() == Qt.Key.Key_Down else -1
                    self.results.setCurrentItem(found[max(0, min(len(found) - 1, index + step))])
                return True
        return super().eventFilter(watched, event)
