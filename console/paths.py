"""Where the console keeps its files: platform folders, or one folder under TELNYX_CONSOLE_HOME."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "telnyx-console"
HOME_ENV = "TELNYX_CONSOLE_HOME"

SETTINGS_FILENAME = "settings.json"
JOURNAL_FILENAME = "events.sqlite3"
LOG_FILENAME = "console.log"
AGENT_PIDFILE_NAME = "ngrok-agent.pid"


def _home() -> Path | None:
    # Read on every call (not at import) so tests and `--home` can set it at any time.
    value = os.environ.get(HOME_ENV, "").strip()
    return Path(value).expanduser().resolve() if value else None


def _ensure(path: Path) -> Path:
    return private_dir(path)


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) readable by the user alone (0700 on POSIX).

    Missing parents are made 0700 too (``mkdir(parents=True)`` would give them the umask's
    mode): a ``--home`` folder the console creates is as private as what it holds. Existing
    parents are left as they are: they are not ours.
    """
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
    if os.name == "posix" and (path.stat().st_mode & 0o077):
        path.chmod(0o700)  # made by an older version, or by a permissive umask
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty if missing, readable and writable by the user alone (0600).

    SQLite creates its ``-wal`` and ``-shm`` files with the main file's mode, so a database
    made private here stays private.
    """
    private_dir(path.parent)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    elif os.name == "posix" and (path.stat().st_mode & 0o077):
        path.chmod(0o600)
    return path


def config_dir() -> Path:
    """The folder of ``settings.json`` (created on demand)."""
    home = _home()
    if home is not None:
        return _ensure(home / "config")
    # appauthor=False: no "<author>/<app>" nesting on Windows.
    return _ensure(platformdirs.user_config_path(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """The folder of the event journal, the recordings cache and the agent pidfile."""
    home = _home()
    if home is not None:
        return _ensure(home / "data")
    return _ensure(platformdirs.user_data_path(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """The folder of ``console.log`` and its rotated copies."""
    home = _home()
    if home is not None:
        return _ensure(home / "logs")
    return _ensure(platformdirs.user_log_path(APP_NAME, appauthor=False))


def settings_file() -> Path:
    return config_dir() / SETTINGS_FILENAME


def journal_file() -> Path:
    return data_dir() / JOURNAL_FILENAME


def recordings_dir() -> Path:
    return _ensure(data_dir() / "recordings")


def agent_pidfile() -> Path:
    return data_dir() / AGENT_PIDFILE_NAME


def log_file() -> Path:
    return log_dir() / LOG_FILENAME
