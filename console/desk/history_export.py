"""Call history as CSV with what the operator wrote: disposition, notes, tags and contact.

The history's own columns come first, exactly as ``console.history`` writes them, then the
desk's. Rows are read page by page (keyset), so exporting 100,000 calls never holds more
than a page of rows and their wrap-ups at once besides the text being written.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from console.desk.contacts import ContactBook
from console.desk.context import other_party
from console.desk.wrapups import WrapUps
from console.history import CSV_COLUMNS, HistoryTable, call_key, csv_row, mark_of, safe_cell
from console.history.export import write_private_atomically

DESK_COLUMNS = ("contact", "disposition", "notes", "tags")
PAGE = 1000


def export_history(
    history: HistoryTable,
    wrapups: WrapUps,
    contacts: ContactBook,
    file_or_path: str | os.PathLike[str] | io.TextIOBase,
    *,
    since: float | None = None,
    until: float | None = None,
) -> int:
    """Write every history row (newest first) with its wrap-up; returns how many rows."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow((*CSV_COLUMNS, *DESK_COLUMNS))
    count = 0
    after = None
    while True:
        page = history.page(since=since, until=until, after=after, limit=PAGE)
        if not page:
            break
        notes = wrapups.for_keys(call_key(e) for e in page)
        names = contacts.names_for(
            other_party(e.direction, e.from_number, e.to_number) for e in page
        )
        for entry in page:
            wrapup = notes.get(call_key(entry))
            name = names.get(other_party(entry.direction, entry.from_number, entry.to_number))
            extra = (
                name or "",
                wrapup.disposition or "" if wrapup else "",
                wrapup.notes if wrapup else "",
                " ".join(wrapup.tags) if wrapup else "",
            )
            writer.writerow([*csv_row(entry), *(safe_cell(v) for v in extra)])
            count += 1
        after = mark_of(page[-1])
        if len(page) < PAGE:
            break
    if isinstance(file_or_path, io.TextIOBase):
        file_or_path.write(buffer.getvalue())
    else:
        write_private_atomically(Path(file_or_path), buffer.getvalue())
    return count
