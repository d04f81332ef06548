"""The dialer: from-number, destination with live validation, dial pad, recent numbers."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.ui import icons
from console.ui.validation import normalize_target

PAD_KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"]
PAD_LETTERS = {
    "2": "ABC",
    "3": "DEF",
    "4": "GHI",
    "5": "JKL",
    "6": "MNO",
    "7": "PQRS",
    "8": "TUV",
    "9": "WXYZ",
    "0": "+",
}
RECENT_LIMIT = 20


class ClickThrough(QObject):
    """Lets a press outside a completer's popup reach the widget under the pointer.

    A Qt popup closes on a press outside it and, where the platform cannot grab the pointer
    (or the completer eats the press first), the press is lost: the operator's first click on
    Dial only closed the list of recent numbers. Installed on the popup after the completer's
    own filter, so it sees the press first: it closes the popup and gives the widget under the
    pointer the click.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.MouseButtonPress or not isinstance(watched, QWidget):
            return False
        assert isinstance(event, QMouseEvent)
        point = event.globalPosition().toPoint()
        if watched.rect().contains(watched.mapFromGlobal(point)):
            return False  # a press on the list itself picks a number, as usual
        # Qt's own replay (where it happens) would deliver the press a second time.
        watched.setAttribute(Qt.WidgetAttribute.WA_NoMouseReplay, True)
        watched.hide()
        target = QApplication.widgetAt(point)
        if target is not None and target.isEnabled():
            # Press and release at once: Qt drops the real release that follows a press which
            # closed a popup, so the widget must get its whole click now.
            local = target.mapFromGlobal(event.globalPosition())
            for kind, buttons in (
                (QEvent.Type.MouseButtonPress, event.buttons()),
                (QEvent.Type.MouseButtonRelease, Qt.MouseButton.NoButton),
            ):
                QApplication.sendEvent(
                    target,
                    QMouseEvent(
                        kind,
                        local,
                        event.globalPosition(),
                        event.button(),
                        buttons,
                        event.modifiers(),
                    ),
                )
        return True


