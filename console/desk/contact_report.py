"""What a contact import did: the rows it could not take, with their line and reason, and the
counts of cards added, merged, flagged and numbers kept as typed.

Both importers (``contact_csv``, ``contact_vcard``) fill an :class:`ImportReport` the same way
and hand what they read to :func:`save_found`, one transaction for the whole file; the UI shows
:meth:`ImportReport.summary` and the problems.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from console.desk.contact_card import Contact, Saved
from console.desk.contacts import ContactBook


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


def save_found(book: ContactBook, found: list[tuple[int, Contact]], report: ImportReport) -> None:
    """Add the contacts an importer read (with their lines) to ``book`` and count them."""
    # One transaction for the whole file: an import of 10,000 rows takes one commit.
    for saved in book.add_many(contact for _line, contact in found):
        report.note(saved)
