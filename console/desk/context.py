"""Caller context: who is calling, their last calls with dispositions and notes, how often.

Built for the selected call from the contact book, the history table and the wrap-ups: a
number's calls are found through the history's indexes on each party's number, newest first,
so a ringing call costs a few index probes whatever the table's size or the caller's habits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from console.desk.contact_card import Contact
from console.desk.contacts import ContactBook
from console.desk.history_search import load
from console.desk.numbers import lookup_key
from console.desk.wrapups import WrapUp, WrapUps
from console.history import CallHistoryEntry, HistoryTable, call_key

RECENT_CALLS = 5


def other_party(direction: str | None, from_number: str | None, to_number: str | None) -> str:
    """The number at the far end: the caller of an incoming call, the callee of an outgoing."""
    if direction == "outgoing":
        return to_number or ""
    return from_number or ""


@dataclass(frozen=True)
class PastCall:
    entry: CallHistoryEntry
    wrapup: WrapUp | None

    @property
    def key(self) -> str:
        return call_key(self.entry)


@dataclass(frozen=True)
class CallerContext:
    number: str
    contact: Contact | None
    recent: tuple[PastCall, ...]
    calls_today: int
    calls_this_week: int

    @property
    def last_disposition(self) -> str | None:
        for past in self.recent:
            if past.wrapup is not None and past.wrapup.disposition:
                return past.wrapup.disposition
        return None

    def headline(self, *, live: bool = True) -> str:
        """``Third call this week, last: Call back`` (counting the live call when ``live``)."""
        week = self.calls_this_week + (1 if live else 0)
        today = self.calls_today + (1 if live else 0)
        if week <= (1 if live else 0):
            words = "First call this week" if live else "No calls this week"
        else:
            words = f"{_ordinal(week).capitalize()} call this week" if live else f"{week} calls"
            if today > 1:
                words += f" ({today} today)"
        last = self.last_disposition
        return f"{words}, last: {last}" if last else words


_ORDINALS = ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh"]


def _ordinal(n: int) -> str:
    if n < len(_ORDINALS):
        return _ORDINALS[n]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def week_start(now: datetime) -> datetime:
    """Local midnight of the Monday of ``now``'s week."""
    local = now.astimezone()
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight - timedelta(days=local.weekday())


def caller_context(
    history: HistoryTable,
    contacts: ContactBook,
    wrapups: WrapUps,
    number: str,
    *,
    now: datetime,
    exclude: Sequence[str] = (),
) -> CallerContext:
    """The context of ``number`` (as the call carries it) at ``now``; ``exclude`` leaves out
    call keys (the live call itself, once its row exists)."""
    contact = contacts.find_by_number(number)
    key = lookup_key(number, contacts.default_country) or number
    numbers = list(dict.fromkeys(n for n in (number, key) if n))
    entries: dict[str, CallHistoryEntry] = {}
    for n in numbers:
        for entry in load(history, history.keys_with_number(n, limit=RECENT_CALLS + len(exclude))):
            entries.setdefault(call_key(entry), entry)
    for skip in exclude:
        entries.pop(skip, None)
    newest = sorted(
        entries.values(), key=lambda e: e.when.timestamp() if e.when else 0.0, reverse=True
    )[:RECENT_CALLS]
    found = wrapups.for_keys(call_key(e) for e in newest)
    today = now.astimezone().replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
    week = week_start(now).timestamp()
    counts_today = sum(history.count_with_number(n, since=today) for n in numbers)
    counts_week = sum(history.count_with_number(n, since=week) for n in numbers)
    for skip in exclude:  # the live call, once written, is not one of "their other calls"
        row = history.get(skip)
        when = row.when.timestamp() if row is not None and row.when else None
        if when is not None and when >= week:
            counts_week -= 1
            if when >= today:
                counts_today -= 1
    return CallerContext(
        number=number,
        contact=contact,
        recent=tuple(PastCall(e, found.get(call_key(e))) for e in newest),
        calls_today=max(0, counts_today),
        calls_this_week=max(0, counts_week),
    )
