"""Where the ngrok agent executable is: the configured path, the one shipped with a frozen
build, or ``ngrok`` on PATH.

Apart from :mod:`console.tunnel.ngrok_tunnel` because finding the agent is a pure file-system
question asked before any agent runs (the settings validation and the setup wizard ask it too),
and because it must fail with words at once: pyngrok's own downloader is never reached.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from console.tunnel.errors import AgentNotFoundError

DOWNLOAD_URL = "https://ngrok.com/download"


def _executable_name() -> str:
    return "ngrok.exe" if sys.platform == "win32" else "ngrok"


def bundled_agent_path() -> Path | None:
    """In a frozen build, an executable ngrok agent shipped beside the console's executable."""
    if not getattr(sys, "frozen", False):
        return None
    candidate = Path(sys.executable).resolve().parent / _executable_name()
    if candidate.is_file() and os.access(candidate, os.X_OK):
        return candidate
    return None


def resolve_agent_path(configured: str | None) -> str:
    """The ngrok agent to run: ``configured`` if set, else (in a frozen build) the agent shipped
    beside the console's executable, else ``ngrok`` on PATH.

    Raises :class:`AgentNotFoundError` at once; pyngrok's downloader is never reached.
    """
    exe = _executable_name()
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
