"""What the main window reads from the desk's own preferences (``layout.ini``) and the theme.

The saved zoom, the call timer's amber and red ages and the dialer's recent numbers live in
the desk's QSettings beside the layout, each read forgivingly: a value that is not a positive
number (or a list) falls back to the default rather than failing the window. The theme is
applied only when the colour scheme in use changes.

Split out of console/ui/main_window.py (issue 11): reading and writing preferences is one
concern, composing the window another.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from console.ui import theme


def apply_theme(choice: str | None) -> None:
    """Apply the theme only when the scheme in use changes.

    ``theme.apply_theme`` calls ``QApplication.setStyle("Fusion")`` again on every call once a
    style sheet is set (the style-sheet style reports an empty name), and re-setting the style
    after a SetupWizard was deleted crashes Qt (reproduced offscreen, PySide6 6.11.3).
    """
    app = QApplication.instance()
    scheme = theme.resolve(choice)
    if (
        app is not None
        and app.property("telnyx_console_scheme") == scheme
        and theme.current() == scheme
    ):
        return
    theme.apply_theme(choice)


def positive(value: object, default: float) -> float:
    """A positive number from a saved preference, else ``default``."""
    try:
        minutes = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
    return minutes if minutes > 0 else default


def saved_zoom(qsettings: QSettings) -> float:
    return positive(qsettings.value("view/zoom"), 1.0)


def timer_thresholds(qsettings: QSettings) -> tuple[float, float]:
    """The call timer's amber and red ages in seconds (set in minutes; red never before amber)."""
    warn = positive(qsettings.value("calls/warn_after_minutes"), 5.0)
    alert = positive(qsettings.value("calls/alert_after_minutes"), 15.0)
    return warn * 60, max(alert, warn) * 60


def stored_recent(qsettings: QSettings) -> list[str]:
    """The dialer's recent numbers (QSettings gives a lone string for a one-item list)."""
    value = qsettings.value("dialer/recent", [])
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


def store_recent(qsettings: QSettings, numbers: list[str]) -> None:
    qsettings.setValue("dialer/recent", list(numbers))
