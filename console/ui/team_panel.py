"""The Team panel: colleagues like BLF keys on a PBX, live claims, transfer and supervise.

It shows every colleague of ``session.team`` (a :class:`~console.team.view.TeamView`) with a
coloured status dot *and* the status in words (colour is never the only cue), the call they
are on, and how long they have been in that status as seen by this console (machines' clocks
are never compared). Under the list: who is acting on which call right now ("Alex is
answering"), then the actions on the selected colleague:

* *Transfer* (Enter) and *Attended transfer* (Shift+Enter) send the call selected in the calls
  table to that colleague; each button says in its tooltip and in the line below it why it is
  disabled (no call selected, colleague offline or busy, no phone set);
* for a supervisor: *Listen*, *Whisper* and *Barge in* on the colleague's call, one checked at
  a time; pressing another switches in place, *Stop* hangs up the supervisor's leg.

In solo mode (``session.team`` is ``None``) the panel says so, and how to join a team. The
panel only shows and asks: the window's :class:`~console.ui.team_install.TeamUi` runs the
commands (so rows show "transferring…" and failures become words like every other action).

The rows and their words are the model's (``team_model.py``), the colours and status words
``team_status.py``'s, and whether an action can run ``team_availability.py``'s; this module
holds the widgets and the buttons.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from console.state.entities import Call
from console.team.view import CallClaim, Colleague, SupervisorMode
from console.ui.team_availability import (
    Availability,
    supervise_availability,
    transfer_availability,
)
from console.ui.team_model import (
    COL_CALL,
    COL_NAME,
    COL_SINCE,
    COL_STATUS,
    CallLookup,
    ColleaguesModel,
)

SOLO_TEXT = (
    "Team mode is off: this console works on its own. To see colleagues, share calls and "
    "transfer to them, set the mode to Team in Settings → Team (a relay and a broker are "
    "needed: see the README's team section)."
)


class ColleagueList(QTreeView):
    """The colleagues table; Enter asks for a blind transfer, Shift+Enter an attended one."""

    transfer_requested = Signal(bool)  # attended

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            attended = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self.transfer_requested.emit(attended)
            event.accept()
            return
        super().keyPressEvent(event)


class TeamPanel(QWidget):
    """Shows the team; emits what the operator asked for (the window's TeamUi runs it)."""

    transfer_clicked = Signal(bool)  # attended
    supervise_clicked = Signal(object)  # SupervisorMode
    stop_supervising_clicked = Signal()
    settings_clicked = Signal()

    def __init__(self, call_of: CallLookup = lambda _ccid: None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("teamPanel")
        self.setAccessibleName("Team")
        self.model = ColleaguesModel(call_of, self)
        self.supervisor = False
        self.team_on = False
        self._selected_call: Call | None = None
        self._supervising: tuple[str, SupervisorMode] | None = None
        self._keys: dict[str, str] = {}  # action name -> its shortcut, for the tooltips

        self.header = QLabel(self)
        self.header.setObjectName("teamHeader")
        self.header.setWordWrap(True)
        self.header.setAccessibleName("Team state")
        self.settings_button = QPushButton("Team &settings…", self)
        self.settings_button.setToolTip("Settings → Team: mode, broker, operator name")
        self.settings_button.clicked.connect(self.settings_clicked)

        self.view = ColleagueList(self)
        self.view.setObjectName("colleaguesView")
        self.view.setAccessibleName("Colleagues")
        self.view.setAccessibleDescription(
            "Colleagues and their status. Enter transfers the selected call to the colleague, "
            "Shift+Enter consults them first."
        )
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setIconSize(QSize(12, 12))
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_CALL, QHeaderView.ResizeMode.Stretch)
        for col in (COL_NAME, COL_STATUS, COL_SINCE):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.view.transfer_requested.connect(self._transfer_key)
        self.view.selectionModel().selectionChanged.connect(self.update_buttons)
        self.model.modelReset.connect(self._restore_selection)
        self._selected_name: str | None = None

        self.claims_title = QLabel("Now", self)
        self.claims_list = QListWidget(self)
        self.claims_list.setObjectName("claimsList")
        self.claims_list.setAccessibleName("Calls being taken")
        self.claims_list.setMaximumHeight(72)
        self.claims_list.setToolTip("Who is answering, picking up or taking which call, live")

        self.transfer_button = QPushButton("&Transfer", self)
        self.transfer_button.setAccessibleName("Transfer the selected call to the colleague")
        self.attended_button = QPushButton("&Consult first", self)
        self.attended_button.setAccessibleName("Attended transfer to the colleague")
        self.transfer_button.clicked.connect(lambda: self.transfer_clicked.emit(False))
        self.attended_button.clicked.connect(lambda: self.transfer_clicked.emit(True))
        transfer_row = QHBoxLayout()
        transfer_row.addWidget(self.transfer_button)
        transfer_row.addWidget(self.attended_button)

        self.mode_buttons: dict[SupervisorMode, QPushButton] = {}
        self.mode_group = QButtonGroup(self)
        self.mode_group.setExclusive(True)
        supervise_row = QHBoxLayout()
        for mode in SupervisorMode:
            button = QPushButton(mode.label, self)
            button.setCheckable(True)
            button.setAccessibleName(f"{mode.label} (supervisor) on the colleague's call")
            button.clicked.connect(lambda _checked=False, m=mode: self._mode_clicked(m))
            self.mode_group.addButton(button)
            self.mode_buttons[mode] = button
            supervise_row.addWidget(button)
        self.stop_button = QPushButton("Sto&p", self)
        self.stop_button.setAccessibleName("Stop supervising (hang up the supervisor leg)")
        self.stop_button.clicked.connect(self.stop_supervising_clicked)
        supervise_row.addWidget(self.stop_button)
        self.supervise_box = QWidget(self)
        self.supervise_box.setLayout(supervise_row)
        supervise_row.setContentsMargins(0, 0, 0, 0)

        self.reason_label = QLabel(self)
        self.reason_label.setObjectName("teamReason")
        self.reason_label.setWordWrap(True)
        self.reason_label.setAccessibleName("Why an action is unavailable")

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.settings_button)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.claims_title)
        layout.addWidget(self.claims_list)
        layout.addLayout(transfer_row)
        layout.addWidget(self.supervise_box)
        layout.addWidget(self.reason_label)

        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self.model.tick)
        self.set_solo()

    # --- state in -----------------------------------------------------------------------

    def set_solo(self, text: str = SOLO_TEXT) -> None:
        """No team: say so; everything but the settings button is disabled."""
        self.team_on = False
        self._ticker.stop()
        self.header.setText(text)
        self._severity("")
        self.model.set_colleagues([])
        self.model.set_claims({})
        self.claims_list.clear()
        for widget in (self.view, self.claims_list, self.claims_title):
            widget.setEnabled(False)
        self.update_buttons()

    def set_team(self, operator: str, supervisor: bool, broker_problem: str | None) -> None:
        self.team_on = True
        self.supervisor = supervisor
        self._ticker.start()
        for widget in (self.view, self.claims_list, self.claims_title):
            widget.setEnabled(True)
        role = " (supervisor)" if supervisor else ""
        if broker_problem:
            self.header.setText(f"You are {operator}{role}. ⚠ {broker_problem}")
        else:
            self.header.setText(f"You are {operator}{role}; the team broker is connected.")
        self._severity("warning" if broker_problem else "")
        self.supervise_box.setVisible(supervisor)
        self.update_buttons()

    def _severity(self, severity: str) -> None:
        """The theme's style sheet colours the header by this property (re-polished)."""
        if self.header.property("severity") != severity:
            self.header.setProperty("severity", severity)
            self.header.style().unpolish(self.header)
            self.header.style().polish(self.header)

    def set_colleagues(self, colleagues: list[Colleague]) -> None:
        self._selected_name = self._current_name()
        self.model.set_colleagues(colleagues)
        self.update_buttons()

    def set_claims(self, claims: dict[str, CallClaim], line: Callable[[CallClaim], str]) -> None:
        """The live claims, one line each (``line`` words it: "Alex is answering: Ada")."""
        self.model.set_claims(claims)
        self.claims_list.clear()
        for claim in sorted(claims.values(), key=lambda c: (not c.mine, c.operator)):
            self.claims_list.addItem(line(claim))
        if not claims:
            self.claims_list.addItem("Nobody is taking a call right now.")

    def set_selected_call(self, call: Call | None) -> None:
        self._selected_call = call
        self.update_buttons()

    def set_supervising(self, state: tuple[str, SupervisorMode] | None) -> None:
        self._supervising = state
        self.update_buttons()

    # --- selection ----------------------------------------------------------------------

    def _current_name(self) -> str | None:
        colleague = self.selected_colleague()
        return colleague.operator if colleague is not None else self._selected_name

    def _restore_selection(self) -> None:
        name = self._selected_name
        row = self.model.row_of(name) if name else None
        if row is not None:
            self.view.setCurrentIndex(self.model.index(row, 0))

    def selected_colleague(self) -> Colleague | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.colleague_at(rows[0].row())

    def select_colleague(self, operator: str) -> bool:
        row = self.model.row_of(operator)
        if row is None:
            return False
        self.view.setCurrentIndex(self.model.index(row, 0))
        return True

    @property
    def supervising(self) -> tuple[str, SupervisorMode] | None:
        return self._supervising

    # --- buttons ------------------------------------------------------------------------

    def transfer_state(self) -> Availability:
        if not self.team_on:
            return Availability(False, "Team mode is off.")
        return transfer_availability(self.selected_colleague(), self._selected_call)

    def supervise_state(self) -> Availability:
        if not self.team_on:
            return Availability(False, "Team mode is off.")
        return supervise_availability(self.selected_colleague(), self.supervisor)

    def update_buttons(self, *_args) -> None:
        transfer = self.transfer_state()
        for button in (self.transfer_button, self.attended_button):
            button.setEnabled(transfer.ok)
        supervise = self.supervise_state()
        colleague = self.selected_colleague()
        current = self._supervising
        on_this = (
            current is not None
            and colleague is not None
            and colleague.call_control_id == current[0]
        )
        for mode, button in self.mode_buttons.items():
            button.setEnabled(supervise.ok)
            button.setProperty("reason", "" if supervise.ok else supervise.reason)
            button.setChecked(bool(on_this and current is not None and current[1] is mode))
        if not on_this:
            # An exclusive group keeps one button checked: clear them by lifting it briefly.
            self.mode_group.setExclusive(False)
            for button in self.mode_buttons.values():
                button.setChecked(False)
            self.mode_group.setExclusive(True)
        self.stop_button.setEnabled(current is not None)
        self.stop_button.setProperty("reason", "" if current else "You are not on anyone's call.")
        reasons = [r.reason for r in (transfer,) if not r.ok]
        if self.supervisor and not supervise.ok and supervise.reason not in reasons:
            reasons.append(supervise.reason)
        if not self.team_on:
            reasons = []
        self.reason_label.setText(" ".join(reasons))
        self.reason_label.setVisible(bool(reasons))
        for button in (self.transfer_button, self.attended_button):
            button.setProperty("reason", "" if transfer.ok else transfer.reason)
        self.set_tooltips()

    def set_tooltips(self, keys: dict[str, str] | None = None) -> None:
        """Tooltips name the action, its key, and (when disabled) why."""
        if keys is not None:
            self._keys = dict(keys)
        keys = self._keys
        tips = {
            "transfer": (self.transfer_button, "Blind transfer of the selected call to them"),
            "attended": (self.attended_button, "Consult them first while the caller waits"),
            "stop": (self.stop_button, "Hang up your supervisor leg"),
        }
        for mode, button in self.mode_buttons.items():
            tips[mode.value] = (button, _MODE_TIPS[mode])
        for name, (button, text) in tips.items():
            key = keys.get(name)
            tip = f"{text} ({key})" if key else text
            reason = button.property("reason") or ""
            if not button.isEnabled() and reason:
                tip += f"\nUnavailable: {reason}"
            button.setToolTip(tip)

    def _transfer_key(self, attended: bool) -> None:
        if self.transfer_state().ok:
            self.transfer_clicked.emit(attended)
        else:
            self.reason_label.setText(self.transfer_state().reason)
            self.reason_label.show()

    def _mode_clicked(self, mode: SupervisorMode) -> None:
        self.supervise_clicked.emit(mode)
        self.update_buttons()  # checked again only once the switch really happened


_MODE_TIPS = {
    SupervisorMode.MONITOR: "Listen to their call; nobody hears you",
    SupervisorMode.WHISPER: "Speak to your colleague only; the caller does not hear you",
    SupervisorMode.BARGE: "Join their call: everyone hears everyone",
}
