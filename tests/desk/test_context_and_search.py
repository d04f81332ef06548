"""Caller context, the transfer directory and speed dials, one search, history CSV export."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import time
from datetime import timedelta

import pytest

from console.desk import DeskError, Kind, make_contact, match_live
from console.history import CSV_COLUMNS
from tests.desk.conftest import NOW, call


@pytest.fixture(autouse=True)
def _utc(monkeypatch):
    """ "Today" and "this week" are the operator's local days: pin them to UTC here."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _calls(desk):
    """Pat called three times this week (twice today), once last week; Sam once today."""
    entries = [
        call("v3:p1", ago=timedelta(hours=1)),
        call("v3:p2", ago=timedelta(hours=3)),
        call("v3:p3", ago=timedelta(days=2)),  # Monday: still this week
        call("v3:p4", ago=timedelta(days=6)),  # last week
        call("v3:s1", number="+13125550155", ago=timedelta(hours=2)),
        call("v3:o1", direction="outgoing", ago=timedelta(minutes=30)),
    ]
    for entry in entries:
        desk.record_call(entry)
    return {call_key: e for e in entries for call_key in [e.call_control_id]}


def test_caller_context_counts_and_last_disposition(desk):
    calls = _calls(desk)
    desk.contacts.add(make_contact("Pat Lee", ["(312) 555-0142"], default_country="US"))
    desk.complete_wrap_up(calls["v3:p1"], "Call back", "wants a refund")
    desk.complete_wrap_up(calls["v3:p2"], "Resolved")
    context = desk.caller_context("+13125550142", now=NOW)
    assert context.contact.name == "Pat Lee"
    assert [p.key for p in context.recent] == ["v3:o1", "v3:p1", "v3:p2", "v3:p3", "v3:p4"]
    assert context.recent[1].wrapup.notes == "wants a refund"
    assert (context.calls_today, context.calls_this_week) == (3, 4)  # incl. the outgoing one
    assert context.last_disposition == "Call back"
    assert context.headline() == "Fifth call this week (4 today), last: Call back"


def test_caller_context_leaves_the_live_call_out(desk):
    calls = _calls(desk)
    context = desk.caller_context("+13125550155", now=NOW, exclude=["v3:s1"])
    assert context.recent == () and context.calls_this_week == 0
    assert context.contact is None
    assert context.headline() == "First call this week"
    assert calls["v3:s1"].from_number == "+13125550155"


def test_speed_dials_and_recent_numbers(desk):
    dial = desk.speed_dials.set(10, "+13125550100", "Support line")
    assert dial.key == "Alt+0"
    desk.speed_dials.set(1, "+13125550101")
    assert [d.slot for d in desk.speed_dials.all()] == [1, 10]
    with pytest.raises(DeskError, match="1 to 10"):
        desk.speed_dials.set(11, "+1")
    desk.speed_dials.clear(1)
    assert desk.speed_dials.get(1) is None
    for n in ("+13125550170", "+13125550171", "+13125550170"):
        desk.recent.note(n)
    assert desk.recent.numbers() == ["+13125550170", "+13125550171"]


def test_directory_offers_speed_dials_favourites_contacts_and_recent(desk):
    desk.speed_dials.set(1, "+13125550100", "Support")
    pat = desk.contacts.add(make_contact("Pat Lee", ["+13125550142"], organisation="Acme"))
    desk.contacts.set_favourite(pat.contact.id, True)
    desk.contacts.add(make_contact("Sam Roe", ["+13125550155"], notes="night shift"))
    desk.recent.note("+13125550177")
    desk.recent.note("+13125550142")  # a favourite's number: listed once, as the favourite
    entries = desk.directory.entries()
    assert [(e.kind, e.number) for e in entries] == [
        (Kind.SPEED_DIAL, "+13125550100"),
        (Kind.FAVOURITE, "+13125550142"),
        (Kind.CONTACT, "+13125550155"),
        (Kind.RECENT, "+13125550177"),
    ]
    assert [e.label for e in desk.directory.entries("acme")] == ["Pat Lee"]
    assert [e.label for e in desk.directory.entries("night")] == ["Sam Roe"]  # by its notes
    assert [e.number for e in desk.directory.entries("555 0177")] == ["+13125550177"]
    assert desk.directory.entries("nobody") == []


def test_one_search_finds_calls_by_note_disposition_number_and_contact_name(desk):
    calls = _calls(desk)
    desk.contacts.add(make_contact("Sam Roe", ["+13125550155"], organisation="Globex"))
    desk.complete_wrap_up(calls["v3:p3"], "Escalated", "Router keeps rebooting", "hardware")
    by_note = desk.search("keeps reboot")
    assert [h.key for h in by_note.calls] == ["v3:p3"]
    assert by_note.calls[0].wrapup.disposition == "Escalated"
    assert [h.key for h in desk.search("escalated").calls] == ["v3:p3"]
    assert [h.key for h in desk.search("hardware").calls] == ["v3:p3"]
    by_name = desk.search("Globex")
    assert [c.name for c in by_name.contacts] == ["Sam Roe"]
    assert [h.key for h in by_name.calls] == ["v3:s1"]
    assert by_name.calls[0].contact_name == "Sam Roe (Globex)"
    by_number = desk.search("555-0155")
    assert [h.key for h in by_number.calls] == ["v3:s1"]
    assert not desk.search("   ")


