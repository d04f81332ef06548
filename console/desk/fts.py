"""Keeping the desk's trigram indexes in step with their rows.

``desk_contacts_fts`` holds one document per contact with the contact's id as its rowid;
``desk_wrapups_fts`` one per wrap-up with the wrap-up row's rowid. Keying documents by rowid
makes replacing one an index operation (deleting by an UNINDEXED column would scan the whole
index on every write). Callers run these inside their own transaction, so a row and its
document change together.
"""

from __future__ import annotations

import json
import sqlite3

from console.desk.numbers import digits
from console.desk.schema import like_pattern


def index_wrapup(db: sqlite3.Connection, call_key: str) -> None:
    row = db.execute(
        "SELECT rowid, disposition, notes, tags FROM desk_wrapups WHERE call_key = ?", (call_key,)
    ).fetchone()
    if row is None:
        return
    rowid = int(row[0])
    db.execute("DELETE FROM desk_wrapups_fts WHERE rowid = ?", (rowid,))
    words = [row[1] or "", row[2] or "", " ".join(tags_of(row[3]))]
    body = " | ".join(w for w in words if w)
    if body:
        db.execute("INSERT INTO desk_wrapups_fts (rowid, body) VALUES (?, ?)", (rowid, body))


def index_contact(db: sqlite3.Connection, contact_id: int) -> None:
    forget_contact(db, contact_id)
    row = db.execute(
        "SELECT name, organisation, email, notes, tags FROM desk_contacts WHERE id = ?",
        (contact_id,),
    ).fetchone()
    if row is None:
        return
    words = [row[0], row[1], row[2], row[3], " ".join(tags_of(row[4]))]
    for raw, e164 in db.execute(
        "SELECT raw, e164 FROM desk_contact_numbers WHERE contact_id = ?", (contact_id,)
    ):
        words += [raw, e164 or "", digits(raw)]
    body = " | ".join(w for w in words if w)
    db.execute("INSERT INTO desk_contacts_fts (rowid, body) VALUES (?, ?)", (contact_id, body))


def forget_contact(db: sqlite3.Connection, contact_id: int) -> None:
    db.execute("DELETE FROM desk_contacts_fts WHERE rowid = ?", (contact_id,))


def contact_ids_matching(db: sqlite3.Connection, text: str, limit: int) -> list[int]:
    rows = db.execute(
        "SELECT rowid FROM desk_contacts_fts WHERE body LIKE ? LIMIT ?",
        (like_pattern(text), limit),
    )
    return [int(r[0]) for r in rows]


def wrapup_keys_matching(db: sqlite3.Connection, text: str, limit: int) -> list[str]:
    rows = db.execute(
        "SELECT w.call_key FROM desk_wrapups_fts f JOIN desk_wrapups w ON w.rowid = f.rowid "
        "WHERE f.body LIKE ? LIMIT ?",
        (like_pattern(text), limit),
    )
    return [str(r[0]) for r in rows]


def tags_of(value: object) -> list[str]:
    try:
        items = json.loads(value) if isinstance(value, str) else []
    except ValueError:
        return []
    return [t for t in items if isinstance(t, str)] if isinstance(items, list) else []
