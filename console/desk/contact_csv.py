"""Contacts as CSV, both ways: columns recognised by their header on import, the same columns
written on export, so an exported file imports again unchanged.

Headers are matched in the words common address-book exports use ("Name", "Full name",
"First name" + "Last name", "Company", "Phone", "Mobile", "E-mail", "Notes", "Tags"...);
several number columns, or several numbers in one cell separated by ``;`` or ``:::``, all
become numbers of the contact. A cell that starts like a formula is written with a ``'`` in
front (as the history's CSV does, ``console.history.export``) and read back without it.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from console.desk.contact_card import Contact, make_contact
from console.desk.contact_report import ImportReport, Problem, save_found
from console.desk.contacts import ContactBook
from console.desk.errors import DeskError
from console.history.export import FORMULA_START, safe_cell, write_private_atomically

EXPORT_COLUMNS = ("name", "organisation", "numbers", "email", "notes", "tags", "favourite")

_NAME = {"name", "full name", "display name", "contact", "contact name", "fn"}
_FIRST = {"first name", "given name", "first", "forename"}
_LAST = {"last name", "family name", "surname", "last"}
_ORG = {"organisation", "organization", "company", "org", "employer", "business"}
_EMAIL = {"email", "e-mail", "email address", "e-mail address", "mail"}
_NOTES = {"notes", "note", "comment", "comments", "description"}
_TAGS = {"tags", "tag", "labels", "categories", "groups", "group membership"}
_FAVOURITE = {"favourite", "favorite", "starred"}
_NUMBER_WORDS = ("phone", "number", "mobile", "tel", "cell", "fax", "numbers")


def _header_key(title: str) -> str:
    words = re.sub(r"[_\-]+", " ", title.strip().casefold())
    words = re.sub(r"\s*\d+\s*", " ", words)  # "Phone 1 - Value" → "phone value"
    return " ".join(words.replace("- value", "").split())


def _column_roles(header: list[str]) -> dict[int, str]:
    roles: dict[int, str] = {}
    for i, title in enumerate(header):
        key = _header_key(title)
        bare = key.replace(" value", "")
        if key in _NAME or bare in _NAME:
            roles[i] = "name"
        elif key in _FIRST:
            roles[i] = "first"
        elif key in _LAST:
            roles[i] = "last"
        elif key in _ORG or bare in _ORG or key == "organization name":
            roles[i] = "organisation"
        elif key in _EMAIL or bare in _EMAIL or (bare.startswith("e") and "mail" in bare):
            roles[i] = "email"
        elif key in _NOTES:
            roles[i] = "notes"
        elif key in _TAGS:
            roles[i] = "tags"
        elif key in _FAVOURITE:
            roles[i] = "favourite"
        elif "type" not in key and "label" not in key and any(w in key for w in _NUMBER_WORDS):
            roles[i] = "number"
    return roles


def _split_numbers(cell: str) -> list[str]:
    return [p.strip() for p in re.split(r":::|;|\n", cell) if p.strip()]


def _csv_records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line of the record, its cells); a cell spanning lines keeps its first line."""
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        yield start, row
        start = reader.line_num + 1


def import_csv(book: ContactBook, text: str, *, default_country: str | None = None) -> ImportReport:
    report = ImportReport()
    default_country = default_country or book.default_country
    records = _csv_records(text)
    try:
        first = next(records, None)
    except csv.Error as exc:
        raise DeskError(f"This is not a CSV file a contact list can be read from ({exc}).") from exc
    if first is None:
        raise DeskError("The file is empty.")
    _line, header = first
    roles = _column_roles(header)
    if "number" not in roles.values() and not {"name", "first", "organisation"} & set(
        roles.values()
    ):
        raise DeskError(
            "The first row must name the columns (for example Name, Organisation, Phone, "
            "Email, Notes, Tags); none of them was recognised."
        )
    found: list[tuple[int, Contact]] = []
    while True:
        try:
            item = next(records, None)
        except csv.Error as exc:
            # A broken quote swallows the rest of the file: say where, keep what was read.
            report.problems.append(Problem(_line + 1, f"unreadable CSV ({exc}); import stopped"))
            break
        if item is None:
            break
        line, cells = item
        _line = line
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            report.problems.append(
                Problem(line, f"{len(cells)} cells where the header has {len(header)}")
            )
            continue
        values: dict[str, list[str]] = {}
        for i, cell in enumerate(cells):
            role = roles.get(i)
            if role and cell.strip():
                values.setdefault(role, []).append(_unsafe(cell.strip()))
        name = " ".join(values.get("name", [])) or " ".join(
            values.get("first", []) + values.get("last", [])
        )
        numbers = [n for cell in values.get("number", []) for n in _split_numbers(cell)]
        favourite = (values.get("favourite") or [""])[0].casefold() in ("1", "yes", "true", "y")
        try:
            contact = make_contact(
                name,
                numbers,
                organisation=" ".join(values.get("organisation", [])),
                email=(values.get("email") or [""])[0],
                notes="\n".join(values.get("notes", [])),
                tags=" ".join(values.get("tags", [])).replace(":::", " "),
                favourite=favourite,
                default_country=default_country,
            )
        except DeskError as exc:
            report.problems.append(Problem(line, exc.user_message))
            continue
        found.append((line, contact))
    save_found(book, found, report)
    return report


def _unsafe(cell: str) -> str:
    """Undo the ``'`` our export puts before a cell that starts like a formula."""
    return cell[1:] if cell.startswith("'") and cell[1:2] in FORMULA_START else cell


def contact_row(contact: Contact) -> list[str]:
    return [
        safe_cell(contact.name),
        safe_cell(contact.organisation),
        safe_cell("; ".join(n.raw for n in contact.numbers)),
        safe_cell(contact.email),
        safe_cell(contact.notes),
        safe_cell(" ".join(contact.tags)),
        "yes" if contact.favourite else "",
    ]


def export_csv(
    contacts: Iterable[Contact], file_or_path: str | os.PathLike[str] | io.TextIOBase
) -> int:
    """Write contacts as CSV (UTF-8 with BOM, atomically for a path); returns how many."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for contact in contacts:
        writer.writerow(contact_row(contact))
        count += 1
    if isinstance(file_or_path, io.TextIOBase):
        file_or_path.write(buffer.getvalue())
        return count
    write_private_atomically(Path(file_or_path), buffer.getvalue())
    return count
