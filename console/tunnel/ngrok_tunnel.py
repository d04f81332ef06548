"""The ngrok tunnel provider: runs the ngrok agent through pyngrok, watches it, reconnects.

Every pyngrok call blocks (it spawns the agent, reads its log, makes HTTP calls to the agent's
local API), so they run in worker threads via ``asyncio.to_thread``; state changes and callbacks
happen on the event loop only. pyngrok keeps one agent per ``ngrok_path`` in module globals, so
one NgrokTunnel per agent path is supported.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import json
import logging
import math
import os
import shutil
import subprocess
import sys
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable
from pathlib import Path

from pyngrok import conf as pyngrok_conf
from pyngrok import ngrok as pyngrok_ngrok
from pyngrok import process as pyngrok_process
from pyngrok.exception import (
    PyngrokError,
    PyngrokNgrokError,
    PyngrokNgrokHTTPError,
    PyngrokNgrokURLError,
)
from pyngrok.log import NgrokLog

from console.errors import words_for
from console.tunnel import agent_process
from console.tunnel.base import StatusReporter, TunnelState
from console.tunnel.errors import (
    AgentBusyError,
    AgentNotFoundError,
    AgentStartError,
    TunnelConfigError,
    TunnelError,
)

log = logging.getLogger(__name__)

DOWNLOAD_URL = "https://ngrok.com/download"
AUTHTOKEN_URL = "https://dashboard.ngrok.com/get-started/your-authtoken"
REDACTED = "[REDACTED]"

# Hints for the ngrok error codes an operator meets most (https://ngrok.com/docs/errors/).
_ERROR_HINTS = {
    "ERR_NGROK_105": "the ngrok authtoken is not valid: copy it again from " + AUTHTOKEN_URL,
    "ERR_NGROK_107": "the ngrok authtoken is not valid: copy it again from " + AUTHTOKEN_URL,
    "ERR_NGROK_108": "another ngrok agent is already online with this account; stop it first",
    "ERR_NGROK_4018": "ngrok needs an authtoken: get one at " + AUTHTOKEN_URL,
    "ERR_NGROK_313": "this reserved domain needs a paid plan or is not yours (ngrok_domain)",
    "ERR_NGROK_320": "the reserved domain is not in your ngrok account (ngrok_domain)",
}

# Errors that retrying cannot fix (bad token, domain not ours): reconnecting stops at once.
PERMANENT_ERROR_CODES = frozenset(
    {"ERR_NGROK_105", "ERR_NGROK_107", "ERR_NGROK_4018", "ERR_NGROK_313", "ERR_NGROK_320"}
)

_live_tunnels: weakref.WeakSet[NgrokTunnel] = weakref.WeakSet()
_atexit_registered = False


def _stop_all_at_exit() -> None:
    # Safety net for an exit without stop(): the agent must not outlive the console.
    for tunnel in list(_live_tunnels):
        with contextlib.suppress(Exception):
            tunnel._shutdown_blocking()


def bundled_agent_path() -> Path | None:
    """In a frozen build, an executable ngrok agent shipped beside the console's executable."""
    if not getattr(sys, "frozen", False):
        return None
    exe = "ngrok.exe" if sys.platform == "win32" else "ngrok"
    candidate = Path(sys.executable).resolve().parent / exe
    if candidate.is_file() and os.access(candidate, os.X_OK):
        return candidate
    return None


