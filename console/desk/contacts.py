"""The address book: people and organisations with their numbers, matched to calls by number.

A number is stored as typed, with its E.164 form when it has one and a lookup key (E.164, else
bare digits) that a call's number is matched by in one index probe; a number no contact has
(most callers) is answered from the set of known keys, without a query. Adding a contact that is
already there never doubles it silently:

* the same person (same name, regardless of case, sharing a number or the e-mail) is **merged**
  into the existing card: numbers and tags united, empty fields filled, notes appended;
* a different name on a number another contact already has is **flagged** on both cards
  ("shares +1 312 555 0100 with Pat Lee"), so the operator decides.

This module holds :class:`ContactBook`, the tables' reads and writes; the card itself, its
checks and the merge rule live in ``contact_card``.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from console.desk.contact_card import Contact, Saved, merge_cards, number_key
from console.desk.errors import DeskError
from console.desk.fts import contact_ids_matching, forget_contact, index_contact, tags_of
from console.desk.numbers import PhoneNumber, lookup_key
from console.desk.schema import MIN_INDEXED_TEXT, like_pattern

log = logging.getLogger(__name__)


class ContactBook:
    """Read and write the contacts tables on one connection."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        *,
        default_country: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._db = conn
        self.default_country = default_country
        self._clock = clock
        self._listeners: list[Callable[[], None]] = []
        # Every number's lookup key, loaded on the first lookup and dropped on any write: most
        # callers are not in the book, and for them a set probe answers without a query (the
        # calls table, the ring popup and the tray each ask, for every new caller).
        self._keys: frozenset[str] | None = None

    # --- listeners ----------------------------------------------------------------------------

    def on_change(self, listener: Callable[[], None]) -> Callable[[], None]:
        """``listener()`` after any contact was added, changed or removed."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _changed(self) -> None:
        for listener in list(self._listeners):
            try:
                listener()
            except Exception:
                # The change is saved; a broken view must not make it look as if it failed.
                log.exception("contacts listener %r failed", listener)

    # --- reading ------------------------------------------------------------------------------

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM desk_contacts").fetchone()[0])

    def get(self, contact_id: int) -> Contact | None:
        found = self._load([contact_id])
        return found[0] if found else None

    def find_by_number(self, number: str | None) -> Contact | None:
        """The contact with ``number`` (any format), by its E.164 form or bare digits."""
        key = lookup_key(number, self.default_country)
        if key is None or key not in self._known_keys():
            return None
        row = self._db.execute(
            "SELECT contact_id FROM desk_contact_numbers WHERE lookup = ? "
            "ORDER BY contact_id LIMIT 1",
            (key,),
        ).fetchone()
        return self.get(int(row[0])) if row else None

    def _known_keys(self) -> frozenset[str]:
        if self._keys is None:
            self._keys = frozenset(
                key
                for (key,) in self._db.execute(
                    "SELECT lookup FROM desk_contact_numbers WHERE lookup IS NOT NULL"
                )
            )
        return self._keys

    def names_for(self, numbers: Iterable[str]) -> dict[str, str]:
        """``{number: contact display name}`` for those of ``numbers`` in the book."""
        out: dict[str, str] = {}
        for number in dict.fromkeys(numbers):
            contact = self.find_by_number(number)
            if contact is not None:
                out[number] = contact.display_name
        return out

    def all(self, *, limit: int | None = None) -> list[Contact]:
        sql = "SELECT id FROM desk_contacts ORDER BY name COLLATE NOCASE, id"
        params: tuple[object, ...] = ()
        if limit is not None:
            sql += " LIMIT ?"
            params = (int(limit),)
        return self._load([int(r[0]) for r in self._db.execute(sql, params)])

    def favourites(self) -> list[Contact]:
        ids = [
            int(r[0])
            for r in self._db.execute(
                "SELECT id FROM desk_contacts WHERE favourite = 1 ORDER BY name COLLATE NOCASE"
            )
        ]
        return self._load(ids)

    def search(self, text: str, *, limit: int = 50) -> list[Contact]:
        """Contacts whose name, organisation, number, e-mail, notes or tags contain ``text``."""
        text = " ".join((text or "").split())
        if not text:
            return self.all(limit=limit)
        if len(text) >= MIN_INDEXED_TEXT:
            ids = contact_ids_matching(self._db, text, max(0, int(limit)))
        else:
            pattern = like_pattern(text)
            rows = self._db.execute(
                "SELECT id FROM desk_contacts WHERE name LIKE ? OR organisation LIKE ? "
                "ORDER BY name COLLATE NOCASE LIMIT ?",
                (pattern, pattern, max(0, int(limit))),
            )
            ids = [int(r[0]) for r in rows]
        found = self._load(ids)
        return sorted(found, key=lambda c: (c.name.casefold(), c.id or 0))

    def flagged(self) -> list[Contact]:
        ids = [int(r[0]) for r in self._db.execute("SELECT id FROM desk_contacts WHERE flag != ''")]
        return self._load(ids)

    def _load(self, ids: Sequence[int]) -> list[Contact]:
        if not ids:
            return []
        out: dict[int, Contact] = {}
        numbers: dict[int, list[PhoneNumber]] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ", ".join("?" for _ in chunk)
            for cid, raw, e164, label in self._db.execute(
                "SELECT contact_id, raw, e164, label FROM desk_contact_numbers "
                f"WHERE contact_id IN ({marks}) ORDER BY contact_id, position",
                chunk,
            ):
                numbers.setdefault(int(cid), []).append(PhoneNumber(raw, e164, label))
            for row in self._db.execute(
                "SELECT id, name, organisation, email, notes, tags, favourite, flag "
                f"FROM desk_contacts WHERE id IN ({marks})",
                chunk,
            ):
                cid = int(row[0])
                out[cid] = Contact(
                    id=cid,
                    name=row[1],
                    organisation=row[2],
                    email=row[3],
                    notes=row[4],
                    tags=tuple(tags_of(row[5])),
                    favourite=bool(row[6]),
                    flag=row[7],
                    numbers=tuple(numbers.get(cid, ())),
                )
        return [out[i] for i in ids if i in out]

    # --- writing ------------------------------------------------------------------------------

    def add(self, contact: Contact, *, notify: bool = True) -> Saved:
        """Add ``contact``, merging it into the same person's card or flagging a clash."""
        db = self._db
        db.execute("BEGIN")
        try:
            saved = self._add(contact)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        if notify:
            self._changed()
        return saved

    def add_many(self, contacts: Iterable[Contact]) -> list[Saved]:
        """Add several contacts in one transaction (an import), then notify once."""
        db = self._db
        db.execute("BEGIN")
        try:
            saved = [self._add(c) for c in contacts]
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        if saved:
            self._changed()
        return saved

    def update(self, contact: Contact) -> Contact:
        """Replace the card ``contact.id`` with ``contact`` (the operator edited it)."""
        if contact.id is None or self.get(contact.id) is None:
            raise DeskError("That contact no longer exists.")
        db = self._db
        db.execute("BEGIN")
        try:
            self._write(contact, contact.id)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self._changed()
        saved = self.get(contact.id)
        assert saved is not None
        return saved

    def set_favourite(self, contact_id: int, favourite: bool) -> None:
        self._db.execute(
            "UPDATE desk_contacts SET favourite = ? WHERE id = ?", (int(favourite), contact_id)
        )
        self._changed()

    def clear_flag(self, contact_id: int) -> None:
        self._db.execute("UPDATE desk_contacts SET flag = '' WHERE id = ?", (contact_id,))
        self._changed()

    def delete(self, contact_id: int) -> None:
        db = self._db
        self._keys = None
        db.execute("BEGIN")
        try:
            db.execute("DELETE FROM desk_contacts WHERE id = ?", (contact_id,))
            forget_contact(db, contact_id)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self._changed()

    def _add(self, contact: Contact) -> Saved:
        same, clashes = self._duplicates(contact)
        if same is not None:
            merged = merge_cards(same, contact)
            assert same.id is not None
            self._write(merged, same.id)
            return Saved(replace(merged, id=same.id), merged=True)
        flag = ""
        if clashes:
            other, number = clashes[0]
            flag = f"Shares {number} with {other.display_name}: the same person?"
        new_id = self._write(replace(contact, flag=flag), None)
        for other, number in clashes:
            if not other.flag and other.id is not None:
                self._db.execute(
                    "UPDATE desk_contacts SET flag = ? WHERE id = ?",
                    (f"Shares {number} with {contact.display_name}: the same person?", other.id),
                )
        return Saved(replace(contact, id=new_id, flag=flag), flagged=flag)

    def _duplicates(self, contact: Contact) -> tuple[Contact | None, list[tuple[Contact, str]]]:
        """The card that is the same person, or the cards sharing a number under another name."""
        clashes: list[tuple[Contact, str]] = []
        seen: set[int] = set()
        for number in contact.numbers:
            key = number_key(number)
            if key is None:
                continue
            for (cid,) in self._db.execute(
                "SELECT DISTINCT contact_id FROM desk_contact_numbers WHERE lookup = ?", (key,)
            ):
                if cid in seen:
                    continue
                seen.add(cid)
                other = self.get(int(cid))
                if other is None:
                    continue
                if other.name.casefold() == contact.name.casefold():
                    return other, []
                clashes.append((other, number.raw))
        if contact.email:
            row = self._db.execute(
                "SELECT id FROM desk_contacts WHERE email = ? COLLATE NOCASE AND name = ? "
                "COLLATE NOCASE LIMIT 1",
                (contact.email, contact.name),
            ).fetchone()
            if row is not None:
                return self.get(int(row[0])), []
        return None, clashes

    def _write(self, contact: Contact, contact_id: int | None) -> int:
        db = self._db
        self._keys = None  # also when the transaction rolls back: reloaded from what is stored
        values = (
            contact.name,
            contact.organisation,
            contact.email,
            contact.notes,
            json.dumps(list(contact.tags)),
            int(contact.favourite),
            contact.flag,
            self._clock(),
        )
        if contact_id is None:
            cursor = db.execute(
                "INSERT INTO desk_contacts (name, organisation, email, notes, tags, favourite, "
                "flag, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )
            assert cursor.lastrowid is not None
            contact_id = int(cursor.lastrowid)
        else:
            db.execute(
                "UPDATE desk_contacts SET name = ?, organisation = ?, email = ?, notes = ?, "
                "tags = ?, favourite = ?, flag = ?, updated_at = ? WHERE id = ?",
                (*values, contact_id),
            )
            db.execute("DELETE FROM desk_contact_numbers WHERE contact_id = ?", (contact_id,))
        for position, number in enumerate(contact.numbers):
            db.execute(
                "INSERT INTO desk_contact_numbers (contact_id, position, raw, e164, label, lookup)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (contact_id, position, number.raw, number.e164, number.label, number_key(number)),
            )
        index_contact(db, contact_id)
        return contact_id
