"""Keeping track of the ngrok agent process across console crashes: lock, pidfile, orphan kill.

pyngrok starts the agent with ``subprocess.Popen`` and lets callers choose only
``start_new_session``, so ``prctl(PR_SET_PDEATHSIG)`` (a ``preexec_fn``) cannot be used; it would
also fire when the *thread* that spawned the agent exits, and pyngrok spawns from a worker
thread. Instead:

* while a console runs an agent it holds an exclusive ``flock`` on ``ngrok-agent.lock`` in the
  data dir; the kernel drops the lock when the console dies, however it dies;
* ``ngrok-agent.pid`` records the agent's PID;
* before starting an agent the console takes the lock (failing if another live console holds
  it) and then kills any leftover agent: the PID in the pidfile and, on Linux, any process whose
  command line is an ngrok agent using *our* config file. A PID is only killed after its command
  line proves it is such an agent (PIDs get reused);
* ``start_new_session`` stays False, so closing the terminal (SIGHUP) or Ctrl+C reaches the agent
  as well as the console.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

log = logging.getLogger(__name__)

PIDFILE_NAME = "ngrok-agent.pid"  # console.paths.AGENT_PIDFILE_NAME names the same file
LOCKFILE_NAME = "ngrok-agent.lock"

_PROC = Path("/proc")


@dataclass(frozen=True)
class AgentRecord:
    agent_pid: int
    console_pid: int
    ngrok_path: str
    config_path: str
    started_at: float


def write_record(pidfile: Path, record: AgentRecord) -> None:
    tmp = pidfile.with_name(pidfile.name + ".tmp")
    tmp.write_text(json.dumps(asdict(record)), encoding="utf-8")
    os.replace(tmp, pidfile)


def read_record(pidfile: Path) -> AgentRecord | None:
    try:
        data = json.loads(pidfile.read_text(encoding="utf-8"))
        return AgentRecord(**data)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError):
        log.warning("ignoring unreadable agent pidfile %s", pidfile)
        return None


def remove_record(pidfile: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        pidfile.unlink()


class DataDirLock:
    """An exclusive, non-blocking ``flock``; released by the kernel if the process dies.

    On platforms without ``fcntl`` (Windows) it always succeeds: orphan cleanup there relies on
    the pidfile alone and never kills without a verified command line.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        if self._fd is not None:
            return True
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            self._fd = -1
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # os.open descriptors are not inherited by children (PEP 446): the agent never holds it.
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None and fd >= 0:
            os.close(fd)  # closing drops the flock


def process_cmdline(pid: int) -> list[str] | None:
    """The argv of ``pid``, or None if it is gone or cannot be read."""
    if _PROC.is_dir():
        try:
            raw = (_PROC / str(pid) / "cmdline").read_bytes()
        except OSError:
            return None
        return [part.decode(errors="replace") for part in raw.split(b"\0") if part] or None
    if sys.platform == "win32":  # pragma: no cover - no safe way to verify: never kill
        return None
    try:  # pragma: no cover - macOS/BSD
        out = subprocess.run(
            ["ps", "-ww", "-o", "command=", "-p", str(pid)],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return [out] if out else None


def process_alive(pid: int) -> bool:
    """True while ``pid`` runs; a zombie (dead, not yet reaped by its parent) counts as gone."""
    stat = _PROC / str(pid) / "stat"
    if _PROC.is_dir():
        try:
            text = stat.read_text()
        except OSError:
            return False
        # The state letter follows the parenthesised command name, which may contain spaces.
        return text[text.rfind(")") + 2 : text.rfind(")") + 3] not in ("Z", "X")
    try:  # pragma: no cover - non-Linux
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_our_agent(cmdline: list[str] | None, config_path: str) -> bool:
    """Whether ``cmdline`` is an ngrok agent started by pyngrok with our config file."""
    if not cmdline:
        return False
    if len(cmdline) == 1:
        # From ps (no /proc): one unparsed string, and data-dir paths may contain spaces.
        text = cmdline[0]
        pattern = rf"ngrok\S* start --none\b.* --config {re.escape(config_path)}(\s|$)"
        return re.search(pattern, text, re.IGNORECASE) is not None
    # The executable (or the script a wrapper runs) must be named like ngrok.
    named_ngrok = any("ngrok" in os.path.basename(arg).lower() for arg in cmdline[:2])
    try:
        config = cmdline[cmdline.index("--config") + 1]
    except (ValueError, IndexError):
        return False
    return named_ngrok and "start" in cmdline and "--none" in cmdline and config == config_path


def find_agents_using(config_path: str) -> list[int]:
    """PIDs of live ngrok agents using ``config_path`` (Linux only; elsewhere an empty list)."""
    if not _PROC.is_dir():
        return []
    found = []
    for entry in _PROC.iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            pid = int(entry.name)
            if is_our_agent(process_cmdline(pid), config_path) and process_alive(pid):
                found.append(pid)
    return found


def terminate(pid: int, timeout: float = 3.0) -> bool:
    """SIGTERM, then SIGKILL after ``timeout``; True once the process is gone."""
    for sig in (signal.SIGTERM, getattr(signal, "SIGKILL", signal.SIGTERM)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not process_alive(pid):
                return True
            time.sleep(0.02)
    return not process_alive(pid)


def kill_leftover_agents(pidfile: Path, config_path: str) -> list[int]:
    """Kill agents a dead console left behind; the caller must hold the data-dir lock.

    Holding the lock proves no other live console owns an agent with this config, so every
    verified match is an orphan. Returns the PIDs killed.
    """
    candidates: set[int] = set(find_agents_using(config_path))
    record = read_record(pidfile)
    if record is not None and record.agent_pid != os.getpid():
        if process_alive(record.agent_pid) and is_our_agent(
            process_cmdline(record.agent_pid), config_path
        ):
            candidates.add(record.agent_pid)
        elif process_alive(record.agent_pid):
            log.info("pidfile PID %d is no longer an ngrok agent: left alone", record.agent_pid)
    killed = []
    for pid in sorted(candidates):
        log.warning("stopping ngrok agent PID %d left behind by a previous console", pid)
        if terminate(pid):
            killed.append(pid)
        else:
            log.error("could not stop leftover ngrok agent PID %d", pid)
    remove_record(pidfile)
    return killed
