"""Contact names in the calls table and the history (``Pat Lee <+1…>`` where the model shows
a bare number), and each history row's disposition beside its result, with the notes in its
tooltip.

The calls and history models belong to other modules; a delegate set on their views changes
what is painted without touching the models (a ``contact_name`` hook in the models would also
reach their accessible text — see the workflow report). Lookups are cached per number and the
cache is dropped whenever the contacts change.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QToolTip, QWidget

from console.desk import WrapUp

NumberOf = Callable[[QModelIndex | QPersistentModelIndex], str | None]


class NameCache:
    def __init__(self, lookup: Callable[[str], str | None]) -> None:
        self._lookup = lookup
        self._names: dict[str, str | None] = {}

    def __call__(self, number: str | None) -> str | None:
        if not number:
            return None
        if number not in self._names:
            if len(self._names) > 5000:
                self._names.clear()
            self._names[number] = self._lookup(number)
        return self._names[number]

    def clear(self) -> None:
        self._names.clear()


class ContactNameDelegate(QStyledItemDelegate):
    def __init__(self, names: NameCache, number_of: NumberOf, parent: QWidget | None = None):
        super().__init__(parent)
        self.names = names
        self.number_of = number_of

    def text(self, index: QModelIndex | QPersistentModelIndex) -> str:
        """What the cell shows: the contact's name and the number, else the model's text."""
        shown = index.data(Qt.ItemDataRole.DisplayRole) or ""
        number = self.number_of(index)
        name = self.names(number)
        if not name or not number:
            return str(shown)
        return f"{name} <{number}>"

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.text = self.text(index)


class WrapUpDelegate(QStyledItemDelegate):
    """A history row's result with what the operator wrote: ``Completed · Call back``; the
    notes in the tooltip."""

    def __init__(
        self,
        wrapup_of: Callable[[QModelIndex | QPersistentModelIndex], WrapUp | None],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.wrapup_of = wrapup_of

    def text(self, index: QModelIndex | QPersistentModelIndex) -> str:
        shown = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        wrapup = self.wrapup_of(index)
        if wrapup is None or not wrapup.disposition:
            return shown
        return f"{shown} · {wrapup.disposition}" if shown else wrapup.disposition

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.text = self.text(index)

    def helpEvent(self, event, view, option, index) -> bool:
        wrapup = self.wrapup_of(index)
        if event.type() == QEvent.Type.ToolTip and wrapup is not None and wrapup.notes:
            tags = f"\nTags: {' '.join(wrapup.tags)}" if wrapup.tags else ""
            QToolTip.showText(event.globalPos(), f"{wrapup.summary}\n\n{wrapup.notes}{tags}", view)
            return True
        return super().helpEvent(event, view, option, index)
