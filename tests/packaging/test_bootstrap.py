"""scripts/bootstrap: run, test and package share one environment and install once.

The script runs for real against a stand-in environment: its ``python``, ``telnyx-console``,
``ruff``, ``mypy`` and ``lint-imports`` are stubs that write down how they were called, and
``dpkg-query`` reports every Debian package installed (the boundary to the machine). Nothing is
downloaded.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BOOTSTRAP = ROOT / "scripts" / "bootstrap"

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="bootstrap is a bash script")


def _stub(path: Path, log: Path) -> None:
    path.write_text(f'#!/bin/sh\necho "$(basename "$0") $*" >> "{log}"\nexit 0\n')
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


@pytest.fixture
def sandbox(tmp_path):
    log = tmp_path / "calls.log"
    log.touch()
    venv_bin = tmp_path / "venv" / "bin"
    venv_bin.mkdir(parents=True)
    for name in ("python", "telnyx-console", "ruff", "mypy", "lint-imports"):
        _stub(venv_bin / name, log)
    tools = tmp_path / "tools"
    tools.mkdir()
    dpkg = tools / "dpkg-query"
    dpkg.write_text("#!/bin/sh\nprintf 'install ok installed'\n")
    dpkg.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "WITH_XVFB"))}
    env.update(
        PATH=f"{tools}:{env.get('PATH', '/usr/bin:/bin')}",
        TELNYX_CONSOLE_VENV=str(tmp_path / "venv"),
        QT_QPA_PLATFORM="offscreen",
    )

    def bootstrap(*args: str) -> list[str]:
        before = log.read_text().splitlines()
        result = subprocess.run(
            ["bash", str(BOOTSTRAP), *args], env=env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        return log.read_text().splitlines()[len(before) :]

    return bootstrap


def _installs(calls: list[str]) -> list[str]:
    return [c for c in calls if "pip install" in c and " -e " in c]


def test_run_test_and_package_install_once_and_share_the_environment(sandbox):
    first = sandbox("run", "--version")
    assert _installs(first) == ["python -m pip install --quiet -e .[dev,package]"]
    assert first[-1] == "telnyx-console --version"

    tested = sandbox("test", "-q", "tests/test_errors.py")
    assert _installs(tested) == []
    assert tested[-1] == "python -m pytest -q tests/test_errors.py"
    assert any(c.startswith("ruff check") for c in tested) and "mypy " in tested
    assert "lint-imports --no-cache" in tested  # the layer contracts

    packaged = sandbox("package", "--onefile")
    assert _installs(packaged) == []
    assert packaged == ["python packaging/build.py --onefile"]

    again = sandbox("run")
    assert _installs(again) == [] and again == ["telnyx-console --demo"]  # demo by default
