"""Each benchmark runs in --quick mode and prints its figures (no timing is asserted here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Labels each benchmark must print, and values that are facts rather than timings.
EXPECTED = {
    "receiver_latency": {
        # "over the 2 s deadline" counts slow answers: a timing, so only its presence is checked
        "labels": [
            "K=8: throughput",
            "K=8: latency p99",
            "K=8: over the 2 s deadline",
            "journal alone (FULL): append p50",
        ],
        "facts": {"K=8: non-2xx answers": 0},
    },
    "store_throughput": {
        "labels": ["in order: events/s", "memory 500 calls: retained", "Store.rebuild"],
        "facts": {"shuffled: same final state": "yes"},
    },
    "ui_models": {
        "labels": ["stream: GUI time per event p99", "stream: rows touched per event"],
        "facts": {"stream: model resets": 0, "rebuild: model resets": 1},
    },
    "desk_search": {
        "labels": [
            "search note fragment: p50",
            "search contact name: p50",
            "history panel page by note: p50",
            "caller context: p50",
        ],
        "facts": {"search found nowhere: hits": 0, "search a call id: hits": 1},
    },
    "app_as_wired": {
        "labels": [
            "window shown after start (empty data dir)",
            "ratio: app / do-nothing aiohttp",
            "ratio: app / Flask + SDK",
            "ratio: ingest alone / do-nothing aiohttp",
            "100/s with 200 live: time to 2xx p99",
            "100/s with 200 live: GUI loop lag p99",
            "journal bytes per finished call",
            "history search over 5,000 calls (digits) p50",
        ],
        "facts": {
            "throughput: Flask + SDK non-2xx": 0,
            "100/s with 200 live: non-2xx answers": 0,
            "100/s with 200 live: events in the store": "200/200",
            "live calls in the store": 200,
            "Ctrl+F search: live calls found": 1,
        },
    },
    "ingest_ladder": {
        "labels": [
            "do-nothing aiohttp: throughput",
            "+ signature and parse: adds to the rung before",
            "console receiver, no disk: server CPU per delivery",
            "ingest component: of which its event loop",
        ],
        "facts": {
            "do-nothing aiohttp: non-2xx": 0,
            "+ signature and parse: non-2xx": 0,
            "console receiver, no disk: non-2xx": 0,
            "ingest component: non-2xx": 0,
        },
    },
    "end_to_end": {
        "labels": ["answer: command -> store shows answered p99"],
        "facts": {"receiver rejections": 0},
    },
}


def run_quick(name: str, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", f"benchmarks.{name}", "--quick", *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,  # app_as_wired starts the real console four times, with three references
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_benchmark_runs_quick_and_prints_figures(name: str) -> None:
    result = run_quick(name, "--json")
    assert result.returncode == 0, result.stderr[-2000:]
    document = json.loads(result.stdout)
    assert document["benchmark"] == name
    figures = document["figures"]
    for label in EXPECTED[name]["labels"]:
        assert any(label in key for key in figures), f"{label!r} missing from {list(figures)}"
    for label, value in EXPECTED[name]["facts"].items():
        assert figures[label] == value, f"{label}: {figures[label]!r}"


def test_text_output_is_a_table() -> None:
    result = run_quick("receiver_latency", "--requests", "40")
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert lines[0].startswith("# receiver_latency (")
    assert any(
        line.startswith("K=8: latency p50") and line.rstrip().endswith("ms") for line in lines
    )
