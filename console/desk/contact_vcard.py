"""Contacts from vCard files (``.vcf``, ``.vcard``): one contact a BEGIN:VCARD … END:VCARD.

Folded lines are joined (RFC 6350 §3.2), escapes undone, and of each card the name (FN, else
N), organisation, first e-mail, notes, categories and every TEL with its type are read. A
card that cannot become a contact, a line that is not a vCard line and a card with no END are
reported by line, and every other card is imported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from console.desk.contact_card import Contact, make_contact
from console.desk.contact_report import ImportReport, Problem, save_found
from console.desk.contacts import ContactBook
from console.desk.errors import DeskError
from console.desk.numbers import phone


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
    save_found(book, found, report)
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
