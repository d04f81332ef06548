"""Call history: one row per call leg, kept in the console database as calls end.

``entry`` folds events into :class:`CallHistoryEntry` rows, ``table`` stores and searches
them, ``journal_search`` searches the event journal itself, ``export`` writes them as CSV
and ``recorder`` keeps the table up to date as events arrive.
"""

from console.history.entry import CallHistoryEntry, build_history
from console.history.export import CSV_COLUMNS, csv_row, export_csv, safe_cell
from console.history.journal_search import DEFAULT_LIMIT, search_history
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
