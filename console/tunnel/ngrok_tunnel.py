"""The ngrok tunnel provider: runs the ngrok agent through pyngrok, watches it, reconnects.

Every pyngrok call blocks (it spawns the agent, reads its log, makes HTTP calls to the agent's
local API), so they run in worker threads via ``asyncio.to_thread``; state changes and callbacks
happen on the event loop only. pyngrok keeps one agent per ``ngrok_path`` in module globals, so
one NgrokTunnel per agent path is supported.

Finding the agent is in ``ngrok_agent_path.py``, its configuration and the token's file in
``ngrok_config.py``, the blocking calls on pyngrok's running agent in ``ngrok_agent.py``, and
pyngrok's errors in words in ``ngrok_errors.py``; this module holds the tunnel's lifecycle:
start, watch, reconnect, stop.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import logging
import subprocess
import threading
import weakref
from collections import deque
from collections.abc import Callable
from pathlib import Path

from pyngrok import conf as pyngrok_conf
from pyngrok import ngrok as pyngrok_ngrok
from pyngrok import process as pyngrok_process
from pyngrok.exception import (
    PyngrokError,
)
from pyngrok.log import NgrokLog

from console.tunnel import agent_process, ngrok_agent
from console.tunnel.base import StatusReporter, TunnelState
from console.tunnel.errors import (
    AgentBusyError,
    AgentStartError,
    TunnelError,
)
from console.tunnel.ngrok_agent_path import resolve_agent_path
from console.tunnel.ngrok_config import pyngrok_config, read_authtoken, write_agent_config
from console.tunnel.ngrok_errors import PERMANENT_ERROR_CODES, redact, translate

log = logging.getLogger(__name__)

_live_tunnels: weakref.WeakSet[NgrokTunnel] = weakref.WeakSet()
_atexit_registered = False


def _stop_all_at_exit() -> None:
    # Safety net for an exit without stop(): the agent must not outlive the console.
    for tunnel in list(_live_tunnels):
        with contextlib.suppress(Exception):
            tunnel._shutdown_blocking()


class NgrokTunnel(StatusReporter):
    """An ngrok endpoint to ``http://127.0.0.1:<local_port>``, kept up by a watchdog.

    ``authtoken`` may be a callable (e.g. ``SecretStore.get_ngrok_authtoken``): it is called in
    a worker thread at start, because keyring lookups can block. The token reaches the agent
    through a 0600 config file that is emptied again once the agent is up, never through the
    command line (which every local user can read) and never through logs.
    """

    kind = "ngrok"

    def __init__(
        self,
        authtoken: str | Callable[[], str | None] | None,
        *,
        state_dir: Path,
        ngrok_path: str | None = None,
        region: str | None = None,
        domain: str | None = None,
        endpoint_name: str = "telnyx-console",
        watchdog_interval: float = 5.0,
        backoff_initial: float = 1.0,
        backoff_max: float = 60.0,
        max_reconnect_attempts: int | None = None,
        startup_timeout: float = 15.0,
        request_timeout: float = 4.0,
    ) -> None:
        super().__init__()
        self._authtoken_source = authtoken
        self._state_dir = Path(state_dir)
        self._configured_path = ngrok_path or ""
        self._region = region or None
        self._domain = domain or None
        self._endpoint_name = endpoint_name
        self.watchdog_interval = watchdog_interval
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.max_reconnect_attempts = max_reconnect_attempts
        self._startup_timeout = startup_timeout
        self._request_timeout = request_timeout

        self._pidfile = self._state_dir / agent_process.PIDFILE_NAME
        self._config_path = self._state_dir / "ngrok" / "ngrok.yml"
        self._lock = agent_process.DataDirLock(self._state_dir / agent_process.LOCKFILE_NAME)

        self._ngrok_path: str | None = None
        self._token: str | None = None
        self._local_port: int | None = None
        self._proc: subprocess.Popen[str] | None = None
        self._api_url: str | None = None
        self._endpoint_uri = f"/api/endpoints/{endpoint_name}"
        # Serialises agent start/kill between worker threads (watchdog vs. stop()).
        self._agent_lock = threading.Lock()
        self._closing = False
        self._agent_errors: deque[str] = deque(maxlen=5)
        self._watchdog: asyncio.Task[None] | None = None
        self._op_lock = asyncio.Lock()

    # -- read-only facts for the UI and tests ---------------------------------------------
    @property
    def agent_pid(self) -> int | None:
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    @property
    def api_url(self) -> str | None:
        return self._api_url

    @property
    def config_path(self) -> Path:
        return self._config_path

    @property
    def pidfile(self) -> Path:
        return self._pidfile

    # -- lifecycle ------------------------------------------------------------------------
    async def start(self, local_port: int) -> str:
        """Start the agent and the endpoint; returns the public base URL or raises TunnelError."""
        async with self._op_lock:
            if self._state in (TunnelState.UP, TunnelState.RECONNECTING) and (
                self._local_port == local_port and self._public_url
            ):
                return self._public_url
            await self._stop_locked()
            self._closing = False
            self._local_port = local_port
            self._set_status(TunnelState.STARTING)
            try:
                await asyncio.to_thread(self._prepare_blocking)
                url = await self._open(fresh_agent=True)
            except TunnelError as exc:
                await asyncio.to_thread(self._shutdown_blocking)
                self._set_status(TunnelState.FAILED, error=exc.user_message)
                raise
            except BaseException:
                await asyncio.shield(asyncio.to_thread(self._shutdown_blocking))
                self._set_status(TunnelState.DOWN)
                raise
            self._set_status(TunnelState.UP, public_url=url)
            self._watchdog = asyncio.create_task(self._watch(), name="ngrok-watchdog")
            return url

    async def stop(self) -> None:
        """Close the endpoint and stop the agent (and the watchdog). Safe to call twice."""
        async with self._op_lock:
            await self._stop_locked()

    async def _stop_locked(self) -> None:
        watchdog, self._watchdog = self._watchdog, None
        if watchdog is not None and watchdog is not asyncio.current_task():
            watchdog.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watchdog
        if self._state is not TunnelState.DOWN or self._lock.held:
            await asyncio.to_thread(self._shutdown_blocking)
            self._set_status(TunnelState.DOWN)

    # -- blocking parts (worker threads) ----------------------------------------------------
    def _prepare_blocking(self) -> None:
        self._ngrok_path = resolve_agent_path(self._configured_path)
        self._token = read_authtoken(self._authtoken_source)
        self._state_dir.mkdir(parents=True, exist_ok=True)
        if not self._lock.acquire():
            raise AgentBusyError(
                "Another telnyx-console is already running an ngrok agent from "
                f"{self._state_dir}. Close that console first."
            )
        killed = agent_process.kill_leftover_agents(self._pidfile, str(self._config_path))
        if killed:
            log.info("stopped %d leftover ngrok agent(s): %s", len(killed), killed)
        global _atexit_registered
        _live_tunnels.add(self)
        if not _atexit_registered:
            atexit.register(_stop_all_at_exit)
            _atexit_registered = True

    def _pyngrok_config(self) -> pyngrok_conf.PyngrokConfig:
        assert self._ngrok_path is not None
        return pyngrok_config(
            ngrok_path=self._ngrok_path,
            config_path=self._config_path,
            region=self._region,
            on_log=self._on_agent_log,
            startup_timeout=self._startup_timeout,
            request_timeout=self._request_timeout,
        )

    def _write_agent_config(self, with_token: bool) -> None:
        write_agent_config(self._config_path, (self._token or "") if with_token else None)

    def _open_blocking(self, fresh_agent: bool) -> str:
        """Start the agent if needed, then create the endpoint; returns its public URL."""
        with self._agent_lock:
            if self._closing:
                raise TunnelError("The tunnel was stopped while it was starting.")
            config = self._pyngrok_config()
            if fresh_agent:
                self._kill_agent_locked(config)
            need_start = not pyngrok_process.is_process_running(config.ngrok_path)
            if need_start:
                self._agent_errors.clear()
                self._write_agent_config(with_token=True)
            options: dict[str, str] = {}
            if self._domain:
                options["url"] = f"https://{self._domain}"
            try:
                tunnel = pyngrok_ngrok.connect(
                    f"http://127.0.0.1:{self._local_port}",
                    name=self._endpoint_name,
                    pyngrok_config=config,
                    **options,
                )
            except PyngrokError as exc:
                raise self._translate(exc) from None
            finally:
                if need_start:
                    # The agent has read its config (or failed): take the token off the disk.
                    with contextlib.suppress(OSError):
                        self._write_agent_config(with_token=False)
            agent = ngrok_agent.known_agent(config.ngrok_path)
            if agent is None or tunnel.public_url is None:
                raise AgentStartError("The ngrok agent stopped right after starting.")
            self._proc, self._api_url = agent.proc, agent.api_url
            self._endpoint_uri = tunnel.uri or self._endpoint_uri
            ngrok_agent.record_agent(
                self._pidfile, agent, ngrok_path=config.ngrok_path, config_path=self._config_path
            )
            return tunnel.public_url

    def _kill_agent_locked(self, config: pyngrok_conf.PyngrokConfig) -> None:
        ngrok_agent.kill_agent(config, self._pidfile)
        self._proc = None
        self._api_url = None

    def _kill_starting_agent(self) -> None:
        # Without the lock: unblocks a start stuck reading a silent agent's stdout.
        ngrok_agent.kill_starting_agent(self._ngrok_path)

    def _shutdown_blocking(self) -> None:
        """Stop the agent and clean up its files; also the atexit path. Idempotent."""
        self._closing = True
        if not self._lock.held:
            # We never got to run an agent (e.g. another console holds the data dir): the
            # agent pyngrok may know under this path is someone else's.
            _live_tunnels.discard(self)
            return
        if not self._agent_lock.acquire(blocking=False):
            # A start is under way in another thread: kill its agent so it gives up quickly.
            self._kill_starting_agent()
            self._agent_lock.acquire()
        try:
            if self._ngrok_path is not None:
                self._kill_agent_locked(self._pyngrok_config())
            with contextlib.suppress(OSError):
                self._config_path.unlink()
            self._lock.release()
        finally:
            self._agent_lock.release()
        _live_tunnels.discard(self)

    def _check_blocking(self) -> tuple[str | None, str | None]:
        """(problem, current public URL): problem is None while agent and endpoint are fine."""
        return ngrok_agent.check_endpoint(
            self._proc,
            self._api_url,
            self._endpoint_uri,
            timeout=self._request_timeout,
            last_error=self._agent_errors[-1] if self._agent_errors else None,
        )

    def _on_agent_log(self, line: NgrokLog) -> None:
        # Runs in pyngrok's threads: only collect, never touch state.
        if line.lvl in ("ERROR", "CRITICAL"):
            self._agent_errors.append(self._redact(line.err or line.msg or line.line))

    # -- event-loop side ------------------------------------------------------------------
    async def _open(self, *, fresh_agent: bool) -> str:
        job = asyncio.ensure_future(asyncio.to_thread(self._open_blocking, fresh_agent))
        # A thread cannot be cancelled: when we stop waiting, its outcome must still be consumed.
        job.add_done_callback(lambda f: f.cancelled() or f.exception())
        try:
            # pyngrok's own timeout only runs between log lines; a silent agent needs this one.
            margin = min(5.0, max(1.0, self._startup_timeout / 3))
            return await asyncio.wait_for(asyncio.shield(job), self._startup_timeout + margin)
        except TimeoutError:
            self._kill_starting_agent()
            with contextlib.suppress(Exception):
                await job
            raise AgentStartError(
                f"The ngrok agent did not start within {self._startup_timeout:g} seconds."
            ) from None
        except asyncio.CancelledError:
            self._kill_starting_agent()
            raise
        except TunnelError:
            raise
        except Exception as exc:  # e.g. the data dir is not writable
            raise AgentStartError(f"The ngrok tunnel could not be opened: {exc}") from exc

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self.watchdog_interval)
            try:
                problem, url = await asyncio.to_thread(self._check_blocking)
            except Exception as exc:  # the watchdog must outlive surprises
                log.exception("ngrok watchdog check failed")
                problem, url = f"the tunnel check failed ({exc})", None
            if problem is None:
                if url and url != self._public_url:  # the agent re-established with a new URL
                    self._set_status(TunnelState.UP, public_url=url)
                continue
            log.warning("ngrok tunnel problem: %s; reconnecting", problem)
            if not await self._reconnect(problem):
                return

    async def _reconnect(self, problem: str) -> bool:
        """Bring the tunnel back with exponential back-off; False once attempts are exhausted."""
        self._set_status(TunnelState.RECONNECTING, public_url=self._public_url, error=problem)
        agent_alive = self._proc is not None and self._proc.poll() is None
        delay = self.backoff_initial
        attempt = 0
        while True:
            attempt += 1
            try:
                # First try only re-creating the endpoint if the agent still runs.
                url = await self._open(fresh_agent=attempt > 1 or not agent_alive)
            except TunnelError as exc:
                error = f"{problem}; reconnect attempt {attempt} failed: {exc.user_message}"
                permanent = getattr(exc, "code", None) in PERMANENT_ERROR_CODES
                if permanent or (
                    self.max_reconnect_attempts and attempt >= self.max_reconnect_attempts
                ):
                    await asyncio.to_thread(self._shutdown_blocking)
                    self._set_status(TunnelState.FAILED, error=error)
                    return False
                self._set_status(TunnelState.RECONNECTING, public_url=self._public_url, error=error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.backoff_max)
                continue
            self._set_status(TunnelState.UP, public_url=url)
            return True

    # -- errors -----------------------------------------------------------------------------
    def _redact(self, text: str) -> str:
        return redact(text, self._token)

    def _translate(self, exc: PyngrokError) -> TunnelError:
        last = self._agent_errors[-1] if self._agent_errors else None
        return translate(exc, self._token, last)
