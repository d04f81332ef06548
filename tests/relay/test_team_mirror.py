"""The team stream mirror: records into the console journal once each, the cursor beside them."""

from __future__ import annotations

import subprocess
import sys

import pytest

from console.config import Settings
from console.events.journal import Journal, JournalRecord
from console.events.models import parse_envelope
from console.relay.stream import RECEIVED_AT_HEADER, record_from_message
from console.team.mirror import StreamMirror
from console.team.mode import team_restart_notes
from tests.relay.helpers import event_body

pytestmark = pytest.mark.anyio


def stream_records(first_seq: int, bodies: list[str]) -> list[JournalRecord]:
    """Records as the JetStream source hands them over (``seq`` is the stream's)."""
    headers = {RECEIVED_AT_HEADER: "1700000000.0"}
    return [
        record_from_message(first_seq + i, body.encode(), headers) for i, body in enumerate(bodies)
    ]


async def test_a_record_read_twice_is_stored_once_and_the_cursor_survives(tmp_path):
    journal, database = tmp_path / "events.sqlite3", tmp_path / "console.sqlite3"
    committed: list[int] = []
    mirror = StreamMirror(journal, database, "TELNYX_EVENTS", committed=committed.append)
    assert await mirror.open() == 0
    bodies = [event_body() for _ in range(3)]
    mirror.deliver(stream_records(1, bodies))
    await mirror.drain()
    # The broker lost its store and the relay republished: the same events, new sequences.
    mirror.deliver(stream_records(1, bodies[:2]))
    mirror.deliver(stream_records(3, [bodies[2], new := event_body()]))
    await mirror.drain()
    await mirror.close()
    assert mirror.copied == 4 and mirror.duplicates == 3
    # The tail is woken for batches with new rows only (journal seqs may skip: AUTOINCREMENT).
    assert len(committed) == 2 and committed[0] == 3 and committed[1] > 3
    with Journal(journal, readonly=True) as stored:
        assert stored.count() == 4
        assert stored.get(parse_envelope(new).data.id) is not None
    again = StreamMirror(journal, database, "TELNYX_EVENTS", committed=committed.append)
    assert await again.open() == 4  # the stream cursor, from the console database
    await again.close()


def test_team_settings_changes_say_a_restart_is_needed():
    solo = Settings()
    team = Settings(mode="team", broker_url="nats://b:4222", operator_name="Alex")
    assert team_restart_notes(solo, team, False, False) == [
        "Restart the console to switch to a team, through the relay."
    ]
    assert team_restart_notes(team, solo, False, False) == [
        "Restart the console to switch to solo mode."
    ]
    renamed = team.model_copy(update={"operator_name": "Alex S"})
    assert team_restart_notes(team, renamed, False, False) == [
        "Restart the console to use the new team settings."
    ]
    assert team_restart_notes(team, team, False, True) == [
        "Restart the console to use the new team settings."
    ]
    assert team_restart_notes(solo, solo.model_copy(update={"theme": "dark"}), False, False) == []


def test_a_solo_session_never_imports_the_broker_client():
    code = "import sys, console.session; print('nats' in sys.modules, 'aiohttp' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]  # team mode imports them when it starts
