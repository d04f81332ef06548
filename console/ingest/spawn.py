"""Starting the ingest child process: its command line, and one booted early to be adopted.

The child spends most of its start importing aiohttp and pydantic, then waits for its
configuration line. The app starts one (``start_early``) before it has even loaded its own
settings, so that boot runs on the other core while the console loads; the session's
``IngestProcess`` adopts it (``take_early``) instead of spawning its own. One nobody adopted
(team mode, a failed start) is stopped by ``discard_early``.
"""

from __future__ import annotations

import contextlib
import logging
import subprocess
import sys

# Logged under the host's name: the lines read the same wherever the helper lives.
log = logging.getLogger("console.ingest.host")

_early: subprocess.Popen[bytes] | None = None
_early_command: list[str] | None = None


def child_command() -> list[str]:
    """How to start the ingest child with this interpreter or this frozen build."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "ingest-child"]
    return [sys.executable, "-m", "console", "ingest-child"]


def spawn_child(command: list[str]) -> subprocess.Popen[bytes]:
    """Start the child with its stdin (commands) and stdout (reports) piped; raises OSError."""
    return subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=None,  # a crash's traceback still reaches the terminal and log capture
        close_fds=True,
    )


def start_early(command: list[str] | None = None) -> None:
    """Start an ingest child now, for the next IngestProcess with the same command."""
    global _early, _early_command
    if _early is not None:
        return
    command = command or child_command()
    try:
        _early = spawn_child(command)
    except OSError as exc:  # the session spawns one itself later, and says so if that fails
        log.info("could not start the receiver process early: %s", exc)
        return
    _early_command = list(command)


def discard_early() -> None:
    """Stop a child started early that no session adopted (team mode, a failed start)."""
    global _early
    process, _early = _early, None
    if process is None:
        return
    with contextlib.suppress(OSError, ValueError):
        if process.stdin is not None:
            process.stdin.close()  # its configuration read sees EOF: it exits
    try:
        process.wait(timeout=2)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    for stream in (process.stdout,):
        if stream is not None:
            stream.close()


def take_early(command: list[str]) -> subprocess.Popen[bytes] | None:
    """The child started early, if it was started with ``command`` and still runs."""
    global _early
    process = _early
    if process is None or _early_command != command or process.poll() is not None:
        return None
    _early = None
    return process
