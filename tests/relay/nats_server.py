"""A real ``nats-server`` with JetStream for team-mode tests: temp store, loopback, free port.

The server answers in ~40 ms; the port is polled before anyone connects, because after a refused
first connect nats-py's own retry costs ~2 s. :meth:`NatsServer.kill` (SIGKILL) and
:meth:`NatsServer.start` again on the same port and store dir are how tests take the broker down
and bring it back mid-stream.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

#: Where Debian's package puts the binary (scripts/bootstrap installs it); PATH is tried first.
DEBIAN_PATH = "/usr/sbin/nats-server"
START_TIMEOUT_SECS = 10.0


def find_nats_server() -> str | None:
    found = shutil.which("nats-server")
    if found:
        return found
    return DEBIAN_PATH if os.access(DEBIAN_PATH, os.X_OK) else None


def require_nats_server() -> str:
    """The binary, else skip, or fail where a broker is required: ``scripts/bootstrap test``
    (CI's command, which installs it) sets TELNYX_CONSOLE_REQUIRE_BROKER, and so does ``CI``."""
    import pytest

    binary = find_nats_server()
    if binary is None:
        reason = "nats-server is not installed (apt-get install nats-server; scripts/bootstrap)"
        if os.environ.get("CI") or os.environ.get("TELNYX_CONSOLE_REQUIRE_BROKER"):
            pytest.fail(reason)
        pytest.skip(reason)
    return binary


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class NatsServer:
    """One ``nats-server -js`` process; ``url`` stays the same across kill and start."""

    def __init__(self, binary: str, store_dir: Path, port: int | None = None):
        self.binary = binary
        self.store_dir = store_dir
        self.port = port or free_port()
        self.log_path = store_dir / "nats-server.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def command(self) -> list[str]:
        store, port = str(self.store_dir), str(self.port)
        return [self.binary, "-js", "-sd", store, "-a", "127.0.0.1", "-p", port]

    def start(self) -> None:
        if self.running:
            return
        self.store_dir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log_file:
            self._process = subprocess.Popen(
                self.command(),
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + START_TIMEOUT_SECS
        while not _port_open(self.port):
            if self._process.poll() is not None:
                raise RuntimeError(f"nats-server exited at start:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"nats-server did not listen in time:\n{self.log_tail()}")
            time.sleep(0.01)

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, as a crash or an OOM kill would do."""
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"
