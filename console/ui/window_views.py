"""The main window's widgets: the calls table, the conference and queue trees, the docks
and the central layout (split out of console/ui/main_window.py, issue 11).

Each function builds part of a ``MainWindow`` in place and sets the attributes it declares;
the window's ``__init__`` calls them in order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFrame,
    QHeaderView,
    QScrollArea,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from console.ui.calls_model import (
    COL_DIRECTION,
    COL_DURATION,
    COL_ENDED,
    COL_FLAGS,
    COL_FROM,
    COL_STATE,
    COL_TO,
    COL_WHERE,
)
from console.ui.health_panel import HealthPanel
from console.ui.history_panel import HistoryPanel
from console.ui.recordings_panel import RecordingsPanel
from console.ui.try_this import TryThisCard
from console.ui.views import StillTreeView

if TYPE_CHECKING:
    from console.ui.main_window import MainWindow

CALL_ROW_PX = 24
FLAG_STRIP_PX = 6 * 19  # room for six 16 px badges with their gaps


def build_views(w: MainWindow) -> None:
    w.calls_view = QTableView()
    w.calls_view.setObjectName("callsView")
    w.calls_view.setAccessibleName("Calls")
    w.calls_view.setModel(w.calls_proxy)
    w.calls_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    w.calls_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    w.calls_view.setAlternatingRowColors(True)
    w.calls_view.setWordWrap(False)
    # Wide enough for the flags cell's strip of icons (one decoration per cell); a square
    # icon (direction, pending) still draws at 16×16: Qt keeps an icon's aspect ratio.
    w.calls_view.setIconSize(QSize(FLAG_STRIP_PX, 16))
    w.calls_view.verticalHeader().setVisible(False)
    w.calls_view.verticalHeader().setDefaultSectionSize(CALL_ROW_PX)
    header = w.calls_view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    # The parties column takes the width the window has, so the table fits without a
    # horizontal scrollbar; the others start wide enough for their content (a saved layout
    # wins), and the number dialled always reads in full.
    header.setStretchLastSection(False)
    header.setSectionResizeMode(COL_FROM, QHeaderView.ResizeMode.Stretch)
    digits = w.calls_view.fontMetrics().horizontalAdvance("+441234567890")
    for column, width in (
        (COL_DIRECTION, 52),
        (COL_TO, digits + 14),
        (COL_STATE, 96),
        (COL_DURATION, 62),
        (COL_FLAGS, 84),
        (COL_WHERE, 120),
        (COL_ENDED, 150),
    ):
        header.resizeSection(column, width)
    w.calls_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    w.calls_view.customContextMenuRequested.connect(w.controller.calls_context_menu)
    w.calls_view.doubleClicked.connect(w.controller.call_double_clicked)

    w.conferences_view = tree_view(
        w,
        "conferencesView",
        "Conferences",
        w.conferences_model,
        {1: "12 participants", 2: "00:00:00", 3: "● Recording"},
    )
    w.queues_view = tree_view(
        w,
        "queuesView",
        "Queues",
        w.queues_model,
        {1: "12 waiting", 2: "oldest 12:34", 3: "12:34"},
    )
    w.queues_view.doubleClicked.connect(lambda _idx: w.actions.pick.trigger())
    for model, view in (
        (w.conferences_model, w.conferences_view),
        (w.queues_model, w.queues_view),
    ):
        model.rowsInserted.connect(
            lambda parent, first, last, v=view: _expand_inserted(v, parent, first, last)
        )


def build_docks(w: MainWindow) -> None:
    """History, webhook health and recordings, each in a dock the layout memory restores."""
    session = w.session
    w._history_panel_waiting = session.journal is None
    # subscribe=False: the window feeds them the store bridge's coalesced changes.
    w.history_panel = HistoryPanel(session, subscribe=False)
    w.health_panel = HealthPanel(session)
    w.recordings_panel = RecordingsPanel(session, subscribe=False)
    w.history_dock = make_dock(w, "historyDock", "History", w.history_panel)
    w.health_dock = make_dock(w, "healthDock", "Webhook health", w.health_panel)
    w.recordings_dock = make_dock(w, "recordingsDock", "Recordings", w.recordings_panel)

    # The operator's layout: history and recordings under the calls (the calls table keeps
    # the full width); webhook health and the event log are an engineer's tools, hidden
    # until asked for (View menu; Tools → Test the webhook path shows health). The status
    # bar keeps the alarm either way. A saved layout replaces all of this.
    right = Qt.DockWidgetArea.RightDockWidgetArea
    bottom = Qt.DockWidgetArea.BottomDockWidgetArea
    w.addDockWidget(right, w.health_dock)
    w.addDockWidget(bottom, w.history_dock)
    w.tabifyDockWidget(w.event_log, w.history_dock)
    w.tabifyDockWidget(w.history_dock, w.recordings_dock)
    for dock in w.engineer_docks():
        dock.hide()
    w.history_dock.raise_()
    w.try_this = None
    w.try_this_dock = None
    if session.demo and not _flag(w.qsettings.value("demo/try_this_dismissed")):
        # A newcomer's first look: what to dial, beside the history, in front of it.
        w.try_this = TryThisCard()
        w.try_this.number_chosen.connect(w.controller.try_number)
        w.try_this.dismissed.connect(w.controller.dismiss_try_this)
        w.try_this_dock = make_dock(w, "tryThisDock", "Try this", w.try_this)
        w.addDockWidget(bottom, w.try_this_dock)
        w.tabifyDockWidget(w.history_dock, w.try_this_dock)
        w.try_this_dock.raise_()


def make_dock(w: MainWindow, name: str, title: str, panel: QWidget) -> QDockWidget:
    dock = QDockWidget(title, w)
    dock.setObjectName(name)  # saveState()/restoreState() find docks by object name
    dock.setAccessibleName(title)
    dock.setWidget(_scrolling(panel))  # a panel's minimum size never outgrows the screen
    dock.toggleViewAction().setStatusTip(f"Show or hide {title.lower()}")
    return dock


def tree_view(w: MainWindow, name: str, title: str, model, samples: dict[int, str]) -> QTreeView:
    """A conference or queue tree: the name column takes the width the panel has; the
    others start wide enough for ``samples`` (their widest usual text) and their title."""
    view = StillTreeView()
    view.setObjectName(name)
    view.setAccessibleName(title)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.setUniformRowHeights(True)
    view.expandAll()
    header = view.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    cells, titles = view.fontMetrics(), header.fontMetrics()
    for column, sample in samples.items():
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        width = max(cells.horizontalAdvance(sample), titles.horizontalAdvance(title))
        header.resizeSection(column, width + 18)
    return view


def build_layout(w: MainWindow) -> None:
    central = QWidget(w)
    layout = QVBoxLayout(central)
    layout.setContentsMargins(4, 4, 4, 0)
    layout.addWidget(w.notifications)
    w.main_splitter = QSplitter(Qt.Orientation.Horizontal, central)
    w.main_splitter.setObjectName("mainSplitter")
    # The dialer scrolls rather than making the window taller than a small or scaled
    # screen (1280×800 at 150 % leaves 533 px).
    w.dialer_scroll = _scrolling(w.dialer)
    w.main_splitter.addWidget(w.dialer_scroll)
    w.right_splitter = QSplitter(Qt.Orientation.Vertical)
    w.right_splitter.setObjectName("rightSplitter")
    w.right_splitter.addWidget(w.calls_view)
    w.bottom_splitter = QSplitter(Qt.Orientation.Horizontal)
    w.bottom_splitter.setObjectName("bottomSplitter")
    w.bottom_splitter.addWidget(w.conferences_view)
    w.bottom_splitter.addWidget(w.queues_view)
    # Conference rows carry the longer words (who is in them); a queue row is one name.
    w.bottom_splitter.setStretchFactor(0, 3)
    w.bottom_splitter.setStretchFactor(1, 2)
    w.right_splitter.addWidget(w.bottom_splitter)
    w.right_splitter.setStretchFactor(0, 3)
    w.right_splitter.setStretchFactor(1, 2)
    w.main_splitter.addWidget(w.right_splitter)
    w.main_splitter.setStretchFactor(1, 1)
    # The dialer as narrow as its keypad allows: the calls table needs the width more.
    w.main_splitter.setSizes([max(w.dialer.sizeHint().width() + 16, 200), 1000])
    layout.addWidget(w.main_splitter, 1)
    w.setCentralWidget(central)


def _scrolling(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setObjectName(f"{widget.objectName() or 'panel'}Scroll")
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area


def _flag(value: object) -> bool:
    return value is True or (isinstance(value, str) and value.lower() in ("1", "true"))


def _expand_inserted(view: QTreeView, parent: QModelIndex, first: int, last: int) -> None:
    """New members show at once; so do those of a group that arrived with them (a resync)."""
    if parent.isValid():
        view.expand(parent)
        return
    model = view.model()
    for row in range(first, last + 1):
        view.expand(model.index(row, 0))
