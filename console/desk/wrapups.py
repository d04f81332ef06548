"""After-call work: a disposition, notes and tags for one call, kept by the call's key.

Notes can be written while the call is live (a draft, ``done`` False); finishing the wrap-up
sets the disposition and marks it done. Rows are keyed by ``call_key`` — the history table's
key — so a call's wrap-up joins its history row, and each keeps the other party's number so
caller context can count a caller's calls and their last disposition without the history.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from console.desk.dispositions import Dispositions
from console.desk.errors import DeskError
from console.desk.fts import index_wrapup, tags_of

MAX_NOTES = 20_000
MAX_TAG = 30


@dataclass(frozen=True)
class WrapUp:
    call_key: str
    disposition: str | None = None
    notes: str = ""
    tags: tuple[str, ...] = ()
    number: str | None = None
    started_at: float | None = None
    done_at: float | None = None
    updated_at: float = 0.0

    @property
    def done(self) -> bool:
        return self.done_at is not None

    @property
    def summary(self) -> str:
        """One line: ``Call back — ask for the invoice…``."""
        first = self.notes.strip().splitlines()[0] if self.notes.strip() else ""
        if len(first) > 60:
            first = first[:59] + "…"
        return " — ".join(p for p in (self.disposition or "", first) if p)


def parse_tags(text: str | Iterable[str]) -> tuple[str, ...]:
    """Tags from ``"vip, billing  urgent"`` (commas or spaces): lower case, unique, in order."""
    words = text.replace(",", " ").split() if isinstance(text, str) else list(text)
    out: list[str] = []
    for word in words:
        tag = word.strip().lstrip("#").casefold()
        if not tag:
            continue
        if len(tag) > MAX_TAG:
            raise DeskError(f"Keep each tag under {MAX_TAG} characters (“{tag[:12]}…”).")
        if tag not in out:
            out.append(tag)
    return tuple(out)


_COLUMNS = "call_key, disposition, notes, tags, number, started_at, done_at, updated_at"


def _wrapup(row: Sequence[object]) -> WrapUp:
    key, disposition, notes, tags, number, started, done, updated = row
    return WrapUp(
        call_key=str(key),
        disposition=disposition if isinstance(disposition, str) else None,
        notes=notes if isinstance(notes, str) else "",
        tags=tuple(tags_of(tags)),
        number=number if isinstance(number, str) else None,
        started_at=float(started) if isinstance(started, int | float) else None,
        done_at=float(done) if isinstance(done, int | float) else None,
        updated_at=float(updated) if isinstance(updated, int | float) else 0.0,
    )


class WrapUps:
    """Read and write ``desk_wrapups`` (and its search documents) on one connection."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        dispositions: Dispositions,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._db = conn
        self._dispositions = dispositions
        self._clock = clock

    def get(self, call_key: str) -> WrapUp | None:
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM desk_wrapups WHERE call_key = ?", (call_key,)
        ).fetchone()
        return _wrapup(row) if row else None

    def for_keys(self, keys: Iterable[str]) -> dict[str, WrapUp]:
        keys = list(dict.fromkeys(keys))
        out: dict[str, WrapUp] = {}
        for start in range(0, len(keys), 500):  # SQLite's bound-parameter limit
            chunk = keys[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            for row in self._db.execute(
                f"SELECT {_COLUMNS} FROM desk_wrapups WHERE call_key IN ({marks})", chunk
            ):
                wrapup = _wrapup(row)
                out[wrapup.call_key] = wrapup
        return out

    def save_notes(
        self,
        call_key: str,
        notes: str,
        *,
        tags: str | Iterable[str] | None = None,
        number: str | None = None,
        started_at: float | None = None,
    ) -> WrapUp:
        """Keep notes (and tags) for a call, live or ended, without finishing its wrap-up."""
        current = self.get(call_key)
        return self._write(
            call_key,
            disposition=current.disposition if current else None,
            notes=notes,
            tags=parse_tags(tags) if tags is not None else (current.tags if current else ()),
            number=number,
            started_at=started_at,
            done_at=current.done_at if current else None,
        )

    def complete(
        self,
        call_key: str,
        disposition: str,
        notes: str = "",
        tags: str | Iterable[str] = (),
        *,
        number: str | None = None,
        started_at: float | None = None,
    ) -> WrapUp:
        """Finish the wrap-up of a call with one of the dispositions (any case)."""
        name = self._dispositions.canonical(disposition or "")
        if name is None:
            raise DeskError(
                "Choose a disposition from the list"
                + (f" (“{disposition}” is not one)." if disposition else ".")
            )
        return self._write(
            call_key,
            disposition=name,
            notes=notes,
            tags=parse_tags(tags),
            number=number,
            started_at=started_at,
            done_at=self._clock(),
        )

    def _write(
        self,
        call_key: str,
        *,
        disposition: str | None,
        notes: str,
        tags: tuple[str, ...],
        number: str | None,
        started_at: float | None,
        done_at: float | None,
    ) -> WrapUp:
        if not call_key:
            raise DeskError("A wrap-up needs a call.")
        if len(notes) > MAX_NOTES:
            raise DeskError(f"Notes are limited to {MAX_NOTES:,} characters.")
        db = self._db
        db.execute("BEGIN")
        try:
            db.execute(
                f"INSERT INTO desk_wrapups ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(call_key) DO UPDATE SET disposition = excluded.disposition, "
                "notes = excluded.notes, tags = excluded.tags, "
                "number = coalesce(excluded.number, number), "
                "started_at = coalesce(excluded.started_at, started_at), "
                "done_at = excluded.done_at, updated_at = excluded.updated_at",
                (
                    call_key,
                    disposition,
                    notes,
                    json.dumps(list(tags)),
                    number,
                    started_at,
                    done_at,
                    self._clock(),
                ),
            )
            index_wrapup(db, call_key)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        saved = self.get(call_key)
        assert saved is not None
        return saved

    def for_number(self, lookup: str, *, limit: int = 10) -> list[WrapUp]:
        """The newest wrap-ups of calls with ``lookup`` (a number's lookup key)."""
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM desk_wrapups WHERE number = ? "
            "ORDER BY started_at DESC LIMIT ?",
            (lookup, max(0, int(limit))),
        )
        return [_wrapup(r) for r in rows]
