"""A contact card: what one is, how typed or imported text becomes one, and how two merge.

:func:`make_contact` checks and tidies what the operator typed (or a file held) into a
:class:`Contact`, raising :class:`~console.desk.errors.DeskError` with words when it cannot;
:func:`merge_cards` is how the address book (``contacts``) folds the same person added again
into the card it already has. Nothing here touches the database, so the rules are the same for
the contact dialog, the CSV and vCard imports and the demo's seed data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from console.desk.errors import DeskError
from console.desk.numbers import PhoneNumber, lookup_key, phone
from console.desk.wrapups import parse_tags

MAX_FIELD = 200
MAX_NOTES = 5000
MAX_NUMBERS = 20


@dataclass(frozen=True)
class Contact:
    name: str
    numbers: tuple[PhoneNumber, ...] = ()
    organisation: str = ""
    email: str = ""
    notes: str = ""
    tags: tuple[str, ...] = ()
    favourite: bool = False
    flag: str = ""  # why this card needs a look (e.g. a possible duplicate)
    id: int | None = None

    @property
    def display_name(self) -> str:
        if self.name and self.organisation:
            return f"{self.name} ({self.organisation})"
        return self.name or self.organisation or (self.numbers[0].raw if self.numbers else "")

    @property
    def has_unnormalised(self) -> bool:
        return any(not n.normalised for n in self.numbers)


@dataclass(frozen=True)
class Saved:
    """What adding one contact did: ``merged`` into an existing card, or ``flagged``."""

    contact: Contact
    merged: bool = False
    flagged: str = ""


def make_contact(
    name: str,
    numbers: Iterable[str | PhoneNumber] = (),
    *,
    organisation: str = "",
    email: str = "",
    notes: str = "",
    tags: str | Iterable[str] = (),
    favourite: bool = False,
    default_country: str | None = None,
) -> Contact:
    """A contact from what was typed or imported, checked (raises :class:`DeskError`)."""
    name = " ".join((name or "").split())
    organisation = " ".join((organisation or "").split())
    email = (email or "").strip()
    phones: list[PhoneNumber] = []
    for item in numbers:
        number = item if isinstance(item, PhoneNumber) else phone(item, "", default_country)
        if number.raw and not any(same_number(number, p) for p in phones):
            phones.append(number)
    if not name and not organisation:
        if not phones:
            raise DeskError("A contact needs a name, an organisation or a number.")
        name = phones[0].raw
    for label, value in (("name", name), ("organisation", organisation), ("e-mail", email)):
        if len(value) > MAX_FIELD:
            raise DeskError(f"The {label} is too long (over {MAX_FIELD} characters).")
    if email and ("@" not in email or " " in email):
        raise DeskError(f"“{email}” is not an e-mail address.")
    if len(notes) > MAX_NOTES:
        raise DeskError(f"Contact notes are limited to {MAX_NOTES:,} characters.")
    if len(phones) > MAX_NUMBERS:
        raise DeskError(f"A contact can have at most {MAX_NUMBERS} numbers.")
    return Contact(
        name=name,
        numbers=tuple(phones),
        organisation=organisation,
        email=email,
        notes=notes.strip(),
        tags=parse_tags(tags),
        favourite=favourite,
    )


def same_number(a: PhoneNumber, b: PhoneNumber) -> bool:
    """Whether two numbers are one (the same E.164 form, or the same digits as typed)."""
    return lookup_key(a.e164 or a.raw) == lookup_key(b.e164 or b.raw)


def number_key(number: PhoneNumber) -> str | None:
    """The key a number is matched by: its E.164 form, else its bare digits."""
    return number.e164 or lookup_key(number.raw)


def merge_cards(old: Contact, new: Contact) -> Contact:
    """``old`` with what ``new`` adds: numbers and tags united, empty fields filled, notes
    appended (the same person added again)."""
    numbers = list(old.numbers)
    for number in new.numbers:
        if not any(same_number(number, n) for n in numbers):
            numbers.append(number)
    notes = old.notes
    if new.notes and new.notes not in notes:
        notes = f"{notes}\n{new.notes}".strip()
    return replace(
        old,
        numbers=tuple(numbers[:MAX_NUMBERS]),
        organisation=old.organisation or new.organisation,
        email=old.email or new.email,
        notes=notes,
        tags=tuple(dict.fromkeys((*old.tags, *new.tags))),
        favourite=old.favourite or new.favourite,
    )
