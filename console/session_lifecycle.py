"""The session's start and stop: every service brought up in order, and down in reverse.

Start order (stop is the reverse):

1. the ingest component starts (by default in a child process): the webhook receiver on
   127.0.0.1 and the journal it commits to. A demo takes any free port (two demo consoles on
   one machine must not collide), a fresh journal of its own, and knows the simulator's signing
   key from the start. Team mode starts no receiver: events come from the relay's broker;
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

Nothing that depends on the outside world stops the console from opening: a tunnel that does
not start, an application that cannot be re-pointed or a start-up resync that fails is reported
in ``health`` (what went wrong and what to do) and the operator fixes it from Settings.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any

from console import session_client
from console.errors import words_for
from console.operations import Operations
from console.secrets import Secret
from console.session_client import MissingClient, quietly
from console.session_housekeeping import run_housekeeping

if TYPE_CHECKING:
    from console.session import ConsoleSession

log = logging.getLogger("console.session")

AUDIT_FILENAME = "audit.jsonl"
DEMO_NOTICE = "Demo mode: calls are simulated; nothing reaches Telnyx."


async def start(session: ConsoleSession) -> None:
    """Start every service in order (the module docstring); raises on what must work."""
    s = session
    s._link.remember_in(None if s.demo else s.data_dir)

    if s.demo:
        from console.events.signature import KeyPair

        # The simulator signs with this pair; the receiver knows the key from the start.
        s._simulator_options.setdefault("keypair", KeyPair.generate())
        public_key = s._simulator_options["keypair"].public_key_b64
    else:
        public_key = await s.secrets.aget(Secret.PUBLIC_KEY)
    if s.settings.mode == "team" and not s.demo:
        await _start_team(s)  # no receiver: events come from the relay's broker
    else:
        await s._receiver_link.start(public_key)
    await s._state.start()

    notices: list[str] = list(s._start_notices)
    if s.demo:
        await session_client.start_simulator(s)
        notices.append(DEMO_NOTICE)
    else:
        api_key = await s.secrets.aget(Secret.API_KEY)
        s.client = session_client.make_client(s, api_key) if api_key else None
        if s.client is None:
            notices.append("No Telnyx API key is set: open Settings to add one, or run --demo.")
            # Nothing could point Telnyx at a tunnel yet; it starts once setup gives a key.
            s._set_health(tunnel_state="waiting for setup")

    make_operations = s.team.operations if s.team is not None else Operations
    s.ops = make_operations(
        s.client or MissingClient(),
        s.store,
        s.settings,
        audit=s.data_dir / AUDIT_FILENAME,
        hold_music_url=session_client.hold_music_url(s),
        connection_id=s.settings.connection_id or None,
    )
    s._set_health(notices=tuple(notices))
    if s.team is not None:
        s.on_event(s.team.on_session_event)
        await s.team.start()  # never waits for the broker
    if s._connect_in_background:
        s._spawn(_connect(s), "session-connect")
    else:
        await _connect(s)
    s._tick_task = asyncio.create_task(run_housekeeping(s), name="session-tick")
    if s.demo and s._demo_traffic and s.simulator is not None:
        s.simulator.start_demo_traffic()


async def _start_team(session: ConsoleSession) -> None:
    from console.team.mode import TeamMode  # imported only here: nats-py is heavy

    password = await session.secrets.aget(Secret.BROKER_PASSWORD)
    session.team = TeamMode.for_settings(
        session.settings,
        password,
        journal_path=session._journal_path(),
        database_path=session.database_path,
        committed=session._receiver_link.on_committed,
        request_resync=session.request_resync,
        set_health=session._set_health,
        **session._team_options,
    )
    await session.team.open_journal()
    session._set_health(mode="team", tunnel_state="team", receiver_url=None)


async def _connect(session: ConsoleSession) -> None:
    """What needs the network: the tunnel, pointing the webhook URL at it, the start-up
    resync. Each failure is recorded in health and words; none stops the console."""
    if session.client is None:
        return
    if not session.demo and session.team is None:  # team mode: the relay owns the URL
        await session._link.start()
        await session._point_webhook()
    try:
        await session.resync("start-up")
    except Exception as exc:
        # Recorded in health (last_resync_error, api_last_error): the console still
        # opens, so the operator can fix the key or the application in Settings.
        log.warning("start-up resync failed: %s", words_for(exc))


async def stop(session: ConsoleSession) -> None:
    """Stop every service in reverse order; each step runs even if an earlier one failed."""
    s = session
    tasks: list[asyncio.Task[Any]] = [
        t
        for t in (s._tick_task, s._resyncer.task, s._receiver_link.restart_task, *s._tasks)
        if t is not None
    ]
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
    if s.ops is not None:
        await quietly("transfers", s.ops.aclose())
    if s.settings.restore_webhook_url_on_exit:
        await s._link.restore_webhook()
    await s._link.stop()
    if s.simulator is not None:
        await quietly("simulator stop", s.simulator.stop())
    if s.client is not None:
        await quietly("client close", s.client.aclose())
    if s.team is not None:
        # The stream stops first; what the mirror wrote is folded below.
        await quietly("team mode", s.team.stop())
    if s.ingest is not None:
        # The receiver stops answering first; what it committed is folded below.
        await quietly("receiver stop", s.ingest.stop())
        s.ingest = None
        s.receiver.stopped()
    if s.tail is not None:
        await quietly("journal tail stop", s.tail.stop())
        await quietly("checkpoint", s._state.save_final())
        s.tail = None
    if s.recorder is not None:
        await quietly("history recorder stop", s.recorder.stop())
        s.recorder = None
    s._close_history_table()
    if s.journal is not None:
        s.journal.close()
        s.journal = None
    await s._files.remove_demo_files()
