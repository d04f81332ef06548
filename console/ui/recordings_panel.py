"""The recordings panel: saved call and conference recordings, to open, download or copy."""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QUrl,
)
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
from console.state.entities import Call, Conference, Recording
from console.ui import formatting as fmt
from console.ui.messages import describe_error

if TYPE_CHECKING:
    from console.session_api import ConsoleApi

log = logging.getLogger(__name__)

COLUMNS = ("Time", "Call / conference", "Duration", "Format", "Link")
COL_TIME, COL_OWNER, COL_DURATION, COL_FORMAT, COL_URL = range(len(COLUMNS))
ROW_ROLE = Qt.ItemDataRole.UserRole + 1

#: recording_urls are signed links valid this long after the event (API-NOTES §4.3).
LINK_LIFETIME = timedelta(minutes=10)
EXPIRED_STATUSES = frozenset({403, 404, 410})
EXPIRY_NOTE = (
    "Telnyx recording links expire 10 minutes after the recording is saved. For an older "
    "recording, get a fresh link from the Recordings API (GET /v2/recordings) or the portal."
)
EXPIRED_MESSAGE = (
    "The recording link has expired (Telnyx links last 10 minutes). Get a fresh link from the "
    "Recordings API (GET /v2/recordings) or the Telnyx portal, then download it from there."
)
DOWNLOAD_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
CHUNK_SIZE = 64 * 1024


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


@dataclass(frozen=True)
class DownloadResult:
    ok: bool
    message: str
    path: Path
    size: int = 0
    expired: bool = False


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
        self._client_factory = client_factory or (
            lambda: httpx.AsyncClient(timeout=DOWNLOAD_TIMEOUT, follow_redirects=True)
        )
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
        for recording in call.recordings:
            key = _key(recording, "call", ccid)
            self.model.upsert(RecordingRow(key, recording, "call", ccid, _call_label(call)))

    def _take_conference(self, cid: str) -> None:
        conference = self.store.conferences.get(cid)
        if conference is None:
            return
        for recording in conference.recordings:
            key = _key(recording, "conference", cid)
            label = _conference_label(conference)
            self.model.upsert(RecordingRow(key, recording, "conference", cid, label))

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
            result = await self._fetch(url, path, partial)
        except asyncio.CancelledError:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
            self._progress_done()
            raise
        except Exception as exc:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
            result = DownloadResult(False, _failure(exc, url, path), path)
        return self._finish(result)

    async def _fetch(self, url: str, path: Path, partial: Path) -> DownloadResult:
        async with self._client_factory() as client, client.stream("GET", url) as response:
            if response.status_code in EXPIRED_STATUSES:
                return DownloadResult(False, EXPIRED_MESSAGE, path, expired=True)
            if response.status_code >= 400:
                message = (
                    f"Download failed: the recording server answered HTTP "
                    f"{response.status_code} {response.reason_phrase}".rstrip()
                    + "."
                )
                return DownloadResult(False, message, path)
            total = _content_length(response)
            size = 0
            with partial.open("wb") as handle:
                async for chunk in response.aiter_bytes(CHUNK_SIZE):
                    handle.write(chunk)
                    size += len(chunk)
                    self._progress(size, total)
            os.replace(partial, path)
        return DownloadResult(True, f"Saved {_size_text(size)} to {path}", path, size=size)

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
            self.progress.setFormat(f"{_size_text(done)} of {_size_text(total)}")
        else:
            self.progress.setRange(0, 0)  # size unknown: a busy indicator
            self.progress.setFormat(_size_text(done))
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


def _content_length(response: httpx.Response) -> int | None:
    try:
        value = int(response.headers.get("content-length", ""))
    except ValueError:
        return None
    # A compressed body's length is not what we write; do not show a wrong percentage.
    return value if value > 0 and not response.headers.get("content-encoding") else None


def _size_text(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _failure(exc: BaseException, url: str, path: Path) -> str:
    host = urlsplit(url).hostname or url
    if isinstance(exc, httpx.TimeoutException):
        return f"Download failed: {host} did not answer in time. Try again."
    if isinstance(exc, httpx.HTTPError):
        detail = str(exc) or type(exc).__name__
        return f"Download failed: could not reach {host} ({detail})."
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc) or type(exc).__name__
        return f"Download failed: could not write {path}: {reason}."
    return f"Download failed: {describe_error(exc)}"


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
