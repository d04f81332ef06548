"""The real console, as a user runs it, for ``app_as_wired``: ``run_app`` with its window.

Run as ``python benchmarks/_console_child.py`` with ``TELNYX_CONSOLE_HOME`` pointing at a
prepared home (settings with a fixed receiver port and no tunnel) and ``TELNYX_PUBLIC_KEY`` /
``TELNYX_API_KEY`` in the environment (the secrets' documented alternative to the keyring).
Nothing is patched: the receiver runs in its child process, the window is shown (offscreen).

It prints one JSON line when the window is up (``ready``: time, receiver and metrics URLs,
RSS), then obeys lines on stdin: ``folds PATH`` writes when each event id was folded into
the store (wall-clock seconds); ``search TEXT`` searches (Ctrl+F), selects the live call
found, scrolls the calls table, and says how long each took; ``stats`` prints RSS and counts;
end of stdin closes the window and exits.
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from console.app import run_app
from console.console_metrics import resident_bytes

STARTED = time.time()
folds: dict[str, float] = {}


def say(kind: str, **values: object) -> None:
    print(json.dumps({"type": kind, **values}), flush=True)


def on_ready(window, session) -> None:
    session.on_event(lambda envelope, _received: folds.__setitem__(envelope.data.id, time.time()))
    loop = asyncio.get_event_loop()
    say(
        "ready",
        at=time.time(),
        since_start=time.time() - STARTED,
        url=session.receiver.url,
        metrics_url=session.receiver.metrics_url,
        rss=resident_bytes(),
        calls=len(session.store.calls),
    )

    def obey(line: str) -> None:
        command, _, argument = line.strip().partition(" ")
        if command == "folds":
            Path(argument).write_text(json.dumps(folds))
            say("folds", count=len(folds))
        elif command == "search":
            # What an operator looking for one caller among thousands does: Ctrl+F, type the
            # number, Enter on the live call found (selected and scrolled to in the table),
            # then back to the end of the table.
            from PySide6.QtWidgets import QApplication

            began = time.perf_counter()
            dialog = window.workflow.open_search()
            dialog.edit.setText(argument)
            dialog.run()
            QApplication.processEvents()
            searched = time.perf_counter() - began
            live = dialog.items("live")
            began = time.perf_counter()
            if live:
                dialog.choose(live[0])
            QApplication.processEvents()
            selected = time.perf_counter() - began
            began = time.perf_counter()
            window.calls_view.scrollToBottom()
            QApplication.processEvents()
            say(
                "searched",
                search_seconds=searched,
                select_seconds=selected,
                scroll_seconds=time.perf_counter() - began,
                live_found=len(live),
                selected=window.selected_ccids(),
            )
        elif command == "stats":
            say(
                "stats",
                rss=resident_bytes(),
                calls=len(session.store.calls),
                live=session.store.live_count,
                pending=session.tail.pending if session.tail else 0,
            )

    def read_commands() -> None:
        for line in sys.stdin:
            loop.call_soon_threadsafe(obey, line)
        loop.call_soon_threadsafe(window.close)

    threading.Thread(target=read_commands, name="bench-commands", daemon=True).start()


if __name__ == "__main__":
    sys.exit(run_app(demo=False, on_ready=on_ready))
