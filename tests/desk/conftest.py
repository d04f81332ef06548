"""A real desk on a real SQLite console database in the test's folder, with a hand clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from console.desk import Desk
from console.history import CallHistoryEntry

#: A Wednesday afternoon (UTC); tests that count "this week" move from here.
NOW = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)


class Clock:
    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, secs: float) -> None:
        self.now += secs


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW.timestamp())


@pytest.fixture
def desk(tmp_path, clock):
    d = Desk.open(tmp_path / "console.sqlite3", default_country="US", clock=clock)
    yield d
    d.close()


def call(
    ccid: str,
    *,
    number: str = "+13125550142",
    direction: str = "incoming",
    ago: timedelta = timedelta(hours=1),
    name: str | None = None,
    answered: bool = True,
) -> CallHistoryEntry:
    """An ended call with ``number`` at the far end, ``ago`` before NOW."""
    start = NOW - ago
    ours = "+13125550199"
    return CallHistoryEntry(
        call_control_id=ccid,
        call_leg_id=f"leg-{ccid}",
        call_session_id=f"session-{ccid}",
        direction=direction,
        from_number=number if direction == "incoming" else ours,
        to_number=ours if direction == "incoming" else number,
        caller_name=name,
        started_at=start,
        answered_at=start + timedelta(seconds=5) if answered else None,
        ended_at=start + timedelta(minutes=3),
        hangup_cause="normal_clearing",
        hangup_source="caller",
    )
