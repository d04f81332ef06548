"""What is selected in the main window's calls table, conference tree and queue tree, and
selecting rows there (what the actions read and end-to-end tests drive).

A ringing call is selected for the operator only when nothing is selected, or only a call
this window selected by itself that has since ended: a selection the operator made is never
taken away.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex
from PySide6.QtWidgets import QTreeView

from console.ui.conferences_model import CONFERENCE_ROLE, PARTICIPANT_ROLE
from console.ui.queues_model import WAITER_ROLE

if TYPE_CHECKING:
    from console.ui.main_window import MainWindow


def select_calls(w: MainWindow, ccids: Iterable[str]) -> None:
    selection = QItemSelection()
    current = QModelIndex()
    for ccid in ccids:
        row = w.calls_model.row_of(ccid)
        if row is None:
            continue
        idx = w.calls_proxy.mapFromSource(w.calls_model.index(row, 0))
        last = idx.siblingAtColumn(w.calls_proxy.columnCount() - 1)
        selection.select(idx, last)
        current = current if current.isValid() else idx
    model = w.calls_view.selectionModel()
    flags = QItemSelectionModel.SelectionFlag
    model.select(selection, flags.ClearAndSelect | flags.Rows)
    if current.isValid():
        model.setCurrentIndex(current, flags.NoUpdate)
    w._on_selection()


def tree_current(view: QTreeView) -> QModelIndex:
    rows = view.selectionModel().selectedRows()
    return rows[0] if rows else QModelIndex()


def select_conference(w: MainWindow, conference_id: str, ccid: str | None = None) -> None:
    if ccid is None:
        idx = w.conferences_model.index_of_conference(conference_id)
    else:
        idx = w.conferences_model.index_of_participant(conference_id, ccid)
    flags = QItemSelectionModel.SelectionFlag
    w.conferences_view.selectionModel().select(idx, flags.ClearAndSelect | flags.Rows)
    w._on_selection()


def select_waiter(w: MainWindow, queue: str, ccid: str) -> None:
    idx = w.queues_model.index_of_waiter(queue, ccid)
    flags = QItemSelectionModel.SelectionFlag
    w.queues_view.selectionModel().select(idx, flags.ClearAndSelect | flags.Rows)
    w._on_selection()


def selection_is_free(w: MainWindow) -> bool:
    """Nothing selected, or only a call this window selected by itself that has ended since
    (the operator did not choose that row)."""
    views = (w.conferences_view, w.queues_view)
    if any(view.selectionModel().hasSelection() for view in views):
        return False
    selected = selected_ccids(w)
    if not selected:
        return True
    if selected != [w._auto_selected]:
        return False
    call = w.session.store.call(selected[0])
    return call is None or not call.is_live


def select_ringing(w: MainWindow, added: Iterable[str]) -> None:
    """A call started ringing and the operator has nothing selected: select the call Answer
    (F5) would take, so the highlighted row is the one the key answers. A selection the
    operator made is never taken away."""
    added = set(added)
    if not added or not selection_is_free(w):
        return
    target = w.actions.ringing_target()
    if target is not None and target.call_control_id in added:
        select_calls(w, [target.call_control_id])
        w._auto_selected = target.call_control_id


def selected_ccids(w: MainWindow) -> list[str]:
    rows = w.calls_view.selectionModel().selectedRows()
    source_rows = sorted(w.calls_proxy.mapToSource(idx).row() for idx in rows)
    return [w.calls_model.ccid_at(r) for r in source_rows if r >= 0]


def selected_conference(w: MainWindow) -> str | None:
    idx = tree_current(w.conferences_view)
    return idx.data(CONFERENCE_ROLE) if idx.isValid() else None


def selected_participant(w: MainWindow) -> tuple[str, str] | None:
    idx = tree_current(w.conferences_view)
    if not idx.isValid() or idx.data(PARTICIPANT_ROLE) is None:
        return None
    return idx.data(CONFERENCE_ROLE), idx.data(PARTICIPANT_ROLE)


def selected_waiter(w: MainWindow) -> str | None:
    idx = tree_current(w.queues_view)
    return idx.data(WAITER_ROLE) if idx.isValid() else None
