"""Opening the console database and migrating each component's tables.

A component declares its tables as a :class:`Schema`: a name and an ordered list of SQL
scripts, where step *i* takes the component's tables from version *i* to *i + 1*. The versions
reached are kept in ``schema_versions`` (one row per component), so a new step runs once, in a
transaction of its own, on every database that has not seen it. A database written by a newer
program (a version above what this one knows) is refused with a clear message rather than
guessed at.

Connections are opened in WAL mode with ``synchronous=NORMAL``: everything here can be derived
again from the journal, or was typed by the operator and survives a process crash (WAL's
commits are atomic); what is lost to a power cut is the last moment of derived state. Each
thread opens its own connection (``connect``); WAL lets readers run beside the one writer.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from console.errors import ConsoleError
from console.paths import private_file

DATABASE_FILENAME = "console.sqlite3"
#: Identifies our files (``PRAGMA application_id``), so another SQLite file is refused.
APPLICATION_ID = 0x54434442  # "TCDB"


class DatabaseError(ConsoleError):
    """The console database cannot be opened, read or migrated (``user_message`` says which)."""


@dataclass(frozen=True)
class Schema:
    """One component's tables: ``steps[i]`` migrates from version ``i`` to ``i + 1``."""

    component: str
    steps: Sequence[str]

    @property
    def version(self) -> int:
        return len(self.steps)


def connect(path: str | Path, *, busy_timeout_ms: int = 2000) -> sqlite3.Connection:
    """Open (creating it private to the user) the console database at ``path``."""
    path = Path(path)
    try:
        private_file(path)
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=True)
    except (OSError, sqlite3.Error) as exc:
        raise DatabaseError(f"cannot open the console database {path}: {exc}") from exc
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchone()[0]
        if tables and app_id != APPLICATION_ID:
            raise DatabaseError(
                f"{path} is an SQLite database of another program (application_id "
                f"{app_id:#x}); move it aside so the console can create its own"
            )
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        if not tables:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_versions ("
            " component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
        )
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseError(
            f"the console database {path} is unreadable ({exc}); move it aside to start anew"
        ) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def version_of(conn: sqlite3.Connection, component: str) -> int:
    row = conn.execute(
        "SELECT version FROM schema_versions WHERE component = ?", (component,)
    ).fetchone()
    return int(row[0]) if row else 0


def migrate(conn: sqlite3.Connection, schema: Schema) -> None:
    """Bring ``schema.component``'s tables up to ``schema.version`` (each step atomically)."""
    current = version_of(conn, schema.component)
    if current > schema.version:
        raise DatabaseError(
            f"the console database has {schema.component} tables of version {current}, newer "
            f"than this program's {schema.version}: use the newer program, or move the "
            "database aside"
        )
    for version in range(current, schema.version):
        try:
            # executescript would commit on its own; BEGIN IMMEDIATE makes the step and its
            # version bump one transaction, so a crash mid-step leaves the previous version.
            conn.execute("BEGIN IMMEDIATE")
            for statement in _statements(schema.steps[version]):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_versions (component, version) VALUES (?, ?) "
                "ON CONFLICT(component) DO UPDATE SET version = excluded.version",
                (schema.component, version + 1),
            )
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise DatabaseError(
                f"migrating the console database ({schema.component} {version} → "
                f"{version + 1}) failed: {exc}"
            ) from exc


def _statements(script: str) -> list[str]:
    """Split a migration script into complete statements (triggers hold inner semicolons)."""
    statements: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip():
                statements.append(pending.strip())
            pending = ""
    if pending.strip():
        statements.append(pending.strip())
    return statements
