"""The main window's layout memory and first-run geometry (split out of main_window.py).

The geometry, dock state, splitters and column widths are saved in ``layout.ini`` in the
console's config folder when the window closes and restored when it opens; before any layout
was saved the window takes 90 % of the screen, centred, with room for the calls table.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHeaderView, QSplitter

if TYPE_CHECKING:
    from console.ui.main_window import MainWindow

log = logging.getLogger("console.ui.main_window")

LAYOUT_FILENAME = "layout.ini"
# 2: the operator's layout (health and event log hidden, recordings beside history); a
# layout saved by version 1 showed the engineer's docks only because that was the default.
LAYOUT_VERSION = 2
# First-run width of the right-hand docks (webhook health, recordings): enough for a URL on
# one line, while the calls table keeps its columns readable at 1440 px.
RIGHT_DOCK_WIDTH = 300


def first_run_geometry(w: MainWindow) -> None:
    """Most of the screen, centred, with the docks leaving the calls table room; a saved
    layout (restored afterwards) replaces all of it."""
    screen = w.screen() or QGuiApplication.primaryScreen()
    area = screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 820)
    rect = first_run_rect(area)
    # A screen too small for 90% to hold the window's minimum: as large as that, centred,
    # but never above or left of the screen's top-left corner.
    # Never larger than the screen, though: panels scroll rather than push the window out.
    rect.setSize(rect.size().expandedTo(w.minimumSizeHint()).boundedTo(area.size()))
    rect.moveCenter(area.center())
    rect.moveTo(max(rect.left(), area.left()), max(rect.top(), area.top()))
    w.setGeometry(rect)
    # The health dock starts hidden: it gets its width when it is first shown.
    w.health_dock.visibilityChanged.connect(lambda visible: size_health_dock(w, visible))
    w.resizeDocks([w.history_dock], [int(w.height() * 0.22)], Qt.Orientation.Vertical)


def size_health_dock(w: MainWindow, visible: bool) -> None:
    if visible and not w._health_dock_sized:
        w._health_dock_sized = True
        w.resizeDocks([w.health_dock], [RIGHT_DOCK_WIDTH], Qt.Orientation.Horizontal)


def headers(w: MainWindow) -> dict[str, QHeaderView]:
    return {
        "calls": w.calls_view.horizontalHeader(),
        "conferences": w.conferences_view.header(),
        "queues": w.queues_view.header(),
        "eventlog": w.event_log.view.horizontalHeader(),
    }


def splitters(w: MainWindow) -> dict[str, QSplitter]:
    return {
        "main": w.main_splitter,
        "right": w.right_splitter,
        "bottom": w.bottom_splitter,
        "eventlog": w.event_log.splitter,
    }


def save_layout(w: MainWindow) -> None:
    s = w.qsettings
    s.setValue("window/geometry", w.saveGeometry())
    s.setValue("window/state", w.saveState(LAYOUT_VERSION))
    for name, splitter in splitters(w).items():
        s.setValue(f"splitter/{name}", splitter.saveState())
    for name, header in headers(w).items():
        s.setValue(f"header/{name}", header.saveState())
    s.sync()


def restore_layout(w: MainWindow) -> None:
    s = w.qsettings
    try:
        geometry = s.value("window/geometry")
        if geometry is not None:
            w.restoreGeometry(geometry)
        state = s.value("window/state")
        if state is not None and w.restoreState(state, LAYOUT_VERSION):
            w._health_dock_sized = True  # the saved layout has its width
        for name, splitter in splitters(w).items():
            value = s.value(f"splitter/{name}")
            if value is not None:
                splitter.restoreState(value)
        for name, header in headers(w).items():
            value = s.value(f"header/{name}")
            if value is not None:
                header.restoreState(value)
    except (TypeError, ValueError):
        log.warning("Ignoring an unreadable saved window layout")


def first_run_rect(area: QRect) -> QRect:
    """Where the window opens before any layout was saved: 90% of the screen, centred."""
    rect = QRect(0, 0, int(area.width() * 0.9), int(area.height() * 0.9))
    rect.moveCenter(area.center())
    return rect


def layout_settings() -> QSettings:
    """Window layout and recent numbers, in the console's config folder (so ``--home`` and
    TELNYX_CONSOLE_HOME keep them with everything else)."""
    from console import paths

    # Made 0600 first: Qt then keeps the mode when it rewrites the file (recent numbers).
    path = paths.private_file(paths.config_dir() / LAYOUT_FILENAME)
    return QSettings(str(path), QSettings.Format.IniFormat)