class Dialer(QWidget):
    """Emits ``dial_requested(to_e164, from_)`` only for a valid destination.

    The pad types into the destination, unless ``dtmf_target()`` names a live answered call:
    then each key emits ``dtmf_requested(ccid, digit)`` instead.
    """

    dial_requested = Signal(str, str)
    dtmf_requested = Signal(str, str)

    def __init__(self, from_numbers=(), default_country: str | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("dialer")
        self.default_country = default_country
        self.dtmf_target: Callable[[], str | None] = lambda: None
        self.normalized: str | None = None
        self.recent_numbers: list[str] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        box = QGroupBox("Dial", self)
        form = QFormLayout(box)
        self.from_combo = QComboBox(box)
        self.from_combo.setAccessibleName("Call from number")
        self.from_combo.setToolTip("The number callers will see (from Settings)")
        form.addRow("&From", self.from_combo)
        self.destination_edit = QLineEdit(box)
        self.destination_edit.setObjectName("destinationEdit")
        self.destination_edit.setPlaceholderText("+1 202 555 0123 or sip:user@host")
        self.destination_edit.setAccessibleName("Destination number")
        self.destination_edit.setClearButtonEnabled(True)
        form.addRow("&To", self.destination_edit)
        self.error_label = QLabel(box)
        self.error_label.setObjectName("inlineError")
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Destination problem")
        # Room for two lines whether or not there is a problem: the pad below never jumps.
        self.error_label.setMinimumHeight(self.error_label.fontMetrics().lineSpacing() * 2 + 2)
        self.error_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.addRow(self.error_label)
        self._recent_model = QStringListModel(self)
        completer = QCompleter(self._recent_model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.destination_edit.setCompleter(completer)
        self._click_through = ClickThrough(self)
        popup = completer.popup()
        if popup is not None:
            popup.installEventFilter(self._click_through)

        pad = QGridLayout()
        pad.setSpacing(4)
        self.pad_buttons: dict[str, QToolButton] = {}
        for i, key in enumerate(PAD_KEYS):
            button = QToolButton(box)
            button.setObjectName("padButton")
            letters = PAD_LETTERS.get(key, "")
            button.setText(f"{key}\n{letters}" if letters else key)
            button.setAccessibleName(f"Key {key}")
            button.setToolTip(f"Type {key}, or send it as DTMF to the selected answered call")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, k=key: self.press(k))
            pad.addWidget(button, i // 3, i % 3)
            self.pad_buttons[key] = button
        form.addRow(pad)
        self.mode_label = QLabel(box)
        self.mode_label.setObjectName("padMode")
        self.mode_label.setWordWrap(True)
        # Two lines' room whatever it says: it changes as calls are selected and answered, and
        # a dialer growing by a line brought the scroll bar in and out, the keypad jumping and
        # the whole window repainting (~15 times a second under a burst of calls).
        self.mode_label.setMinimumHeight(self.mode_label.fontMetrics().lineSpacing() * 2 + 2)
        self.mode_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.addRow(self.mode_label)

        self.dial_button = QPushButton(icons.icon("dial"), "&Dial", box)
        self.dial_button.setObjectName("dialButton")
        self.dial_button.setAccessibleName("Dial")
        self.dial_button.setToolTip("Place the call (Enter)")
        self.dial_button.clicked.connect(self.dial)
        form.addRow(self.dial_button)
        layout.addWidget(box)
        layout.addStretch(1)

        self.destination_edit.textChanged.connect(self._validate)
        self.destination_edit.returnPressed.connect(self.dial)
        self.set_from_numbers(from_numbers)
        self._validate(self.destination_edit.text())
        self.update_mode()

    # --- configuration --------------------------------------------------------------------

    def set_from_numbers(self, numbers) -> None:
        current = self.from_combo.currentText()
        self.from_combo.clear()
        self.from_combo.addItems(list(numbers or []))
        if current:
            self.from_combo.setCurrentText(current)
        self._validate(self.destination_edit.text())

    def set_default_country(self, country: str | None) -> None:
        self.default_country = country
        self._validate(self.destination_edit.text())

    def set_recent(self, numbers: list[str]) -> None:
        self.recent_numbers = list(numbers)[:RECENT_LIMIT]
        self._recent_model.setStringList(self.recent_numbers)

    # --- behaviour ------------------------------------------------------------------------

    def _validate(self, text: str) -> None:
        if not text.strip():
            self.normalized = None
            self.error_label.setText("")
        else:
            try:
                self.normalized = normalize_target(text, self.default_country)
            except ValueError as exc:
                self.normalized = None
                self.error_label.setText(str(exc))
            else:
                shown = self.normalized if self.normalized != text.strip() else ""
                self.error_label.setText(f"→ {shown}" if shown else "")
        self.error_label.setProperty("valid", self.normalized is not None)
        has_from = self.from_combo.count() > 0
        self.dial_button.setEnabled(self.normalized is not None and has_from)
        if self.normalized is not None and not has_from:
            self.error_label.setText("Add a from number in Settings to place calls.")

    def press(self, key: str) -> None:
        target = self.dtmf_target()
        if target:
            self.dtmf_requested.emit(target, key)
            return
        self.destination_edit.insert(key)
        self.destination_edit.setFocus()

    def update_mode(self) -> None:
        """Say what the pad does now, so a key press never surprises."""
        target = self.dtmf_target()
        self.mode_label.setText(
            "Keys send DTMF to the selected call." if target else "Keys type the number."
        )

    def dial(self) -> None:
        if self.normalized is None or self.from_combo.count() == 0:
            return  # an invalid number sends nothing
        to, from_ = self.normalized, self.from_combo.currentText()
        self.remember(to)
        self.dial_requested.emit(to, from_)

    def remember(self, number: str) -> None:
        self.set_recent([number, *[n for n in self.recent_numbers if n != number]])

    def keyPressEvent(self, event) -> None:
        # Digits typed while the pad has focus go where the pad would send them.
        text = event.text()
        if text and text in PAD_KEYS and not self.destination_edit.hasFocus():
            self.press(text)
            return
        # Enter in the To field already dialled through returnPressed; QLineEdit then ignores
        # the key, so it arrives here too and must not place a second call.
        if (
            event.matches(QKeySequence.StandardKey.InsertParagraphSeparator)
            and not self.destination_edit.hasFocus()
        ):
            self.dial()
            return
        super().keyPressEvent(event)
