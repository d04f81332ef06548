"""The last resort for an exception nobody caught: logged, and shown without blocking the window.

PySide6 hands an exception escaping a slot (or a virtual method such as ``paintEvent``) to
``sys.excepthook``; Python's default prints it to a stderr no operator reads, and the click
seems to do nothing. :func:`install` replaces the hook: the traceback goes to the log once, and
the operator reads a sentence in the window's notification area, or in a non-modal box when
there is no window yet. The hook never raises: a failure while reporting is logged and dropped.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from types import TracebackType
from typing import Protocol, runtime_checkable

from PySide6.QtWidgets import QMessageBox

from console.errors import log_once, words_for

log = logging.getLogger(__name__)

TITLE = "Something went wrong"


@runtime_checkable
class Notifier(Protocol):
    """What the hook shows its sentence in: the main window offers this."""

    def notify_error(self, text: str) -> None: ...


ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


class LastResort:
    """The installed hook; :attr:`boxes` keeps the non-modal boxes alive while they are open."""

    def __init__(self, target: Callable[[], Notifier | None], previous: ExceptHook) -> None:
        self._target = target
        self._previous = previous
        self.boxes: list[QMessageBox] = []
        self.last_text: str | None = None

    def __call__(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt | SystemExit):
            self._previous(exc_type, exc, tb)  # Ctrl+C in a terminal keeps its usual meaning
            return
        if exc.__traceback__ is None:
            exc = exc.with_traceback(tb)
        log_once(exc, "Uncaught exception (shown to the operator)")
        try:
            self.last_text = text = words_for(exc)
            self._show(text)
        except Exception:  # reporting must never raise out of an excepthook
            log.exception("the uncaught exception could not be shown")

    def _show(self, text: str) -> None:
        target = self._target()
        if target is not None:
            target.notify_error(f"{TITLE}: {text}")
            return
        box = QMessageBox(QMessageBox.Icon.Warning, TITLE, text)
        box.setInformativeText("The console keeps running; the log has the technical details.")
        box.setModal(False)
        box.finished.connect(lambda _result, b=box: self._forget(b))
        self.boxes.append(box)
        box.show()  # not exec(): nothing waits for the operator to read it

    def _forget(self, box: QMessageBox) -> None:
        if box in self.boxes:
            self.boxes.remove(box)
        box.deleteLater()


def install(target: Callable[[], object]) -> Callable[[], None]:
    """Make the last resort ``sys.excepthook``; returns the function that puts the old one back.

    ``target()`` is asked at each exception for what to show it in (the main window, or None
    before it exists), so the hook can be installed before the window is made.
    """
    previous = sys.excepthook
    hook = LastResort(lambda: _notifier(target()), previous)
    sys.excepthook = hook

    def uninstall() -> None:
        if sys.excepthook is hook:
            sys.excepthook = previous

    return uninstall


def _notifier(candidate: object) -> Notifier | None:
    # Before the window exists (or in a build without one) there is nothing to notify.
    return candidate if isinstance(candidate, Notifier) else None
