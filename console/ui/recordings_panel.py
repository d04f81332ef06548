"""The recordings panel: saved call and conference recordings, to open, download or copy.

The rows and their words are the model's (``recordings_model.py``); the HTTP transfer and its
failures in words are ``recording_download.py``'s. This module holds the widgets, following the
store, and the actions on the selected row.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import Shiboken

from console.state.changes import Changes
from console.ui.recording_download import (
    DownloadResult,
    default_client,
    failure,
    fetch,
    size_text,
)
from console.ui.recordings_model import (
    RecordingRow,
    RecordingsModel,
    call_rows,
    conference_rows,
)

if TYPE_CHECKING:
    from console.session_api import ConsoleApi

log = logging.getLogger(__name__)

EXPIRY_NOTE = (
    "Telnyx recording links expire 10 minutes after the recording is saved. For an older "
    "recording, get a fresh link from the Recordings API (GET /v2/recordings) or the portal."
)


class RecordingsPanel(QWidget):
    """Saved recordings from ``session.store`` with Open, Download… and Copy URL.

    ``client_factory`` makes the httpx.AsyncClient a download uses (proxies, tests); by
    default a plain client: recording links are pre-signed, so no API key is sent with them.
    """

    def __init__(
        self,
        session: ConsoleApi,
        parent: QWidget | None = None,
        *,
        subscribe: bool = True,
        client_factory: Callable[[], httpx.AsyncClient] | None = None,
    ):
        super().__init__(parent)
        self.session = session
        self.store = session.store
        self.setObjectName("recordingsPanel")
        self.setAccessibleName("Recordings")
        self._client_factory = client_factory or default_client
        self._downloads: set[asyncio.Task[DownloadResult]] = set()
        self.last_result: DownloadResult | None = None
        self.download_dialog: QFileDialog | None = None
        self.model = RecordingsModel(self)
        self._build()

        self._unsubscribe: Callable[[], None] | None = None
        if subscribe:
            unsubscribe = self.store.subscribe(self.on_store_changes)
            self._unsubscribe = (
                unsubscribe
                if callable(unsubscribe)
                else (lambda: self.store.unsubscribe(self.on_store_changes))
            )
            self.destroyed.connect(_closer(self._unsubscribe, self._downloads))
        self.reload()

    # --- widgets ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.note = QLabel(EXPIRY_NOTE, self)
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Note about recording links")

        self.table = QTableView(self)
        self.table.setObjectName("recordingsTable")
        self.table.setAccessibleName("Saved recordings")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.rowsInserted.connect(lambda *_: self._update_buttons())

        self.open_button = QPushButton("Open", self)
        self.open_button.setAccessibleName("Open the selected recording")
        self.open_button.setToolTip("Play the recording in the system's audio player or browser")
        self.open_button.clicked.connect(lambda: self.open_row(self.selected_row()))
        self.download_button = QPushButton("Download…", self)
        self.download_button.setAccessibleName("Download the selected recording")
        self.download_button.clicked.connect(self.choose_download_file)
        self.copy_button = QPushButton("Copy URL", self)
        self.copy_button.setAccessibleName("Copy the selected recording's link")
        self.copy_button.clicked.connect(lambda: self.copy_url(self.selected_row()))

        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Download progress")
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.status = QLabel(self)
        self.status.setAccessibleName("Recordings status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.download_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(self.progress)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.model.row(self.selected_row())
        has_url = row is not None and row.url is not None
        for button in (self.open_button, self.download_button, self.copy_button):
            button.setEnabled(has_url)

    def selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    # --- following the store ---------------------------------------------------------------

    def reload(self) -> None:
        """Take every recording the store holds (at start, and after a full resync)."""
        for ccid in list(self.store.calls):
            self._take_call(ccid)
        for cid in list(self.store.conferences):
            self._take_conference(cid)

    def on_store_changes(self, changes: Changes) -> None:
        """Add recordings of the calls and conferences that changed (nothing else is read)."""
        if not Shiboken.isValid(self):
            return
        try:
            if changes.reset:
                self.reload()
                return
            for ccid in changes.calls.added | changes.calls.changed:
                self._take_call(ccid)
            for cid in changes.conferences.added | changes.conferences.changed:
                self._take_conference(cid)
        except Exception:
            # A view must never break the webhook pipeline that notifies it.
            log.exception("recordings panel could not follow a store change")

    def _take_call(self, ccid: str) -> None:
        call = self.store.calls.get(ccid)
        if call is None:
            return
        for row in call_rows(ccid, call):
            self.model.upsert(row)

    def _take_conference(self, cid: str) -> None:
        conference = self.store.conferences.get(cid)
        if conference is None:
            return
        for row in conference_rows(cid, conference):
            self.model.upsert(row)

    # --- actions ---------------------------------------------------------------------------

    def open_row(self, row: int) -> bool:
        entry = self.model.row(row)
        if entry is None or not entry.url:
            return False
        if QDesktopServices.openUrl(QUrl(entry.url)):
            self._show(f"Opening {entry.label}…")
            return True
        self._show("No program could open the link. Use Copy URL, or Download… to save it.")
        return False

    def copy_url(self, row: int) -> str | None:
        entry = self.model.row(row)
        if entry is None or not entry.url:
            return None
        QGuiApplication.clipboard().setText(entry.url)
        self._show("Link copied. It stops working 10 minutes after the recording was saved.")
        return entry.url

    def choose_download_file(self) -> None:
        """Ask where to save the selected recording (non-modal), then download it there."""
        row = self.selected_row()
        entry = self.model.row(row)
        if entry is None or not entry.url:
            return
        dialog = QFileDialog(self, "Save recording")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        filters = [f"{name} audio (*.{name.lower()})" for name in entry.formats]
        dialog.setNameFilters([*filters, "All files (*)"])
        suffix = entry.formats[0].lower() if entry.formats else "wav"
        dialog.setDefaultSuffix(suffix)
        stamp = entry.when.astimezone().strftime("%Y%m%d-%H%M%S") if entry.when else "recording"
        dialog.selectFile(f"recording-{stamp}.{suffix}")
        dialog.setAccessibleName("Save recording")
        key = entry.key
        # The row may move while the dialog is open (newer recordings go on top): use its key.
        dialog.fileSelected.connect(lambda path: self.download_to(self.model.row_of(key), path))
        dialog.finished.connect(dialog.deleteLater)
        self.download_dialog = dialog
        dialog.open()

    def download_to(self, row: int, path: str | Path) -> asyncio.Task[DownloadResult]:
        """Download the recording in ``row`` to ``path`` in the background; returns the task.

        The task never raises (but for cancellation): its result says what happened in words,
        also shown in the panel.
        """
        entry = self.model.row(row)
        task = asyncio.ensure_future(self._download(entry, Path(path)))
        self._downloads.add(task)
        task.add_done_callback(self._downloads.discard)
        return task

    async def _download(self, entry: RecordingRow | None, path: Path) -> DownloadResult:
        if entry is None or not entry.url:
            return self._finish(DownloadResult(False, "That recording has no link.", path))
        url = entry.url_for(path)
        assert url is not None
        self._progress(0, None)
        self._show(f"Downloading {entry.label} to {path}…")
        partial = path.with_name(path.name + ".part")
        try:
            result = await fetch(self._client_factory, url, path, partial, self._progress)
        except asyncio.CancelledError:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
            self._progress_done()
            raise
        except Exception as exc:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
            result = DownloadResult(False, failure(exc, url, path), path)
        return self._finish(result)

    def _finish(self, result: DownloadResult) -> DownloadResult:
        self.last_result = result
        if Shiboken.isValid(self):
            self._progress_done()
            self._show(result.message)
        return result

    def _progress(self, done: int, total: int | None) -> None:
        if not Shiboken.isValid(self):
            return
        if total:
            self.progress.setRange(0, 1000)
            self.progress.setValue(min(1000, done * 1000 // total))
            self.progress.setFormat(f"{size_text(done)} of {size_text(total)}")
        else:
            self.progress.setRange(0, 0)  # size unknown: a busy indicator
            self.progress.setFormat(size_text(done))
        self.progress.show()

    def _progress_done(self) -> None:
        # Called from inside the finishing download, which is not done yet itself.
        current = asyncio.current_task()
        if any(not t.done() and t is not current for t in self._downloads):
            return
        if Shiboken.isValid(self):
            self.progress.hide()

    def _show(self, text: str) -> None:
        if Shiboken.isValid(self):
            self.status.setText(text)
            self.status.setAccessibleDescription(text)

    def close_panel(self) -> None:
        """Stop listening to the store and cancel downloads (the window calls this on close)."""
        _closer(self._unsubscribe, self._downloads)()
        self._unsubscribe = None


def _closer(unsubscribe: Callable[[], None] | None, tasks: set[asyncio.Task[Any]]):
    def close(*_args: object) -> None:
        for task in list(tasks):
            task.cancel()
        if unsubscribe is not None:
            try:
                unsubscribe()
            except Exception:
                log.debug("ignored failure while closing the recordings panel", exc_info=True)

    return close
