"""The console's files are the user's alone: files 0600, folders 0700 (POSIX)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from console.config import Settings, save_settings
from console.db.database import connect
from console.operations.audit import AuditLog
from console.state.entities import CallState
from tests.operations.helpers import answered_inbound, call_in_state, make_session

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def _not_private(root: Path) -> list[str]:
    """Every file not 0600 and folder not 0700 under ``root`` (root included)."""
    wrong = []
    for path in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        wanted = 0o700 if path.is_dir() else 0o600
        if mode != wanted:
            wrong.append(f"{path.relative_to(root.parent)}: {mode:o}")
    return wrong


@pytest.fixture(autouse=True)
def _permissive_umask():
    """The usual 022 umask (whatever the runner has): privacy must not depend on it."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_settings_are_saved_private(tmp_path):
    path = save_settings(Settings(), tmp_path / "config" / "settings.json")
    assert _not_private(path.parent) == []


def test_the_audit_log_is_private(tmp_path):
    log = AuditLog(tmp_path / "data" / "audit.jsonl")
    log.record("hang up", "ok", target="v3:abc")
    assert _not_private(tmp_path / "data") == []


def test_the_console_database_is_private(tmp_path):
    conn = connect(tmp_path / "data" / "console.sqlite3")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE notes (text TEXT)")
    conn.execute("INSERT INTO notes VALUES ('called back')")
    try:
        assert (tmp_path / "data" / "console.sqlite3-wal").exists()
        assert _not_private(tmp_path / "data") == []  # the -wal and -shm files too
    finally:
        conn.close()


@pytest.mark.anyio
async def test_a_sessions_files_are_all_private(tmp_path):
    """Journal, console database, audit log, settings and their folders, after real calls."""
    home = tmp_path / "home"
    async with make_session(home) as session:
        ccid = await answered_inbound(session)
        await session.ops.hangup(ccid)
        await call_in_state(session, ccid, CallState.ENDED)
        save_settings(session.settings, home / "config" / "settings.json")
        assert _not_private(home / "data") == []
    assert (home / "data" / "audit.jsonl").is_file()
    assert _not_private(home) == []
