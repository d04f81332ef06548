"""The desk: the operator's status, wrap-ups, contacts, directory and search in one object.

It opens its own connection to the console database (one per thread, as ``console/db``
asks), brings the history's and its own tables up to date, and hands out the parts. The
UI holds one :class:`Desk`; team mode will read ``status.presence`` to publish it.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from console.db import DATABASE_FILENAME, connect, migrate
from console.desk.contact_card import Contact, make_contact
from console.desk.contacts import ContactBook
from console.desk.context import CallerContext, caller_context, other_party
from console.desk.directory import ColleagueSource, Directory, Recent, SpeedDials
from console.desk.dispositions import Dispositions
from console.desk.errors import DeskError
from console.desk.history_search import history_page
from console.desk.numbers import lookup_key
from console.desk.schema import DESK_SCHEMA
from console.desk.search import SearchResults, search_all
from console.desk.status import Presence, StatusModel
from console.desk.wrapups import WrapUp, WrapUps
from console.history import CallHistoryEntry, HistoryTable, PageMark, call_key

log = logging.getLogger(__name__)

DEMO_DATABASE_FILENAME = "demo-" + DATABASE_FILENAME
#: Seconds of Wrap-up after a handled call (0: no timer, the operator stays Available).
DEFAULT_WRAP_UP_SECS = 0


def database_path(data_dir: Path, demo: bool) -> Path:
    """A demo keeps its own database, so simulated calls never mix with real history."""
    return data_dir / (DEMO_DATABASE_FILENAME if demo else DATABASE_FILENAME)


class Desk:
    def __init__(
        self,
        conn: sqlite3.Connection,
        *,
        default_country: str | None = None,
        operator: str = "",
        clock: Callable[[], float] = time.time,
        colleagues: ColleagueSource | None = None,
    ) -> None:
        self.conn = conn
        self.clock = clock
        self.history = HistoryTable(conn)
        migrate(conn, DESK_SCHEMA)
        self.dispositions = Dispositions(conn)
        self.wrapups = WrapUps(conn, self.dispositions, clock)
        self.contacts = ContactBook(conn, default_country=default_country, clock=clock)
        self.speed_dials = SpeedDials(conn)
        self.recent = Recent(conn, clock)
        self.directory = Directory(self.contacts, self.speed_dials, self.recent, colleagues)
        self.status = StatusModel(operator=operator, clock=clock, initial=self._saved_presence())
        self.status.subscribe(self._save_presence)

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        default_country: str | None = None,
        operator: str = "",
        clock: Callable[[], float] = time.time,
        colleagues: ColleagueSource | None = None,
    ) -> Desk:
        """Open (creating and migrating) the console database at ``path``."""
        conn = connect(path)
        try:
            return cls(
                conn,
                default_country=default_country,
                operator=operator,
                clock=clock,
                colleagues=colleagues,
            )
        except BaseException:
            conn.close()
            raise

    @classmethod
    def in_memory(cls, *, default_country: str | None = None, operator: str = "") -> Desk:
        """A desk that lasts as long as the process (no data folder, or it cannot be opened)."""
        conn = sqlite3.connect(":memory:", isolation_level=None)
        conn.execute("PRAGMA foreign_keys = ON")
        # What console.db.connect creates in a file: the table the migrations record into.
        conn.execute(
            "CREATE TABLE schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
        )
        return cls(conn, default_country=default_country, operator=operator)

    def close(self) -> None:
        self.conn.close()

    # --- settings -------------------------------------------------------------------------------

    def setting(self, key: str, default: str = "") -> str:
        row = self.conn.execute("SELECT value FROM desk_settings WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else default

    def set_setting(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO desk_settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    @property
    def wrap_up_secs(self) -> int:
        try:
            return max(0, int(self.setting("wrap_up_secs", str(DEFAULT_WRAP_UP_SECS))))
        except ValueError:
            return DEFAULT_WRAP_UP_SECS

    def set_wrap_up_secs(self, secs: int) -> None:
        if not 0 <= secs <= 3600:
            raise DeskError("The wrap-up timer is 0 (off) to 3600 seconds.")
        self.set_setting("wrap_up_secs", str(int(secs)))

    def _saved_presence(self) -> Presence | None:
        try:
            return Presence.from_dict(json.loads(self.setting("presence", "null")) or {})
        except (ValueError, DeskError):
            return None

    def _save_presence(self, presence: Presence) -> None:
        self.set_setting("presence", json.dumps(presence.as_dict()))

    # --- calls ----------------------------------------------------------------------------------

    def record_call(self, entry: CallHistoryEntry) -> None:
        """Write an ended call to the history (when the session does not do it itself)."""
        self.history.upsert([(entry, None)])

    def save_notes(self, entry: CallHistoryEntry, notes: str, tags: str = "") -> WrapUp:
        """Notes for a call (live or ended) without finishing its wrap-up."""
        return self.wrapups.save_notes(
            call_key(entry), notes, tags=tags, number=self._lookup(entry), started_at=_at(entry)
        )

    def complete_wrap_up(
        self, entry: CallHistoryEntry, disposition: str, notes: str = "", tags: str = ""
    ) -> WrapUp:
        wrapup = self.wrapups.complete(
            call_key(entry),
            disposition,
            notes,
            tags,
            number=self._lookup(entry),
            started_at=_at(entry),
        )
        self.status.end_wrap_up(wrapup.call_key)
        return wrapup

    def _lookup(self, entry: CallHistoryEntry) -> str | None:
        number = other_party(entry.direction, entry.from_number, entry.to_number)
        return lookup_key(number, self.contacts.default_country)

    # --- people ---------------------------------------------------------------------------------

    def name_for(self, number: str | None) -> str | None:
        contact = self.contacts.find_by_number(number) if number else None
        return contact.display_name if contact is not None else None

    def contact_from_call(self, entry: CallHistoryEntry, name: str = "") -> Contact:
        """A new contact card for the far end of a call (its caller name, else the number)."""
        number = other_party(entry.direction, entry.from_number, entry.to_number)
        if not number:
            raise DeskError("This call has no number to save.")
        return make_contact(
            name or entry.caller_name or number,
            [number],
            default_country=self.contacts.default_country,
        )

    def caller_context(
        self, number: str, *, now: datetime | None = None, exclude: Iterable[str] = ()
    ) -> CallerContext:
        moment = now or datetime.fromtimestamp(self.clock(), UTC)
        return caller_context(
            self.history,
            self.contacts,
            self.wrapups,
            number,
            now=moment,
            exclude=tuple(exclude),
        )

    def history_page(
        self,
        text: str | None = None,
        *,
        since: float | None = None,
        until: float | None = None,
        after: PageMark | None = None,
        limit: int = 200,
    ) -> list[CallHistoryEntry]:
        """A page of history as the history panel shows it, also matching notes and
        dispositions (the panel's own search box uses it once the workflow is installed)."""
        return history_page(
            self.conn, self.history, text, since=since, until=until, after=after, limit=limit
        )

    def search(self, text: str, *, limit: int = 50) -> SearchResults:
        return search_all(self.conn, self.history, self.contacts, self.wrapups, text, limit=limit)


def _at(entry: CallHistoryEntry) -> float | None:
    when = entry.when
    return when.timestamp() if when is not None else None
