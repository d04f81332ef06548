"""A colleague's activity as a BLF key shows it: the colour key, the words, the status dot.

Apart from the Team panel (``team_panel.py``) and its model (``team_model.py``): both the
table's status column and the availability of an action (``team_availability.py``) say what
a colleague is doing the same way, and the dot colours follow the theme in one place.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from console.desk.status import Status
from console.team.view import Colleague
from console.ui import theme

#: What a colleague is doing, for the colour and the words: the desk's status, except that an
#: available colleague on a call is *busy* (red on a BLF key).
BUSY = "busy"

_DOT_COLORS = {
    "light": {
        Status.AVAILABLE.value: "#1e7e34",
        BUSY: "#c62828",
        Status.AWAY.value: "#b26a00",
        Status.DND.value: "#8e24aa",
        Status.WRAP_UP.value: "#1565c0",
        Status.OFFLINE.value: "#8a8a8a",
    },
    "dark": {
        Status.AVAILABLE.value: "#75b798",
        BUSY: "#ff8a80",
        Status.AWAY.value: "#f0b45a",
        Status.DND.value: "#ce93d8",
        Status.WRAP_UP.value: "#90caf9",
        Status.OFFLINE.value: "#9e9e9e",
    },
}


def activity(colleague: Colleague) -> str:
    """The colour key of a colleague: their status, or :data:`BUSY` when available on a call."""
    if colleague.on_call and colleague.status in (Status.AVAILABLE, Status.DND):
        return BUSY
    return colleague.status.value


def activity_words(colleague: Colleague) -> str:
    """The status in words: "On a call" for busy, else the colleague's own label."""
    if activity(colleague) == BUSY and colleague.status is Status.AVAILABLE:
        return "On a call"
    return colleague.label


def dot_color(key: str) -> QColor:
    scheme = _DOT_COLORS.get(theme.current(), _DOT_COLORS["light"])
    return QColor(scheme.get(key, scheme[Status.OFFLINE.value]))


_dot_cache: dict[tuple[str, str], QIcon] = {}


def dot_icon(key: str) -> QIcon:
    cached = _dot_cache.get((theme.current(), key))
    if cached is not None:
        return cached
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(dot_color(key))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    icon = QIcon(pixmap)
    _dot_cache[(theme.current(), key)] = icon
    return icon
