"""The audit log: one JSON line per operator action (who, what, when, result) in the data dir."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from console.paths import private_file

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AuditEntry:
    at: str  # ISO 8601, UTC
    who: str
    what: str
    target: str | None
    result: str  # "ok" | "failed" | "rolled back" | "cancelled" | "started"
    detail: dict[str, Any] = field(default_factory=dict)


class AuditLog:
    """Append-only JSON-lines file; small enough to write synchronously on each action.

    JSON lines rather than SQLite: it is read by people (``tail``, a text editor) as often as
    by code, and an append of one line cannot corrupt earlier entries.
    """

    def __init__(self, path: Path | str | None):
        self.path = Path(path) if path is not None else None
        self._memory: list[AuditEntry] = []  # used when no path is given (tests, --self-test)

    def record(
        self,
        what: str,
        result: str,
        *,
        target: str | None = None,
        who: str = "operator",
        **detail: Any,
    ) -> AuditEntry:
        entry = AuditEntry(
            at=datetime.now(UTC).isoformat(timespec="milliseconds"),
            who=who,
            what=what,
            target=target,
            result=result,
            detail={k: v for k, v in detail.items() if v is not None},
        )
        if self.path is None:
            self._memory.append(entry)
            return entry
        try:
            private_file(self.path)  # who did what to which call: the user's alone
            line = json.dumps(asdict(entry), ensure_ascii=False, default=str)
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(line + "\n")
                fh.flush()
                os.fsync(fh.fileno())
        except OSError:
            # An unwritable audit file must not stop the operator handling calls.
            log.exception("could not write the audit log at %s", self.path)
            self._memory.append(entry)
        return entry

    def entries(self) -> list[AuditEntry]:
        return list(self._iter())

    def _iter(self) -> Iterator[AuditEntry]:
        if self.path is not None and self.path.is_file():
            with self.path.open(encoding="utf-8") as fh:
                for line in fh:
                    line = line.strip()
                    if not line:
                        continue
                    try:
                        yield AuditEntry(**json.loads(line))
                    except (ValueError, TypeError):
                        continue  # a torn last line after a crash: skip it
        yield from self._memory
