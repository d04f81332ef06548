"""The recordings table's rows and Qt model: what a saved recording is shown as, newest first.

Kept apart from the panel (``recordings_panel.py``), which holds the widgets and the actions on
a row, and from the download (``recording_download.py``): the model only knows rows, their
order and their words, so it can be read and tested without a window or a network.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from console.state.entities import Call, Conference, Recording
from console.ui import formatting as fmt

COLUMNS = ("Time", "Call / conference", "Duration", "Format", "Link")
COL_TIME, COL_OWNER, COL_DURATION, COL_FORMAT, COL_URL = range(len(COLUMNS))
ROW_ROLE = Qt.ItemDataRole.UserRole + 1

#: recording_urls are signed links valid this long after the event (API-NOTES §4.3).
LINK_LIFETIME = timedelta(minutes=10)


@dataclass(frozen=True)
class RecordingRow:
    """One saved recording and what it belongs to (a call leg or a conference)."""

    key: str
    recording: Recording
    kind: str  # "call" | "conference"
    owner_id: str
    label: str

    @property
    def url(self) -> str | None:
        return self.recording.url

    @property
    def when(self) -> datetime | None:
        return fmt.as_aware(self.recording.started_at or self.recording.ended_at)

    @property
    def duration_secs(self) -> float | None:
        return fmt.seconds_between(self.recording.started_at, self.recording.ended_at)

    @property
    def formats(self) -> list[str]:
        found = [("WAV", self.recording.wav_url), ("MP3", self.recording.mp3_url)]
        return [name for name, url in found if url]

    def url_for(self, path: str | Path) -> str | None:
        """The link whose format matches the file name chosen (else the default one)."""
        if str(path).lower().endswith(".mp3") and self.recording.mp3_url:
            return self.recording.mp3_url
        if str(path).lower().endswith(".wav") and self.recording.wav_url:
            return self.recording.wav_url
        return self.url


def call_rows(ccid: str, call: Call) -> Iterator[RecordingRow]:
    """The rows of the recordings of one call leg."""
    for recording in call.recordings:
        key = _key(recording, "call", ccid)
        yield RecordingRow(key, recording, "call", ccid, _call_label(call))


def conference_rows(cid: str, conference: Conference) -> Iterator[RecordingRow]:
    """The rows of the recordings of one conference."""
    for recording in conference.recordings:
        key = _key(recording, "conference", cid)
        label = _conference_label(conference)
        yield RecordingRow(key, recording, "conference", cid, label)


def _key(recording: Recording, kind: str, owner_id: str) -> str:
    if recording.recording_id:
        return recording.recording_id
    # Telnyx omits recording_id in the spec schema: the link identifies the file instead.
    return f"{kind}:{owner_id}:{recording.url or recording.started_at}"


def _call_label(call: Call) -> str:
    return f"{fmt.party(call.from_number, call.caller_name)} → {call.to_number or 'unknown'}"


def _conference_label(conference: Conference) -> str:
    return f"Conference {conference.name or fmt.short_id(conference.conference_id)}"


def _sort_key(row: RecordingRow) -> tuple[float, str]:
    when = row.when
    return (-(when.timestamp() if when else float("-inf")), row.key)


class RecordingsModel(QAbstractTableModel):
    """Rows newest first; recordings are only added or relabelled, never dropped.

    The store forgets ended calls after a while; their recordings stay listed here.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[RecordingRow] = []
        self._sort_keys: list[tuple[float, str]] = []  # _sort_key of each row, kept in step
        self._keys: dict[str, RecordingRow] = {}

    def row(self, number: int) -> RecordingRow | None:
        return self.rows[number] if 0 <= number < len(self.rows) else None

    def row_of(self, key: str) -> int:
        """The row number of ``key`` (-1 if absent), by bisection: (time, key) is unique."""
        row = self._keys.get(key)
        if row is None:
            return -1
        at = bisect.bisect_left(self._sort_keys, _sort_key(row))
        return at if at < len(self.rows) and self.rows[at].key == key else -1

    def upsert(self, row: RecordingRow) -> None:
        """Insert or update ``row``: O(log n) to place it (thousands at start-up stay fast)."""
        old = self._keys.get(row.key)
        if old == row:
            return
        if old is not None:
            at = self.row_of(row.key)
            if _sort_key(old) == _sort_key(row):
                self.rows[at] = row
                self._keys[row.key] = row
                self.dataChanged.emit(self.index(at, 0), self.index(at, len(COLUMNS) - 1))
                return
            # Its time changed (a better report of the same recording): re-place it.
            self.beginRemoveRows(QModelIndex(), at, at)
            del self.rows[at], self._sort_keys[at]
            del self._keys[row.key]
            self.endRemoveRows()
        key = _sort_key(row)
        at = bisect.bisect_left(self._sort_keys, key)
        self.beginInsertRows(QModelIndex(), at, at)
        self.rows.insert(at, row)
        self._sort_keys.insert(at, key)
        self._keys[row.key] = row
        self.endInsertRows()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        row = self.row(index.row()) if index.isValid() else None
        if row is None:
            return None
        column = index.column()
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_TIME:
                when = row.when
                return "" if when is None else when.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            if column == COL_OWNER:
                return row.label
            if column == COL_DURATION:
                return fmt.format_duration(row.duration_secs)
            if column == COL_FORMAT:
                return " + ".join(row.formats) or "—"
            if column == COL_URL:
                return row.url or "(no link)"
            return ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        return None

    @staticmethod
    def _tooltip(row: RecordingRow, column: int) -> str:
        if column == COL_URL and row.url:
            lines = [row.url]
            ended = fmt.as_aware(row.recording.ended_at)
            if ended is not None:
                until = fmt.format_time(ended + LINK_LIFETIME)
                lines.append(f"The link works until about {until} (Telnyx links last 10 min).")
            return "\n".join(lines)
        if column == COL_OWNER:
            return f"{row.kind.capitalize()} id: {row.owner_id}"
        return ""
