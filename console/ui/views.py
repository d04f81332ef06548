"""Item views that hold still: a removed row never hands its selection to a neighbour."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtWidgets import QTreeView


def _within(index: QModelIndex, parent: QModelIndex, first: int, last: int) -> bool:
    """Is ``index`` one of rows first..last under ``parent``, or inside one of them?"""
    while index.isValid():
        if index.parent() == parent and first <= index.row() <= last:
            return True
        index = index.parent()
    return False


class StillTreeView(QTreeView):
    """A tree whose selection goes away with its row.

    In single-selection mode Qt moves the current index, and with it the selection, to the
    next row when the current row is removed: after a kick the next participant was selected,
    so a second Ctrl+K removed someone else. Here the selection is cleared instead, and the
    actions that need one disable until the operator chooses again.
    """

    def rowsAboutToBeRemoved(
        self, parent: QModelIndex | QPersistentModelIndex, start: int, end: int
    ) -> None:
        model = self.selectionModel()
        if model is not None:
            parent_index = (
                QModelIndex(parent) if isinstance(parent, QPersistentModelIndex) else parent
            )
            going = [idx for idx in model.selectedRows() if _within(idx, parent_index, start, end)]
            if going or _within(model.currentIndex(), parent_index, start, end):
                model.clearSelection()
                model.clearCurrentIndex()
        super().rowsAboutToBeRemoved(parent, start, end)
