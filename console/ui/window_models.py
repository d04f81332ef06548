"""The item models behind the main window's views, built over the session's store.

The calls table reads a proxy that never re-sorts (a row holds still where the operator aims),
the conference and queue trees read their own models; all three are told apart from the
operator's own phone leg by the same predicate.

Split out of console/ui/main_window.py (issue 11): what the views show is built here, how the
window lays them out in console/ui/window_views.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QObject, QSortFilterProxyModel

from console.ui.calls_model import SORT_ROLE, CallsModel
from console.ui.conferences_model import ConferencesModel
from console.ui.pending import PendingOps
from console.ui.queues_model import QueuesModel

if TYPE_CHECKING:
    from console.state.store import Store


class WindowModels(NamedTuple):
    calls: CallsModel
    calls_proxy: QSortFilterProxyModel
    conferences: ConferencesModel
    queues: QueuesModel


def build_models(
    store: Store,
    pending: PendingOps,
    retention_secs: float,
    is_operator_leg: Callable[[str], bool],
    parent: QObject,
) -> WindowModels:
    calls = CallsModel(store, pending, retention_secs, parent)
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(calls)
    proxy.setSortRole(SORT_ROLE)
    # Rows hold still: no sorting, so a row stays where it is and a new call is appended
    # below the others (the model keeps arrival order), never pushing the row the
    # operator is aiming at. Ringing calls still stand out: tint, popup, auto-selection.
    proxy.setDynamicSortFilter(False)
    conferences = ConferencesModel(store, parent)
    calls.is_operator_leg = is_operator_leg
    conferences.is_operator_leg = is_operator_leg
    return WindowModels(calls, proxy, conferences, QueuesModel(store, parent))
