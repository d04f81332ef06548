"""The running ngrok agent as pyngrok knows it: find it, stop it, ask its local API about our
endpoint.

pyngrok keeps the agent it started for each ``ngrok_path`` in a module-level registry; these
blocking helpers are the only place that reads it. They are apart from
:mod:`console.tunnel.ngrok_tunnel` because they act on one agent process and know nothing of
the tunnel's state machine: the tunnel passes in what they need and keeps the results.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from pathlib import Path

from pyngrok import conf as pyngrok_conf
from pyngrok import ngrok as pyngrok_ngrok
from pyngrok import process as pyngrok_process
from pyngrok.exception import PyngrokError, PyngrokNgrokHTTPError, PyngrokNgrokURLError

from console.tunnel import agent_process


def known_agent(ngrok_path: str | None) -> pyngrok_process.NgrokProcess | None:
    """The agent pyngrok started from ``ngrok_path`` (None when it knows none)."""
    return pyngrok_process._current_processes.get(ngrok_path) if ngrok_path else None


def record_agent(
    pidfile: Path, agent: pyngrok_process.NgrokProcess, *, ngrok_path: str, config_path: Path
) -> None:
    """Write the pidfile record by which a later console finds and stops a leftover agent."""
    agent_process.write_record(
        pidfile,
        agent_process.AgentRecord(
            agent_pid=agent.proc.pid,
            console_pid=os.getpid(),
            ngrok_path=ngrok_path,
            config_path=str(config_path),
            started_at=time.time(),
        ),
    )


def kill_agent(config: pyngrok_conf.PyngrokConfig, pidfile: Path) -> None:
    """Stop the agent of ``config`` (gently first), make pyngrok forget it, drop its record."""
    agent = known_agent(config.ngrok_path)
    if agent is not None and agent.proc.poll() is None:
        # SIGTERM first: the agent then closes its ngrok session at once, so a restart is
        # not refused as a second simultaneous session (ERR_NGROK_108).
        with contextlib.suppress(OSError):
            agent.proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            agent.proc.wait(timeout=3)
    pyngrok_ngrok.kill(config)  # SIGKILLs if still alive, reaps, forgets pyngrok's tunnels
    agent_process.remove_record(pidfile)


def kill_starting_agent(ngrok_path: str | None) -> None:
    """SIGKILL the agent at once: unblocks a start stuck reading a silent agent's stdout."""
    agent = known_agent(ngrok_path)
    if agent is not None:
        with contextlib.suppress(OSError):
            agent.proc.kill()


def check_endpoint(
    proc: subprocess.Popen[str] | None,
    api_url: str | None,
    endpoint_uri: str,
    *,
    timeout: float,
    last_error: str | None,
) -> tuple[str | None, str | None]:
    """(problem, current public URL): problem is None while agent and endpoint are fine."""
    if proc is None or api_url is None:
        return "the ngrok agent is not running", None
    code = proc.poll()
    if code is not None:
        detail = f": {last_error}" if last_error else ""
        return f"the ngrok agent exited (code {code}){detail}", None
    try:
        data = pyngrok_ngrok.api_request(f"{api_url}{endpoint_uri}", timeout=timeout)
    except PyngrokNgrokHTTPError as exc:
        if exc.status_code == 404:
            return "the ngrok tunnel was closed", None
        return f"the ngrok agent answered HTTP {exc.status_code}", None
    except (PyngrokNgrokURLError, PyngrokError, OSError) as exc:
        return f"the ngrok agent's local API did not answer ({exc})", None
    return None, data.get("public_url") or data.get("url")