def resolve_agent_path(configured: str | None) -> str:
    """The ngrok agent to run: ``configured`` if set, else (in a frozen build) the agent shipped
    beside the console's executable, else ``ngrok`` on PATH.

    Raises :class:`AgentNotFoundError` at once; pyngrok's downloader is never reached.
    """
    exe = "ngrok.exe" if sys.platform == "win32" else "ngrok"
    if configured:
        path = Path(configured).expanduser()
        if path.is_dir():
            path = path / exe
        if not path.is_file():
            raise AgentNotFoundError(
                f"The ngrok agent was not found at {path}. Download it from {DOWNLOAD_URL} "
                "and set 'ngrok_path' in Settings to the ngrok executable."
            )
        if not os.access(path, os.X_OK):
            raise AgentNotFoundError(
                f"The ngrok agent at {path} is not executable (on Linux/macOS: chmod +x {path})."
            )
        return os.path.abspath(path)
    bundled = bundled_agent_path()
    if bundled is not None:
        return str(bundled)
    found = shutil.which(exe)
    if not found:
        raise AgentNotFoundError(
            f"The ngrok agent is not installed. Download it from {DOWNLOAD_URL}, then set "
            "'ngrok_path' in Settings to the ngrok executable (or put ngrok on PATH). "
            "Alternatively choose the 'manual' tunnel with your own reverse proxy."
        )
    return os.path.abspath(found)


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
        token = self._authtoken_source
        if callable(token):
            try:
                token = token()
            except Exception as exc:  # e.g. a locked keyring (SecretStoreError)
                reason = words_for(exc)
                raise TunnelConfigError(f"The ngrok authtoken could not be read: {reason}") from exc
        if not token:
            raise TunnelConfigError(
                "No ngrok authtoken is set. Get one at " + AUTHTOKEN_URL + " and save it in "
                "Settings (kept in the system keyring) or set the NGROK_AUTHTOKEN variable."
            )
        self._token = token
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
        config = pyngrok_conf.PyngrokConfig(
            ngrok_path=self._ngrok_path,
            config_path=str(self._config_path),
            region=self._region,
            monitor_thread=True,  # keeps reading the agent's stdout so its pipe never fills
            log_event_callback=self._on_agent_log,
            startup_timeout=max(1, math.ceil(self._startup_timeout)),
            request_timeout=self._request_timeout,
            start_new_session=False,  # see agent_process: terminal signals reach the agent too
        )
        # PyngrokConfig reads NGROK_AUTHTOKEN / NGROK_API_KEY from the environment and would put
        # the token on the agent's command line: the config file carries it instead.
        config.auth_token = None
        config.api_key = None
        return config

    def _write_agent_config(self, with_token: bool) -> None:
        # JSON is valid YAML, which is what the agent and pyngrok parse.
        agent: dict[str, str] = {"authtoken": self._token or ""} if with_token else {}
        text = json.dumps({"version": "3", "agent": agent})
        self._config_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._config_path.with_name(self._config_path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, self._config_path)

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
            agent = pyngrok_process._current_processes.get(config.ngrok_path)
            if agent is None or tunnel.public_url is None:
                raise AgentStartError("The ngrok agent stopped right after starting.")
            self._proc, self._api_url = agent.proc, agent.api_url
            self._endpoint_uri = tunnel.uri or self._endpoint_uri
            agent_process.write_record(
                self._pidfile,
                agent_process.AgentRecord(
                    agent_pid=agent.proc.pid,
                    console_pid=os.getpid(),
                    ngrok_path=config.ngrok_path,
                    config_path=str(self._config_path),
                    started_at=time.time(),
                ),
            )
            return tunnel.public_url

    def _kill_agent_locked(self, config: pyngrok_conf.PyngrokConfig) -> None:
        agent = pyngrok_process._current_processes.get(config.ngrok_path)
        if agent is not None and agent.proc.poll() is None:
            # SIGTERM first: the agent then closes its ngrok session at once, so a restart is
            # not refused as a second simultaneous session (ERR_NGROK_108).
            with contextlib.suppress(OSError):
                agent.proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                agent.proc.wait(timeout=3)
        pyngrok_ngrok.kill(config)  # SIGKILLs if still alive, reaps, forgets pyngrok's tunnels
        self._proc = None
        self._api_url = None
        agent_process.remove_record(self._pidfile)

    def _kill_starting_agent(self) -> None:
        # Without the lock: unblocks a start stuck reading a silent agent's stdout.
        path = self._ngrok_path
        agent = pyngrok_process._current_processes.get(path) if path else None
        if agent is not None:
            with contextlib.suppress(OSError):
                agent.proc.kill()

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
        proc, api_url = self._proc, self._api_url
        if proc is None or api_url is None:
            return "the ngrok agent is not running", None
        code = proc.poll()
        if code is not None:
            detail = f": {self._agent_errors[-1]}" if self._agent_errors else ""
            return f"the ngrok agent exited (code {code}){detail}", None
        try:
            data = pyngrok_ngrok.api_request(
                f"{api_url}{self._endpoint_uri}",
                timeout=self._request_timeout,
            )
        except PyngrokNgrokHTTPError as exc:
            if exc.status_code == 404:
                return "the ngrok tunnel was closed", None
            return f"the ngrok agent answered HTTP {exc.status_code}", None
        except (PyngrokNgrokURLError, PyngrokError, OSError) as exc:
            return f"the ngrok agent's local API did not answer ({exc})", None
        return None, data.get("public_url") or data.get("url")

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
        return text.replace(self._token, REDACTED) if self._token else text

    def _translate(self, exc: PyngrokError) -> TunnelError:
        if isinstance(exc, PyngrokNgrokHTTPError):
            detail = exc.body or str(exc)
            with contextlib.suppress(ValueError, AttributeError, TypeError):
                body = json.loads(exc.body)
                detail = body.get("details", {}).get("err") or body.get("msg") or detail
            detail = self._redact(str(detail).strip())
            return AgentStartError(f"ngrok refused to open the tunnel: {detail}", detail)
        if isinstance(exc, PyngrokNgrokError) and exc.ngrok_error:
            reason = self._redact(exc.ngrok_error.strip())
            hint = _ERROR_HINTS.get(exc.ngrok_error_code or "")
            message = f"The ngrok agent could not start: {reason}"
            code = exc.ngrok_error_code
            return AgentStartError(message + (f" ({hint})" if hint else ""), reason, code)
        reason = self._redact(str(exc))
        last = f" Last agent error: {self._agent_errors[-1]}" if self._agent_errors else ""
        return AgentStartError(f"The ngrok agent could not start: {reason}{last}", reason)
