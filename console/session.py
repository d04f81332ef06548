"""ConsoleSession: the Qt-free composition of every service, and the UI's single facade.

Start order (stop is the reverse):

1. the ingest component starts (by default in a child process): the webhook receiver on
   127.0.0.1 and the journal it commits to. A demo takes any free port (two demo consoles on
   one machine must not collide), a fresh journal of its own, and knows the simulator's signing
   key from the start;
2. the store is restored from the last checkpoint, and the journal's tail is folded in from
   the checkpoint's cursor on, in batches, off the GUI thread's critical path (``EventFeed``);
   the history recorder writes call history rows on its own thread;
3. demo mode: the simulator starts in-process, delivering to the receiver, and its API URL,
   key, signing key, connection id and numbers are wired in; demo traffic starts.
   Otherwise: the tunnel starts (if configured), and the selected Call Control application's
   webhook URL is pointed at ``<public URL><receiver path>`` (API v2), remembering the old URL;
4. one long-lived TelnyxClient and the Operations facade;
5. a resync from the REST API, then a 1 s housekeeping task: silence warning, clock jump /
   wake-from-sleep detection, pruning of ended calls, health notifications.

A resync also runs (debounced) after a tunnel reconnect, an event about a leg the store never
saw start (``needs_resync``), a clock jump, and now and then while calls are live but no
event arrives (a lost hangup would otherwise leave a call live until a restart).

Nothing that depends on the outside world stops the console from opening: a tunnel that does
not start, an application that cannot be re-pointed or a start-up resync that fails is reported
in ``health`` (what went wrong and what to do) and the operator fixes it from Settings.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from console import session_client, session_settings
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
from console.operations.errors import OperationError
from console.operations.health import Health
from console.operations.webhook_target import WebhookTarget
from console.secrets import Secret
from console.session_api import ClientFactory, SecretsApi, SimulatorApi, TelnyxApi, TunnelFactory
from console.session_client import MissingClient
from console.session_files import SessionFiles
from console.session_housekeeping import run_housekeeping
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
AUDIT_FILENAME = "audit.jsonl"
DEMO_NOTICE = "Demo mode: calls are simulated; nothing reaches Telnyx."


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

    # --- start ----------------------------------------------------------------------------

    async def start(self) -> None:
        """Start everything in order; on failure, what was started is stopped again."""
        if self._started:
            return
        self._started = True
        try:
            await self._start()
        except BaseException:
            await self.stop()
            raise

    async def _start(self) -> None:
        self._link.remember_in(None if self.demo else self.data_dir)

        if self.demo:
            from console.events.signature import KeyPair

            # The simulator signs with this pair; the receiver knows the key from the start.
            self._simulator_options.setdefault("keypair", KeyPair.generate())
            public_key = self._simulator_options["keypair"].public_key_b64
        else:
            public_key = await self.secrets.aget(Secret.PUBLIC_KEY)
        if self.settings.mode == "team" and not self.demo:
            await self._start_team()  # no receiver: events come from the relay's broker
        else:
            await self._receiver_link.start(public_key)
        await self._state.start()

        notices: list[str] = list(self._start_notices)
        if self.demo:
            await session_client.start_simulator(self)
            notices.append(DEMO_NOTICE)
        else:
            api_key = await self.secrets.aget(Secret.API_KEY)
            self.client = session_client.make_client(self, api_key) if api_key else None
            if self.client is None:
                notices.append("No Telnyx API key is set: open Settings to add one, or run --demo.")
                # Nothing could point Telnyx at a tunnel yet; it starts once setup gives a key.
                self._set_health(tunnel_state="waiting for setup")

        make_operations = self.team.operations if self.team is not None else Operations
        self.ops = make_operations(
            self.client or MissingClient(),
            self.store,
            self.settings,
            audit=self.data_dir / AUDIT_FILENAME,
            hold_music_url=session_client.hold_music_url(self),
            connection_id=self.settings.connection_id or None,
        )
        self._set_health(notices=tuple(notices))
        if self.team is not None:
            self.on_event(self.team.on_session_event)
            await self.team.start()  # never waits for the broker
        if self._connect_in_background:
            self._spawn(self._connect(), "session-connect")
        else:
            await self._connect()
        self._tick_task = asyncio.create_task(run_housekeeping(self), name="session-tick")
        if self.demo and self._demo_traffic and self.simulator is not None:
            self.simulator.start_demo_traffic()

    async def _start_team(self) -> None:
        from console.team.mode import TeamMode

        password = await self.secrets.aget(Secret.BROKER_PASSWORD)
        self.team = TeamMode.for_settings(
            self.settings,
            password,
            journal_path=self._journal_path(),
            database_path=self.database_path,
            committed=self._receiver_link.on_committed,
            request_resync=self.request_resync,
            set_health=self._set_health,
            **self._team_options,
        )
        await self.team.open_journal()
        self._set_health(mode="team", tunnel_state="team", receiver_url=None)

    async def _connect(self) -> None:
        """What needs the network: the tunnel, pointing the webhook URL at it, the start-up
        resync. Each failure is recorded in health and words; none stops the console."""
        if self.client is None:
            return
        if not self.demo and self.team is None:  # team mode: the relay owns the URL
            await self._start_tunnel()
            await self._point_webhook()
        try:
            await self.resync("start-up")
        except Exception as exc:
            # Recorded in health (last_resync_error, api_last_error): the console still
            # opens, so the operator can fix the key or the application in Settings.
            log.warning("start-up resync failed: %s", _words(exc))

    def checkpoint(self) -> Checkpoint:
        """The live state as a checkpoint (read on the loop, where the store is folded)."""
        return self._state.checkpoint()

    async def save_checkpoint(self) -> None:
        """Save the checkpoint (off the loop), then let ingest compact what all readers took."""
        await self._state.save()

    # --- tunnel and webhook URL (console/session_tunnel.py) --------------------------------

    @property
    def tunnel(self) -> TunnelProvider | None:
        return self._link.tunnel

    @property
    def _webhook(self) -> WebhookTarget:
        return self._link.webhook

    async def _start_tunnel(self) -> None:
        await self._link.start()

    async def _restart_tunnel(self) -> None:
        await self._link.restart()

    async def _point_webhook(self, *, take_over: bool = False) -> None:
        await self._link.point_webhook(take_over=take_over)

    async def take_over_webhook(self) -> None:
        """Point the application at this console although another console holds it (the
        operator chose to, after ``health.webhook_held_by`` said who); then resync."""
        if self.team is not None or self.demo or self.client is None:
            raise OperationError("Only a console in solo mode receives the webhooks itself.")
        await self._point_webhook(take_over=True)
        if self.health.webhook_url is not None:
            self.request_resync("took the webhook URL over")

    async def _restore_webhook_quietly(self) -> None:
        await self._link.restore_webhook()

    def _note_api_result(self, exc: BaseException | None) -> None:
        if exc is None:
            self._set_health(api_reachable=True, api_last_error=None)
            return
        message = _words(exc)
        status = getattr(exc, "status_code", None)
        # Telnyx answered (4xx) = reachable; no answer or a server fault = not reachable.
        reachable = status is not None and status < 500
        self._set_health(api_reachable=reachable, api_last_error=message)

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

    # --- housekeeping (console/session_housekeeping.py) -------------------------------------

    def _spawn(self, coro: Any, name: str) -> None:
        task = asyncio.create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("session task %s failed", task.get_name(), exc_info=task.exception())

    # --- stop -----------------------------------------------------------------------------

    async def stop(self) -> None:
        """Stop everything in reverse order; each step runs even if an earlier one failed."""
        if self._stopping:
            return
        self._stopping = True
        tasks = [
            t
            for t in (
                self._tick_task,
                self._resyncer.task,
                self._receiver_link.restart_task,
                *self._tasks,
            )
            if t is not None
        ]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self.ops is not None:
            await _quietly("transfers", self.ops.aclose())
        if self.settings.restore_webhook_url_on_exit:
            await self._link.restore_webhook()
        await self._link.stop()
        if self.simulator is not None:
            await _quietly("simulator stop", self.simulator.stop())
        if self.client is not None:
            await _quietly("client close", self.client.aclose())
        if self.team is not None:
            # The stream stops first; what the mirror wrote is folded below.
            await _quietly("team mode", self.team.stop())
        if self.ingest is not None:
            # The receiver stops answering first; what it committed is folded below.
            await _quietly("receiver stop", self.ingest.stop())
            self.ingest = None
            self.receiver.stopped()
        if self.tail is not None:
            await _quietly("journal tail stop", self.tail.stop())
            await _quietly("checkpoint", self._state.save_final())
            self.tail = None
        if self.recorder is not None:
            await _quietly("history recorder stop", self.recorder.stop())
            self.recorder = None
        self._close_history_table()
        if self.journal is not None:
            self.journal.close()
            self.journal = None
        await self._files.remove_demo_files()
        self._started = False

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

    # --- applications and the webhook path -------------------------------------------------

    async def list_applications(self) -> list[tuple[str, str]]:
        """(id, application_name) of every Call Control application of the account."""
        if self.client is None:
            raise OperationError("Add the Telnyx API key in Settings first.")
        try:
            apps = await self.client.applications.list()
        except Exception as exc:
            self._note_api_result(exc)
            raise
        self._note_api_result(None)
        return [(a.id, a.application_name or a.id) for a in apps]

    async def test_webhook_path(self) -> str:
        """Prove the path Telnyx → (tunnel) → receiver works; returns a readable result."""
        from console.operations.path_test import probe_webhook_path

        if self.team is not None:
            problem = self.team.broker_problem
            return "Team mode: the relay receives the webhooks and this console reads them " + (
                f"from the broker. ✘ {problem}" if problem else "from the broker. ✔ connected"
            )
        return await probe_webhook_path(self)


def _words(exc: BaseException) -> str:
    """The sentence to show for ``exc`` (the console's one path to words)."""
    from console.errors import words_for

    return words_for(exc)


async def _quietly(what: str, awaitable: Any) -> None:
    try:
        await awaitable
    except Exception:
        log.exception("%s failed during shutdown", what)
