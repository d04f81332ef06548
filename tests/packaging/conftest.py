"""Fixtures for the packaging tests: packaging/*.py loaded by path (it is not a package)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def load(name: str):
    # packaging/ would shadow the `packaging` distribution if imported as a package.
    if str(PACKAGING) not in sys.path:
        sys.path.insert(0, str(PACKAGING))
    spec = importlib.util.spec_from_file_location(f"_packaging_{name}", PACKAGING / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def buildinfo():
    return load("buildinfo")


@pytest.fixture(scope="session")
def build_script():
    return load("build")
