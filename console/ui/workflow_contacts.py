"""The address book: find, add, edit, favourite and delete contacts; import CSV or vCard and
export CSV; call a contact (Enter).

Non-modal, like every dialog of the console (``open()``, never ``exec()``). An import says
what it did in words — added, merged, flagged as possible duplicates, numbers kept as typed —
and lists each skipped row with its line number; nothing is silently dropped or doubled.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.desk import (
    Contact,
    Desk,
    DeskError,
    ImportReport,
    export_csv,
    import_file,
    make_contact,
)
from console.desk.numbers import phone
from console.ui.messages import describe_error

log = logging.getLogger(__name__)

CONTACTS_SHORTCUT = "Ctrl+Shift+O"
ID_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Name", "Organisation", "Numbers", "E-mail", "Tags", "Check")
MAX_PROBLEMS_SHOWN = 20


def _keys(sequence: str) -> str:
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)


class ContactEditor(QDialog):
    """One contact's card; OK stays with the dialog until the card is valid (nothing lost)."""

    saved = Signal(object)  # Contact

    def __init__(self, desk: Desk, contact: Contact | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.contact = contact
        self.setObjectName("contactEditor")
        title = "Edit contact" if contact is not None and contact.id is not None else "New contact"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        c = contact or Contact(name="")
        self.name = self._line("Name", c.name)
        self.organisation = self._line("Organisation", c.organisation)
        self.numbers = QPlainTextEdit(self)
        self.numbers.setAccessibleName("Numbers, one a line")
        self.numbers.setTabChangesFocus(True)
        self.numbers.setPlaceholderText("+1 312 555 0100\n+44 20 7946 0958 mobile")
        self.numbers.setPlainText(
            "\n".join(f"{n.raw} {n.label}".strip() if n.label else n.raw for n in c.numbers)
        )
        self.numbers.setFixedHeight(72)
        self.email = self._line("E-mail", c.email)
        self.tags = self._line("Tags", " ".join(c.tags))
        self.notes = QPlainTextEdit(c.notes, self)
        self.notes.setAccessibleName("Notes about the contact")
        self.notes.setTabChangesFocus(True)
        self.favourite = QCheckBox("&Favourite (first in the transfer directory)", self)
        self.favourite.setChecked(c.favourite)
        self.error_label = QLabel("", self)
        self.error_label.setObjectName("inlineError")
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Contact problem")
        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("&Organisation", self.organisation)
        form.addRow("N&umbers", self.numbers)
        form.addRow("&E-mail", self.email)
        form.addRow("&Tags", self.tags)
        form.addRow("No&tes", self.notes)
        form.addRow(self.favourite)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def _line(self, name: str, value: str) -> QLineEdit:
        edit = QLineEdit(value, self)
        edit.setAccessibleName(name)
        return edit

    def card(self) -> Contact:
        numbers = []
        country = self.desk.contacts.default_country
        for line in self.numbers.toPlainText().splitlines():
            line = line.strip()
            if not line:
                continue
            # "+1 312 555 0100 mobile": a trailing word with no digit is the number's label.
            head, _sep, tail = line.rpartition(" ")
            if head and tail and not any(ch.isdigit() for ch in tail):
                numbers.append(phone(head, tail, country))
            else:
                numbers.append(phone(line, "", country))
        contact = make_contact(
            self.name.text(),
            numbers,
            organisation=self.organisation.text(),
            email=self.email.text(),
            notes=self.notes.toPlainText(),
            tags=self.tags.text(),
            favourite=self.favourite.isChecked(),
        )
        if self.contact is not None and self.contact.id is not None:
            contact = replace(contact, id=self.contact.id, flag=self.contact.flag)
        return contact

    def accept(self) -> None:
        try:
            contact = self.card()
            if contact.id is not None:
                saved = self.desk.contacts.update(contact)
            else:
                saved = self.desk.contacts.add(contact).contact
        except DeskError as exc:
            self.error_label.setText(exc.user_message)
            return
        except Exception as exc:
            self.error_label.setText(f"The contact could not be saved: {describe_error(exc)}")
            return
        super().accept()
        self.saved.emit(saved)


class ContactsDialog(QDialog):
    call_requested = Signal(str)

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.setObjectName("contactsDialog")
        self.setWindowTitle("Contacts")
        self.setAccessibleName("Contacts")
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.editor: ContactEditor | None = None
        self.file_dialog: QFileDialog | None = None
        self.last_report: ImportReport | None = None

        self.search = QLineEdit(self)
        self.search.setObjectName("contactsSearch")
        self.search.setAccessibleName("Find contacts")
        self.search.setPlaceholderText("Find by name, organisation, number, e-mail, notes or tag…")
        self.search.setClearButtonEnabled(True)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("contactsTable")
        self.table.setAccessibleName("Contacts")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemActivated.connect(lambda _item: self.call_selected())
        self.report_label = QLabel("", self)
        self.report_label.setObjectName("importReport")
        self.report_label.setAccessibleName("Import result")
        self.report_label.setWordWrap(True)
        self.report_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for name, text, keys, slot, tip in (
            ("call", "&Call", "Ctrl+Return", self.call_selected, "Call the selected contact"),
            ("new", "&New…", "Ctrl+N", self.new_contact, "Add a contact"),
            ("edit", "&Edit…", "F2", self.edit_selected, "Edit the selected contact"),
            ("favourite", "&Favourite", "Ctrl+D", self.toggle_favourite, "Favourite on/off"),
            ("delete", "De&lete", "Delete", self.delete_selected, "Delete the selected contact"),
            ("import", "&Import…", "Ctrl+I", self.choose_import, "Import CSV or vCard"),
            ("export", "E&xport…", "Ctrl+E", self.choose_export, "Export all contacts as CSV"),
        ):
            button = QPushButton(text, self)
            button.setAccessibleName(text.replace("&", "").rstrip("…"))
            button.setToolTip(f"{tip} ({_keys(keys)})")
            button.clicked.connect(slot)
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(slot)
            row.addWidget(button)
            self.buttons[name] = button
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.report_label)
        layout.addLayout(row)
        self.resize(820, 480)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(120)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.installEventFilter(self)
        self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Down from the search box goes to the list; Enter there calls the selected contact.
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key == Qt.Key.Key_Down:
                self.table.setFocus()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.refresh()
                self.call_selected()
                return True
        return super().eventFilter(watched, event)

    # --- listing ------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._timer.stop()
        try:
            contacts = self.desk.contacts.search(self.search.text(), limit=500)
        except Exception as exc:
            self.report_label.setText(f"The contacts cannot be read: {describe_error(exc)}")
            return
        selected = self.selected()
        self.table.setRowCount(len(contacts))
        for row, contact in enumerate(contacts):
            numbers = ", ".join(
                n.raw if n.normalised else f"{n.raw} (not a valid number)" for n in contact.numbers
            )
            check = contact.flag or (
                "A number is kept as typed" if contact.has_unnormalised else ""
            )
            cells = (
                ("★ " if contact.favourite else "") + contact.name,
                contact.organisation,
                numbers,
                contact.email,
                " ".join(contact.tags),
                check,
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, contact.id)
                if col == 5 and check:
                    item.setToolTip(check)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        if contacts:
            ids = [c.id for c in contacts]
            self.table.selectRow(ids.index(selected.id) if selected and selected.id in ids else 0)

    def selected(self) -> Contact | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        contact_id = item.data(ID_ROLE) if item is not None else None
        return self.desk.contacts.get(int(contact_id)) if contact_id is not None else None

    # --- actions ------------------------------------------------------------------------------

    def call_selected(self) -> None:
        contact = self.selected()
        if contact is None or not contact.numbers:
            self.report_label.setText("Select a contact with a number to call.")
            return
        self.call_requested.emit(contact.numbers[0].dial_string)

    def new_contact(self, prefill: Contact | None = None) -> ContactEditor:
        return self._edit(prefill if isinstance(prefill, Contact) else None)

    def edit_selected(self) -> ContactEditor | None:
        contact = self.selected()
        return self._edit(contact) if contact is not None else None

    def _edit(self, contact: Contact | None) -> ContactEditor:
        editor = ContactEditor(self.desk, contact, self)
        editor.saved.connect(lambda _c: self.refresh())
        editor.finished.connect(editor.deleteLater)
        self.editor = editor
        editor.open()
        return editor

    def toggle_favourite(self) -> None:
        contact = self.selected()
        if contact is not None and contact.id is not None:
            self.desk.contacts.set_favourite(contact.id, not contact.favourite)
            self.refresh()

    def delete_selected(self) -> None:
        contact = self.selected()
        if contact is None or contact.id is None:
            return
        self.desk.contacts.delete(contact.id)
        self.report_label.setText(f"Deleted {contact.display_name}.")
        self.refresh()

    def _file_dialog(self, title: str, mode: QFileDialog.AcceptMode) -> QFileDialog:
        dialog = QFileDialog(self, title)
        dialog.setObjectName("contactsFileDialog")
        dialog.setAccessibleName(title)
        dialog.setAcceptMode(mode)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setNameFilters(["Contacts (*.csv *.vcf *.vcard)", "All files (*)"])
        dialog.finished.connect(dialog.deleteLater)
        self.file_dialog = dialog
        return dialog

    def choose_import(self) -> QFileDialog:
        dialog = self._file_dialog("Import contacts", QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.import_from)
        dialog.open()
        return dialog

    def choose_export(self) -> QFileDialog:
        dialog = self._file_dialog("Export contacts", QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("csv")
        dialog.selectFile("contacts.csv")
        dialog.fileSelected.connect(self.export_to)
        dialog.open()
        return dialog

    def import_from(self, path: str | Path) -> ImportReport | None:
        try:
            report = import_file(self.desk.contacts, path)
        except DeskError as exc:
            self.report_label.setText(f"Nothing imported: {exc.user_message}")
            return None
        except Exception as exc:
            self.report_label.setText(f"Nothing imported: {describe_error(exc)}")
            return None
        self.last_report = report
        lines = [f"{Path(path).name}: {report.summary()}"]
        lines += [f"  Skipped {p}" for p in report.problems[:MAX_PROBLEMS_SHOWN]]
        if len(report.problems) > MAX_PROBLEMS_SHOWN:
            lines.append(f"  … and {len(report.problems) - MAX_PROBLEMS_SHOWN} more.")
        self.report_label.setText("\n".join(lines))
        self.refresh()
        return report

    def export_to(self, path: str | Path) -> int | None:
        try:
            count = export_csv(self.desk.contacts.all(), Path(path))
        except Exception as exc:
            self.report_label.setText(f"The export failed: {describe_error(exc)}")
            return None
        self.report_label.setText(f"Exported {count} contacts to {Path(path).name}.")
        return count
