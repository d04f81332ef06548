"""Call history: one row per call leg, kept in the console database as calls end.

``entry`` folds events into :class:`CallHistoryEntry` rows, ``table`` stores and searches
them, and ``export`` writes them as CSV.
"""

from console.history.entry import (
    CSV_COLUMNS,
    DEFAULT_LIMIT,
    CallHistoryEntry,
    build_history,
    csv_row,
    export_csv,
    safe_cell,
    search_history,
)
from console.history.table import HISTORY_SCHEMA, HistoryTable, PageMark, call_key, mark_of

__all__ = [
    "CSV_COLUMNS",
    "DEFAULT_LIMIT",
    "HISTORY_SCHEMA",
    "CallHistoryEntry",
    "HistoryTable",
    "PageMark",
    "build_history",
    "call_key",
    "csv_row",
    "export_csv",
    "mark_of",
    "safe_cell",
    "search_history",
]
