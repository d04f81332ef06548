"""The dispositions an operator picks from when wrapping up a call, editable in Settings.

Names are unique regardless of case and kept in the operator's order. Removing one retires
it: it leaves the list offered for new wrap-ups, while the calls already given it keep the
word (and a later ``add`` of the same name brings it back).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from console.desk.errors import DeskError
from console.desk.fts import index_wrapup

MAX_NAME = 40


def check_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DeskError("A disposition needs a name.")
    if len(name) > MAX_NAME:
        raise DeskError(f"Keep a disposition under {MAX_NAME} characters.")
    return name


class Dispositions:
    """Read and edit ``desk_dispositions`` on one connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._db = conn

    def names(self) -> list[str]:
        """The dispositions offered, in order."""
        rows = self._db.execute(
            "SELECT name FROM desk_dispositions WHERE retired = 0 ORDER BY position, name"
        )
        return [str(r[0]) for r in rows]

    def canonical(self, name: str) -> str | None:
        """The stored spelling of ``name`` (any case), also of a retired one; None if unknown."""
        row = self._db.execute(
            "SELECT name FROM desk_dispositions WHERE name = ?", (" ".join(name.split()),)
        ).fetchone()
        return str(row[0]) if row else None

    def add(self, name: str) -> str:
        name = check_name(name)
        existing = self.canonical(name)
        position = self._next_position()
        if existing is not None:
            retired = self._db.execute(
                "SELECT retired FROM desk_dispositions WHERE name = ?", (existing,)
            ).fetchone()[0]
            if not retired:
                raise DeskError(f"“{existing}” is already in the list.")
            self._db.execute(
                "UPDATE desk_dispositions SET retired = 0, position = ? WHERE name = ?",
                (position, existing),
            )
            return existing
        self._db.execute(
            "INSERT INTO desk_dispositions (name, position) VALUES (?, ?)", (name, position)
        )
        return name

    def remove(self, name: str) -> None:
        existing = self.canonical(name)
        if existing is None:
            raise DeskError(f"“{name}” is not a disposition.")
        self._db.execute("UPDATE desk_dispositions SET retired = 1 WHERE name = ?", (existing,))

    def rename(self, old: str, new: str) -> str:
        """Rename a disposition; the calls already given it take the new name too."""
        existing = self.canonical(old)
        if existing is None:
            raise DeskError(f"“{old}” is not a disposition.")
        new = check_name(new)
        clash = self.canonical(new)
        if clash is not None and clash.casefold() != existing.casefold():
            raise DeskError(f"“{clash}” is already a disposition.")
        db = self._db
        db.execute("BEGIN")
        try:
            db.execute("UPDATE desk_dispositions SET name = ? WHERE name = ?", (new, existing))
            keys = [
                str(r[0])
                for r in db.execute(
                    "SELECT call_key FROM desk_wrapups WHERE disposition = ?", (existing,)
                )
            ]
            db.execute(
                "UPDATE desk_wrapups SET disposition = ? WHERE disposition = ?", (new, existing)
            )
            for key in keys:
                index_wrapup(db, key)  # a search for the new word finds the older calls
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return new

    def set_order(self, names: Sequence[str]) -> list[str]:
        """Replace the offered list with ``names`` (in this order); others are retired."""
        cleaned: list[str] = []
        for name in names:
            name = check_name(name)
            if name.casefold() in (n.casefold() for n in cleaned):
                raise DeskError(f"“{name}” is in the list twice.")
            cleaned.append(name)
        db = self._db
        db.execute("BEGIN")
        try:
            db.execute("UPDATE desk_dispositions SET retired = 1")
            for position, name in enumerate(cleaned):
                db.execute(
                    "INSERT INTO desk_dispositions (name, position) VALUES (?, ?) "
                    "ON CONFLICT(name) DO UPDATE SET retired = 0, position = excluded.position, "
                    "name = excluded.name",
                    (name, position),
                )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return self.names()

    def _next_position(self) -> int:
        row = self._db.execute("SELECT max(position) FROM desk_dispositions").fetchone()
        return 0 if row[0] is None else int(row[0]) + 1
