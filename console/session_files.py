"""Where a session keeps its files: the data dir, and for a demo a folder of its own per run.

The journal and the console database (history, desk, checkpoint) live in ``files_dir``: the
data dir, or for a demo a fresh folder under ``<data dir>/demo`` removed when the demo stops,
so a demo never mixes simulated calls into the real history, nor last demo's calls into this
one. Folders a crashed demo left behind are removed after a day.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
import time
from pathlib import Path

from console import paths
from console.db import DATABASE_FILENAME


class SessionFiles:
    def __init__(self, data_dir: Path | None, demo: bool) -> None:
        self._data_dir = data_dir
        self._demo = demo
        self._demo_files: Path | None = None

    @property
    def data_dir(self) -> Path:
        if self._data_dir is None:
            self._data_dir = paths.data_dir()
        paths.private_dir(self._data_dir)
        return self._data_dir

    @property
    def files_dir(self) -> Path:
        if not self._demo:
            return self.data_dir
        if self._demo_files is None:
            demos = paths.private_dir(self.data_dir / "demo")
            remove_old_demo_runs(demos)
            self._demo_files = Path(tempfile.mkdtemp(prefix="run-", dir=demos))
        return self._demo_files

    @property
    def journal_path(self) -> Path:
        return self.files_dir / paths.JOURNAL_FILENAME

    @property
    def database_path(self) -> Path:
        return self.files_dir / DATABASE_FILENAME

    async def remove_demo_files(self) -> None:
        if self._demo_files is not None:
            await asyncio.to_thread(shutil.rmtree, self._demo_files, True)
            self._demo_files = None


def remove_old_demo_runs(demos: Path, older_than_secs: float = 86400.0) -> None:
    """Demo folders a crashed demo left behind (a running demo's folder is younger)."""
    cutoff = time.time() - older_than_secs
    with contextlib.suppress(OSError):
        for run in demos.iterdir():
            with contextlib.suppress(OSError):
                if run.is_dir() and run.stat().st_mtime < cutoff:
                    shutil.rmtree(run, ignore_errors=True)
