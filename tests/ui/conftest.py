"""Fixtures for the window's tests: the shared qasync loop, an isolated QSettings, fakes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from tests.support.qt import event_loop_tasks, qasync_loop  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _loop(event_loop_tasks):  # noqa: F811
    """Every UI test runs with the qasync loop installed and leftover tasks cancelled."""
    yield event_loop_tasks


@pytest.fixture
def qsettings(tmp_path):
    """A QSettings in the test's folder, so layouts never touch the user's real config."""
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
