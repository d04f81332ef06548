"""Calling from the workflow: a number through the dialer, the other party of the call the
operator means, a speed dial, and that party as a contact.

Apart from the glue (``workflow_install.py``): every way of calling goes through the dialer
(its From number, its checks, its recent list), so a number it cannot dial is refused in the
dialer's own words, and "the call the operator means" is decided in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from console.desk import Desk, DeskError, other_party
from console.desk.calls import entry_from_call
from console.history import CallHistoryEntry
from console.state.entities import Call
from console.ui.workflow_dialogs import open_prompt
from console.ui.workflow_hooks import TARGET_PROMPTS

if TYPE_CHECKING:
    from console.desk.contacts import Contact


def dial(window: Any, number: str | None) -> bool:
    """Dial ``number`` through the dialer (its From number, its checks, its recent list)."""
    dialer = window.dialer
    if not number:
        window.notify_error("There is no number to call.")
        return False
    dialer.destination_edit.setText(number)
    if dialer.normalized is None:
        problem = dialer.error_label.text() or "it is not a number the console can dial"
        window.notify_error(f"Cannot call {number}: {problem}")
        return False
    dialer.dial()
    return True


def party_of(entry: CallHistoryEntry) -> str:
    """The other party of a call: the caller of an incoming one, the number dialled else."""
    return other_party(entry.direction, entry.from_number, entry.to_number)


def focused_entry(history_panel: Any, selected: Call | None) -> CallHistoryEntry | None:
    """The call the operator means: the history row while the history has the focus, else
    the call selected in the calls table, else the history's selection."""
    if history_panel.table.hasFocus() and history_panel.selected_entry() is not None:
        return history_panel.selected_entry()
    if selected is not None:
        return entry_from_call(selected)
    return history_panel.selected_entry()


def use_speed_dial(desk: Desk, window: Any, slot: int, call: Callable[[str], bool]) -> bool:
    """Fill the open transfer prompt with speed dial ``slot``, or ``call`` it."""
    dial_entry = desk.speed_dials.get(slot)
    if dial_entry is None:
        window.show_status(
            f"Speed dial {slot % 10} is empty: set it in Workflow → Workflow settings."
        )
        return False
    prompt = open_prompt(window)
    if prompt is not None and prompt.windowTitle() in TARGET_PROMPTS:
        prompt.line_edit.setText(dial_entry.number)
        return True
    return call(dial_entry.number)


def contact_for(
    desk: Desk, entry: CallHistoryEntry | None, notify_error: Callable[[str], object]
) -> Contact | None:
    """The contact of ``entry``'s other party: the saved one, or a new one from the call."""
    if entry is None:
        notify_error("Select a call whose number to save.")
        return None
    existing = desk.contacts.find_by_number(party_of(entry))
    try:
        return existing or desk.contact_from_call(entry)
    except DeskError as exc:
        notify_error(exc.user_message)
        return None
