"""Contacts in and out of files: CSV and vCard import, CSV export.

An import never stops at a bad row: each row (or card) that cannot become a contact is
reported with its line number and the reason, and every other one is imported. Numbers that
cannot be normalised are kept as typed and counted, so the operator can fix them.

CSV columns are recognised by their header, in the words common address-book exports use
("Name", "Full name", "First name" + "Last name", "Company", "Phone", "Mobile", "E-mail",
"Notes", "Tags"...); several number columns, or several numbers in one cell separated by ``;``
or ``:::``, all become numbers of the contact. The export writes the same columns back, so an
exported file imports again unchanged.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from console.desk.contact_card import Contact, Saved, make_contact
from console.desk.contacts import ContactBook
from console.desk.errors import DeskError
from console.desk.numbers import PhoneNumber, phone

MAX_IMPORT_BYTES = 20 * 1024 * 1024
EXPORT_COLUMNS = ("name", "organisation", "numbers", "email", "notes", "tags", "favourite")

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class ImportReport:
    """What an import did, in numbers and in words."""

    added: int = 0
    merged: int = 0
    flagged: int = 0
    unnormalised: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.added + self.merged

    def summary(self) -> str:
        parts = [f"{self.added} contact{'s' if self.added != 1 else ''} added"]
        if self.merged:
            parts.append(f"{self.merged} merged into existing cards")
        if self.flagged:
            parts.append(f"{self.flagged} flagged as possible duplicates")
        if self.unnormalised:
            parts.append(f"{self.unnormalised} number(s) kept as typed (not valid E.164)")
        if self.problems:
            parts.append(f"{len(self.problems)} row(s) skipped")
        return "; ".join(parts) + "."

    def note(self, saved: Saved) -> None:
        if saved.merged:
            self.merged += 1
        else:
            self.added += 1
        if saved.flagged:
            self.flagged += 1
        self.unnormalised += sum(1 for n in saved.contact.numbers if not n.normalised)


# --- reading files ------------------------------------------------------------------------------


def read_text(path: str | os.PathLike[str]) -> str:
    """The file's text (UTF-8, with or without BOM; Latin-1 as the fallback spreadsheets use)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise DeskError(f"{path.name} is over {MAX_IMPORT_BYTES // (1024 * 1024)} MB.")
        data = path.read_bytes()
    except OSError as exc:
        raise DeskError(f"Cannot read {path.name}: {exc.strerror or exc}.") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def import_file(
    book: ContactBook, path: str | os.PathLike[str], *, default_country: str | None = None
) -> ImportReport:
    """Import a ``.vcf``/``.vcard`` or CSV file into ``book``."""
    text = read_text(path)
    country = default_country or book.default_country
    if Path(path).suffix.lower() in (".vcf", ".vcard") or text.lstrip().upper().startswith(
        "BEGIN:VCARD"
    ):
        return import_vcard(book, text, default_country=country)
    return import_csv(book, text, default_country=country)


def _finish(book: ContactBook, found: list[tuple[int, Contact]], report: ImportReport) -> None:
    # One transaction for the whole file: an import of 10,000 rows takes one commit.
    for saved in book.add_many(contact for _line, contact in found):
        report.note(saved)


# --- CSV ----------------------------------------------------------------------------------------

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
    _finish(book, found, report)
    return report


def _unsafe(cell: str) -> str:
    """Undo the ``'`` our export puts before a cell that starts like a formula."""
    return cell[1:] if cell.startswith("'") and cell[1:2] in _FORMULA_START else cell


def _safe(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def contact_row(contact: Contact) -> list[str]:
    return [
        _safe(contact.name),
        _safe(contact.organisation),
        _safe("; ".join(n.raw for n in contact.numbers)),
        _safe(contact.email),
        _safe(contact.notes),
        _safe(" ".join(contact.tags)),
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


def write_private_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8 with BOM) through a 0600 temporary file."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as handle:
            handle.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# --- vCard --------------------------------------------------------------------------------------


def _unfold(text: str) -> Iterator[tuple[int, str]]:
    """Logical vCard lines with the number of their first physical line (RFC 6350 §3.2)."""
    current: str | None = None
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line[:1] in (" ", "\t") and current is not None:
            current += line[1:]
            continue
        if current is not None:
            yield start, current
        current, start = line, number
    if current is not None:
        yield start, current


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _split_unescaped(value: str, sep: str) -> list[str]:
    parts = re.split(r"(?<!\\)" + re.escape(sep), value)
    return [_unescape(p) for p in parts]


@dataclass
class _Card:
    line: int
    fn: str = ""
    n: str = ""
    org: str = ""
    email: str = ""
    notes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    tels: list[tuple[str, str]] = field(default_factory=list)


def import_vcard(
    book: ContactBook, text: str, *, default_country: str | None = None
) -> ImportReport:
    report = ImportReport()
    default_country = default_country or book.default_country
    found: list[tuple[int, Contact]] = []
    card: _Card | None = None
    for line, content in _unfold(text):
        if not content.strip():
            continue
        name, sep, value = content.partition(":")
        if not sep:
            report.problems.append(Problem(line, f"not a vCard line: “{content[:40]}”"))
            continue
        prop, *params = name.split(";")
        prop = prop.upper().split(".")[-1]  # "item1.TEL" → "TEL"
        if prop == "BEGIN" and value.strip().upper() == "VCARD":
            if card is not None:
                report.problems.append(Problem(card.line, "card has no END:VCARD; skipped"))
            card = _Card(line)
            continue
        if card is None:
            report.problems.append(Problem(line, "text outside BEGIN:VCARD … END:VCARD"))
            continue
        if prop == "END":
            _close(card, found, report, default_country)
            card = None
        elif prop == "FN":
            card.fn = _unescape(value).strip()
        elif prop == "N":
            parts = [*_split_unescaped(value, ";"), "", ""]
            card.n = " ".join(p.strip() for p in (parts[1], parts[0]) if p.strip())
        elif prop == "ORG":
            card.org = " ".join(p.strip() for p in _split_unescaped(value, ";") if p.strip())
        elif prop == "EMAIL" and not card.email:
            card.email = _unescape(value).strip()
        elif prop == "NOTE":
            card.notes.append(_unescape(value).strip())
        elif prop == "CATEGORIES":
            card.tags += [t.strip() for t in _split_unescaped(value, ",") if t.strip()]
        elif prop == "TEL":
            label = ",".join(
                p.split("=", 1)[-1].casefold() for p in params if p.upper().startswith("TYPE")
            )
            number = value.strip()
            if number.lower().startswith("tel:"):
                number = number[4:]
            card.tels.append((number, label))
    if card is not None:
        report.problems.append(Problem(card.line, "card has no END:VCARD; skipped"))
    _finish(book, found, report)
    return report


def _close(
    card: _Card,
    found: list[tuple[int, Contact]],
    report: ImportReport,
    default_country: str | None,
) -> None:
    numbers = [phone(n, label, default_country) for n, label in card.tels if n.strip()]
    try:
        contact = make_contact(
            card.fn or card.n,
            numbers,
            organisation=card.org,
            email=card.email,
            notes="\n".join(card.notes),
            tags=" ".join(card.tags),
        )
    except DeskError as exc:
        report.problems.append(Problem(card.line, exc.user_message))
        return
    found.append((card.line, contact))


__all__ = [
    "EXPORT_COLUMNS",
    "ImportReport",
    "PhoneNumber",
    "Problem",
    "export_csv",
    "import_csv",
    "import_file",
    "import_vcard",
]
