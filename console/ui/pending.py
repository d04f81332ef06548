"""Which calls have a command in flight, and the words shown on their row meanwhile."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class PendingOps(QObject):
    """ccid -> 'holding…'; the calls model reads it, actions stay disabled while set."""

    changed = Signal(str)  # the ccid whose pending text changed

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._texts: dict[str, str] = {}

    def text(self, ccid: str) -> str | None:
        return self._texts.get(ccid)

    def __contains__(self, ccid: object) -> bool:
        return ccid in self._texts

    def set(self, ccid: str, text: str) -> None:
        self._texts[ccid] = text
        self.changed.emit(ccid)

    def clear(self, ccid: str) -> None:
        if self._texts.pop(ccid, None) is not None:
            self.changed.emit(ccid)
