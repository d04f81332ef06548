"""The processes ``app_as_wired`` measures: the real console, and the reference servers.

:class:`Console` starts ``_console_child.py`` (``run_app`` with its window) from a prepared home
and talks to it over stdin/stdout; :func:`reference` starts one of ``_reference_servers.py``.
:func:`compile_console` gives the console's processes the bytecode an installed app has.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.request import urlopen

from console.events.signature import KeyPair

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent


def compile_console() -> None:
    """Compile the console's modules to bytecode beside them (``__pycache__``, ignored by git).

    An installed or frozen console runs from bytecode, and so does a checkout after its first
    start, unless ``PYTHONDONTWRITEBYTECODE`` is set (as on this machine): then every start
    would compile ~400 modules again, in the console and in its ingest process, 0.3-0.5 s that
    no user pays. (Python reads bytecode that exists whatever that variable says.)
    """
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "console")],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, within: float = 30.0) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.02)
    raise TimeoutError(f"nothing listens on port {port}")


# --- the console under test -----------------------------------------------------------------


class Console:
    """The real app in a child process (see ``_console_child.py``)."""

    def __init__(self, home: Path, key: KeyPair, port: int):
        self.home, self.key, self.port = home, key, port
        settings = {
            "tunnel_provider": "none",
            "receiver_port": port,
            # The REST API is not part of this benchmark: nothing listens here, so the
            # start-up resync fails at once (and says so in health), as with no network.
            "api_base_url": f"http://127.0.0.1:{free_port()}/v2",
            "connection_id": "2386325531927775048",
            "from_numbers": ["+13125550100"],
            "event_silence_warning_secs": 0,
        }
        config = home / "config"
        config.mkdir(parents=True, exist_ok=True)
        (config / "settings.json").write_text(json.dumps(settings))
        self.process: subprocess.Popen[str] | None = None
        self.ready: dict[str, Any] = {}

    def start(self) -> dict[str, Any]:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "TELNYX_CONSOLE_HOME": str(self.home),
            "TELNYX_PUBLIC_KEY": self.key.public_key_b64,
            "TELNYX_API_KEY": "KEYbenchmark",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        }
        began = time.time()
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "_console_child.py")],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.ready = self._expect("ready")
        self.ready["shown_after"] = self.ready["at"] - began
        return self.ready

    def ask(self, command: str, answer: str) -> dict[str, Any]:
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self._expect(answer)

    def _expect(self, kind: str) -> dict[str, Any]:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            with contextlib.suppress(ValueError):
                message = json.loads(line)
                if message.get("type") == kind:
                    return message
        raise RuntimeError(f"the console exited before saying {kind!r}")

    def folds(self) -> dict[str, float]:
        path = self.home / "folds.json"
        self.ask(f"folds {path}", "folds")
        return json.loads(path.read_text())

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time (user + system) so far of the window's process and of its ingest child.

        Read from ``/proc`` (Linux); empty where there is none. The ingest child is the
        console's only child process.
        """
        if self.process is None:
            return {}
        pid = self.process.pid
        window = _cpu_of(pid)
        if window is None:
            return {}
        children = [
            int(child)
            for tasks in Path(f"/proc/{pid}/task").glob("*/children")
            for child in tasks.read_text().split()
        ]
        ingest = sum(_cpu_of(child) or 0.0 for child in children)
        return {"window": window, "ingest": ingest}

    def metrics(self) -> str:
        with urlopen(self.ready["metrics_url"], timeout=10) as response:
            return response.read().decode()

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(OSError):
            assert self.process.stdin is not None
            self.process.stdin.close()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


def _cpu_of(pid: int) -> float | None:
    """User + system CPU seconds of process ``pid`` from ``/proc/<pid>/stat`` (None: no such)."""
    return _cpu_of_stat(Path(f"/proc/{pid}/stat"))


def _cpu_of_stat(path: Path) -> float | None:
    try:
        stat = path.read_text()
    except OSError:
        return None
    # Fields after the parenthesised command name (which may hold spaces): utime and stime
    # are the 14th and 15th fields of the line, in clock ticks.
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def reference(kind: str, key: KeyPair) -> Iterator[str]:
    """A reference receiver of ``_reference_servers.py`` running; yields its webhook URL."""
    with reference_server(kind, key) as (url, _pid):
        yield url


@contextlib.contextmanager
def reference_server(kind: str, key: KeyPair) -> Iterator[tuple[str, int]]:
    """As :func:`reference`, yielding the URL and the server's process id (for its CPU)."""
    port = free_port()
    args = [sys.executable, str(HERE / "_reference_servers.py"), kind, str(port)]
    if kind != "null":
        args.append(key.public_key_b64)
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}/webhooks/telnyx", process.pid
    finally:
        process.terminate()
        process.wait(10)


def thread_cpu(pid: int) -> dict[str, float]:
    """CPU seconds of each thread of process ``pid``: "main" for its first, else the thread id."""
    seconds: dict[str, float] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        cpu = _cpu_of_stat(task / "stat")
        if cpu is not None:
            seconds["main" if task.name == str(pid) else task.name] = cpu
    return seconds