def test_live_calls_match_by_number_caller_name_or_contact():
    class Live:
        def __init__(self, ccid, from_, name=None):
            self.call_control_id, self.from_number, self.to_number = ccid, from_, "+13125550199"
            self.caller_name = name

    calls = [Live("a", "+13125550142", "PAT CALLER"), Live("b", "+13125550155")]
    names = {"+13125550155": "Sam Roe"}.get
    assert match_live(calls, "pat", names) == ["a"]
    assert match_live(calls, "sam", names) == ["b"]
    assert match_live(calls, "555 0142", names) == ["a"]
    assert match_live(calls, "", names) == []


def test_history_export_carries_dispositions_notes_and_contact(desk, tmp_path):
    calls = _calls(desk)
    desk.contacts.add(make_contact("Pat Lee", ["+13125550142"]))
    desk.complete_wrap_up(calls["v3:p1"], "Call back", "=cmd|' /C calc'!A0", "vip")
    path = tmp_path / "history.csv"
    from console.desk.history_export import DESK_COLUMNS, export_history

    assert export_history(desk.history, desk.wrapups, desk.contacts, path) == 6
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert list(rows[0]) == [*CSV_COLUMNS, *DESK_COLUMNS]
    row = next(r for r in rows if r["call_control_id"] == "v3:p1")
    assert (row["contact"], row["disposition"], row["tags"]) == ("Pat Lee", "Call back", "vip")
    assert row["notes"].startswith("'=")  # a spreadsheet shows it, never runs it
    assert next(r for r in rows if r["call_control_id"] == "v3:s1")["disposition"] == ""


def test_the_desk_imports_no_qt():
    code = (
        "import sys, importlib, pkgutil, console.desk as d\n"
        "for i in pkgutil.walk_packages(d.__path__, 'console.desk.'):\n"
        "    importlib.import_module(i.name)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'qasync')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("broad", [1000, 2])
def test_history_part_of_the_search_is_newest_first_whether_narrow_or_broad(
    desk, monkeypatch, broad
):
    from console.desk import history_search

    monkeypatch.setattr(history_search, "BROAD", broad)  # 2: the walk over the newest rows
    _calls(desk)
    keys = [h.key for h in desk.search("+1312555", limit=3).calls]
    assert keys == ["v3:o1", "v3:p1", "v3:s1"]
    assert [h.key for h in desk.search("session-v3:p2").calls] == ["v3:p2"]  # an id
    assert [h.key for h in desk.search("31").calls][:2] == ["v3:o1", "v3:p1"]  # too short


@pytest.mark.parametrize("broad", [1000, 2])
def test_the_history_panels_page_finds_notes_and_dispositions_and_pages_right(
    desk, monkeypatch, broad
):
    from console.desk import history_search
    from console.history import mark_of

    monkeypatch.setattr(history_search, "BROAD", broad)  # 2: the walk over the newest rows
    entries = [call(f"v3:n{i}", ago=timedelta(minutes=10 * i)) for i in range(7)]
    for entry in entries:
        desk.record_call(entry)
    # Notes on the even calls, a disposition on one odd; the number matches all seven.
    for entry in entries[0::2]:
        desk.complete_wrap_up(entry, "Resolved", "printer jam again", "")
    desk.complete_wrap_up(entries[3], "Spam", "", "")
    keys = [e.call_control_id for e in desk.history_page("printer jam")]
    assert keys == ["v3:n0", "v3:n2", "v3:n4", "v3:n6"]  # newest first, like the panel
    assert [e.call_control_id for e in desk.history_page("spam")] == ["v3:n3"]
    # A page of two, then the next ones after its last row: every match once, in order.
    seen, after = [], None
    while page := desk.history_page("printer", limit=2, after=after):
        seen += [e.call_control_id for e in page]
        after = mark_of(page[-1])
    assert seen == ["v3:n0", "v3:n2", "v3:n4", "v3:n6"]
    # Notes and numbers together: the union, newest first, paged by the same mark.
    both = [e.call_control_id for e in desk.history_page("555", limit=3)]
    assert both == ["v3:n0", "v3:n1", "v3:n2"]
    # The date range narrows note matches as it narrows the rest.
    since = (NOW - timedelta(minutes=35)).timestamp()
    in_range = desk.history_page("printer jam", since=since)
    assert [e.call_control_id for e in in_range] == ["v3:n0", "v3:n2"]
    assert desk.history_page("nothing like this") == []
    assert [e.call_control_id for e in desk.history_page("session-v3:n5")] == ["v3:n5"]  # an id
    assert len(desk.history_page("")) == 7  # no text: every call, as the table pages them
