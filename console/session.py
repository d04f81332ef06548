"""ConsoleSession: the Qt-free composition of every service, and the UI's single facade.

Each responsibility lives in a helper module beside this one, and the session delegates:
start and stop in order (``session_lifecycle``; the start order is described there), the
receiver (``session_receiver``), the store's checkpoint and the journal's tail
(``session_state``), the tunnel and the webhook URL (``session_tunnel``), the REST client or the
simulator (``session_client``), what is asked of the account (``session_account``), resyncs
(``session_resync``), the 1 s housekeeping (``session_housekeeping``) and live settings changes
(``session_settings``).

A resync also runs (debounced) after a tunnel reconnect, an event about a leg the store never
saw start (``needs_resync``), a clock jump, and now and then while calls are live but no
event arrives (a lost hangup would otherwise leave a call live until a restart).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from console import session_account, session_client, session_lifecycle, session_settings
from console.config import Settings
from console.console_metrics import ConsoleMetrics
from console.db import connect as connect_database
from console.event_feed import EventFeed
from console.events.deliveries import ReceivedEvent
from console.events.journal import Journal, JournalRecord
from console.events.models import Envelope
from console.history.entry import CallHistoryEntry
from console.history.recorder import HistoryRecorder
from console.history.table import HistoryTable
from console.ingest.host import Ingest
from console.ingest.tail import JournalTail
from console.ingest.view import ReceiverView
from console.operations import Operations
from console.operations.health import Health
from console.operations.webhook_target import WebhookTarget
from console.session_api import ClientFactory, SecretsApi, SimulatorApi, TelnyxApi, TunnelFactory
from console.session_files import SessionFiles
from console.session_lifecycle import DEMO_NOTICE
from console.session_listeners import Listener, Listeners
from console.session_receiver import ReceiverLink
from console.session_resync import Resyncer
from console.session_state import SessionState
from console.session_tunnel import WEBHOOK_MEMORY_FILENAME, TunnelLink
from console.state.checkpoint import Checkpoint
from console.state.store import Store
from console.tunnel.base import TunnelProvider

__all__ = ["DEMO_NOTICE", "WEBHOOK_MEMORY_FILENAME", "ConsoleSession", "IngestMode"]

if TYPE_CHECKING:
    from console.team.mode import TeamMode  # imported when team mode starts: nats-py is heavy

log = logging.getLogger(__name__)

#: A resync requested within this many seconds of another is folded into it.
RESYNC_DEBOUNCE_SECS = 2.0
HEALTH_EVERY_SECS = 0.2
IngestMode = Literal["process", "thread"]


class ConsoleSession:
    """Owns the journal, store, receiver, tunnel or simulator, client and operations."""

    def __init__(
        self,
        settings: Settings,
        secrets: SecretsApi,
        demo: bool = False,
        *,
        data_dir: Path | None = None,
        settings_path: Path | None = None,
        receiver_port: int | None = None,
        simulator_options: dict[str, Any] | None = None,
        demo_traffic: bool = True,
        tunnel_factory: TunnelFactory | None = None,
        tunnel_options: dict[str, Any] | None = None,
        client_factory: ClientFactory | None = None,
        resync_debounce: float = RESYNC_DEBOUNCE_SECS,
        notices: list[str] | None = None,
        ingest_mode: IngestMode = "thread",
        team_options: dict[str, Any] | None = None,
        connect_in_background: bool = False,
        history_after_window: bool = False,
    ):
        self.settings = settings
        self.secrets = secrets
        self.demo = demo
        self._user_settings = settings  # what is saved: demo overrides never reach the file
        self._files = SessionFiles(data_dir, demo)
        self._settings_path = settings_path
        self._receiver_port = receiver_port
        self._simulator_options = dict(simulator_options or {})
        self._demo_traffic = demo_traffic
        self._tunnel_factory = tunnel_factory
        self._tunnel_options = dict(tunnel_options or {})  # e.g. the ngrok watchdog interval
        self._client_factory = client_factory
        self._resync_debounce = resync_debounce
        self._start_notices = list(notices or [])  # e.g. "the settings file was reset"
        # "process" is what the app runs (the 2xx path has its own interpreter); tests mostly
        # use "thread" (the same component, started in milliseconds).
        self._ingest_mode: IngestMode = ingest_mode
        self._team_options = dict(team_options or {})  # tests: stream, buckets, heartbeat
        #: Team mode (settings.mode == "team", not in a demo): the UI's TeamView; else None.
        self.team: TeamMode | None = None
        # The app opens its window without waiting for the network (tunnel, webhook URL,
        # start-up resync: seconds of retries when Telnyx is slow or unreachable); tests and
        # tools that want all of it done when ``start()`` returns keep the default.
        self._connect_in_background = connect_in_background
        # The app: the history recorder folds (an old journal's first fold: seconds of work on
        # its thread) only once the window is shown (``window_shown``), not while it is built.
        self._history_after_window = history_after_window

        self.store = Store()
        self.journal: Journal | None = None  # read-only: the event log and self-test read it
        self.receiver = ReceiverView()
        self.ingest: Ingest | None = None
        self.metrics = ConsoleMetrics()  # served by ingest's /metrics with its own
        self.tail: JournalTail | None = None
        self.recorder: HistoryRecorder | None = None
        self.feed = EventFeed(
            self.store,
            on_event=self._on_event,
            request_resync=self.request_resync,
            verified=lambda: self.receiver.verification_enabled,
        )
        self.simulator: SimulatorApi | None = None
        self.client: TelnyxApi | None = None
        self.ops: Operations | None = None
        self.health = Health(verification_enabled=settings.verify_signatures)

        self._event_listeners = Listeners()
        self._rejected_listeners = Listeners()
        self._health_listeners = Listeners()
        self._history_listeners = Listeners()
        self._history_conn: sqlite3.Connection | None = None
        self._history_table: HistoryTable | None = None
        self._receiver_link = ReceiverLink(self)
        self._state = SessionState(self)
        self._health_refreshed_at = 0.0
        self._tasks: set[asyncio.Task[Any]] = set()
        self._tick_task: asyncio.Task[None] | None = None
        self._resyncer = Resyncer(self)
        self._link = TunnelLink(self)
        self._started = False
        self._stopping = False
        # The clock the API stamps events with: the simulator runs its own, faster one.
        self._api_now: Callable[[], datetime] | None = None

    # --- paths (console/session_files.py) -------------------------------------------------

    @property
    def data_dir(self) -> Path:
        return self._files.data_dir

    @property
    def files_dir(self) -> Path:
        """Where the journal and the console database live: the data dir, or for a demo a
        fresh folder of its own for this run."""
        return self._files.files_dir

    def _journal_path(self) -> Path:
        return self._files.journal_path

    @property
    def database_path(self) -> Path:
        return self._files.database_path

    # --- listeners ------------------------------------------------------------------------

    def on_event(self, callback: Listener) -> Callable[[], None]:
        """``callback(envelope, received)`` after the store applied each new event."""
        return self._event_listeners.add(callback)

    def on_rejected(self, callback: Listener) -> Callable[[], None]:
        """``callback(rejection)`` for each delivery the receiver turned away."""
        return self._rejected_listeners.add(callback)

    def on_health(self, callback: Listener) -> Callable[[], None]:
        """``callback()`` whenever ``session.health`` changed."""
        return self._health_listeners.add(callback)

    def on_history(self, callback: Listener) -> Callable[[], None]:
        """``callback(entries)`` with the call history rows written in each batch."""
        return self._history_listeners.add(callback)

    def history_table(self) -> HistoryTable | None:
        """The call history for the window to read (its own connection, on the loop's thread);
        None before the session started or when the console database cannot be opened."""
        if self._history_table is None and self.journal is not None:
            try:
                self._history_conn = connect_database(self.database_path)
                self._history_table = HistoryTable(self._history_conn)
            except Exception as exc:
                log.error("call history cannot be read: %s", _words(exc))
                self._close_history_table()
        return self._history_table

    def _close_history_table(self) -> None:
        if self._history_conn is not None:
            self._history_conn.close()
        self._history_conn = None
        self._history_table = None

    def _set_health(self, **changes: Any) -> None:
        updated = self.health.with_(**changes)
        if updated != self.health:
            self.health = updated
            self._health_listeners.fire()

    # --- start and stop (console/session_lifecycle.py) ------------------------------------

    async def start(self) -> None:
        """Start everything in order (console/session_lifecycle.py); on failure, what was
        started is stopped again."""
        if self._started:
            return
        self._started = True
        try:
            await session_lifecycle.start(self)
        except BaseException:
            await self.stop()
            raise

    def window_shown(self) -> None:
        """The app's window is up: the history recorder may fold (``history_after_window``)."""
        self._history_after_window = False
        if self.recorder is not None:
            self.recorder.release()

    async def stop(self) -> None:
        """Stop everything in reverse order; each step runs even if an earlier one failed."""
        if self._stopping:
            return
        self._stopping = True
        await session_lifecycle.stop(self)
        self._started = False

    def checkpoint(self) -> Checkpoint:
        """The live state as a checkpoint (read on the loop, where the store is folded)."""
        return self._state.checkpoint()

    async def save_checkpoint(self) -> None:
        """Save the checkpoint (off the loop), then let ingest compact what all readers took."""
        await self._state.save()

    # --- tunnel and webhook URL (console/session_tunnel.py) -------------------------------

    @property
    def tunnel(self) -> TunnelProvider | None:
        return self._link.tunnel

    @property
    def _webhook(self) -> WebhookTarget:
        return self._link.webhook

    async def _restart_tunnel(self) -> None:
        await self._link.restart()

    async def _point_webhook(self, *, take_over: bool = False) -> None:
        await self._link.point_webhook(take_over=take_over)

    async def take_over_webhook(self) -> None:
        """Point the application at this console although another console holds it (the
        operator chose to, after ``health.webhook_held_by`` said who); then resync."""
        await session_account.take_over_webhook(self)

    async def _restore_webhook_quietly(self) -> None:
        await self._link.restore_webhook()

    def _note_api_result(self, exc: BaseException | None) -> None:
        session_account.note_api_result(self, exc)

    def _quiet_for(self) -> float | None:
        """Seconds since the last event (or since the receiver started), if known."""
        return self._receiver_link.quiet_for()

    async def _restart_receiver(self) -> bool:
        """Restart the receiver (verification switch, path, port); True if its URL moved."""
        return await self._receiver_link.restart()

    def _refresh_receiver_health(self) -> None:
        self._receiver_link.refresh_health()

    # --- events ---------------------------------------------------------------------------

    def _on_event(self, envelope: Envelope, received: ReceivedEvent) -> None:
        self._event_listeners.fire(envelope, received)

    def _fold(self, records: Sequence[JournalRecord]) -> None:
        self.feed.deliver(records)
        # Health (and the status bar that repaints on it) at most every HEALTH_EVERY_SECS
        # under load, not once per batch; the first event after a quiet spell shows at once.
        now = time.monotonic()
        if now - self._health_refreshed_at >= HEALTH_EVERY_SECS:
            self._health_refreshed_at = now
            self._receiver_link.refresh_health()

    def _on_history_written(self, entries: Sequence[CallHistoryEntry]) -> None:
        self._history_listeners.fire(entries)

    # --- resync (console/session_resync.py) -----------------------------------------------

    def request_resync(self, reason: str) -> None:
        """Ask for a resync soon; requests within the debounce window become one.

        Without an API key or an application there is nothing to ask: the request is dropped
        quietly (health already says what setup is missing).
        """
        self._resyncer.request(reason)

    async def resync(self, reason: str) -> None:
        """Fetch what is live from the REST API and let the store reconcile (one at a time)."""
        await self._resyncer.resync(reason)

    # --- housekeeping (console/session_housekeeping.py) -----------------------------------

    def _spawn(self, coro: Any, name: str) -> None:
        task = asyncio.create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("session task %s failed", task.get_name(), exc_info=task.exception())

    def _hold_music_url(self) -> str | None:
        return session_client.hold_music_url(self)

    async def _replace_client(self) -> None:
        await session_client.replace_client(self)

    # --- settings -------------------------------------------------------------------------

    async def apply_settings(
        self,
        settings: Settings | dict[str, Any],
        api_key: str | None = None,
        public_key: str | None = None,
        ngrok_authtoken: str | None = None,
        broker_password: str | None = None,
    ) -> list[str]:
        """Validate, save (secrets to the keyring) and apply what can change live.

        A secret given as ``None`` is left as it is; ``""`` removes it. Returns notes for the
        operator ("the tunnel was restarted"...). Raises ``ConfigError``/``ValueError`` for a bad
        value and ``SecretStoreError`` when the keyring cannot save (settings are saved first).
        Which setting restarts what is the table in console/session_settings.py.
        """
        return await session_settings.apply(
            self, settings, api_key, public_key, ngrok_authtoken, broker_password
        )

    # --- the account and the webhook path (console/session_account.py) --------------------

    async def list_applications(self) -> list[tuple[str, str]]:
        """(id, application_name) of every Call Control application of the account."""
        return await session_account.list_applications(self)

    async def test_webhook_path(self) -> str:
        """Prove the path Telnyx → (tunnel) → receiver works; returns a readable result."""
        return await session_account.check_webhook_path(self)


def _words(exc: BaseException) -> str:
    """The sentence to show for ``exc`` (the console's one path to words)."""
    from console.errors import words_for

    return words_for(exc)
