"""A console session's team mode: broker, stream mirror, claims and presence, as a TeamView.

:class:`TeamMode` is what ``session.team`` holds when ``settings.mode == "team"``. The session
calls :meth:`open_journal` before its state starts (the journal the tail reads is then the one
the mirror writes), :meth:`start` once the store and operations exist, and :meth:`stop` before
the tail stops. It never starts a tunnel and never touches the application's webhook URL: the
relay owns it.

What happens, and where it shows:

* events: the relay's stream from the saved cursor → :class:`~console.team.mirror.StreamMirror`
  → the console journal → the solo tail/feed/store path; a gap (the cursor fell behind the
  stream's retention), a stream reset or a reconnect asks the session for a REST resync;
* the broker's state: ``health.broker_state`` / ``health.broker_problem`` ("broker
  disconnected: …" in words) and :attr:`broker_problem`; nats-py reconnects by itself and the
  ordered consumer resumes from the cursor, so nothing is missed;
* claims: answering and picking up go through :class:`~console.team.operations.TeamOperations`;
  a claim this console holds is released when its call hangs up;
* presence: the desk's :class:`~console.desk.status.StatusModel` (given with
  :meth:`follow_status`) plus the call this operator holds, published with heartbeats.

This module decides when things happen; the rest is in small pure pieces: ``wire`` (the
relay's statuses and claims as the UI's values), ``broker_words`` (what the operator reads
about the broker) and ``actions`` (the checks a transfer or a supervisor leg must pass).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from console.config import Settings
from console.desk.status import Presence as DeskPresence
from console.desk.status import Status, StatusModel
from console.errors import words_for
from console.events.models import Envelope
from console.operations.transfer import AttendedTransfer
from console.relay.claims import Claim, ClaimBook
from console.relay.connection import BrokerConnection, BrokerOptions, BrokerState
from console.relay.errors import TeamError
from console.relay.presence import OperatorStatus, Presence, PresenceBoard
from console.relay.source import JetStreamSource, ResyncReason
from console.relay.stream import StreamSettings
from console.relay.tasks import stop_task
from console.team.actions import (
    find_colleague,
    require_ops,
    supervisor_endpoint,
    transfer_endpoint,
)
from console.team.broker_words import connecting_words, current_problem, state_problem
from console.team.mirror import StreamMirror
from console.team.operations import TeamOperations
from console.team.settings import team_restart_notes
from console.team.view import (
    CallClaim,
    Colleague,
    SupervisorMode,
    TeamChange,
    TeamListener,
    TeamView,
)
from console.team.wire import call_claim, colleague_of, wire_status

log = logging.getLogger(__name__)

__all__ = ["TeamMode", "team_restart_notes"]

_HANGUP = "call.hangup"


class TeamMode:
    """Team mode for one console session; implements :class:`~console.team.view.TeamView`."""

    @classmethod
    def for_settings(cls, settings: Settings, broker_secret: str | None, **kwargs: Any) -> TeamMode:
        """Team mode as the settings describe it; ``broker_secret`` is the keyring's broker
        password (with ``broker_user``) or token (without). ``stream`` may be overridden."""
        user = settings.broker_user
        options = BrokerOptions(
            servers=settings.broker_urls,
            name=f"telnyx-console {settings.operator_name}",
            user=user,
            password=broker_secret if user else None,
            token=None if user else broker_secret,
        )
        stream = kwargs.pop("stream", None) or StreamSettings(name=settings.team_stream)
        return cls(
            operator=settings.operator_name,
            operator_id=settings.team_operator_id,
            supervisor=settings.supervisor,
            endpoint=settings.operator_endpoint,
            broker=options,
            stream=stream,
            **kwargs,
        )

    def __init__(
        self,
        *,
        operator: str,
        operator_id: str,
        supervisor: bool,
        endpoint: str | None,
        broker: BrokerOptions,
        stream: StreamSettings,
        journal_path: Path,
        database_path: Path,
        committed: Callable[[int], None],
        request_resync: Callable[[str], None],
        set_health: Callable[..., None],
        claims_bucket: str | None = None,
        presence_bucket: str | None = None,
        heartbeat_secs: float | None = None,
        claim_ttl_secs: float | None = None,
    ):
        self._operator = operator
        self.operator_id = operator_id
        self._supervisor = supervisor
        self._endpoint = endpoint
        self.stream = stream
        self._request_resync = request_resync
        self._set_health = set_health
        self.broker = BrokerConnection(broker)
        self.mirror = StreamMirror(journal_path, database_path, stream.name, committed=committed)
        self.source = JetStreamSource(self.broker, stream, on_resync=self._resync)
        claim_args: dict[str, Any] = {"console_id": None, "on_change": self._claim_changed}
        if claims_bucket:
            claim_args["bucket"] = claims_bucket
        if claim_ttl_secs:
            claim_args["ttl_secs"] = claim_ttl_secs
        self.claim_book = ClaimBook(self.broker, operator, **claim_args)
        presence_args: dict[str, Any] = {"on_change": self._presence_changed}
        if presence_bucket:
            presence_args["bucket"] = presence_bucket
        if heartbeat_secs:
            presence_args["heartbeat_secs"] = heartbeat_secs
        self.board = PresenceBoard(
            self.broker,
            operator,
            supervisor=supervisor,
            endpoint=endpoint,
            console_id=self.claim_book.console_id,
            **presence_args,
        )
        self.ops: TeamOperations | None = None
        self.resyncs: list[ResyncReason] = []
        self._listeners: list[TeamListener] = []
        self._status: StatusModel | None = None
        self._unsubscribe: list[Callable[[], None]] = []
        self._opening: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._ready = asyncio.Event()

    # --- lifecycle (the session's hooks) --------------------------------------------------

    async def open_journal(self) -> None:
        """Create the console journal the mirror writes and the tail reads."""
        await self.mirror.open()

    def operations(self, *args: Any, **kwargs: Any) -> TeamOperations:
        """The session's :class:`Operations`, claiming first (same arguments)."""
        ops = TeamOperations(*args, claims=self.claim_book, operator_id=self.operator_id, **kwargs)
        ops.on_claimed = self._claimed
        self.ops = ops
        return ops

    async def start(self) -> None:
        """Read the stream from the saved cursor; connect claims and presence when the broker
        answers (in the background: a broker that is down never keeps the console closed)."""
        self._unsubscribe.append(self.broker.on_state(self._broker_state))
        problem = connecting_words(self.broker.options.servers)
        self._set_health(broker_state="connecting", broker_problem=problem)
        self.broker.start()
        await self.source.start(self.mirror.saved_cursor, self.mirror.deliver)
        self._opening = asyncio.create_task(self._open_buckets(), name="team-open")

    async def ready(self) -> None:
        """Wait until claims and presence are open (tests; the UI follows on_change)."""
        await self._ready.wait()

    async def _open_buckets(self) -> None:
        await self.broker.wait_connected()
        claims_open = False
        while True:
            try:
                if not claims_open:
                    await self.claim_book.open()
                    claims_open = True
                await self.board.open(self._wire_status())
                break
            except TeamError as exc:
                log.warning("team buckets not open yet: %s", exc.user_message)
            except Exception as exc:
                log.warning("team buckets not open yet: %s", words_for(exc))
            await asyncio.sleep(1.0)
            await self.broker.wait_connected()
        self._ready.set()
        await self._publish()
        self._fire(TeamChange.COLLEAGUES)

    async def stop(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        await stop_task(self._opening)
        for task in list(self._tasks):
            task.cancel()
        await self.source.stop()
        await self.mirror.close()
        if self._ready.is_set():
            with contextlib.suppress(Exception):
                await self.board.leave()
            with contextlib.suppress(Exception):
                await self.claim_book.close(release=True)
        await self.broker.close()

    def compact_below(self, seq: int, retention_days: int) -> None:
        self.mirror.compact_below(seq, retention_days)

    # --- wiring to the session -------------------------------------------------------------

    def on_session_event(self, envelope: Envelope, _received: object) -> None:
        """The session's per-event listener: a hangup releases our claim on that call."""
        if envelope.data.event_type != _HANGUP:
            return
        ccid = getattr(envelope.data.payload, "call_control_id", None)
        if ccid and ccid in self.claim_book.held:
            self._spawn(self._release(str(ccid)), "team-release")

    async def _release(self, ccid: str) -> None:
        try:
            await self.claim_book.release(ccid)
        except TeamError as exc:
            log.info("claim on %s not released now (it expires): %s", ccid, exc.user_message)
        await self._publish()

    def _claimed(self, _ccid: str) -> None:
        self._spawn(self._publish(), "team-presence")

    def _resync(self, reason: ResyncReason) -> None:
        self.resyncs.append(reason)
        self._request_resync(f"team broker: {reason.value}")

    def _broker_state(self, state: BrokerState) -> None:
        problem = state_problem(state, self.broker.options.servers, self.broker.last_error)
        self._set_health(broker_state=str(state), broker_problem=problem)
        self._fire(TeamChange.BROKER)
        if state is BrokerState.RECONNECTED and self._ready.is_set():
            self._spawn(self._publish(), "team-presence")

    # --- presence ------------------------------------------------------------------------

    def follow_status(self, status: StatusModel) -> None:
        """Publish the desk's status model (the operator's one status) from now on."""
        self._status = status
        self._unsubscribe.append(status.subscribe(self._desk_status_changed))
        if self._ready.is_set():
            self._spawn(self._publish(), "team-presence")

    def _desk_status_changed(self, _presence: DeskPresence) -> None:
        if self._ready.is_set():
            self._spawn(self._publish(), "team-presence")

    def current_call(self) -> str | None:
        """The call this operator holds now (the newest claim kept)."""
        held = list(self.claim_book.held)
        return held[-1] if held else None

    def _wire_status(self) -> OperatorStatus:
        desk = self._status.status if self._status is not None else Status.AVAILABLE
        return wire_status(desk, self.current_call())

    async def _publish(self) -> None:
        if not self._ready.is_set():
            return
        reason = self._status.presence.reason if self._status is not None else ""
        try:
            await self.board.set_status(self._wire_status(), self.current_call(), reason)
        except TeamError as exc:
            log.info("status not shared now: %s", exc.user_message)

    def _presence_changed(self, _presence: Presence) -> None:
        self._fire(TeamChange.COLLEAGUES)

    def _claim_changed(self, _ccid: str, _claim: Claim | None) -> None:
        self._fire(TeamChange.CLAIMS)

    # --- TeamView ----------------------------------------------------------------------------

    @property
    def operator(self) -> str:
        return self._operator

    @property
    def supervisor(self) -> bool:
        return self._supervisor

    @property
    def broker_connected(self) -> bool:
        return self.broker.connected

    @property
    def broker_problem(self) -> str | None:
        broker = self.broker
        return current_problem(
            broker.state, broker.connected, broker.options.servers, self.source.problem
        )

    def colleagues(self) -> list[Colleague]:
        return [colleague_of(p) for p in self.board.colleagues]

    def claims(self) -> dict[str, CallClaim]:
        mine = self.claim_book.console_id
        return {ccid: call_claim(c, mine) for ccid, c in self.claim_book.claims.items()}

    def claim_of(self, call_control_id: str) -> CallClaim | None:
        claim = self.claim_book.holder(call_control_id)
        return call_claim(claim, self.claim_book.console_id) if claim is not None else None

    def on_change(self, listener: TeamListener) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def _fire(self, change: TeamChange) -> None:
        for listener in list(self._listeners):
            try:
                listener(change)
            except Exception:
                log.exception("team listener %r failed", listener)

    def colleague(self, name: str) -> Colleague:
        return find_colleague(self.colleagues(), name)

    async def transfer_to_colleague(
        self, call_control_id: str, colleague: str, *, attended: bool
    ) -> AttendedTransfer | None:
        ops = require_ops(self.ops)
        endpoint = transfer_endpoint(self.colleague(colleague))
        if attended:
            return await ops.start_attended_transfer(call_control_id, endpoint)
        await ops.transfer(call_control_id, endpoint)
        return None

    async def supervise(self, call_control_id: str, mode: SupervisorMode) -> None:
        ops = require_ops(self.ops)
        endpoint = supervisor_endpoint(self._supervisor, self._endpoint)
        await ops.supervise(call_control_id, SupervisorMode(mode), endpoint)

    async def stop_supervising(self, call_control_id: str) -> None:
        await require_ops(self.ops).stop_supervising(call_control_id)

    def _spawn(self, coro: Any, name: str) -> None:
        task = asyncio.create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


def _is_a_team_view(mode: TeamMode) -> TeamView:
    return mode  # mypy proves TeamMode satisfies the UI's protocol
