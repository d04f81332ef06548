"""Call history folded from a real journal: order, duplicates, search, CSV export."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from console.events.journal import Journal
from console.events.models import parse_envelope
from console.history import CSV_COLUMNS, build_history, export_csv, safe_cell, search_history

T0 = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


class Phone:
    """Writes Telnyx-shaped webhooks for one journal, each 'received' a second after it happened."""

    def __init__(self, journal: Journal):
        self.journal = journal

    def deliver(
        self,
        event_type: str,
        payload: dict,
        at: datetime,
        *,
        event_id: str | None = None,
        in_payload: bool = False,
        received: datetime | None = None,
    ) -> str:
        event_id = event_id or str(uuid.uuid4())
        data = {"record_type": "event", "event_type": event_type, "id": event_id}
        payload = dict(payload)
        if in_payload:
            payload["occurred_at"] = iso(at)
        else:
            data["occurred_at"] = iso(at)
        data["payload"] = payload
        raw = json.dumps({"data": data, "meta": {"attempt": 1, "delivered_to": "https://x/w"}})
        received_at = (received or at + timedelta(seconds=1)).timestamp()
        self.journal.append(parse_envelope(raw), raw, received_at)
        return event_id

    @staticmethod
    def ids(ccid: str, session: str | None = None) -> dict:
        return {
            "call_control_id": ccid,
            "call_leg_id": f"leg-{ccid}",
            "call_session_id": session or f"session-{ccid}",
            "connection_id": "2000000000000000001",
        }

    def call(
        self,
        ccid,
        start,
        *,
        frm="+13125550100",
        to="+13125550199",
        answered=5,
        talk=60,
        cause="normal_clearing",
        source="caller",
        direction="incoming",
        session=None,
        name="Ada Lovelace",
        record=False,
    ):
        ids = self.ids(ccid, session)
        parties = {"from": frm, "to": to}
        self.deliver(
            "call.initiated",
            {
                **ids,
                **parties,
                "direction": direction,
                "state": "parked",
                "caller_id_name": name,
                "start_time": iso(start),
            },
            start,
        )
        end = start + timedelta(seconds=answered or 20)
        if answered is not None:
            self.deliver(
                "call.answered",
                {**ids, **parties, "state": "answered"},
                start + timedelta(seconds=answered),
            )
            end = start + timedelta(seconds=answered + talk)
        self.deliver(
            "call.hangup",
            {
                **ids,
                **parties,
                "hangup_cause": cause,
                "hangup_source": source,
                "sip_hangup_cause": "200",
                "start_time": iso(start),
            },
            end,
        )
        if record:
            # As in the spec: no call_control_id, no numbers.
            rec = {k: v for k, v in ids.items() if k != "call_control_id"}
            self.deliver(
                "call.recording.saved",
                {
                    **rec,
                    "channels": "single",
                    "recording_started_at": iso(start + timedelta(seconds=answered or 0)),
                    "recording_ended_at": iso(end),
                    "recording_urls": {
                        "wav": f"https://rec.test/{ccid}.wav",
                        "mp3": f"https://rec.test/{ccid}.mp3",
                    },
                },
                end + timedelta(seconds=2),
            )
        return end


@pytest.fixture
def journal(tmp_path):
    with Journal(tmp_path / "events.sqlite3") as j:
        yield j


@pytest.fixture
def phone(journal):
    return Phone(journal)


def all_records(journal):
    return list(journal.replay_records())


def test_one_answered_call_with_recording(journal, phone):
    phone.call("v3:a", T0, record=True)
    [entry] = build_history(all_records(journal))
    assert entry.call_control_id == "v3:a"
    assert entry.call_leg_id == "leg-v3:a"
    assert entry.call_session_id == "session-v3:a"
    assert (entry.direction, entry.from_number, entry.to_number) == (
        "incoming",
        "+13125550100",
        "+13125550199",
    )
    assert entry.caller_name == "Ada Lovelace"
    assert entry.started_at == T0
    assert entry.answered_at == T0 + timedelta(seconds=5)
    assert entry.ended_at == T0 + timedelta(seconds=65)
    assert entry.duration_secs == 60
    assert (entry.hangup_cause, entry.hangup_source) == ("normal_clearing", "caller")
    assert entry.recording_urls == ("https://rec.test/v3:a.wav", "https://rec.test/v3:a.mp3")
    assert entry.recording_count == 1


def test_unanswered_call_has_no_duration(journal, phone):
    phone.call("v3:b", T0, answered=None, cause="timeout", source="unknown")
    [entry] = build_history(all_records(journal))
    assert entry.answered_at is None
    assert entry.duration_secs is None
    assert entry.hangup_cause == "timeout"
    assert entry.ended


def test_out_of_order_arrival_is_folded_by_occurred_at(journal, phone):
    ids = phone.ids("v3:c")
    # Hangup arrives first, then a late answered, then the initiated.
    phone.deliver(
        "call.hangup", {**ids, "hangup_cause": "normal_clearing"}, T0 + timedelta(seconds=30)
    )
    phone.deliver(
        "call.answered", {**ids, "from": "+1555", "to": "+1666"}, T0 + timedelta(seconds=10)
    )
    phone.deliver(
        "call.initiated",
        {**ids, "from": "+1555", "to": "+1666", "direction": "outgoing"},
        T0,
    )
    [entry] = build_history(all_records(journal))
    assert entry.started_at == T0
    assert entry.answered_at == T0 + timedelta(seconds=10)
    assert entry.ended_at == T0 + timedelta(seconds=30)
    assert entry.direction == "outgoing"
    assert entry.from_number == "+1555"


def test_duplicates_count_once_and_repeated_hangup_keeps_the_first(journal, phone):
    phone.call("v3:d", T0)
    records = all_records(journal)
    ids = phone.ids("v3:d")
    later = T0 + timedelta(seconds=500)
    phone.deliver("call.hangup", {**ids, "hangup_cause": "call_rejected"}, later)
    extra = all_records(journal)[-1]
    # The same records twice (a redelivery the journal stored once, a caller's double read).
    entries = build_history([*records, *records, extra, extra])
    assert len(entries) == 1
    assert entries[0].hangup_cause == "normal_clearing"
    assert entries[0].ended_at == T0 + timedelta(seconds=65)


def test_recording_before_its_leg_is_known_is_still_attached(journal, phone):
    ids = phone.ids("v3:e")
    rec = {k: v for k, v in ids.items() if k != "call_control_id"}
    phone.deliver(
        "call.recording.saved",
        {**rec, "recording_urls": {"wav": "https://rec.test/e.wav"}},
        T0 + timedelta(seconds=90),
        received=T0,
    )
    phone.call("v3:e", T0)
    [entry] = build_history(all_records(journal))
    assert entry.call_control_id == "v3:e"
    assert entry.recording_urls == ("https://rec.test/e.wav",)


def test_conference_and_queue_names_seen(journal, phone):
    ids = phone.ids("v3:f")
    phone.deliver("call.initiated", {**ids, "direction": "incoming"}, T0)
    phone.deliver("call.enqueued", {**ids, "queue": "support", "current_position": 1}, T0)
    phone.deliver("call.dequeued", {**ids, "queue": "support", "reason": "bridged"}, T0)
    phone.deliver(
        "conference.participant.joined",
        {**ids, "conference_id": "conf-1"},
        T0 + timedelta(seconds=3),
        in_payload=True,
    )
    [entry] = build_history(all_records(journal))
    assert entry.queue_names == ("support",)
    assert entry.conference_ids == ("conf-1",)
    assert not entry.ended


def test_conference_only_events_make_no_rows(journal, phone):
    phone.deliver(
        "conference.recording.saved",
        {"conference_id": "conf-2", "recording_urls": {"wav": "https://rec.test/c.wav"}},
        T0,
        in_payload=True,
    )
    assert build_history(all_records(journal)) == []


def test_search_by_number_finds_calls_with_their_recordings(journal, phone):
    phone.call("v3:g", T0, frm="+13125550111", record=True)
    phone.call("v3:h", T0 + timedelta(minutes=5), frm="+14155550122")
    [entry] = search_history(journal, "(312) 555-0111")
    assert entry.call_control_id == "v3:g"
    # The recording event carries no number, yet the search completes the call with it.
    assert entry.recording_urls
    assert [e.call_control_id for e in search_history(journal, "555")] == ["v3:h", "v3:g"]
    assert search_history(journal, "+4420") == []


def test_search_by_any_id(journal, phone):
    phone.call("v3:i", T0, session="shared")
    phone.call("v3:j", T0 + timedelta(seconds=1), session="shared")
    phone.call("v3:k", T0 + timedelta(seconds=2))
    assert [e.call_control_id for e in search_history(journal, "v3:i")] == ["v3:i"]
    assert [e.call_control_id for e in search_history(journal, "leg-v3:k")] == ["v3:k"]
    assert [e.call_control_id for e in search_history(journal, " shared ")] == ["v3:j", "v3:i"]


def test_search_by_received_time_range_completes_calls(journal, phone):
    phone.call("v3:old", T0 - timedelta(days=2))
    end = phone.call("v3:long", T0 - timedelta(hours=1), talk=7200)  # ends inside the range
    phone.call("v3:new", T0 + timedelta(hours=3))
    entries = search_history(journal, since=T0, until=T0 + timedelta(hours=2))
    assert [e.call_control_id for e in entries] == ["v3:long"]
    # Its start lies before the range, but the entry is complete.
    assert entries[0].started_at == T0 - timedelta(hours=1)
    assert entries[0].ended_at == end
    assert search_history(journal, since=T0.timestamp() + 86400) == []


def test_search_limit_keeps_the_newest_calls(journal, phone):
    for n in range(6):
        phone.call(f"v3:n{n}", T0 + timedelta(minutes=n))
    assert [e.call_control_id for e in search_history(journal, limit=2)] == ["v3:n5", "v3:n4"]
    # Even when the raw row limit cuts a call in half, what is shown is whole.
    [entry] = search_history(journal, limit=1, max_records=1)
    assert entry.call_control_id == "v3:n5"
    assert entry.started_at is not None and entry.answered_at is not None


def test_csv_export_header_times_and_rows(journal, phone, tmp_path):
    phone.call("v3:a", T0, record=True, name="Zoë Ørsted")
    phone.call("v3:b", T0 + timedelta(minutes=1), answered=None, cause="user_busy")
    entries = search_history(journal)
    path = tmp_path / "history.csv"
    assert export_csv(entries, path) == 2
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0].keys()) == list(CSV_COLUMNS)
    newest, oldest = rows
    assert newest["call_control_id"] == "v3:b"
    assert newest["duration_secs"] == ""
    assert newest["hangup_cause"] == "user_busy"
    assert oldest["caller_name"] == "Zoë Ørsted"
    assert oldest["started_at"] == "2026-03-02T09:00:00.000Z"
    assert oldest["answered_at"] == "2026-03-02T09:00:05.000Z"
    assert oldest["duration_secs"] == "60"
    assert oldest["recording_urls"].split() == [
        "https://rec.test/v3:a.wav",
        "https://rec.test/v3:a.mp3",
    ]
    # E.164 numbers start with '+': quoted so a spreadsheet keeps them as text.
    assert oldest["from"] == "'+13125550100"
    assert not list(tmp_path.glob(".history.csv.*"))  # no temporary file left behind


def test_csv_export_guards_against_formula_injection(journal, phone):
    phone.call(
        "v3:evil",
        T0,
        frm='=HYPERLINK("http://x","y")',
        to="@SUM(1+1)",
        name="-2+3",
    )
    buffer = io.StringIO()
    export_csv(search_history(journal), buffer)
    [row] = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert row["from"] == '\'=HYPERLINK("http://x","y")'
    assert row["to"] == "'@SUM(1+1)"
    assert row["caller_name"] == "'-2+3"
    for value in row.values():
        assert not value.startswith(("=", "+", "-", "@"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+1312", "'+1312"),
        ("-5", "'-5"),
        ("@x", "'@x"),
        ("\tcmd", "'\tcmd"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        (None, ""),
        (42, "42"),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_empty_export_still_has_a_header(tmp_path):
    path = tmp_path / "empty.csv"
    assert export_csv([], path) == 0
    assert path.read_text(encoding="utf-8-sig").splitlines() == [",".join(CSV_COLUMNS)]
