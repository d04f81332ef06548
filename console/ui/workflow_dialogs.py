"""The workflow's dialogs: contacts, search, the directory picker, the contact editor, the
workflow settings and the history-with-notes export.

Apart from the glue (``workflow_install.py``), which keeps one of each and says what their
choices do: these functions make or reuse a dialog, parent it where the operator is working
(over an open prompt or a modal Settings, so modality never blocks it), wire its own signals
and open it non-modally.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QFileDialog, QWidget
from shiboken6 import Shiboken

from console.desk import Desk
from console.desk.history_export import export_history
from console.ui.messages import describe_error
from console.ui.workflow_contacts import ContactEditor, ContactsDialog
from console.ui.workflow_directory import DirectoryPicker
from console.ui.workflow_search import SearchDialog

if TYPE_CHECKING:
    from console.desk.contacts import Contact
    from console.state.store import Store


def open_contact_editor(desk: Desk, contact: Contact, window: Any) -> ContactEditor:
    """The editor for ``contact``, its name selected; says "Saved …" in the status bar."""
    editor = ContactEditor(desk, contact, window)
    editor.finished.connect(editor.deleteLater)
    editor.saved.connect(lambda c: window.show_status(f"Saved {c.display_name}."))
    editor.open()
    editor.name.setFocus()
    editor.name.selectAll()
    return editor


def show_contacts(
    dialog: ContactsDialog | None, desk: Desk, window: Any, call: Callable[[str], object]
) -> ContactsDialog:
    """The address book (``dialog`` again while it lives), in front, its search focused."""
    if dialog is None or not Shiboken.isValid(dialog):
        dialog = ContactsDialog(desk, window)
        dialog.call_requested.connect(call)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    dialog.search.setFocus()
    return dialog


def show_search(
    dialog: SearchDialog | None,
    desk: Desk,
    store: Store,
    window: Any,
    *,
    live_chosen: Callable[[str], object],
    number_chosen: Callable[[str], object],
) -> SearchDialog:
    """The search over live calls, history and contacts (``dialog`` again while it lives)."""
    if dialog is None or not Shiboken.isValid(dialog):
        dialog = SearchDialog(desk, store, window)
        dialog.live_chosen.connect(live_chosen)
        dialog.number_chosen.connect(number_chosen)
    dialog.open_for()
    return dialog


def open_prompt(window: Any) -> Any:
    """The window's prompt while it is open (a transfer's target, say), else None."""
    prompt = getattr(window, "last_prompt", None)
    if prompt is not None and Shiboken.isValid(prompt) and prompt.isVisible():
        return prompt
    return None


def open_directory_picker(desk: Desk, window: Any, prompt: Any) -> DirectoryPicker:
    """The picker filling ``prompt``'s line, or the dialer's number without a prompt."""
    parent = prompt if prompt is not None else window
    picker = DirectoryPicker(desk, parent)
    picker.finished.connect(picker.deleteLater)
    if prompt is not None:
        picker.picked.connect(lambda number: prompt.line_edit.setText(number))
    else:

        def fill(number: str) -> None:
            window.dialer.destination_edit.setText(number)
            window.focus_dialer()

        picker.picked.connect(fill)
    picker.open()
    picker.filter_edit.setFocus()
    return picker


def open_history_export(window: Any, chosen: Callable[[str], object]) -> QFileDialog:
    """Ask where to save the history with notes; ``chosen(path)`` once the operator chose."""
    dialog = QFileDialog(window, "Export history with notes")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setDefaultSuffix("csv")
    dialog.selectFile("call-history-with-notes.csv")
    dialog.fileSelected.connect(chosen)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def write_history_export(desk: Desk, window: Any, path: str) -> int | None:
    """Write the history with its notes to ``path``; the outcome in the window, in words."""
    try:
        count = export_history(desk.history, desk.wrapups, desk.contacts, path)
    except Exception as exc:
        window.notify_error(f"The history export failed: {describe_error(exc)}")
        return None
    window.show_status(f"Exported {count} calls with their notes.")
    return count


def open_workflow_settings(
    dialog: QDialog | None,
    desk: Desk,
    window: Any,
    parent: QWidget | None,
    applied: Callable[[], object],
) -> QDialog:
    """The workflow's settings; ``parent``: the dialog it is opened from (main Settings)."""
    from console.ui.workflow_settings import WorkflowSettingsDialog

    # Over a modal Settings it must be that dialog's child, or the modality blocks it.
    stale = parent is not None and dialog is not None and Shiboken.isValid(dialog)
    if stale and dialog is not None and dialog.parentWidget() is not parent:
        dialog.close()
        dialog = None
    if dialog is None or not Shiboken.isValid(dialog):
        dialog = WorkflowSettingsDialog(desk, parent or window)
        dialog.applied.connect(applied)
        dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
