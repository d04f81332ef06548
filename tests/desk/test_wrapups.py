"""Dispositions (editable list) and wrap-ups (disposition, notes, tags per call)."""

from __future__ import annotations

import pytest

from console.db import connect
from console.desk import Desk, DeskError, Status, parse_tags
from console.desk.schema import DEFAULT_DISPOSITIONS
from console.history.table import HISTORY_SCHEMA
from tests.desk.conftest import call


def test_default_dispositions_and_editing(desk):
    d = desk.dispositions
    assert d.names() == list(DEFAULT_DISPOSITIONS)
    d.add("Sale")
    with pytest.raises(DeskError, match="already"):
        d.add("sale")
    with pytest.raises(DeskError, match="needs a name"):
        d.add("   ")
    d.remove("Spam")
    assert "Spam" not in d.names()
    assert d.canonical("spam") == "Spam"  # retired, still known for old calls
    assert d.add("SPAM") == "Spam"  # brought back
    assert d.set_order(["Sale", "Resolved"]) == ["Sale", "Resolved"]
    with pytest.raises(DeskError, match="twice"):
        d.set_order(["A", "a"])


def test_notes_during_the_call_then_wrap_up_with_a_disposition(desk):
    entry = call("v3:a")
    draft = desk.save_notes(entry, "asked about invoice 4411", tags="billing")
    assert not draft.done and draft.disposition is None and draft.tags == ("billing",)
    done = desk.complete_wrap_up(entry, "call back", draft.notes + "\nring Friday", "billing, VIP")
    assert done.done and done.disposition == "Call back"  # the list's spelling
    assert done.tags == ("billing", "vip")
    assert done.number == "+13125550142"
    assert desk.wrapups.get("v3:a") == done
    assert done.summary == "Call back — asked about invoice 4411"


def test_a_disposition_not_in_the_list_is_refused_and_nothing_is_lost(desk):
    entry = call("v3:a")
    desk.save_notes(entry, "keep me")
    with pytest.raises(DeskError, match="Choose a disposition"):
        desk.complete_wrap_up(entry, "", "keep me")
    with pytest.raises(DeskError, match="“Sold” is not one"):
        desk.complete_wrap_up(entry, "Sold", "keep me")
    assert desk.wrapups.get("v3:a").notes == "keep me"


def test_finishing_the_wrap_up_ends_wrap_up_status(desk):
    entry = call("v3:a")
    desk.status.begin_wrap_up("v3:a", 60)
    desk.complete_wrap_up(entry, "Resolved")
    assert desk.status.status is Status.AVAILABLE


def test_renaming_a_disposition_renames_it_on_past_calls_and_in_search(desk):
    desk.record_call(call("v3:a"))
    desk.complete_wrap_up(call("v3:a"), "Escalated")
    desk.dispositions.rename("escalated", "Sent to tier 2")
    assert desk.wrapups.get("v3:a").disposition == "Sent to tier 2"
    assert [h.key for h in desk.search("tier 2").calls] == ["v3:a"]
    assert desk.search("escalated").calls == ()


def test_tags_are_cleaned():
    assert parse_tags("VIP, #billing  vip ,") == ("vip", "billing")
    with pytest.raises(DeskError):
        parse_tags("x" * 31)


def test_migrations_are_recorded_and_rerun_safely(tmp_path, clock):
    path = tmp_path / "console.sqlite3"
    Desk.open(path, clock=clock).close()
    conn = connect(path)
    versions = dict(conn.execute("SELECT component, version FROM schema_versions"))
    assert versions == {"history": HISTORY_SCHEMA.version, "desk": 1}
    conn.close()
    desk = Desk.open(path, clock=clock)  # a second open migrates nothing and keeps the rows
    assert desk.dispositions.names() == list(DEFAULT_DISPOSITIONS)
    desk.close()
