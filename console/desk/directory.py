"""Where a transfer or a call goes: the directory (favourites, contacts, recent numbers, and
in team mode colleagues) filtered by what the operator types, and ten speed dials.

The directory is read on each keystroke of a picker, so each part is one indexed query with a
small limit. Colleagues come from a :class:`ColleagueSource` the team mode will supply; solo
mode has none.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from console.desk.contacts import ContactBook
from console.desk.errors import DeskError
from console.desk.numbers import digits, to_e164

SPEED_DIAL_SLOTS = 10
RECENT_KEEP = 50


class Kind(StrEnum):
    SPEED_DIAL = "speed dial"
    FAVOURITE = "favourite"
    COLLEAGUE = "colleague"
    CONTACT = "contact"
    RECENT = "recent"


@dataclass(frozen=True)
class Entry:
    """One line of the directory: who, the number to dial, and where it came from."""

    label: str
    number: str
    kind: Kind
    detail: str = ""  # organisation, number label, colleague status...

    @property
    def text(self) -> str:
        return f"{self.label} — {self.number}" if self.label != self.number else self.number


class ColleagueSource(Protocol):
    """Team mode's colleagues: (name, number or SIP address, status label)."""

    def colleagues(self) -> Sequence[tuple[str, str, str]]: ...


@dataclass(frozen=True)
class SpeedDial:
    slot: int  # 1..10; slot 10 is Alt+0
    number: str
    label: str = ""

    @property
    def key(self) -> str:
        return f"Alt+{self.slot % 10}"


class SpeedDials:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._db = conn

    def all(self) -> list[SpeedDial]:
        rows = self._db.execute("SELECT slot, number, label FROM desk_speed_dials ORDER BY slot")
        return [SpeedDial(int(s), str(n), str(lbl)) for s, n, lbl in rows]

    def get(self, slot: int) -> SpeedDial | None:
        row = self._db.execute(
            "SELECT slot, number, label FROM desk_speed_dials WHERE slot = ?", (slot,)
        ).fetchone()
        return SpeedDial(int(row[0]), str(row[1]), str(row[2])) if row else None

    def set(self, slot: int, number: str, label: str = "") -> SpeedDial:
        if not 1 <= slot <= SPEED_DIAL_SLOTS:
            raise DeskError(f"Speed dials are numbered 1 to {SPEED_DIAL_SLOTS}.")
        number = number.strip()
        if not number:
            raise DeskError("A speed dial needs a number.")
        label = " ".join(label.split())[:40]
        self._db.execute(
            "INSERT INTO desk_speed_dials (slot, number, label) VALUES (?, ?, ?) "
            "ON CONFLICT(slot) DO UPDATE SET number = excluded.number, label = excluded.label",
            (slot, number, label),
        )
        return SpeedDial(slot, number, label)

    def clear(self, slot: int) -> None:
        self._db.execute("DELETE FROM desk_speed_dials WHERE slot = ?", (slot,))


class Recent:
    """Numbers the operator dialled or transferred to, newest first."""

    def __init__(self, conn: sqlite3.Connection, clock: Callable[[], float] = time.time) -> None:
        self._db = conn
        self._clock = clock

    def note(self, number: str) -> None:
        number = number.strip()
        if not number:
            return
        self._db.execute(
            "INSERT INTO desk_recent (number, used_at) VALUES (?, ?) "
            "ON CONFLICT(number) DO UPDATE SET used_at = excluded.used_at",
            (number, self._clock()),
        )
        self._db.execute(
            "DELETE FROM desk_recent WHERE number NOT IN "
            "(SELECT number FROM desk_recent ORDER BY used_at DESC LIMIT ?)",
            (RECENT_KEEP,),
        )

    def numbers(self, limit: int = 20) -> list[str]:
        rows = self._db.execute(
            "SELECT number FROM desk_recent ORDER BY used_at DESC LIMIT ?", (limit,)
        )
        return [str(r[0]) for r in rows]


class Directory:
    """The entries a transfer dialog or the dialer offers for what the operator typed."""

    def __init__(
        self,
        contacts: ContactBook,
        speed_dials: SpeedDials,
        recent: Recent,
        colleagues: ColleagueSource | None = None,
    ) -> None:
        self.contacts = contacts
        self.speed_dials = speed_dials
        self.recent = recent
        self.colleagues = colleagues

    def entries(self, text: str = "", *, limit: int = 50) -> list[Entry]:
        """Speed dials, favourites, colleagues, contacts, then recent numbers matching ``text``
        (each number once, in that order of preference)."""
        text = " ".join((text or "").split())
        out: list[Entry] = []
        seen: set[str] = set()

        def add(entry: Entry, matched: bool = False) -> None:
            key = to_e164(entry.number) or entry.number
            if key not in seen and (matched or _matches(entry, text)):
                seen.add(key)
                out.append(entry)

        for dial in self.speed_dials.all():
            add(Entry(dial.label or dial.number, dial.number, Kind.SPEED_DIAL, dial.key))
        for contact in self.contacts.favourites():
            for number in contact.numbers:
                add(
                    Entry(
                        contact.name,
                        number.dial_string,
                        Kind.FAVOURITE,
                        _detail(contact.organisation, number.label),
                    )
                )
        if self.colleagues is not None:
            for name, address, status in self.colleagues.colleagues():
                add(Entry(name, address, Kind.COLLEAGUE, status))
        for contact in self.contacts.search(text, limit=limit):
            for number in contact.numbers:
                add(
                    Entry(
                        contact.name,
                        number.dial_string,
                        Kind.CONTACT,
                        _detail(contact.organisation, number.label),
                    ),
                    matched=True,  # the search matched the card (maybe by its notes or e-mail)
                )
        recent = self.recent.numbers()
        names = self.contacts.names_for(recent)
        for dialled in recent:
            add(Entry(names.get(dialled, dialled), dialled, Kind.RECENT))
        return out[:limit]


def _detail(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


def _matches(entry: Entry, text: str) -> bool:
    if not text:
        return True
    folded = text.casefold()
    if folded in entry.label.casefold() or folded in entry.detail.casefold():
        return True
    if folded in entry.number.casefold():
        return True
    typed = digits(text)
    return len(typed) >= 3 and typed in digits(entry.number)
