"""The Qt-free packages must never import Qt, so they run without a display."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

QT_FREE = [
    "telnyx",
    "events",
    "state",
    "tunnel",
    "simulator",
    "desk",
    "ingest",
    "history",
    "relay",
    "operations",
    "db",
]
ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("package", QT_FREE)
def test_no_qt_imports_in_source(package):
    offenders = []
    for path in (ROOT / "console" / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.name}: {n}" for n in names if n.split(".")[0] in {"PySide6", "qasync"}
            ]
    assert not offenders, f"console/{package} imports Qt: {offenders}"


def test_importing_qt_free_packages_loads_no_qt():
    modules = [f"console.{p}" for p in QT_FREE]
    code = (
        "import sys, importlib, pkgutil\n"
        f"for name in {modules!r}:\n"
        "    pkg = importlib.import_module(name)\n"
        "    for info in pkgutil.walk_packages(pkg.__path__, name + '.'):\n"
        "        if info.name.endswith('__main__'):\n"
        "            continue\n"
        "        importlib.import_module(info.name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'qasync'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "", f"Qt modules loaded: {result.stdout}"
