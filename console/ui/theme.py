"""Light and dark themes: follow the system colour scheme unless the settings say otherwise."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from console.ui import icons

# Semantic colours for model roles, per scheme; muted so text stays readable on both.
_COLORS = {
    "light": {
        "ringing": "#fff4d6",
        "ended": "#8a8a8a",
        "rejected": "#f8d7da",
        "rejected_text": "#842029",
        "oldest": "#ffe8cc",
        "warning_bg": "#fff3cd",
        "warning_fg": "#664d03",
        "error_bg": "#f8d7da",
        "error_fg": "#842029",
        "ok": "#1e7e34",
        "held": "#e3ecfa",
        "long": "#fbe3e1",
        "timer_warn": "#a15c00",
        "timer_alert": "#b02a20",
    },
    "dark": {
        "ringing": "#4a3f1c",
        "ended": "#8f8f8f",
        "rejected": "#5c1f25",
        "rejected_text": "#f1aeb5",
        "oldest": "#5a3d1a",
        "warning_bg": "#4d3d05",
        "warning_fg": "#ffe69c",
        "error_bg": "#5c1f25",
        "error_fg": "#f1aeb5",
        "ok": "#75b798",
        "held": "#23324a",
        "long": "#4a2623",
        "timer_warn": "#f0b45a",
        "timer_alert": "#ff8a80",
    },
}

_current = "light"


def system_scheme() -> str:
    app = cast(QGuiApplication | None, QGuiApplication.instance())
    if app is None:
        return "light"
    scheme = app.styleHints().colorScheme()
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def resolve(choice: str | None) -> str:
    choice = (choice or "system").lower()
    return choice if choice in ("light", "dark") else system_scheme()


def current() -> str:
    return _current


def color(name: str) -> QColor:
    return QColor(_COLORS[_current][name])


def _dark_palette() -> QPalette:
    p = QPalette()
    base, window, text = QColor("#1f2125"), QColor("#2b2d31"), QColor("#e6e6e6")
    p.setColor(QPalette.ColorRole.Window, window)
    p.setColor(QPalette.ColorRole.WindowText, text)
    p.setColor(QPalette.ColorRole.Base, base)
    p.setColor(QPalette.ColorRole.AlternateBase, QColor("#26282c"))
    p.setColor(QPalette.ColorRole.ToolTipBase, window)
    p.setColor(QPalette.ColorRole.ToolTipText, text)
    p.setColor(QPalette.ColorRole.Text, text)
    p.setColor(QPalette.ColorRole.Button, window)
    p.setColor(QPalette.ColorRole.ButtonText, text)
    p.setColor(QPalette.ColorRole.Highlight, QColor("#3d6fb4"))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor("#8a8a8a"))
    p.setColor(QPalette.ColorRole.Link, QColor("#8ab4f8"))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6f6f6f"))
    return p


def stylesheet(scheme: str) -> str:
    path = icons.resources_dir() / "themes" / f"{scheme}.qss"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def apply_theme(choice: str | None = "system", app: QApplication | None = None) -> str:
    """Apply 'system', 'light' or 'dark' to the application; returns the scheme in use."""
    global _current
    app = app or cast(QApplication | None, QApplication.instance())
    scheme = resolve(choice)
    _current = scheme
    if app is None:
        return scheme
    # Re-styling repolishes every widget of the application, so only do it when something
    # changes: windows are created more than once (tests, settings changes) and a needless
    # setStyle over many live widgets is both slow and a known source of crashes.
    if not app.property("telnyx_console_styled"):
        # Fusion draws the same on every platform and honours our palette fully. Once a
        # style sheet is set, style().name() no longer says "fusion", hence the property.
        app.setStyle("Fusion")
        app.setProperty("telnyx_console_styled", True)
    if app.property("telnyx_console_scheme") != scheme:
        app.setPalette(_dark_palette() if scheme == "dark" else app.style().standardPalette())
        app.setStyleSheet(stylesheet(scheme))
        app.setProperty("telnyx_console_scheme", scheme)
    return scheme
