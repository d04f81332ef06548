"""In-app zoom (View → Zoom in/out, Ctrl+= / Ctrl+- / Ctrl+0): the application's font scaled,
and what is sized from it (call rows, toolbar icons) with it; remembered in the layout file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication

from console.ui.window_menus import steady_toolbar_widths
from console.ui.window_views import CALL_ROW_PX

if TYPE_CHECKING:
    from console.ui.main_window import MainWindow

#: In-app zoom steps (View → Zoom in/out, Ctrl+= / Ctrl+- / Ctrl+0).
ZOOM_LEVELS = (0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0)
TOOLBAR_ICON_PX = 24


def apply_zoom(w: MainWindow, factor: float, remember: bool = True) -> None:
    """Scale the application's text (and what is sized from it) by ``factor``."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    base = app.property("telnyx_console_base_font")
    if not isinstance(base, QFont):
        base = QFont(app.font())
        app.setProperty("telnyx_console_base_font", base)
    w.zoom = factor
    font = QFont(base)
    if base.pointSizeF() > 0:
        font.setPointSizeF(base.pointSizeF() * factor)
    else:
        font.setPixelSize(max(6, round(base.pixelSize() * factor)))
    app.setFont(font)
    rows = max(round(CALL_ROW_PX * factor), QFontMetrics(font).height() + 8)
    w.calls_view.verticalHeader().setDefaultSectionSize(rows)
    icon = round(TOOLBAR_ICON_PX * factor)
    w.toolbar.setIconSize(QSize(icon, icon))
    steady_toolbar_widths(w)
    if remember:
        w.qsettings.setValue("view/zoom", factor)
    w.show_status(f"Zoom {round(factor * 100)} %")
