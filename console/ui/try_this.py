"""Demo mode's "Try this" card: the numbers the simulator answers in its own ways.

A newcomer sees what to dial and what each number does; a click puts the number in the
dialer. Dismissed once, it stays away (the desk preferences remember it).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QToolButton, QWidget

from console.simulator import phones

#: (number, what it does) for the card, in the order worth trying.
DEMO_NUMBERS = (
    (phones.ANSWERS, "answers and stays up"),
    (phones.BUSY, "is busy"),
    (phones.NO_ANSWER, "never answers"),
    (phones.REJECTS, "rejects the call"),
    (phones.ANSWERS_THEN_HANGS_UP, "answers, hangs up after 8 s"),
    (phones.NOT_FOUND, "does not exist"),
)


class TryThisCard(QFrame):
    """Emits ``number_chosen(e164)`` when a number is clicked; ``dismissed`` on ✕."""

    number_chosen = Signal(str)
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("tryThisCard")
        self.setAccessibleName("Try this")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 6, 8)
        close = QToolButton(self)
        close.setText("Close")
        close.setAutoRaise(True)
        close.setToolTip("Hide this card (it stays hidden)")
        close.setAccessibleName("Dismiss the Try this card")
        close.clicked.connect(self._dismiss)
        grid.addWidget(close, 0, 5, Qt.AlignmentFlag.AlignRight)
        intro = QLabel(
            "Callers ring in on their own: answer with F5. Some wait in the support queue:"
            " select one there and pick it up with Ctrl+P. Dial these to see each outcome:",
            self,
        )
        intro.setWordWrap(True)
        grid.addWidget(intro, 0, 0, 1, 5)
        for column in (1, 3, 5):
            grid.setColumnStretch(column, 1)
        self.buttons: dict[str, QPushButton] = {}
        for i, (number, words) in enumerate(DEMO_NUMBERS):
            row, col = 1 + i // 3, (i % 3) * 2  # three numbers a row: the card stays low
            button = QPushButton(number, self)
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setToolTip(f"Put {number} in the dialer")
            button.clicked.connect(lambda _=False, n=number: self.number_chosen.emit(n))
            label = QLabel(words, self)
            label.setWordWrap(True)
            grid.addWidget(button, row, col)
            grid.addWidget(label, row, col + 1)
            self.buttons[number] = button

    def _dismiss(self) -> None:
        self.dismissed.emit()
