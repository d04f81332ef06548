"""Saving the listed calls as CSV: the non-modal save dialog and the outcome in words.

Apart from the panel (``history_panel.py``): the export is one question (where?) and one
write, with its own failures (a folder that is read-only, a full disk), and the panel only
shows the sentence that comes back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from console.history import CallHistoryEntry, export_csv
from console.ui.messages import describe_error


def export_dialog(parent: QWidget, on_selected: Callable[[str], object]) -> QFileDialog:
    """The save dialog, made once per panel; ``on_selected(path)`` when the operator chose."""
    dialog = QFileDialog(parent, "Export call history")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setNameFilters(["CSV files (*.csv)", "All files (*)"])
    dialog.setDefaultSuffix("csv")
    dialog.setAccessibleName("Export call history")
    dialog.fileSelected.connect(on_selected)
    return dialog


def export_file_name() -> str:
    """The name offered: the local time now, so exports do not overwrite each other."""
    stamp = datetime.now(UTC).astimezone().strftime("%Y%m%d-%H%M")
    return f"call-history-{stamp}.csv"


def write_csv(entries: Sequence[CallHistoryEntry], path: Path) -> tuple[int | None, str]:
    """Write ``entries`` to ``path``: (the row count, or None on failure; what to show)."""
    try:
        count = export_csv(entries, path)
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        return None, f"Export failed: could not write {path}: {reason}"
    except Exception as exc:
        return None, f"Export failed: {describe_error(exc)}"
    noun = "call" if count == 1 else "calls"
    return count, f"Exported {count} {noun} to {path}"
