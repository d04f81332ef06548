"""Call history as CSV: the columns, the row of one entry, and the file written atomically.

Separate from the folding (``entry``) because it is the one format that leaves the console:
spreadsheets open it, so every cell is guarded against running as a formula and a path is
written through a private temporary file renamed over it. The desk's exports
(``console/desk``) write their CSV files through :func:`write_private_atomically` too.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from console.history.entry import CallHistoryEntry
from console.state.timeline import aware

CSV_COLUMNS = (
    "call_control_id",
    "call_leg_id",
    "call_session_id",
    "direction",
    "from",
    "to",
    "caller_name",
    "started_at",
    "answered_at",
    "ended_at",
    "duration_secs",
    "hangup_cause",
    "hangup_source",
    "sip_hangup_cause",
    "recording_urls",
    "conference_ids",
    "queue_names",
)

# Spreadsheets run a cell starting with these as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _iso(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return aware(moment).astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def csv_row(entry: CallHistoryEntry) -> list[str]:
    duration = entry.duration_secs
    values = (
        entry.call_control_id,
        entry.call_leg_id,
        entry.call_session_id,
        entry.direction,
        entry.from_number,
        entry.to_number,
        entry.caller_name,
        _iso(entry.started_at or entry.first_seen_at),
        _iso(entry.answered_at),
        _iso(entry.ended_at),
        "" if duration is None else f"{duration:.0f}",
        entry.hangup_cause,
        entry.hangup_source,
        entry.sip_hangup_cause,
        " ".join(entry.recording_urls),
        " ".join(entry.conference_ids),
        " ".join(entry.queue_names),
    )
    return [safe_cell(v) for v in values]


def _write(entries: Sequence[CallHistoryEntry], handle: IO[str]) -> int:
    writer = csv.writer(handle, lineterminator="\r\n")  # RFC 4180, what spreadsheets expect
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        writer.writerow(csv_row(entry))
    return len(entries)


def export_csv(
    entries: Iterable[CallHistoryEntry], file_or_path: str | os.PathLike[str] | IO[str]
) -> int:
    """Write ``entries`` as CSV (header row, ISO-8601 UTC times); returns the number of rows.

    A path is written atomically (a temporary file renamed over it), in UTF-8 with a BOM so
    spreadsheet programs read caller names with accents correctly.
    """
    rows = list(entries)
    if not isinstance(file_or_path, str | os.PathLike):
        return _write(rows, file_or_path)
    buffer = io.StringIO(newline="")
    _write(rows, buffer)
    write_private_atomically(Path(file_or_path), buffer.getvalue())
    return len(rows)


def write_private_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8 with BOM) through a 0600 temporary file."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as handle:
            handle.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
