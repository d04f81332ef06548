"""Build the one-folder bundle with packaging/build.py and run the frozen app's checks."""

from __future__ import annotations

import importlib.util
import json
import os
import pkgutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import console
from tests.packaging.selftest_lines import EXPECTED_OK, assert_lines

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        importlib.util.find_spec("PyInstaller") is None,
        reason="PyInstaller is not installed: pip install -e '.[package]'",
    ),
]


@pytest.fixture(scope="module")
def frozen_app(tmp_path_factory, build_script):
    out = tmp_path_factory.mktemp("frozen")
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "packaging" / "build.py"),
            "--skip-archive",
            "--workpath",
            str(out / "build"),
            "--distpath",
            str(out / "dist"),
        ],
        capture_output=True,
        text=True,
        timeout=540,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "built one-folder bundle: " in done.stdout
    _, executable = build_script.bundle_paths(out / "dist", onefile=False)
    return executable


def run_frozen(executable: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("TELNYX_CONSOLE_HOME", None)
    # Run from elsewhere, so nothing can come from the checkout.
    return subprocess.run(
        [str(executable), *args],
        capture_output=True,
        text=True,
        timeout=100,
        cwd=executable.parent.parent,
        env=env,
        check=False,
    )


@pytest.mark.timeout(600)
def test_frozen_version(frozen_app):
    done = run_frozen(frozen_app, "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"telnyx-console {console.__version__}"


@pytest.mark.timeout(600)
def test_frozen_self_test(frozen_app):
    done = run_frozen(frozen_app, "--self-test")
    assert done.returncode == 0, done.stdout + done.stderr
    assert_lines(done.stdout, ["[ ok ] telnyx-console 0.1.0 (frozen build)", *EXPECTED_OK])
    assert "[FAIL]" not in done.stdout
    # Every module of the checkout made it into the bundle (lazy imports included).
    modules = [
        info.name
        for info in pkgutil.walk_packages(console.__path__, "console.")
        if not info.name.endswith("__main__")
    ]
    assert f"[ ok ] console modules import: {len(modules)} modules" in done.stdout


@pytest.mark.timeout(600)
def test_frozen_bundle_carries_resources_and_version(frozen_app):
    internal = frozen_app.parent / "_internal"
    assert (internal / "VERSION").read_text().strip() == f"telnyx-console {console.__version__}"
    resources = ROOT / "resources"
    for source in resources.rglob("*"):
        if source.is_file():
            assert (internal / "resources" / source.relative_to(resources)).is_file(), source
    assert not (internal / "PySide6" / "Qt" / "translations").exists()


@pytest.mark.timeout(600)
@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM shutdown is POSIX")
def test_frozen_demo_starts_and_stops_cleanly(frozen_app, tmp_path):
    # The GUI entry (console.app) is not on the self-test's path: start it, then ask it to quit.
    # Port 0: other test runs on this machine may hold the default receiver port.
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "settings.json").write_text(json.dumps({"receiver_port": 0}))
    # XDG_CONFIG_HOME: Qt's saved window layout goes to the temporary folder too.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "xdg"))
    process = subprocess.Popen(
        [str(frozen_app), "--demo", "--home", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        time.sleep(6)
        assert process.poll() is None, process.communicate()[1][-3000:]
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, stderr[-3000:]
    assert "Traceback" not in stderr, stderr[-3000:]
    # A demo runs on files of its own, in a folder it removes when it exits.
    demo_runs = tmp_path / "data" / "demo"
    assert demo_runs.is_dir() and list(demo_runs.iterdir()) == []
