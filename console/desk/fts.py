"""Keeping ``desk_fts`` (the trigram index over contacts and wrap-ups) in step with its rows.

Each indexed row has one document: ``kind`` is ``contact`` or ``wrapup``, ``ref`` the row's
key, ``body`` its searchable words (for a number, as written and as bare digits). Callers run
these inside their own transaction, so a row and its document change together.
"""

from __future__ import annotations

import json
import sqlite3

from console.desk.numbers import digits

CONTACT = "contact"
WRAPUP = "wrapup"


def _forget(db: sqlite3.Connection, kind: str, ref: str) -> None:
    db.execute("DELETE FROM desk_fts WHERE kind = ? AND ref = ?", (kind, ref))


def index_wrapup(db: sqlite3.Connection, call_key: str) -> None:
    _forget(db, WRAPUP, call_key)
    row = db.execute(
        "SELECT disposition, notes, tags FROM desk_wrapups WHERE call_key = ?", (call_key,)
    ).fetchone()
    if row is None:
        return
    words = [row[0] or "", row[1] or "", " ".join(_tags(row[2]))]
    body = " | ".join(w for w in words if w)
    if body:
        db.execute(
            "INSERT INTO desk_fts (kind, ref, body) VALUES (?, ?, ?)", (WRAPUP, call_key, body)
        )


def index_contact(db: sqlite3.Connection, contact_id: int) -> None:
    ref = str(contact_id)
    _forget(db, CONTACT, ref)
    row = db.execute(
        "SELECT name, organisation, email, notes, tags FROM desk_contacts WHERE id = ?",
        (contact_id,),
    ).fetchone()
    if row is None:
        return
    words = [row[0], row[1], row[2], row[3], " ".join(_tags(row[4]))]
    for raw, e164 in db.execute(
        "SELECT raw, e164 FROM desk_contact_numbers WHERE contact_id = ?", (contact_id,)
    ):
        words += [raw, e164 or "", digits(raw)]
    body = " | ".join(w for w in words if w)
    db.execute("INSERT INTO desk_fts (kind, ref, body) VALUES (?, ?, ?)", (CONTACT, ref, body))


def _tags(value: object) -> list[str]:
    try:
        items = json.loads(value) if isinstance(value, str) else []
    except ValueError:
        return []
    return [t for t in items if isinstance(t, str)] if isinstance(items, list) else []


tags_of = _tags
