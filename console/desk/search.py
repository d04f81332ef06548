"""One search over everything the desk knows: history, contacts, notes and dispositions.

Every part is an indexed query with a limit (the history's trigram index over parties and
ids and its index on each party's number, the desk's over contacts and wrap-ups), so the cost
does not grow with the tables; the parts are merged newest first, each call carrying its
wrap-up and the contact's name.
Live calls are matched from the store by :func:`match_live` (there are few of them).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from console.desk.contact_card import Contact
from console.desk.contacts import ContactBook
from console.desk.context import other_party
from console.desk.fts import wrapup_keys_matching
from console.desk.history_search import history_keys, load
from console.desk.numbers import digits
from console.desk.schema import MIN_INDEXED_TEXT
from console.desk.wrapups import WrapUp, WrapUps
from console.history import CallHistoryEntry, HistoryTable, call_key

#: A search matching this many contacts or fewer also lists their calls (by their numbers);
#: more is a broad text ("Lee"), whose calls the history part already finds by caller name.
CONTACT_CALLS = 3
NUMBERS_PER_CONTACT = 2


@dataclass(frozen=True)
class CallHit:
    entry: CallHistoryEntry
    wrapup: WrapUp | None = None
    contact_name: str | None = None

    @property
    def key(self) -> str:
        return call_key(self.entry)

    @property
    def number(self) -> str:
        e = self.entry
        return other_party(e.direction, e.from_number, e.to_number)


@dataclass(frozen=True)
class SearchResults:
    text: str
    calls: tuple[CallHit, ...]
    contacts: tuple[Contact, ...]

    def __bool__(self) -> bool:
        return bool(self.calls or self.contacts)


class LiveCall(Protocol):
    call_control_id: str
    from_number: str | None
    to_number: str | None
    caller_name: str | None


def match_live(
    calls: Iterable[LiveCall], text: str, name_of: Callable[[str], str | None]
) -> list[str]:
    """The ids of live calls whose number, caller name or contact name contain ``text``."""
    folded = " ".join(text.split()).casefold()
    typed = digits(text)
    if not folded:
        return []
    out = []
    for call in calls:
        words = [call.from_number or "", call.to_number or "", call.caller_name or ""]
        words += [name_of(n) or "" for n in (call.from_number, call.to_number) if n]
        if any(folded in w.casefold() for w in words) or (
            len(typed) >= 3 and any(typed in digits(n) for n in words[:2])
        ):
            out.append(call.call_control_id)
    return out


def wrapup_keys(conn: sqlite3.Connection, text: str, limit: int) -> list[str]:
    """Call keys whose notes, disposition or tags contain ``text`` (by index)."""
    if len(text) >= MIN_INDEXED_TEXT:
        return wrapup_keys_matching(conn, text, limit)
    # Too short for a trigram: only a whole disposition word this short is looked for.
    rows = conn.execute(
        "SELECT call_key FROM desk_wrapups WHERE disposition = ? COLLATE NOCASE "
        "ORDER BY started_at DESC LIMIT ?",
        (text, limit),
    )
    return [str(r[0]) for r in rows]


def search_all(
    conn: sqlite3.Connection,
    history: HistoryTable,
    contacts: ContactBook,
    wrapups: WrapUps,
    text: str,
    *,
    limit: int = 50,
) -> SearchResults:
    text = " ".join((text or "").split())
    if not text:
        return SearchResults(text, (), ())
    found_contacts = contacts.search(text, limit=limit)
    entries: dict[str, CallHistoryEntry] = {}
    for entry in load(history, history_keys(conn, text, limit=limit)):
        entries[call_key(entry)] = entry
    for key in wrapup_keys(conn, text, limit):
        if key not in entries:
            noted = history.get(key)
            if noted is not None:
                entries[key] = noted
    specific = found_contacts if len(found_contacts) <= CONTACT_CALLS else []
    for contact in specific:
        for number in [n for n in contact.numbers if n.e164][:NUMBERS_PER_CONTACT]:
            if number.e164:
                for key in history.keys_with_number(number.e164, limit=10):
                    if key not in entries:
                        theirs = history.get(key)
                        if theirs is not None:
                            entries[key] = theirs
    newest = sorted(
        entries.values(),
        key=lambda e: (e.when.timestamp() if e.when else 0.0, call_key(e)),
        reverse=True,
    )[:limit]
    notes = wrapups.for_keys(call_key(e) for e in newest)
    names = contacts.names_for(other_party(e.direction, e.from_number, e.to_number) for e in newest)
    hits = tuple(
        CallHit(
            e,
            notes.get(call_key(e)),
            names.get(other_party(e.direction, e.from_number, e.to_number)),
        )
        for e in newest
    )
    return SearchResults(text, hits, tuple(found_contacts))
