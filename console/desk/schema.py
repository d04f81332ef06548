"""The desk's tables in the console database (component ``desk``), and their migrations.

* ``desk_dispositions`` — the list an operator picks from when wrapping up; a removed one is
  retired, not deleted, so old wrap-ups still name it;
* ``desk_wrapups`` — one row per call (``call_key``, the history table's key): disposition,
  notes, tags; a draft while the call is live (``done_at`` null);
* ``desk_contacts`` and ``desk_contact_numbers`` — the address book; numbers indexed by their
  lookup key (E.164, else bare digits) so a ringing call finds its contact in one probe;
* ``desk_speed_dials`` (slots 1–10), ``desk_recent`` (numbers dialled or transferred to) and
  ``desk_settings`` (the operator's status, the wrap-up timer);
* ``desk_contacts_fts`` and ``desk_wrapups_fts`` — FTS5 trigram indexes whose rowid is the
  indexed row's rowid (so a row's document is replaced by key, never by a scan), so one search
  finds a note fragment, a disposition or a contact's name among 100,000s of rows by index.
"""

from __future__ import annotations

from console.db import Schema

DEFAULT_DISPOSITIONS = ("Resolved", "Call back", "Escalated", "Wrong number", "Spam")

_DEFAULTS = "\n".join(
    f"INSERT INTO desk_dispositions (name, position) VALUES ('{name}', {i});"
    for i, name in enumerate(DEFAULT_DISPOSITIONS)
)

DESK_SCHEMA = Schema(
    "desk",
    [
        """
        CREATE TABLE desk_dispositions (
            name      TEXT PRIMARY KEY COLLATE NOCASE,
            position  INTEGER NOT NULL,
            retired   INTEGER NOT NULL DEFAULT 0
        );
        """
        + _DEFAULTS
        + """
        CREATE TABLE desk_wrapups (
            call_key     TEXT PRIMARY KEY,
            disposition  TEXT,
            notes        TEXT NOT NULL DEFAULT '',
            tags         TEXT NOT NULL DEFAULT '[]',   -- JSON list
            number       TEXT,      -- the other party's lookup key, for caller context
            started_at   REAL,      -- when the call started (unix)
            done_at      REAL,      -- null while the wrap-up is a draft
            updated_at   REAL NOT NULL
        );
        CREATE INDEX desk_wrapups_number ON desk_wrapups(number, started_at DESC);
        CREATE TABLE desk_contacts (
            id            INTEGER PRIMARY KEY,
            name          TEXT NOT NULL,
            organisation  TEXT NOT NULL DEFAULT '',
            email         TEXT NOT NULL DEFAULT '',
            notes         TEXT NOT NULL DEFAULT '',
            tags          TEXT NOT NULL DEFAULT '[]',
            favourite     INTEGER NOT NULL DEFAULT 0,
            flag          TEXT NOT NULL DEFAULT '',    -- why it needs a look (a duplicate?)
            updated_at    REAL NOT NULL
        );
        CREATE INDEX desk_contacts_name ON desk_contacts(name COLLATE NOCASE);
        CREATE INDEX desk_contacts_favourite ON desk_contacts(favourite) WHERE favourite = 1;
        CREATE TABLE desk_contact_numbers (
            contact_id  INTEGER NOT NULL REFERENCES desk_contacts(id) ON DELETE CASCADE,
            position    INTEGER NOT NULL,
            raw         TEXT NOT NULL,
            e164        TEXT,          -- null: could not be normalised, kept as typed
            label       TEXT NOT NULL DEFAULT '',
            lookup      TEXT,          -- e164, else the bare digits
            PRIMARY KEY (contact_id, position)
        );
        CREATE INDEX desk_contact_numbers_lookup ON desk_contact_numbers(lookup);
        CREATE TABLE desk_speed_dials (
            slot    INTEGER PRIMARY KEY CHECK (slot BETWEEN 1 AND 10),
            number  TEXT NOT NULL,
            label   TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE desk_recent (
            number   TEXT PRIMARY KEY,
            used_at  REAL NOT NULL
        );
        CREATE INDEX desk_recent_used ON desk_recent(used_at DESC);
        CREATE TABLE desk_settings (
            key    TEXT PRIMARY KEY,
            value  TEXT NOT NULL
        );
        CREATE VIRTUAL TABLE desk_contacts_fts USING fts5(body, tokenize = 'trigram');
        CREATE VIRTUAL TABLE desk_wrapups_fts USING fts5(body, tokenize = 'trigram');
        """
    ],
)

#: The shortest text the trigram index can look up; shorter searches read rows directly.
MIN_INDEXED_TEXT = 3


def like_pattern(text: str) -> str:
    """``%text%`` for LIKE on a trigram column (which takes no ESCAPE: wildcards dropped)."""
    return "%" + text.replace("%", "").replace("_", "") + "%"
