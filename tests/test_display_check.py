"""A missing or wrong DISPLAY: one clear line and exit 1, not Qt's abort (134) and its hint."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from console.display_check import display_problem, qt_uses_xcb

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 is Linux's")


def _free_display() -> int:
    for number in range(99, 200):
        if not Path(f"/tmp/.X11-unix/X{number}").exists():
            return number
    pytest.skip("no free X display number")


def _console(tmp_path: Path, **env: str | None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    environ.pop("WAYLAND_DISPLAY", None)
    environ.update({k: v for k, v in env.items() if v is not None})
    return subprocess.run(
        [sys.executable, "-m", "console", "--home", str(tmp_path / "home")],
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "libxcb-cursor" not in result.stderr and "Traceback" not in result.stderr
    return lines[0]


def test_no_display_says_so_in_one_line(tmp_path):
    result = _console(tmp_path)
    assert result.returncode == 1, result.stderr
    assert "DISPLAY is not set" in _one_line(result)


def test_a_display_nobody_answers_says_which(tmp_path):
    number = _free_display()
    result = _console(tmp_path, DISPLAY=f":{number}")
    assert result.returncode == 1, result.stderr
    line = _one_line(result)
    assert f"DISPLAY=:{number}" in line and "no X server" in line


def test_a_display_that_answers_passes(tmp_path):
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.skip("Xvfb is not installed")
    number = _free_display()
    server = subprocess.Popen(
        [xvfb, f":{number}", "-nolisten", "tcp", "-screen", "0", "640x480x24"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        socket = Path(f"/tmp/.X11-unix/X{number}")
        deadline = time.monotonic() + 20
        while not socket.exists() and server.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)  # Xvfb says nothing when it is ready: its socket appearing is it
        assert socket.exists(), "Xvfb did not start"
        assert display_problem({"DISPLAY": f":{number}"}, "linux") is None
        assert display_problem({"DISPLAY": f":{number + 1}"}, "linux") is not None
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_only_x11_windows_are_checked():
    assert qt_uses_xcb({}, "linux")
    assert qt_uses_xcb({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not qt_uses_xcb({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not qt_uses_xcb({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux")
    assert not qt_uses_xcb({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not qt_uses_xcb({}, "darwin") and not qt_uses_xcb({}, "win32")
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
